"""Pages for authors apart from the reader's site: under `authors/`, listed on a hub, in no
nav and out of the search index, reached by one link at the foot of every page. And the
nav forms that place a kind, each keeping the breadcrumb and the marked section on its
entity pages, with MkDocs saying only of a hand-written page that no nav lists it."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import EVERYTHING, MKDOCS_YML, run_mkdocs, write

Project = Callable[..., Path]

pytestmark = pytest.mark.site

OWN_PAGES = {
    "docs/authors/zines.md": "---\ndescription: How we print the zines.\n---\n\n# Printing zines\n",
    "docs/authors/style.md": "# House style\n\nWrite [short](zines.md) sentences. Then more.\n",
}
AUTHOR_PAGES = ["", "coverage/", "authoring-guide/", "health/", "style/", "zines/"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture playbook, built as `project(fixture=EVERYTHING)` makes it (no nav, no
    custom_dir) with the health page on and two pages of the site's own for authors."""
    root = tmp_path_factory.mktemp("authors") / "project"
    shutil.copytree(EVERYTHING, root)
    config = MKDOCS_YML.replace("  - playbook\n", "  - playbook:\n      health_page: true\n")
    write(root, {"mkdocs.yml": config, **OWN_PAGES})
    result = run_mkdocs(root, "build", "--strict")
    assert result.returncode == 0, result.stderr
    return root / "site"


def html_of(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def primary_nav(raw: str) -> str:
    """The site's nav: the sidebar on a wide screen, the drawer on a phone."""
    return raw[raw.index('<nav class="md-nav md-nav--primary"') : raw.index('class="md-content"')]


def text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment)).strip()


def test_every_page_for_authors_is_under_authors(site: Path) -> None:
    for url in AUTHOR_PAGES:
        assert (site / "authors" / url / "index.html").is_file(), url
    for old in ("coverage", "authoring-guide", "playbook-health", "style", "zines"):
        assert not (site / old).exists(), old


def test_the_hub_lists_each_page_for_authors_in_one_line(site: Path) -> None:
    raw = html_of(site, "authors")
    article = raw[raw.index("<article") : raw.index("</article>")]
    lines = [
        (href, text(line))
        for line in re.findall(r"<li>(.*?)</li>", article, re.S)
        for href in re.findall(r'<a href="([^"]*)"', line)
    ]
    assert lines == [
        ("coverage/", "Coverage: Personas by stage; Channels by persona"),
        (
            "authoring-guide/",
            "Authoring guide: Every field of every kind: its type, whether it is required, and "
            "an example.",
        ),
        (
            "health/",
            "Playbook health: What to look at: refs that do not resolve, and entities nothing "
            "links to.",
        ),
        ("style/", "House style: Write short sentences."),
        ("zines/", "Printing zines: How we print the zines."),
    ]


@pytest.mark.parametrize("url", ["", "personas/", "personas/busy-parent/", "authors/"])
def test_no_page_for_authors_is_in_the_nav(site: Path, url: str) -> None:
    nav = primary_nav(html_of(site, url))
    assert "authors/" not in nav
    for title in ("For authors", "Coverage", "Authoring guide", "Playbook health", "House style"):
        assert f">{title}<" not in re.sub(r">\s+", ">", re.sub(r"\s+<", "<", nav)), title


def test_no_page_for_authors_is_in_the_search_index(site: Path) -> None:
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    pages = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert not [page for page in pages if page.startswith("authors")]
    assert {"", "personas/busy-parent/", "which-do-i-need/", "personas/"} <= pages


@pytest.mark.parametrize(
    ("url", "href"),
    [
        ("", "authors/"),
        ("personas/busy-parent/", "../../authors/"),
        ("stages/", "../authors/"),
        ("authors/", "./"),
        ("authors/coverage/", "../"),
    ],
)
def test_every_page_links_to_the_hub_once_at_its_foot(site: Path, url: str, href: str) -> None:
    raw = html_of(site, url)
    links = re.findall(r'<a href="([^"]*)" class="md-copyright__authors">For authors</a>', raw)
    assert links == [href]
    footer = raw[raw.index('<footer class="md-footer"') :]
    assert 'class="md-copyright__authors"' in footer


def test_the_page_for_missing_pages_links_to_the_hub_too(site: Path) -> None:
    raw = (site / "404.html").read_text(encoding="utf-8")
    assert raw.count('class="md-copyright__authors">For authors</a>') == 1


