"""The private names of MkDocs (and ProperDocs, its fork) and Material that
`engine/compat.py` uses, and the methods it replaces: each one exists, takes the arguments
it is called with, and does what the plugin relies on, in a tiny case. A release that
changes one of them fails here, not in a reader's build."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import markdown
import pytest

from mkdocs_playbook.engine import compat

ENGINES = ("mkdocs", "properdocs")


def engine(name: str, module: str) -> Any:
    return importlib.import_module(f"{name}.{module}")


def parameters(function: Any) -> list[str]:
    return list(inspect.signature(function).parameters)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Any, Any, Any]]:
    """A config, two files and the page of the first, as MkDocs makes them."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    (tmp_path / "docs").mkdir()
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(
        "site_name: Compat\nplugins: []\nmarkdown_extensions: [toc]\n", encoding="utf-8"
    )
    config = load_config(config_file=str(config_file), site_dir=str(tmp_path / "site"))
    text = "# Hello\n\nSee [there](b.md#there).\n"
    (tmp_path / "docs" / "a.md").write_text(text, encoding="utf-8")
    (tmp_path / "docs" / "b.md").write_text("# B\n\n## There\n", encoding="utf-8")
    a, b = (File(name, config.docs_dir, config.site_dir, True) for name in ("a.md", "b.md"))
    files = Files([a, b])
    page = Page(None, a, config)
    yield config, files, page


def test_the_checked_versions_are_named() -> None:
    assert set(compat.CHECKED_WITH) == {"mkdocs", "mkdocs-material", "properdocs"}
    for name in compat.CHECKED_WITH:
        metadata.version(name)  # Installed: the tests below run against it.


@pytest.mark.parametrize("name", ENGINES)
def test_the_page_steps_take_the_arguments_compat_passes(name: str) -> None:
    build = engine(name, "commands.build")
    assert parameters(build._populate_page)[:3] == ["page", "config", "files"]
    assert parameters(build._build_page)[:5] == ["page", "config", "doc_files", "nav", "env"]
    assert "excluded" in parameters(build._build_page)


@pytest.mark.parametrize("name", ENGINES)
def test_the_page_processors_are_there_with_their_register(name: str) -> None:
    pages = engine(name, "structure.pages")
    assert parameters(pages._ExtractAnchorsTreeprocessor) == ["file", "files", "config"]
    assert parameters(pages._RelativePathTreeprocessor) == ["file", "files", "config"]
    inspect.signature(pages._ExtractTitleTreeprocessor).bind()  # Made with no arguments.
    inspect.signature(pages._RawHTMLPreprocessor).bind()
    for processor in (
        pages._RawHTMLPreprocessor,
        pages._ExtractAnchorsTreeprocessor,
        pages._RelativePathTreeprocessor,
        pages._ExtractTitleTreeprocessor,
    ):
        assert parameters(processor._register) == ["self", "md"]
    # `Page.render` sets what the plugin's converter sets, and reads the title from it.
    render = inspect.getsource(pages.Page.render)
    assert "self._title_from_render = " in render
    assert "self.present_anchor_ids = " in render
    assert "self.links_to_anchors = " in render


def test_a_conversion_with_mkdocs_processors_sets_what_render_sets(
    site: tuple[Any, Any, Any],
) -> None:
    config, files, page = site
    page.read_source(config)
    md = markdown.Markdown(extensions=["toc"])
    finish = compat.register_page_processors(md, page, files, config)
    page.content = md.convert(page.markdown)
    finish()
    assert compat.render_title(page) == "Hello"
    assert page.title == "Hello"
    assert page.present_anchor_ids == {"hello"}
    assert {file.src_uri: dict(v) for file, v in page.links_to_anchors.items()} == {
        "b.md": {"there": "b.md#there"}
    }
    compat.set_render_title(page, "Stored")
    assert page.title == "Stored"


def test_populating_a_page_runs_its_render_which_can_be_replaced(
    site: tuple[Any, Any, Any],
) -> None:
    config, files, page = site
    calls: list[Any] = []

    def render(config: Any, files: Any) -> None:
        calls.append((config, files))
        page.content = "<p>stored</p>"

    compat.replace_render(page, render)
    compat.populate_page(page, config, files)
    assert calls == [(config, files)]
    assert page.content == "<p>stored</p>"
    assert page.markdown.startswith("# Hello")


