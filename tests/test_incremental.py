"""The build cache and the serve loop's page-by-page rebuild make the site a whole build makes.

Every kind of edit an author makes is applied to a real project; the site a warm build (or
a `mkdocs serve` rebuild) then writes is compared, byte for byte, with the site a build
without any cache writes of the same files.
"""

from __future__ import annotations

import filecmp
import json
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mkdocs_playbook.cache import TEXT
from mkdocs_playbook.engine.build_cache import SEARCH_ENTRIES

from .conftest import EVERYTHING, FIXTURES, REPO, run_mkdocs, write
from .conftest import MKDOCS_YML as BASE_MKDOCS_YML

Project = Callable[..., Path]
OWN_KINDS = FIXTURES / "own-kinds"

# The usual test site, with override templates (one edit changes them) and the cache on or off.
MKDOCS_YML = BASE_MKDOCS_YML.replace(
    "  - playbook\n", "  - playbook:\n      templates_dir: overrides\n      cache: {cache}\n"
)
assert "{cache}" in MKDOCS_YML
PERSONA_TEMPLATE = (
    '{{% extends "entity.md.jinja" %}}{{% block under_title %}}Profile {version}.{{% endblock %}}'
)


def replace_text(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _summary(root: Path) -> None:
    replace_text(root / "playbooks/personas/busy-parent.yaml", "no free evenings", "no spare hour")


def _title(root: Path) -> None:
    replace_text(
        root / "playbooks/personas/busy-parent.yaml", "title: Busy parent", "title: Busy carer"
    )


def _docs_title(root: Path) -> None:
    # docs/index.md shows this title: `[](persona:retired-reader)` takes the entity's title.
    replace_text(
        root / "playbooks/personas/retired-reader.yaml",
        "title: Retired reader",
        "title: Retired neighbour",
    )


def _new_ref(root: Path) -> None:
    replace_text(
        root / "playbooks/personas/busy-parent.yaml",
        "related: [persona:retired-reader]",
        "related: [persona:retired-reader, play:ask-at-the-desk]",
    )


def _removed_ref(root: Path) -> None:
    replace_text(
        root / "playbooks/personas/busy-parent.yaml", "related: [persona:retired-reader]\n", ""
    )


def _renamed_file(root: Path) -> None:
    folder = root / "playbooks/campaigns"
    (folder / "winter-story-nights.yml").rename(folder / "winter-tales.yml")


def _deleted_file(root: Path) -> None:
    (root / "playbooks/campaigns/winter-story-nights.yml").unlink()


def _new_file(root: Path) -> None:
    (root / "playbooks/metrics/branch-visits.yaml").write_text(
        "title: Branch visits\nsummary: People through the door each week.\n"
        "category: traffic\nunit: visits per week\n",
        encoding="utf-8",
    )


def _kind_description(root: Path) -> None:
    replace_text(root / "playbooks/objectives/_kind.yaml", "the team commits to", "we promise")


def _kind_plural(root: Path) -> None:
    replace_text(root / "playbooks/objectives/_kind.yaml", "plural: Objectives", "plural: Goals")


def _template(root: Path) -> None:
    (root / "overrides/persona.md.jinja").write_text(
        PERSONA_TEMPLATE.format(version="two"), encoding="utf-8"
    )


EDITS: dict[str, tuple[Path, Callable[[Path], None]]] = {
    "summary": (EVERYTHING, _summary),
    "title": (EVERYTHING, _title),
    "title shown in docs/": (EVERYTHING, _docs_title),
    "new ref": (EVERYTHING, _new_ref),
    "removed ref": (EVERYTHING, _removed_ref),
    "renamed file": (EVERYTHING, _renamed_file),
    "deleted file": (EVERYTHING, _deleted_file),
    "new file": (EVERYTHING, _new_file),
    "_kind.yaml description": (OWN_KINDS, _kind_description),
    "_kind.yaml plural": (OWN_KINDS, _kind_plural),
    "template": (EVERYTHING, _template),
}
WHOLE_RENDER = {"template", "_kind.yaml description", "_kind.yaml plural"}
"""Edits that every page may read (the templates, the kinds): they render every page."""
PAGE_BY_PAGE = {"summary", "title", "title shown in docs/", "new ref", "removed ref"}
"""Edits that keep the site's shape and change Markdown pages only: `mkdocs serve` rebuilds
just the pages they change. (A `_kind.yaml` edit also changes the JSON Schemas.)"""


def _make(project: Project, fixture: Path, *, cache: bool, name: str) -> Path:
    root = project(
        fixture=fixture, mkdocs_yml=MKDOCS_YML.format(cache=str(cache).lower()), name=name
    )
    (root / "overrides").mkdir(exist_ok=True)
    (root / "overrides/persona.md.jinja").write_text(
        PERSONA_TEMPLATE.format(version="one"), encoding="utf-8"
    )
    return root


def _cached_and_plain(project: Project) -> tuple[Path, Path]:
    """The usual test site twice: with the cache on, and with it off."""
    return (
        _make(project, EVERYTHING, cache=True, name="cached"),
        _make(project, EVERYTHING, cache=False, name="plain"),
    )


def _build(root: Path) -> None:
    done = run_mkdocs(root, "build", "--strict")
    assert done.returncode == 0, done.stderr


def assert_same_site(built: Path, expected: Path) -> None:
    """Every file of both folders, with the same bytes."""
    mine = sorted(p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file())
    theirs = sorted(p.relative_to(expected).as_posix() for p in expected.rglob("*") if p.is_file())
    assert mine == theirs
    _, mismatch, errors = filecmp.cmpfiles(built, expected, mine, shallow=False)
    assert (mismatch, errors) == ([], [])


@pytest.mark.site
def test_a_warm_build_writes_the_same_site_as_a_build_without_the_cache(project: Project) -> None:
    cached, plain = _cached_and_plain(project)
    _build(plain)
    assert not (plain / ".cache").exists()
    _build(cached)
    assert (cached / ".cache/playbook/build-cache.sqlite").is_file()
    assert_same_site(cached / "site", plain / "site")
    done = run_mkdocs(cached, "build", "--strict", "--verbose")
    assert done.returncode == 0, done.stderr
    assert_same_site(cached / "site", plain / "site")
    line = next(x for x in done.stderr.splitlines() if "Build cache:" in x)
    # Every generated page came from the cache: nothing was converted again.
    assert line.endswith("converted 0"), line
    assert " 0 page outputs" not in line and " 0 converted pages" not in line, line


@pytest.mark.site
def test_a_warm_build_notices_a_link_added_to_the_playbook(
    project: Project, tmp_path: Path
) -> None:
    cached = _make(project, EVERYTHING, cache=True, name="cached")
    _build(cached)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "leak.yaml").write_text("title: Leaked\nsummary: s\n")
    (cached / "playbooks/leaks").symlink_to(outside)
    done = run_mkdocs(cached, "build", "--strict")
    assert done.returncode == 1
    assert (
        "playbooks/leaks:1:1: file: is a link that leads outside the project (to ../outside)"
    ) in done.stderr


