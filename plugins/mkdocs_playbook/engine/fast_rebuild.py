"""Under `mkdocs serve`: after an edit of playbook YAML alone, rebuild only what changed.

MkDocs answers every saved file with a whole build: it reads the config again, cleans the
site folder and writes every page. When the only files that changed are the playbook's
YAML, the plugin renders the playbook's Markdown again (fast, and from parsed files it
kept), and if the site keeps the same pages and the same nav, it runs MkDocs' own page
steps for just the pages whose Markdown changed, and the hand-written pages whose refs
show something else now (an entity's new title), on the objects of the last build: their
HTML is written over the old, and their search entries are replaced where they stood in
the index. With Material's tags plugin, the changed pages must keep their titles and tags,
which its listings show on other pages. Anything else (a new or removed page, a changed
nav, config, docs page, theme or template, another plugin, an error) takes the whole
build, as before.

The result is the site a whole build makes, byte for byte; the tests hold it to that.
This module uses MkDocs' page-building steps; only `engine` imports MkDocs.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..cache import digest
from . import compat
from .build_cache import installed, nav_digest


def _nothing(page: Page, plugin: Any) -> None:
    return None


def _listed(page: Page, plugin: Any) -> Any:
    """What Material's tags plugin lists of a page on the site's other pages."""
    return [page.title, page.url, page.meta.get(plugin.config.tags_name_property)]


PLUGINS_A_PAGE_REBUILD_SERVES: dict[str, Callable[[Page, Any], Any]] = {
    "search": _nothing,
    "material/search": _nothing,
    "tags": _listed,
    "material/tags": _listed,
}
"""Plugins whose state a page-by-page rebuild keeps right, each with what it shows of a page
elsewhere, which must stay as it was: the search index is patched in place; the tags
plugin's listings (made once a build, on other pages) show a page's title and tags."""


@dataclass
class LastBuild:
    """The MkDocs objects of the last whole build without errors, and what it was built from."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: Any
    inputs: str
    """A digest of every input besides the playbook's YAML (see `other_inputs`)."""
    plan: str
    """A digest of the site's shape: its generated paths and nav sections."""


def other_inputs(config: MkDocsConfig, folders: Iterable[Path]) -> str:
    """A digest of the config file and of the files in the docs, theme and template folders,
    by path, size and modification time: what a change of needs a whole build."""
    parts: list[str] = []
    paths = [Path(config.config_file_path)] if config.config_file_path else []
    roots = [Path(config.docs_dir), *map(Path, config.theme.dirs), *folders]
    for root in roots:
        if root.is_dir() and not installed(root):
            paths += sorted(p for p in root.rglob("*") if p.is_file())
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue
        parts.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    return digest(*parts)


def rebuild_pages(
    last: LastBuild,
    changed: dict[str, str],
    *,
    set_pages: Callable[[], None],
    reread: Collection[str] = (),
) -> bool:
    """Rebuild the pages in ``changed`` (docs path → new Markdown) on ``last``'s objects,
    and the hand-written pages in ``reread`` (docs paths), read again from their files
    (their refs show what ``changed`` changed).

    Returns ``False``, having written nothing, when the rebuild cannot be done page by page
    (then the caller runs a whole build); ``set_pages`` is called once the pages are
    certain to be rebuilt here.
    """
    config, files, nav = last.config, last.files, last.nav
    before = nav_digest(nav)
    pages: list[Page] = []
    for src_uri in [*changed, *reread]:
        file = files.get_file_from_path(src_uri)
        if file is None or file.page is None:
            return False
        pages.append(file.page)
    others = [
        (plugin, PLUGINS_A_PAGE_REBUILD_SERVES[name])
        for name, plugin in config.plugins.items()
        if name in PLUGINS_A_PAGE_REBUILD_SERVES
    ]
    shown = [[seen(page, plugin) for plugin, seen in others] for page in pages]
    set_pages()
    for page in pages:
        if page.file.src_uri in changed:
            page.file.content_string = changed[page.file.src_uri]
        compat.populate_page(page, config, files)
    if nav_digest(nav) != before:
        return False  # A title in the nav changed: every page shows it.
    if shown != [[seen(page, plugin) for plugin, seen in others] for page in pages]:
        return False  # Another plugin shows the change on pages this rebuild leaves.
    search = compat.search_index(config)
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
    for page in pages:

        def build(page: Page = page) -> None:
            compat.build_page(
                page,
                config,
                doc_files,
                nav,
                last.env,
                excluded=page.file.inclusion.is_excluded(),  # type: ignore[no-untyped-call]
            )

        if search is None:
            build()
        else:
            compat.replace_search_entries(search, page.url, build)
    log_level = config.validation.links.anchors
    for page in pages:
        page.validate_anchor_links(files=files, log_level=log_level)
    config.plugins.on_post_build(config=config)
    return True


def other_plugins_allow(config: MkDocsConfig, ours: object) -> bool:
    """Whether every other plugin is one a page-by-page rebuild keeps right."""
    return all(
        name in PLUGINS_A_PAGE_REBUILD_SERVES
        for name, plugin in config.plugins.items()
        if plugin is not ours
    )
