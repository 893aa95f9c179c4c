"""Pages for authors apart from the reader's site: under `authors/`, listed on a hub, in no
nav and out of the search index, reached by one link at the foot of every page."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from .conftest import EVERYTHING, MKDOCS_YML, run_mkdocs, write

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