@pytest.mark.site
def test_a_warm_build_shows_an_edit_behind_a_linked_folder_in_the_project(
    project: Project,
) -> None:
    cached = _make(project, EVERYTHING, cache=True, name="cached")
    shutil.move(cached / "playbooks/metrics", cached / "shared-metrics")
    (cached / "playbooks/metrics").symlink_to(cached / "shared-metrics")
    _build(cached)
    metric = next((cached / "shared-metrics").glob("*.yaml"))
    text = metric.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    metric.write_text(text.replace(title, "title: Renamed behind a link"), encoding="utf-8")
    _build(cached)
    page = cached / "site/metrics" / metric.stem / "index.html"
    assert "Renamed behind a link" in page.read_text(encoding="utf-8")


WARM_BUILD_MODULES = """
import sys
from mkdocs.__main__ import cli
try:
    cli(["build", "--strict"])
except SystemExit as done:
    assert not done.code, done.code
print(sorted(m for m in sys.modules if m.startswith(("mkdocs_playbook.", "pydantic"))))
"""


@pytest.mark.site
def test_a_build_the_cache_answers_never_loads_the_playbook_code(project: Project) -> None:
    cached = _make(project, EVERYTHING, cache=True, name="cached")
    _build(cached)
    done = run_mkdocs(cached, code=WARM_BUILD_MODULES)
    assert done.returncode == 0, done.stderr
    loaded = done.stdout.strip().splitlines()[-1]
    # The plan, the pages and their HTML come from the cache: nothing reads or renders YAML.
    for module in ("pipeline", "model", "load.loader", "render.pages", "kinds.registry"):
        assert f"'mkdocs_playbook.{module}'" not in loaded, loaded
    assert "'pydantic'" not in loaded, loaded
    assert "'mkdocs_playbook.plan'" in loaded, loaded


@pytest.mark.site
def test_a_site_that_keeps_its_own_nav_reuses_page_outputs_too(project: Project) -> None:
    # Unquoted, as the README writes it: mkdocs.yml's YAML reads it as false.
    own_nav = MKDOCS_YML.replace(
        "templates_dir: overrides\n", "templates_dir: overrides\n      nav: off\n"
    )
    assert "nav: off" in own_nav
    cached, plain = _cached_and_plain(project)
    for root, cache in ((cached, "true"), (plain, "false")):
        (root / "mkdocs.yml").write_text(own_nav.format(cache=cache), encoding="utf-8")
    _build(plain)
    _build(cached)
    done = run_mkdocs(cached, "build", "--strict", "--verbose")
    assert done.returncode == 0, done.stderr
    assert_same_site(cached / "site", plain / "site")
    line = next(x for x in done.stderr.splitlines() if "Build cache:" in x)
    assert line.endswith("converted 0") and " 0 page outputs" not in line, line