def test_building_a_page_writes_it_through_the_theme(site: tuple[Any, Any, Any]) -> None:
    from mkdocs.structure.nav import get_navigation

    config, files, page = site
    compat.populate_page(page, config, files)
    nav = get_navigation(files, config)
    env = config.theme.get_env()
    compat.build_page(page, config, files.documentation_pages(), nav, env, excluded=False)
    written = Path(config.site_dir) / "a" / "index.html"
    assert '<h1 id="hello">Hello</h1>' in written.read_text(encoding="utf-8")


def test_materials_search_index_takes_a_replaced_add_entry(site: tuple[Any, Any, Any]) -> None:
    from material.plugins.search.plugin import SearchIndex, SearchPlugin

    config, files, page = site
    compat.populate_page(page, config, files)
    plugin = SearchPlugin()
    plugin.search_index = SearchIndex()
    config.plugins["material/search"] = plugin
    index = compat.material_search_index(config)
    assert index is plugin.search_index
    assert compat.search_index(config) is index
    seen: list[Any] = []
    original = compat.replace_add_entry(index, seen.append)
    index.add_entry_from_context(page)
    assert seen == [page]
    assert parameters(original) == ["page"]
    original(page)
    assert [entry["location"] for entry in index.entries] == ["a/"]


@pytest.mark.parametrize("name", ENGINES)
def test_the_dev_server_has_what_compat_replaces(name: str, tmp_path: Path) -> None:
    livereload = engine(name, "livereload")
    from watchdog.observers.polling import PollingObserver

    calls: list[str] = []
    server = livereload.LiveReloadServer(
        builder=lambda: calls.append("built"), host="127.0.0.1", port=0, root=str(tmp_path)
    )
    try:
        # A saved file runs `builder()`, with no arguments.
        assert "self.builder()" in inspect.getsource(livereload.LiveReloadServer._build_loop)
        compat.replace_builder(server, lambda old: lambda *args: calls.append(f"ours{args}"))
        server.builder()
        assert calls == ["ours()"]
        assert isinstance(server.observer, PollingObserver)
        server.watch(str(tmp_path))
        assert server._watched_paths == {str(tmp_path): 1}
        assert list(server._watch_refs) == [str(tmp_path)]
        page = server._inject_js_into_html(b"<html><body><p>x</p></body></html>", 3)
        assert page.startswith(b"<html><body><p>x</p><script>") and b"</script></body>" in page
        assert server.error_handler(404) is None
        assert compat.overlay_served_pages(server, lambda html: html.replace("x", "shown"))
        assert b"<p>shown</p>" in server._inject_js_into_html(b"<body><p>x</p></body>", 3)
        server.error_handler = lambda code: b"<body>x</body>"
        assert compat.overlay_served_pages(server, lambda html: html.replace("x", "shown"))
        assert server.error_handler(404) == b"<body>shown</body>"
        assert compat.watch_file_events(server)
        assert not isinstance(server.observer, PollingObserver)
        assert server._watched_paths == {str(tmp_path): 1}
    finally:
        server.server_close()


OWN_PRIVATE = frozenset({"_convert", "_search"})
"""Private names of the plugin's own `PageCache`, which its worker function reads."""


def test_no_engine_module_but_compat_uses_a_private_name() -> None:
    import ast

    import mkdocs_playbook

    engine_dir = Path(mkdocs_playbook.__file__).parent / "engine"
    found = []
    for path in sorted(engine_dir.glob("*.py")):
        if path.name == "compat.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                ("mkdocs", "material", "properdocs")
            ):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.Attribute) and not (
                isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")
            ):
                names = [node.attr]
            for name in names:
                if name.startswith("_") and not name.startswith("__") and name not in OWN_PRIVATE:
                    found.append(f"{path.name}:{node.lineno}: {name}")
    assert found == []


def test_a_rebuilt_pages_search_entries_replace_its_old_ones_where_they_stood() -> None:
    from types import SimpleNamespace

    locations = ["a/", "b/", "b/#x", "c/"]
    index = SimpleNamespace(entries=[{"location": where} for where in locations])

    def build() -> None:
        index.entries.append({"location": "b/", "new": True})

    compat.replace_search_entries(index, "b/", build)
    assert index.entries == [
        {"location": "a/"},
        {"location": "b/", "new": True},
        {"location": "c/"},
    ]
