"""End to end: real MkDocs builds of real YAML in temp dirs, asserting on the HTML."""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import pytest

from .conftest import EVERYTHING, MKDOCS_YML, run_mkdocs

pytestmark = pytest.mark.site

Project = Callable[..., Path]


def page_text(site: Path, url_path: str) -> str:
    """The visible text of a built page, whitespace folded."""
    raw = (site / url_path / "index.html").read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", raw)))


def expected_strings() -> dict[str, list[str]]:
    """EXPECTED.md of the fixture: page path → strings its HTML must contain."""
    pages: dict[str, list[str]] = {}
    current = None
    for line in (EVERYTHING / "EXPECTED.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            pages[current] = []
        elif current and line.strip():
            pages[current].append(line.strip())
    return pages


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture playbook of every kind and field, built once with --strict."""
    root = tmp_path_factory.mktemp("everything")
    shutil.copytree(EVERYTHING, root, dirs_exist_ok=True)
    (root / "mkdocs.yml").write_text(
        "site_name: Fixture\ntheme:\n  name: material\nplugins:\n  - search\n  - playbook\n"
        "repo_url: https://example.org/repo\nedit_uri: edit/main/docs/\n"
    )
    result = run_mkdocs(root, "build", "--strict")
    assert result.returncode == 0, result.stderr
    return root / "site"


def test_every_entity_and_kind_index_has_a_page(built: Path) -> None:
    for relative in [
        "personas/busy-parent",
        "strategies/reading-for-all",
        "campaigns/winter-story-nights",
        "stages/review",
        "case-studies/riverside-pilot",
        "personas",
        "comparisons",
        "case-studies",
    ]:
        assert (built / relative / "index.html").is_file(), relative


def test_everything_a_third_party_playbook_wrote_is_shown(built: Path) -> None:
    for page, strings in expected_strings().items():
        url_path = "" if page == "./" else page
        text = page_text(built, url_path)
        raw = (built / url_path / "index.html").read_text(encoding="utf-8")
        missing = [s for s in strings if s not in text and s not in raw]
        assert missing == [], page


def test_drafts_and_hidden_files_make_no_page(built: Path) -> None:
    assert not (built / "plays/_draft-idea").exists()
    for page in built.rglob("*.html"):
        assert "never published" not in page.read_text(encoding="utf-8")


def test_internal_links_all_resolve(built: Path) -> None:
    checked = 0
    for page in built.rglob("index.html"):
        base = "/" + page.parent.relative_to(built).as_posix() + "/"
        for href in re.findall(r'href="([^"#:]+)(?:#[^"]*)?"', page.read_text(encoding="utf-8")):
            target = urldefrag(urljoin(base.replace("//", "/"), href)).url.lstrip("/")
            path = built / target
            assert path.exists() or (path / "index.html").exists(), f"{page}: {href}"
            checked += 1
    assert checked > 500


def test_persona_page_lists_campaigns_that_target_it(built: Path) -> None:
    text = page_text(built, "personas/busy-parent")
    assert "Campaigns that target it: Summer reading challenge" in text
    assert "Strategies it is an audience of: Reading for all" in text
    # Listed once, under the general relation, though its messages are written for her too.
    assert text.count("Summer reading challenge") == 1


def test_stage_page_lists_its_plays(built: Path) -> None:
    assert "Plays in this stage: Host a taster session" in page_text(built, "stages/delivery")


def test_comparison_table_has_the_right_cells(built: Path) -> None:
    raw = (built / "comparisons/strategy-vs-campaign/index.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr>(.*?)</tr>", raw, re.DOTALL)
    cells = [
        [
            html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL)
        ]
        for row in rows
    ]
    assert cells[0] == ["Dimension", "Strategies", "Campaigns"]
    assert cells[1] == ["Time span", "Runs across several budget years", "Runs for a single season"]


def test_kind_index_shows_the_comparisons_that_name_the_kind(built: Path) -> None:
    assert "Strategy versus campaign" in page_text(built, "strategies")
    assert "Strategy versus campaign" in page_text(built, "campaigns")


def test_discipline_page_lists_its_comparisons(built: Path) -> None:
    text = page_text(built, "disciplines/outreach")
    assert "In comparisons" in text
    assert "Outreach versus programming" in text


def test_stage_pages_link_previous_and_next_and_draw_the_flow(built: Path) -> None:
    raw = (built / "stages/delivery/index.html").read_text(encoding="utf-8")
    assert 'href="../scoping/"' in raw and "Previous: Scoping" in raw
    assert 'href="../review/"' in raw and "Next: Review" in raw
    # The flow is HTML, legible at any width, with this stage marked as the current step.
    assert '<ol class="playbook-flow">' in raw
    assert (
        '<li class="playbook-flow__step playbook-flow__step--current" aria-current="step">' in raw
    )
    first = (built / "stages/scoping/index.html").read_text(encoding="utf-8")
    assert "Previous:" not in first


def test_entity_page_links_to_edit_its_yaml(built: Path) -> None:
    raw = (built / "personas/busy-parent/index.html").read_text(encoding="utf-8")
    assert "https://example.org/repo/edit/main/playbooks/personas/busy-parent.yaml" in raw


def test_inline_refs_in_hand_written_pages_become_links(built: Path) -> None:
    raw = (built / "index.html").read_text(encoding="utf-8")
    assert "persona:" not in re.sub(r"<code>.*?</code>", "", raw)
    assert 'href="personas/busy-parent/"' in raw


def test_nav_lists_one_section_per_kind_not_every_entity(built: Path) -> None:
    raw = (built / "index.html").read_text(encoding="utf-8")
    nav = raw[raw.index("md-nav--primary") : raw.index('class="md-content"')]
    titles = set(re.findall(r'class="md-ellipsis">\s*([^<]+?)\s*<', nav))
    assert {"Personas", "Case studies", "Stages"} <= titles
    assert "Busy parent" not in titles


def _digest(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def _copy_in_order(source: Path, target: Path, *, reverse: bool) -> None:
    # Files created in another order sit in another order in the directory on most file
    # systems, so a build that trusted listing order would differ.
    for path in sorted(source.rglob("*"), reverse=reverse):
        if path.is_file():
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(path.read_bytes())


def test_two_builds_give_identical_bytes(project: Project) -> None:
    first = project(name="one")
    second = project(name="two")
    _copy_in_order(EVERYTHING, first, reverse=False)
    _copy_in_order(EVERYTHING, second, reverse=True)
    for root, seed in ((first, "1"), (second, "2")):
        result = run_mkdocs(root, "build", "--strict", env={"PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
    assert _digest(first / "site") == _digest(second / "site")


def test_source_date_epoch_pins_the_sitemap_date(project: Project) -> None:
    root = project(fixture=EVERYTHING, mkdocs_yml=MKDOCS_YML + "site_url: https://example.org/\n")
    run_mkdocs(root, "build", env={"SOURCE_DATE_EPOCH": "86400"})
    assert "<lastmod>1970-01-02</lastmod>" in (root / "site/sitemap.xml").read_text()


def test_bad_playbook_stops_the_build_with_located_errors_and_no_traceback(
    project: Project,
) -> None:
    root = project(fixture=EVERYTHING)
    (root / "playbooks/personas/busy-parent.yaml").write_text("title: [x]\nsummary: s\n")
    result = run_mkdocs(root, "build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        "playbooks/personas/busy-parent.yaml:1:8: title: expected text, got a list" in result.stderr
    )
    assert "The playbook has 3 problems (listed above); fix them and build again." in result.stderr
    assert not (root / "site").exists()


def test_bad_playbook_leaves_the_previous_site_untouched(
    everything_built: Path, tmp_path: Path
) -> None:
    # A copy of the fixture's project as `mkdocs build` left it.
    root = tmp_path / "project"
    shutil.copytree(everything_built, root)
    before = _digest(root / "site")
    (root / "playbooks/stages/review.yaml").write_text("title: R\n")
    assert run_mkdocs(root, "build").returncode == 1
    assert _digest(root / "site") == before


def test_unknown_ref_is_a_warning_that_fails_only_strict_builds(project: Project) -> None:
    root = project(fixture=EVERYTHING)
    path = root / "playbooks/plays/ask-at-the-desk.yaml"
    path.write_text(path.read_text().replace("stage: stage:scoping", "stage: stage:scopng"))
    relaxed = run_mkdocs(root, "build")
    assert relaxed.returncode == 0
    message = (
        "playbooks/plays/ask-at-the-desk.yaml:7:8: stage: unknown stage 'scopng'; "
        "did you mean 'scoping'?"
    )
    assert message in relaxed.stderr
    strict = run_mkdocs(root, "build", "--strict")
    assert strict.returncode == 1
    assert message in strict.stderr
    assert "Traceback" not in strict.stderr


def test_unknown_inline_ref_in_a_docs_page_is_located(project: Project) -> None:
    root = project(fixture=EVERYTHING)
    (root / "docs/extra.md").write_text("# Extra\n\nSee [her](persona:busy-parnet).\n")
    result = run_mkdocs(root, "build")
    assert (
        "docs/extra.md:3:1: link: unknown persona 'busy-parnet'; did you mean 'busy-parent'?"
        in result.stderr
    )


HOSTILE_PERSONA = """\
title: "<script>alert('pwned')</script>"
summary: "<img src=x onerror=alert('pwned')>"
tags: ["<b>tag</b>"]
barriers: ["[x](javascript:alert('pwned')) <iframe src=x></iframe>"]
motivators: ["![y](data:text/html,pwned)"]
"""


def test_untrusted_yaml_reaches_no_page_as_markup(project: Project) -> None:
    root = project({"playbooks/personas/eve.yaml": HOSTILE_PERSONA})
    result = run_mkdocs(root, "build", "--strict")
    assert result.returncode == 0, result.stderr
    outputs = [*root.joinpath("site").rglob("*.html"), root / "site/search/search_index.json"]
    for path in outputs:
        text = path.read_text(encoding="utf-8").lower()
        for needle in (
            "<script>alert",
            "<img src=x",
            "<iframe",
            "<b>tag",
            "javascript:",
            "data:text",
        ):
            assert needle not in text, f"{path}: {needle}"
    assert "&lt;script&gt;alert" in (root / "site/personas/eve/index.html").read_text()


def test_hand_written_page_at_a_generated_path_is_an_error(project: Project) -> None:
    root = project(fixture=EVERYTHING)
    (root / "docs/personas").mkdir()
    (root / "docs/personas/index.md").write_text("# Mine\n")
    result = run_mkdocs(root, "build")
    assert result.returncode == 1
    assert (
        "docs/personas/index.md:1:1: file: the playbook generates this page; remove or rename "
        "the hand-written file" in result.stderr
    )
    assert not (root / "site").exists()


SERVE_TWICE = """
import json, logging, sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config

messages = []
class Keep(logging.Handler):
    def emit(self, record):
        messages.append(record.getMessage())
logging.getLogger("mkdocs").addHandler(Keep(logging.INFO))
logging.getLogger("mkdocs").setLevel(logging.INFO)

def config():
    # What `mkdocs serve` does for every build: a fresh config, the same plugin object.
    loaded = load_config(config_file="mkdocs.yml", site_dir="site")
    loaded.site_url = "http://127.0.0.1:8000/"
    return loaded

first = config()
first.plugins.on_startup(command="serve", dirty=False)
build(first, serve_url="http://127.0.0.1:8000/")
path = Path("playbooks/personas/busy-parent.yaml")
path.write_text(path.read_text().replace("title: Busy parent", "title: Busy carer"))
messages.clear()
build(config(), serve_url="http://127.0.0.1:8000/")
page = Path("site/personas/busy-parent/index.html").read_text()
stage = Path("site/stages/scoping/index.html").read_text()
report = {"messages": messages, "fresh": "Busy carer" in page, "stage": "Scoping" in stage}
print(json.dumps(report))
"""


def test_serve_rebuild_reuses_unchanged_pages_and_never_serves_a_stale_one(
    project: Project,
) -> None:
    import json
    import sys

    root = project(fixture=EVERYTHING)
    result = subprocess.run(
        [sys.executable, "-c", SERVE_TWICE],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["fresh"] and report["stage"]
    reused = [m for m in report["messages"] if "Build cache: reused" in m]
    assert len(reused) == 1
    count = int(reused[0].split("converted ")[-1])
    # Pages that show the persona's title (or link to it) changed; the rest were reused.
    assert 0 < count < 31


def test_the_search_dialog_has_a_name_without_theme_overrides(built: Path) -> None:
    # The fixture has no custom_dir: the fix comes with the plugin, as for any other site.
    raw = (built / "personas/busy-parent/index.html").read_text(encoding="utf-8")
    assert (
        '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">'
        in (raw)
    )


def test_a_site_custom_dir_still_overrides_the_plugin_partials(
    project: Callable[..., Path],
) -> None:
    root = project(
        fixture=EVERYTHING,
        mkdocs_yml=(
            "site_name: Own\ntheme:\n  name: material\n  custom_dir: overrides\n"
            "plugins:\n  - search\n  - playbook\n"
        ),
        files={"overrides/partials/search.html": '<div class="own-search"></div>\n'},
    )
    result = run_mkdocs(root, "build", "--strict")
    assert result.returncode == 0, result.stderr
    raw = (root / "site/index.html").read_text(encoding="utf-8")
    assert '<div class="own-search"></div>' in raw
    assert 'role="dialog" aria-label="Search"' not in raw


def test_the_decision_page_follows_home_and_author_pages_are_in_no_nav(built: Path) -> None:
    home = (built / "index.html").read_text(encoding="utf-8")
    nav = home[
        home.index('<nav class="md-nav md-nav--primary"') : home.index("md-sidebar--secondary")
    ]
    labels = re.findall(r'class="md-ellipsis">\s*([^<]+?)\s*<', nav)
    # "Which do I need?" right after the home page; the pages for authors in no nav.
    assert labels[1] == "Which do I need?"
    assert not {"For authors", "Coverage", "Authoring guide"} & set(labels)
    assert "authors/" not in nav


LINK_OUT = (
    "file: is a link that leads outside the project (to {target}); nothing is read through "
    "it: move what it points to into the project, or remove the link"
)


@pytest.mark.parametrize(
    ("link", "target", "shown"),
    [
        ("playbooks/leaks", "outside/channels", "../outside/channels"),
        ("docs/secret.md", "outside/secret.md", "../outside/secret.md"),
        ("docs/more", "outside/more", "../outside/more"),
    ],
)
def test_a_build_stops_on_a_link_that_leads_outside_the_project(
    project: Project, tmp_path: Path, link: str, target: str, shown: str
) -> None:
    root = project(fixture=EVERYTHING)
    outside = tmp_path / "outside"
    (outside / "channels").mkdir(parents=True)
    (outside / "channels/leak.yaml").write_text("title: Leaked channel\nsummary: s\n")
    (outside / "secret.md").write_text("# Leaked page\n")
    (outside / "more").mkdir()
    (outside / "more/page.md").write_text("# Leaked page\n")
    (root / link).symlink_to(tmp_path / target)
    result = run_mkdocs(root, "build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{link}:1:1: {LINK_OUT.format(target=shown)}\n" in result.stderr
    assert not (root / "site").exists()


def test_a_link_that_stays_inside_the_project_builds(project: Project) -> None:
    root = project(fixture=EVERYTHING)
    (root / "notes").mkdir()
    (root / "notes/extra.md").write_text("# Extra notes\n")
    (root / "docs/extra.md").symlink_to(root / "notes/extra.md")
    result = run_mkdocs(root, "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert "Extra notes" in (root / "site/extra/index.html").read_text()


LINK_SYNTAXES: dict[str, str] = {
    "inline": "[a](persona:sally)",
    "a blank before the target": "[a]( persona:sally)",
    "a line break before the target": "[a](\n  persona:sally)",
    "angle brackets": "[a](<persona:sally>)",
    "a title": '[a](persona:sally "t")',
    "nested brackets": "[a [b] c](persona:sally)",
    "no text": "[](persona:sally)",
    "emphasis": "*[a](persona:sally)*",
    "a reference": "[a][r]\n\n  [r]: persona:sally",
    "a collapsed reference": "[r][]\n\n  [r]: persona:sally",
    "a shortcut reference": "[r]\n\n  [r]: <persona:sally> 't'",
    "a quote": "> [a](persona:sally)",
    "a list": "- [a](persona:sally)",
    "a table": "| h |\n  |---|\n  | [a](persona:sally) |",
}
"""Every link syntax Python-Markdown reads, each in a body of its own."""


_PERSONA_FIELDS = "summary: s\nbarriers: [x]\nmotivators: [y]\n"


def _link_project(project: Project, ident: str) -> Path:
    files = {"playbooks/personas/sally.yaml": f"title: Sally\n{_PERSONA_FIELDS}"}
    for index, syntax in enumerate(LINK_SYNTAXES.values()):
        body = syntax.replace("persona:sally", f"persona:{ident}")
        files[f"playbooks/personas/p{index}.yaml"] = (
            f"title: P\n{_PERSONA_FIELDS}body: |\n  {body}\n"
        )
    return project(files)


def test_every_link_syntax_python_markdown_reads_links_a_ref(project: Project) -> None:
    root = _link_project(project, "sally")
    result = run_mkdocs(root, "build", "--strict")
    assert result.returncode == 0, result.stderr
    for index, name in enumerate(LINK_SYNTAXES):
        raw = (root / f"site/personas/p{index}/index.html").read_text(encoding="utf-8")
        assert 'href="../sally/"' in raw, name
        assert "persona:sally" not in raw, name
        backlinks = (root / "site/personas/sally/index.html").read_text(encoding="utf-8")
        assert 'href="../p{index}/"'.replace("{index}", str(index)) in backlinks, name


def test_every_link_syntax_python_markdown_reads_warns_of_an_unknown_ref(
    project: Project,
) -> None:
    root = _link_project(project, "sallly")
    result = run_mkdocs(root, "build")
    assert result.returncode == 0, result.stderr
    for index, syntax in enumerate(LINK_SYNTAXES.values()):
        line = 6 + syntax.split("[")[0].count("\n")  # where the link starts
        message = (
            f"playbooks/personas/p{index}.yaml:{line}:3: body: unknown persona 'sallly'; "
            "did you mean 'sally'?"
        )
        assert message in result.stderr, syntax


def test_links_in_code_are_not_refs(project: Project) -> None:
    body = "`[a](persona:nobody)`\n\n  ```\n  [b](persona:nobody)\n  ```\n"
    root = project(
        {
            "playbooks/personas/sally.yaml": f"title: Sally\n{_PERSONA_FIELDS}",
            "playbooks/personas/bob.yaml": f"title: Bob\n{_PERSONA_FIELDS}body: |\n  {body}",
        }
    )
    result = run_mkdocs(root, "build", "--strict")
    assert result.returncode == 0, result.stderr
    raw = (root / "site/personas/bob/index.html").read_text(encoding="utf-8")
    assert "[a](persona:nobody)" in raw and "[b](persona:nobody)" in raw


def test_table_columns_keep_their_alignment(project: Project) -> None:
    body = "| l | c | r |\n  |:--|:-:|--:|\n  | 1 | 2 | 3 |"
    root = project(
        {"playbooks/personas/bob.yaml": f"title: Bob\n{_PERSONA_FIELDS}body: |\n  {body}\n"}
    )
    result = run_mkdocs(root, "build", "--strict")
    assert result.returncode == 0, result.stderr
    raw = (root / "site/personas/bob/index.html").read_text(encoding="utf-8")
    # Each cell also carries its column's name, for the stacked rows of a phone.
    for side, column in (("left", "l"), ("center", "c"), ("right", "r")):
        assert f'<th style="text-align: {side};">' in raw
        assert f'<td data-label="{column}" style="text-align: {side};">' in raw


def test_author_pages_leave_the_search_index(project: Project) -> None:
    # The fixture's hand-written guide sits in mkdocs.yml's "For authors" section; the
    # generated coverage page under authors/; a reader's pages stay searchable.
    root = project(
        fixture=EVERYTHING,
        mkdocs_yml=MKDOCS_YML + "nav:\n  - index.md\n  - For authors:\n      - Notes: notes.md\n",
    )
    (root / "docs" / "notes.md").write_text("# Notes\n\nWriting tips.\n", encoding="utf-8")
    for _ in range(2):  # the second build reuses the cache's search entries
        result = run_mkdocs(root, "build", "--strict")
        assert result.returncode == 0, result.stderr
        index = json.loads((root / "site/search/search_index.json").read_text(encoding="utf-8"))
        pages = {doc["location"].split("#")[0] for doc in index["docs"]}
        assert "notes/" not in pages
        assert "coverage/" not in pages
        assert "authors/coverage/" not in pages
        assert {"", "personas/busy-parent/", "which-do-i-need/"} <= pages