NAV_SETTINGS = {
    "every nav feature": """\
site_name: Test playbook
site_url: https://example.org/library/
repo_url: https://example.org/library.git
theme:
  name: material
  logo: assets/logo.svg
  features: [navigation.tabs, navigation.sections, navigation.indexes, navigation.prune,
             navigation.expand, toc.integrate]
extra:
  homepage: https://example.org/
plugins:
  - search
  - playbook:
      cache: {cache}
""",
    "pages as files": """\
site_name: Test playbook
use_directory_urls: false
theme:
  name: material
plugins:
  - search
  - playbook:
      cache: {cache}
""",
    "every page in the nav": """\
site_name: Test playbook
theme:
  name: material
plugins:
  - search
  - playbook:
      nav: entities
      cache: {cache}
""",
    "the site's own nav template": """\
site_name: Test playbook
theme:
  name: material
  custom_dir: theme
plugins:
  - search
  - playbook:
      cache: {cache}
""",
}


def _shared_navs(root: Path) -> int:
    done = run_mkdocs(root, "build", "--strict", "--verbose")
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stderr.splitlines() if "Build cache:" in x)
    return int(re.findall(r"shared the sidebar nav of (\d+) pages", line)[0])


@pytest.mark.site
@pytest.mark.parametrize("setting", list(NAV_SETTINGS))
def test_pages_that_share_a_sidebar_nav_show_the_one_they_would_make(
    project: Project, setting: str
) -> None:
    cached, plain = _cached_and_plain(project)
    for root, cache in ((cached, "true"), (plain, "false")):
        (root / "mkdocs.yml").write_text(
            NAV_SETTINGS[setting].format(cache=cache), encoding="utf-8"
        )
        write(root, {"docs/assets/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"})
        if setting == "the site's own nav template":
            # It shows the page it is on: no two pages may share it.
            write(root, {"theme/partials/nav.html": "<p>{{ page.title }}</p>"})
    _build(plain)
    shared = _shared_navs(cached)
    assert_same_site(cached / "site", plain / "site")
    if setting == "the site's own nav template":
        assert shared == 0
    elif setting == "every page in the nav":
        # The pages for authors are in no nav: the guide takes the coverage page's nav.
        assert shared == 1
    else:
        # One nav per kind section is made; the other pages of the section take it.
        assert shared > 0
    if setting == "the site's own nav template":
        page = (cached / "site/personas/busy-parent/index.html").read_text(encoding="utf-8")
        assert "<p>Busy parent</p>" in page


@pytest.mark.site
def test_a_nav_url_written_with_backslashes_stops_pages_sharing_a_nav(
    project: Project,
) -> None:
    # MkDocs reads `\` as `/` (with a warning, so not under --strict): the link lies inside
    # the page folder of one play, whose nav shows it differently from its neighbours'.
    settings = NAV_SETTINGS["pages as files"].replace("use_directory_urls: false\n", "")
    settings += "nav:\n  - Home: index.md\n  - Desk notes: 'plays\\ask-at-the-desk\\notes\\'\n"
    cached, plain = _cached_and_plain(project)
    built = {}
    for root, cache in ((cached, "true"), (plain, "false")):
        (root / "mkdocs.yml").write_text(settings.format(cache=cache), encoding="utf-8")
        built[cache] = run_mkdocs(root, "build", "--verbose")
        assert built[cache].returncode == 0, built[cache].stderr
    assert "shared the sidebar nav of 0 pages" in built["true"].stderr, built["true"].stderr
    assert_same_site(cached / "site", plain / "site")


@pytest.mark.site
def test_a_stored_page_shows_the_nav_subtitle_as_it_is_now(project: Project) -> None:
    settings = NAV_SETTINGS["pages as files"].replace("use_directory_urls: false\n", "")
    settings += "nav:\n  - Home: index.md\n  - notes/a.md\n"
    cached, plain = _cached_and_plain(project)
    for root, cache in ((cached, "true"), (plain, "false")):
        (root / "mkdocs.yml").write_text(settings.format(cache=cache), encoding="utf-8")
        write(root, {"docs/notes/a.md": "---\nsubtitle: before\n---\n# Note A\n"})
    _build(cached)
    for root in (cached, plain):
        replace_text(root / "docs/notes/a.md", "subtitle: before", "subtitle: after")
    _build(plain)
    _build(cached)
    assert "<small>after</small>" in (cached / "site/plays/index.html").read_text("utf-8")
    assert_same_site(cached / "site", plain / "site")


