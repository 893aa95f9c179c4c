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

import inspect
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..cache import digest
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
        _populate_page(page, config, files)
    if nav_digest(nav) != before:
        return False  # A title in the nav changed: every page shows it.
    if shown != [[seen(page, plugin) for plugin, seen in others] for page in pages]:
        return False  # Another plugin shows the change on pages this rebuild leaves.
    search = _search_index(config)
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
    for page in pages:
        removed_at = _remove_entries(search, page.url) if search is not None else None
        kept: list[Any] | None = None
        if search is not None:
            kept, search.entries = search.entries, []
        try:
            _build_page(
                page,
                config,
                doc_files,
                nav,
                last.env,
                excluded=page.file.inclusion.is_excluded(),  # type: ignore[no-untyped-call]
            )
        finally:
            if search is not None and kept is not None:
                fresh, search.entries = search.entries, kept
                at = len(kept) if removed_at is None else removed_at
                search.entries[at:at] = fresh
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


def _search_index(config: MkDocsConfig) -> Any:
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    index = getattr(plugin, "search_index", None)
    return index if isinstance(getattr(index, "entries", None), list) else None


def _remove_entries(index: Any, url: str) -> int | None:
    """Drop a page's search entries; the place of its first one, if it had any."""
    entries: list[dict[str, Any]] = index.entries
    first = None
    kept: list[dict[str, Any]] = []
    for entry in entries:
        location = str(entry.get("location", ""))
        if location == url or location.startswith(url + "#"):
            if first is None:
                first = len(kept)
            continue
        kept.append(entry)
    index.entries = kept
    return first


def watch_file_events(server: Any) -> bool:
    """Swap the server's polling watcher, which looks at every file each 0.5 s, for the
    system's file events (inotify, FSEvents, ReadDirectoryChangesW), so a save starts the
    rebuild at once. Only changes count: a build that reads a file must not start another.

    Keeps the polling watcher (and returns ``False``) where the system has no file events,
    watchdog is older than 4 (no event filters) or MkDocs' server is not as expected.
    """
    try:
        from watchdog import events
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver
    except ImportError:  # pragma: no cover - MkDocs requires watchdog
        return False
    changes = [
        events.FileCreatedEvent,
        events.FileModifiedEvent,
        events.FileDeletedEvent,
        events.FileMovedEvent,
        events.FileClosedEvent,
        events.DirCreatedEvent,
        events.DirDeletedEvent,
        events.DirMovedEvent,
    ]
    watched = getattr(server, "_watched_paths", None)
    refs = getattr(server, "_watch_refs", None)
    old = getattr(server, "observer", None)
    if (
        Observer is PollingObserver
        or not isinstance(watched, dict)
        or not isinstance(refs, dict)
        or not isinstance(old, PollingObserver)
        or old.is_alive()
        or "event_filter" not in inspect.signature(PollingObserver.schedule).parameters
    ):
        return False

    class ChangesObserver(Observer):  # type: ignore[misc,valid-type]
        def schedule(self, handler: Any, path: Any, **options: Any) -> Any:
            options.setdefault("event_filter", changes)
            return super().schedule(handler, path, **options)

    counts = dict(watched)

    def watch_with(observer: Any) -> None:
        watched.clear()
        refs.clear()
        server.observer = observer
        for path, count in counts.items():
            for _ in range(count):
                server.watch(path)

    try:
        watch_with(ChangesObserver())
    except OSError:  # No more inotify watches, say: poll as before.
        watch_with(old)
        return False
    return True


def overlay_served_pages(server: Any, overlay: Callable[[str], str]) -> bool:
    """Have the server pass every HTML page it serves, and its error pages, through
    ``overlay`` (where it adds its reload script); ``False`` when this server cannot."""
    inject = getattr(server, "_inject_js_into_html", None)
    error_page = getattr(server, "error_handler", None)
    if not callable(inject) or not callable(error_page):
        return False

    def inject_and_overlay(content: bytes, epoch: int) -> bytes:
        return _through(overlay, inject(content, epoch))

    def error_page_with_overlay(code: int) -> bytes | None:
        content = error_page(code)
        return None if content is None else _through(overlay, content)

    server._inject_js_into_html = inject_and_overlay
    server.error_handler = error_page_with_overlay
    return True


def _through(overlay: Callable[[str], str], content: bytes) -> bytes:
    return overlay(content.decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape")