# -- the nav forms, and what MkDocs says of pages no nav lists -------------------------

NAV_FORMS = """\
site_name: Test playbook
theme:
  name: material
  features: [navigation.indexes, navigation.path]
plugins:
  - search
  - playbook
nav:
  - Home: index.md
  - personas/index.md
  - Steps of the work: stages/index.md
  - Plays: [plays/index.md]
  - Work:
      - Measures: metrics/index.md
      - channels/index.md
  - More:
      - Campaigns: [campaigns/index.md]
"""
FORMS = {
    "a bare page": ("personas/busy-parent/", ["Personas"]),
    "a titled page": ("stages/delivery/", ["Steps of the work"]),
    "a section that opens on the index": ("plays/ask-at-the-desk/", ["Plays"]),
    "a titled page in a section": ("metrics/books-borrowed/", ["Work", "Measures"]),
    "a bare page after another in a section": ("channels/newsletter/", ["Work", "Channels"]),
    "a section in a section": ("campaigns/summer-reading-challenge/", ["More", "Campaigns"]),
}


@pytest.fixture(scope="module")
def nav_forms(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The fixture playbook with a nav of every form that places a kind, and a hand-written
    page that no nav lists: its site and the build's log."""
    root = tmp_path_factory.mktemp("nav-forms") / "project"
    shutil.copytree(EVERYTHING, root)
    write(root, {"mkdocs.yml": NAV_FORMS, "docs/left-out.md": "# Left out\n", **OWN_PAGES})
    result = run_mkdocs(root, "build", "--strict")
    assert result.returncode == 0, result.stderr
    return root / "site", result.stderr


def breadcrumb(raw: str) -> list[tuple[str, str]]:
    """The breadcrumb's links above a page (Material's `navigation.path`): href and title."""
    found = re.search(r'<nav class="md-path"[^>]*>(.*?)</nav>', raw, re.S)
    assert found is not None, "no breadcrumb"
    links = re.findall(r'<a href="([^"]*)" class="md-path__link">(.*?)</a>', found.group(1), re.S)
    return [(href, text(title)) for href, title in links]


def marked_section(raw: str) -> tuple[str, str]:
    """The innermost item the nav marks as the current section: its link and title."""
    nav = primary_nav(raw)
    starts = [m.end() for m in re.finditer(r'<li class="md-nav__item md-nav__item--active', nav)]
    assert starts, "no section is marked"
    found = re.search(r'<a href="([^"]*)"[^>]*>(.*?)</a>', nav[starts[-1] :], re.S)
    assert found is not None
    return found.group(1), text(found.group(2))


@pytest.mark.parametrize("form", FORMS)
def test_an_entity_page_keeps_its_breadcrumb_and_marked_section_in_every_nav_form(
    nav_forms: tuple[Path, str], form: str
) -> None:
    site, _ = nav_forms
    url, titles = FORMS[form]
    raw = html_of(site, url)
    trail = breadcrumb(raw)
    assert [title for _, title in trail] == ["Home", *titles]
    assert trail[-1][0] == "../"  # the kind's index page
    assert marked_section(raw) == ("../", titles[-1])


def test_the_kinds_the_nav_does_not_list_follow_it(nav_forms: tuple[Path, str]) -> None:
    site, _ = nav_forms
    nav = primary_nav(html_of(site, ""))
    titles = re.findall(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', nav, re.S)
    assert titles.index("Campaigns") < titles.index("Strategies")
    assert "authors/" not in nav


def test_only_a_hand_written_page_is_said_to_be_left_out_of_the_nav(
    nav_forms: tuple[Path, str],
) -> None:
    _, log = nav_forms
    header = 'The following pages exist in the docs directory, but are not included in the "nav"'
    assert log.count(header) == 1, log
    listed = re.findall(r"^  - (\S+)$", log.split(header, 1)[1], re.M)
    assert listed == ["left-out.md"], log


def test_the_hub_lists_a_new_page_for_authors_on_the_next_build(project: Project) -> None:
    # With the build cache on (the default), the plan of the site is kept between builds:
    # a page added under docs/authors/ makes a new one.
    root = project(fixture=EVERYTHING)
    for _ in range(2):
        result = run_mkdocs(root, "build", "--strict")
        assert result.returncode == 0, result.stderr
        hub = html_of(root / "site", "authors")
        assert ("Brand new" in hub) is (root / "docs/authors/new.md").exists()
        write(root, {"docs/authors/new.md": "# Brand new\n"})
    assert '<a href="new/">Brand new</a>' in hub


# -- a kind whose collection is `authors` ------------------------------------------------

AUTHOR_KIND = {
    "playbooks/authors/_kind.yaml": "name: author\nlabel: Author\nplural: Authors\n",
    "playbooks/authors/ada.yaml": "title: Ada Lovelace\nsummary: Wrote the first program.\n",
    "docs/for-authors/style.md": "# House style\n\nWrite short sentences. Then more.\n",
}
MOVED_PAGES = ["", "coverage/", "authoring-guide/", "health/", "style/"]


@pytest.fixture(scope="module")
def authors_kind(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture playbook with a kind of its own whose collection is `authors` (as the
    Open Practice Library has), the health page on and a page of its own for authors."""
    root = tmp_path_factory.mktemp("authors-kind") / "project"
    shutil.copytree(EVERYTHING, root)
    config = MKDOCS_YML.replace("  - playbook\n", "  - playbook:\n      health_page: true\n")
    write(root, {"mkdocs.yml": config, **AUTHOR_KIND})
    result = run_mkdocs(root, "build", "--strict")
    assert result.returncode == 0, result.stderr
    return root / "site"


def test_a_kind_takes_authors_and_the_pages_for_authors_move_to_for_authors(
    authors_kind: Path,
) -> None:
    site = authors_kind
    assert ">Authors<" in re.sub(r"\s+<", "<", html_of(site, "authors"))
    assert "Ada Lovelace" in html_of(site, "authors/ada")
    for url in MOVED_PAGES:
        assert (site / "for-authors" / url / "index.html").is_file(), url
    for old in ("coverage", "authoring-guide", "health", "style"):
        assert not (site / "authors" / old).exists(), old


def test_the_moved_hub_lists_each_page_for_authors(authors_kind: Path) -> None:
    raw = html_of(authors_kind, "for-authors")
    article = raw[raw.index("<article") : raw.index("</article>")]
    hrefs = re.findall(r'<li>.*?<a href="([^"]*)"', article, re.S)
    assert hrefs == ["coverage/", "authoring-guide/", "health/", "style/"]


@pytest.mark.parametrize(
    ("url", "href"),
    [
        ("", "for-authors/"),
        ("authors/", "../for-authors/"),
        ("authors/ada/", "../../for-authors/"),
        ("for-authors/", "./"),
        ("for-authors/health/", "../"),
    ],
)
def test_the_footer_links_to_the_moved_hub(authors_kind: Path, url: str, href: str) -> None:
    raw = html_of(authors_kind, url)
    links = re.findall(r'<a href="([^"]*)" class="md-copyright__authors">For authors</a>', raw)
    assert links == [href]


@pytest.mark.parametrize("url", ["", "authors/", "for-authors/"])
def test_the_moved_pages_for_authors_are_in_no_nav(authors_kind: Path, url: str) -> None:
    nav = re.sub(r">\s+", ">", re.sub(r"\s+<", "<", primary_nav(html_of(authors_kind, url))))
    assert "for-authors/" not in nav
    assert ">Authors<" in nav
    for title in ("For authors", "Coverage", "Authoring guide", "Playbook health", "House style"):
        assert f">{title}<" not in nav, title


def test_the_moved_pages_for_authors_are_not_in_the_search_index(authors_kind: Path) -> None:
    index = json.loads((authors_kind / "search/search_index.json").read_text(encoding="utf-8"))
    pages = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert not [page for page in pages if page.startswith("for-authors")]
    assert {"authors/", "authors/ada/"} <= pages


def test_a_build_from_the_cache_keeps_the_pages_for_authors_moved(project: Project) -> None:
    # The second build takes its plan from the build cache, without loading the playbook.
    root = project(AUTHOR_KIND, fixture=EVERYTHING)
    for _ in range(2):
        result = run_mkdocs(root, "build", "--strict")
        assert result.returncode == 0, result.stderr
        assert "House style" in html_of(root / "site", "for-authors")
        assert 'href="../../for-authors/" class="md-copyright__authors"' in html_of(
            root / "site", "authors/ada"
        )