def test_a_page_whose_folder_holds_a_nav_url_makes_its_own_sidebar_nav() -> None:
    from types import SimpleNamespace

    import material

    from mkdocs_playbook.cache import Store
    from mkdocs_playbook.engine.build_cache import PageCache

    section, other = SimpleNamespace(url=None), SimpleNamespace(url=None)
    section.children = [SimpleNamespace(url="plays/"), SimpleNamespace(url="plays/deep/more/")]
    listed = SimpleNamespace(url="guides/", ancestors=[])
    nav = SimpleNamespace(items=[section, listed], pages=[listed], homepage=None)
    theme = {"logo": None}
    config = SimpleNamespace(
        theme=SimpleNamespace(dirs=[Path(material.__file__).parent / "templates"], get=theme.get),
        extra={},
    )
    cache = PageCache(Store.in_memory(note=pytest.fail))
    assert cache.nav_ready(config, nav)  # type: ignore[arg-type]

    def nav_of(page: SimpleNamespace) -> object:
        context: dict[str, Any] = {}
        cache.nav_context(context, page)  # type: ignore[arg-type]
        if "playbook_nav_keep" in context:
            context["playbook_nav_keep"](f"nav made for {page.url}")
        return context.get("playbook_nav", "not shared")

    def at(url: str, *ancestors: object) -> SimpleNamespace:
        return SimpleNamespace(url=url, ancestors=list(ancestors))

    assert nav_of(at("plays/a/", section)) is None  # The first of its folder and section.
    assert nav_of(at("plays/b/", section)) == "nav made for plays/a/"
    assert nav_of(at("plays/c/", other)) is None  # Another section is open.
    assert nav_of(at("cards/a/", section)) is None  # Its URLs start from another folder.
    assert nav_of(at("plays/deep/", section)) == "not shared"  # The nav links inside it.
    assert nav_of(listed) == "not shared"  # In the nav: it shows its own entry open.
    assert nav_of(at("plays/a.html", section)) is None  # URLs start from plays/, not plays/a/.
    assert nav_of(at("plays/b.html", section)) == "nav made for plays/a.html"


@pytest.mark.site
@pytest.mark.parametrize("edit", list(EDITS))
def test_a_warm_build_after_an_edit_matches_a_build_without_the_cache(
    project: Project, edit: str
) -> None:
    fixture, change = EDITS[edit]
    cached = _make(project, fixture, cache=True, name="cached")
    plain = _make(project, fixture, cache=False, name="plain")
    _build(cached)
    change(cached)
    change(plain)
    done = run_mkdocs(cached, "build", "--strict", "--verbose")
    assert done.returncode == 0, done.stderr
    _build(plain)
    assert_same_site(cached / "site", plain / "site")
    # The render started from what the last build's noted: only the pages the edit touches
    # were rendered again (every page, for an edit of what every page reads).
    rendered, total = map(int, re.findall(r"Rendered (\d+) of (\d+) entity", done.stderr)[0])
    if edit in WHOLE_RENDER:
        assert rendered == total
    else:
        assert 0 < rendered <= total // 3, (rendered, total)


@pytest.mark.site
def test_a_build_after_builds_of_other_inputs_still_renders_only_what_an_edit_touches(
    project: Project,
) -> None:
    # The notes of the last render point at that build's plan, which holds the pages'
    # texts: builds that take another plan from the cache keep both.
    root = _make(project, EVERYTHING, cache=True, name="cached")
    _build(root)
    _summary(root)
    _build(root)  # Its render's notes are the ones kept.
    replace_text(root / "playbooks/personas/busy-parent.yaml", "no spare hour", "no free evenings")
    for _ in range(4):  # Each takes the first build's plan: more than the cache keeps.
        _build(root)
    _title(root)
    done = run_mkdocs(root, "build", "--strict", "--verbose")
    assert done.returncode == 0, done.stderr
    rendered, total = map(int, re.findall(r"Rendered (\d+) of (\d+) entity", done.stderr)[0])
    assert 0 < rendered <= total // 3, (rendered, total)


@pytest.mark.site
def test_a_file_in_the_override_folder_that_is_not_text_stops_nothing(project: Project) -> None:
    root = _make(project, EVERYTHING, cache=True, name="cached")
    (root / "overrides/.DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1\xff\xfe\x80")
    _build(root)
    _summary(root)
    _build(root)
    plain = _make(project, EVERYTHING, cache=False, name="plain")
    _summary(plain)
    _build(plain)
    assert_same_site(root / "site", plain / "site")


SERVE = """
import json, shutil, sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config

URL = "http://127.0.0.1:8000/"

def config(site, cache=True):
    # What `mkdocs serve` does for every whole build: a fresh config, the same plugin object.
    loaded = load_config(config_file="mkdocs.yml", site_dir=site)
    loaded.site_url = URL
    loaded.plugins["playbook"].config.cache = cache
    return loaded

first = config("served")
first.plugins.on_startup(command="serve", dirty=False)
build(first, serve_url=URL)
plugin = first.plugins["playbook"]
print("ready", flush=True)
sys.stdin.readline()  # The test edits the project now.
in_place = plugin.serve.rebuild_in_place()
if not in_place:
    build(config("served"), serve_url=URL)
fresh = config("fresh", cache=False)
fresh.plugins.on_startup(command="serve", dirty=False)
build(fresh, serve_url=URL)
print(json.dumps({"in_place": in_place}))
"""


@pytest.mark.site
@pytest.mark.parametrize("edit", list(EDITS))
def test_a_serve_rebuild_after_an_edit_matches_a_fresh_build(project: Project, edit: str) -> None:
    fixture, change = EDITS[edit]
    root = _make(project, fixture, cache=True, name="served")
    assert _serve_and_edit(root, change) is (edit in PAGE_BY_PAGE)
    assert_same_site(root / "served", root / "fresh")


@pytest.mark.site
def test_a_serve_rebuild_shows_an_edited_title_on_the_docs_pages_that_ref_it(
    project: Project,
) -> None:
    # A hand-written page is not generated, but its refs show entities' titles: a page by
    # page rebuild rebuilds it too, search entries and all, as a whole build would.
    root = _make(project, EVERYTHING, cache=True, name="served")
    assert _serve_and_edit(root, _docs_title)
    assert_same_site(root / "served", root / "fresh")
    home = (root / "served/index.html").read_text(encoding="utf-8")
    assert ">Retired neighbour</a>" in home and ">Retired reader</a>" not in home
    index = json.loads((root / "served/search/search_index.json").read_text(encoding="utf-8"))
    texts = " ".join(e["text"] for e in index["docs"] if e["location"].partition("#")[0] == "")
    assert "Retired neighbour" in texts and "Retired reader" not in texts


def _tags(root: Path) -> None:
    replace_text(
        root / "playbooks/personas/busy-parent.yaml",
        "tags: [families, time poor]",
        "tags: [families, time poor, evenings]",
    )


@pytest.mark.site
@pytest.mark.parametrize(
    ("edit", "in_place"), [("summary", True), ("title", False), ("tags", False)]
)
def test_with_the_tags_plugin_a_serve_rebuild_is_page_by_page_while_listings_stand(
    project: Project, edit: str, in_place: bool
) -> None:
    # Material's tags plugin lists every tagged page's title on the tags page: a summary edit
    # leaves that as it is; a new title or tag changes it, and takes the whole build.
    change = {"summary": _summary, "title": _title, "tags": _tags}[edit]
    root = _make(project, EVERYTHING, cache=True, name="served")
    replace_text(root / "mkdocs.yml", "  - search\n", "  - search\n  - tags\n")
    (root / "docs/tags.md").write_text("# Tags\n\n<!-- material/tags -->\n", encoding="utf-8")
    assert _serve_and_edit(root, change) is in_place
    assert_same_site(root / "served", root / "fresh")
    listing = (root / "served/tags/index.html").read_text(encoding="utf-8")
    assert ("Busy carer" in listing) is (edit == "title")


def _serve_and_edit(root: Path, change: Callable[[Path], None]) -> bool:
    """Build as `mkdocs serve` does, edit, rebuild as it does (into `served/`) and build
    afresh (into `fresh/`); whether the rebuild was page by page."""
    out = _run_serving(SERVE, root, change)
    return bool(json.loads(out.strip().splitlines()[-1])["in_place"])


def _run_serving(script: str, root: Path, change: Callable[[Path], None]) -> str:
    """Run a script that builds as `mkdocs serve` does, prints "ready" and waits; make the
    change, let it go on; what it printed."""
    process = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=root,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**__import__("os").environ, "SOURCE_DATE_EPOCH": "1700000000"},
    )
    assert process.stdout is not None and process.stdin is not None
    assert process.stdout.readline().strip() == "ready", (
        process.stderr.read() if process.stderr else ""
    )
    change(root)
    out, err = process.communicate("go\n", timeout=300)
    assert process.returncode == 0, err
    return out


SERVE_AND_STOP = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config

served = load_config(config_file="mkdocs.yml", site_dir="served")
served.plugins.on_startup(command="serve", dirty=False)
build(served, serve_url="http://127.0.0.1:8000/")
print("ready", flush=True)
sys.stdin.readline()  # The test edits the project now.
assert served.plugins["playbook"].serve.rebuild_in_place()
served.plugins.on_shutdown()  # What `mkdocs serve` runs when it stops.
"""


@pytest.mark.site
def test_a_build_after_serve_stops_renders_only_what_was_edited_since(project: Project) -> None:
    # Under serve, what the last render noted is kept once, when the server stops (keeping
    # it at every edit would slow every edit down).
    root = _make(project, EVERYTHING, cache=True, name="cached")
    _run_serving(SERVE_AND_STOP, root, _summary)
    _title(root)
    done = run_mkdocs(root, "build", "--strict", "--verbose")
    assert done.returncode == 0, done.stderr
    rendered, total = map(int, re.findall(r"Rendered (\d+) of (\d+) entity", done.stderr)[0])
    assert 0 < rendered <= total // 3, (rendered, total)
    plain = _make(project, EVERYTHING, cache=False, name="plain")
    _summary(plain)
    _title(plain)
    _build(plain)
    assert_same_site(root / "site", plain / "site")


@pytest.mark.site
def test_a_damaged_cache_is_set_aside_with_a_note_and_the_site_is_the_same(
    project: Project,
) -> None:
    cached, plain = _cached_and_plain(project)
    _build(plain)
    store = cached / ".cache/playbook/build-cache.sqlite"
    store.parent.mkdir(parents=True)
    store.write_bytes(b"not a database, but a file someone left here" * 100)
    done = run_mkdocs(cached, "build", "--strict")
    assert done.returncode == 0, done.stderr
    assert "set aside and a new one is made" in done.stderr
    assert_same_site(cached / "site", plain / "site")


@pytest.mark.site
def test_a_cache_damaged_inside_is_noticed_and_set_aside_after_the_build(
    project: Project,
) -> None:
    cached, plain = _cached_and_plain(project)
    _build(cached)
    _build(plain)
    store = cached / ".cache/playbook/build-cache.sqlite"
    data = bytearray(store.read_bytes())
    # The header and the first pages (the tables' roots) stay; the rest is overwritten.
    data[16384:] = b"\xa5" * (len(data) - 16384)
    store.write_bytes(bytes(data))
    shutil.rmtree(cached / "site")
    done = run_mkdocs(cached, "build", "--strict")
    assert done.returncode == 0, done.stderr
    assert "the build cache is damaged" in done.stderr, done.stderr
    assert "is damaged; it is set aside for a new one" in done.stderr, done.stderr
    assert_same_site(cached / "site", plain / "site")
    again = run_mkdocs(cached, "build", "--strict", "--verbose")
    assert again.returncode == 0, again.stderr
    assert "the build cache is damaged" not in again.stderr
    assert "set aside" not in again.stderr
    line = next(x for x in again.stderr.splitlines() if "Build cache:" in x)
    assert line.endswith("converted 0"), line  # The new file holds the last build's results.
    assert_same_site(cached / "site", plain / "site")


@pytest.mark.site
def test_a_cache_of_another_format_is_not_read(project: Project) -> None:
    cached = _make(project, EVERYTHING, cache=True, name="cached")
    _build(cached)
    store = cached / ".cache/playbook/build-cache.sqlite"
    with sqlite3.connect(store) as db:
        db.execute("UPDATE meta SET value = 'someone else 9' WHERE name = 'format'")
    done = run_mkdocs(cached, "build", "--strict", "--verbose")
    assert done.returncode == 0, done.stderr
    assert "from another program or version" in done.stderr
    line = next(x for x in done.stderr.splitlines() if "Build cache:" in x)
    assert "reused 0 converted pages" in line


@pytest.mark.site
def test_a_tampered_result_fails_its_checksum_and_is_made_again(project: Project) -> None:
    cached, plain = _cached_and_plain(project)
    _build(cached)
    _build(plain)
    store = cached / ".cache/playbook/build-cache.sqlite"
    with sqlite3.connect(store) as db:
        db.execute("UPDATE results SET value = CAST('\"<script>alert(1)</script>\"' AS BLOB)")
    shutil.rmtree(cached / "site")
    done = run_mkdocs(cached, "build", "--strict")
    assert done.returncode == 0, done.stderr
    assert "fails its checksum" in done.stderr
    assert_same_site(cached / "site", plain / "site")


FINGERPRINT = """
from mkdocs.config import load_config
from mkdocs_playbook.engine.build_cache import PageCache
from mkdocs_playbook.cache import Store
config = load_config(config_file="mkdocs.yml")
config.plugins.on_config(config)
cache = PageCache(Store.in_memory(note=print))
cache.start(config)
print(cache._markdown_setup)
"""


def test_the_fingerprint_is_the_same_in_every_process(project: Project) -> None:
    root = _make(project, EVERYTHING, cache=True, name="project")
    seen = {run_mkdocs(root, code=FINGERPRINT).stdout.strip() for _ in range(2)}
    assert len(seen) == 1 and len(seen.pop()) == 32


@pytest.mark.site
def test_a_warm_build_repeats_every_warning(project: Project) -> None:
    cached = _make(project, EVERYTHING, cache=True, name="cached")
    (cached / "docs/extra.md").write_text(
        "# Extra\n\nSee [the owl](persona:night-owl).\n", encoding="utf-8"
    )
    outputs = [run_mkdocs(cached, "build").stderr for _ in range(2)]
    for output in outputs:
        assert "docs/extra.md:3:1: link: unknown persona 'night-owl'" in output, output
    strict = run_mkdocs(cached, "build", "--strict")
    assert strict.returncode == 1


def test_a_rebuild_of_some_pages_drops_no_result_of_the_others(tmp_path: Path) -> None:
    from mkdocs_playbook.cache import KEEP_BUILDS, Store

    notes: list[str] = []
    store = Store.open(tmp_path, note=notes.append)
    assert store is not None
    store.put("html", "untouched page", "<p>kept</p>")
    store.save()
    for edit in range(KEEP_BUILDS + 2):  # The serve loop: one page at a time.
        store.put("html", f"edited page {edit}", "<p>new</p>")
        store.save(whole=False)
    store.close()
    reopened = Store.open(tmp_path, note=notes.append)
    assert reopened is not None
    assert reopened.get("html", "untouched page", TEXT) == "<p>kept</p>"
    reopened.close()
    # Whole builds that do not use a result drop it after KEEP_BUILDS of them.
    again = Store.open(tmp_path, note=notes.append)
    assert again is not None
    for _ in range(KEEP_BUILDS):
        again.save()
    assert again.get("html", "untouched page", TEXT) is None
    assert notes == []


def test_serve_watches_file_events_and_a_read_is_not_a_change(tmp_path: Path) -> None:
    import time

    from mkdocs.livereload import LiveReloadServer
    from watchdog.observers.polling import PollingObserver

    from mkdocs_playbook.engine.compat import watch_file_events

    folder = tmp_path / "playbooks"
    folder.mkdir()
    watched = folder / "play.yaml"
    watched.write_text("title: A\n", encoding="utf-8")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch(str(folder))
    server.watch(str(folder))  # Watched twice (two plugins, say): kept twice.
    assert watch_file_events(server)
    assert not isinstance(server.observer, PollingObserver)
    assert server._watched_paths == {str(folder): 2}

    def flagged(within: float) -> bool:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            with server._rebuild_cond:
                if server._want_rebuild:
                    server._want_rebuild = False
                    return True
            time.sleep(0.01)
        return False

    server.observer.start()
    try:
        time.sleep(0.2)
        watched.read_text(encoding="utf-8")  # What every build does to every file.
        assert not flagged(0.5)
        watched.write_text("title: B\n", encoding="utf-8")
        assert flagged(2.0)
    finally:
        server.observer.stop()
        server.observer.join()
        server.server_close()


def test_results_written_during_a_build_are_found_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mkdocs_playbook import cache

    monkeypatch.setattr(cache, "FLUSH_BYTES", 10)  # Write after every result.
    store = cache.Store.open(tmp_path, note=pytest.fail)
    assert store is not None
    pages = {f"page {n}": f"<p>{n}</p>" * 5 for n in range(20)}
    for key, html in pages.items():
        store.put("page", key, html)
    assert store._new == {}  # Written already, not held in memory.
    assert store.get("page", "page 3", TEXT) == pages["page 3"]
    store.save()
    store.close()
    reopened = cache.Store.open(tmp_path, note=pytest.fail)
    assert reopened is not None
    assert {key: reopened.get("page", key, TEXT) for key in pages} == pages


def test_a_value_json_cannot_hold_is_not_kept_and_stops_nothing(tmp_path: Path) -> None:
    from mkdocs_playbook.cache import Store

    store = Store.open(tmp_path, note=pytest.fail)
    assert store is not None
    # YAML's "\ud800" escape makes a lone surrogate, which UTF-8 (and so JSON) cannot hold.
    store.put("search", "odd", [{"title": "Half \ud800 a pair"}])
    store.put("search", "fine", [{"title": "Café", "level": 2, "ratio": 0.5}])
    store.put("page", "odd text", "<p>\ud800</p>")  # Text is kept as it is.
    assert store.get("search", "odd", SEARCH_ENTRIES) is None
    store.save()
    store.close()
    reopened = Store.open(tmp_path, note=pytest.fail)
    assert reopened is not None
    assert reopened.get("search", "odd", SEARCH_ENTRIES) is None
    assert reopened.get("search", "fine", SEARCH_ENTRIES) == [
        {"title": "Café", "level": 2, "ratio": 0.5}
    ]
    assert reopened.get("page", "odd text", TEXT) == "<p>\ud800</p>"


def test_a_result_flushed_by_the_last_write_of_a_build_is_read_back_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mkdocs_playbook import cache

    monkeypatch.setattr(cache, "FLUSH_BYTES", 10)
    store = cache.Store.open(tmp_path, note=pytest.fail)
    assert store is not None
    store.remember()  # As under serve: one store for build after build.
    store.put("page", "kept", "a value longer than FLUSH_BYTES")  # Written at once.
    store.save()
    store.save()  # A build that does not use it: the memory lets it go, the file keeps it.
    assert store.get("page", "kept", TEXT) == "a value longer than FLUSH_BYTES"


def test_two_builds_that_make_the_cache_at_once_both_keep_it(tmp_path: Path) -> None:
    import threading

    from mkdocs_playbook import cache

    connect = sqlite3.connect
    read, made = threading.Event(), threading.Event()

    class Paused:
        """The first build's connection stops after it read the (empty) meta table."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self.db = connect(*args, **kwargs)

        def execute(self, sql: str, *args: Any) -> Any:
            done = self.db.execute(sql, *args)
            if sql.startswith("SELECT name, value FROM meta") and not read.is_set():
                read.set()
                made.wait(10)
            return done

        def __getattr__(self, name: str) -> Any:
            return getattr(self.db, name)

    notes: list[str] = []
    first: list[cache.Store | None] = []

    def first_build() -> None:
        first.append(cache.Store.open(tmp_path, note=notes.append))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache.sqlite3, "connect", Paused)
        thread = threading.Thread(target=first_build)
        thread.start()
        assert read.wait(10)
    second = cache.Store.open(tmp_path, note=notes.append)  # It makes the file meanwhile.
    assert second is not None
    made.set()
    thread.join()
    assert first[0] is not None
    second.put("page", "second", "<p>made by the second build</p>")
    second.save()
    first[0].put("page", "first", "<p>made by the first build</p>")
    first[0].save()
    assert notes == []
    again = cache.Store.open(tmp_path, note=pytest.fail)
    assert again is not None
    assert again.get("page", "second", TEXT) == "<p>made by the second build</p>"
    assert again.get("page", "first", TEXT) == "<p>made by the first build</p>"


def test_a_cache_that_cannot_be_saved_to_is_set_aside(tmp_path: Path) -> None:
    from mkdocs_playbook.cache import Store

    store = Store.open(tmp_path, note=pytest.fail)
    assert store is not None
    store.close()
    path = tmp_path / "build-cache.sqlite"
    with sqlite3.connect(path) as db:
        (root,) = db.execute("SELECT rootpage FROM sqlite_master WHERE name='results'").fetchone()
        (size,) = db.execute("PRAGMA page_size").fetchone()
    db.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * size : root * size] = bytes(size)  # The results' index: zeroed.
    path.write_bytes(bytes(data))
    notes: list[str] = []
    damaged = Store.open(tmp_path, note=notes.append)
    assert damaged is not None
    damaged.put("page", "lost", "<p>this build's result</p>")
    damaged.save()
    damaged.close()
    assert any("could not be saved" in note for note in notes), notes
    assert any("set aside for a new one" in note for note in notes), notes
    fresh = Store.open(tmp_path, note=pytest.fail)  # The next build starts clean and keeps.
    assert fresh is not None
    fresh.put("page", "kept", "<p>the next build's result</p>")
    fresh.save()
    assert fresh.get("page", "kept", TEXT) == "<p>the next build's result</p>"


@pytest.mark.site
def test_the_shipped_site_is_the_same_with_the_cache_cold_warm_and_off(tmp_path: Path) -> None:
    # The shipped mkdocs.yml has Material's tags plugin, whose tags the cached pages show.
    copies = {}
    for name, cache in (("cached", "true"), ("plain", "false")):
        root = tmp_path / name
        for folder in ("docs", "playbooks", "theme_overrides"):
            shutil.copytree(REPO / folder, root / folder)
        text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
        assert "      nav: kinds\n" in text
        text = text.replace("      nav: kinds\n", f"      nav: kinds\n      cache: {cache}\n")
        (root / "mkdocs.yml").write_text(text, encoding="utf-8")
        copies[name] = root
    _build(copies["plain"])
    _build(copies["cached"])
    assert_same_site(copies["cached"] / "site", copies["plain"] / "site")
    done = run_mkdocs(copies["cached"], "build", "--strict", "--verbose")
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stderr.splitlines() if "Build cache:" in x)
    assert line.endswith("converted 0") and " 0 page outputs" not in line, line
    assert_same_site(copies["cached"] / "site", copies["plain"] / "site")


@settings(max_examples=300, deadline=None)
@given(
    title=st.text(min_size=1, max_size=40),
    tags=st.lists(st.text(min_size=1, max_size=12), max_size=4),
)
def test_front_matter_read_back_is_what_mkdocs_reads(title: str, tags: list[str]) -> None:
    from mkdocs.utils.meta import get_data

    from mkdocs_playbook.render.front_matter import front_matter, read_front_matter

    page = front_matter({"title": title, "tags": tags}) + "\n# Heading\n\nText.\n"
    markdown, meta = get_data(page)
    read = read_front_matter(page)
    # A header YAML would read differently (a NEL, say, is a line break to YAML) is left to
    # MkDocs: `None`. Any other is read exactly as MkDocs reads it.
    assert read is None or read == (meta, markdown)
    if title.isalnum() and all(tag.isalnum() for tag in tags):
        assert read is not None
