"""Every use of a private name of MkDocs or Material, and every method the plugin replaces
on one of their objects: in this module, and nowhere else.

Each use names the versions it was checked against (`CHECKED_WITH`), and
tests/test_compat.py fails when one of them changes: the name is gone, its signature is
not the one used here, or it no longer does what the plugin relies on. ProperDocs, the
fork of MkDocs, carries the same internals under the same names. What each use buys is in
docs/authors/platform.md ("What the plugin relies on inside MkDocs").
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import markdown
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

CHECKED_WITH = {"mkdocs": "1.6.1", "mkdocs-material": "9.8.2", "properdocs": "1.6.7"}
"""The releases every use below was read against, and tests/test_compat.py runs against."""


# -- MkDocs' page steps (`mkdocs.commands.build`): serve's page-by-page rebuild -----------


def populate_page(page: Page, config: MkDocsConfig, files: Files) -> None:
    """`mkdocs.commands.build._populate_page`: read, convert and run a page's events, as a
    whole build does for each page. Buys: serve rebuilds one edited page, not the site."""
    from mkdocs.commands.build import _populate_page

    _populate_page(page, config, files)


def build_page(
    page: Page, config: MkDocsConfig, doc_files: Any, nav: Navigation, env: Any, excluded: bool
) -> None:
    """`mkdocs.commands.build._build_page`: render a page through the theme and write it."""
    from mkdocs.commands.build import _build_page

    _build_page(page, config, doc_files, nav, env, excluded=excluded)


# -- A page's conversion (`mkdocs.structure.pages`): one Markdown instance a build -------


def register_page_processors(md: markdown.Markdown, page: Page, files: Any, config: Any) -> Any:
    """Register MkDocs' own per-page processors on ``md``, as `Page.render` does
    (`_RawHTMLPreprocessor`, `_ExtractAnchorsTreeprocessor`, `_RelativePathTreeprocessor`,
    `_ExtractTitleTreeprocessor`, each with its `_register`). Buys: one Markdown instance,
    reset between pages, instead of one with every extension loaded for each page.
    Returns a function that, after the conversion, sets on ``page`` what `render` sets."""
    from mkdocs.structure import pages

    raw_html = pages._RawHTMLPreprocessor()
    raw_html._register(md)
    anchors = pages._ExtractAnchorsTreeprocessor(page.file, files, config)
    anchors._register(md)
    relative_paths = pages._RelativePathTreeprocessor(page.file, files, config)
    relative_paths._register(md)
    title = pages._ExtractTitleTreeprocessor()
    title._register(md)

    def finish() -> None:
        set_render_title(page, title.title)
        page.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
        if pages.log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = relative_paths.links_to_anchors

    return finish


def render_title(page: Page) -> Any:
    """`Page._title_from_render`: the first heading a conversion found (the page's title
    when its metadata and the nav name none). Buys: a stored conversion keeps the title."""
    return getattr(page, "_title_from_render", None)


def set_render_title(page: Page, title: Any) -> None:
    page._title_from_render = title


def replace_render(page: Page, render: Callable[[MkDocsConfig, Files], None]) -> None:
    """Replace `Page.render` for this page object only. Buys: a generated page whose
    Markdown is unchanged takes its stored conversion instead of converting again."""
    # An instance attribute shadows the method for this page object only.
    setattr(page, "render", render)  # noqa: B010


# -- Material's search plugin ------------------------------------------------------------


def search_index(config: MkDocsConfig) -> Any:
    """The search plugin's index (`search_index`, with its `entries` list), or ``None``."""
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    index = getattr(plugin, "search_index", None)
    return index if isinstance(getattr(index, "entries", None), list) else None


def replace_search_entries(index: Any, url: str, build: Callable[[], None]) -> None:
    """Run ``build``, which adds a page's entries to the search ``index`` (its `entries`
    list), so that they replace the page's old entries where those stood. Buys: serve's
    page-by-page rebuild keeps the search index as a whole build makes it."""
    removed_at = _remove_entries(index, url)
    kept: list[Any] = index.entries
    index.entries = []
    try:
        build()
    finally:
        fresh, index.entries = index.entries, kept
        at = len(kept) if removed_at is None else removed_at
        index.entries[at:at] = fresh


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


def material_search_index(config: MkDocsConfig) -> Any:
    """The index of Material's search plugin, whose `add_entry_from_context` may be
    replaced; ``None`` with MkDocs' own search or none."""
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    index = getattr(plugin, "search_index", None)
    if index is None or not type(plugin).__module__.startswith("material.plugins.search"):
        return None
    if not isinstance(getattr(index, "entries", None), list):
        return None
    return index if callable(getattr(index, "add_entry_from_context", None)) else None


def replace_add_entry(index: Any, add_entry: Callable[[Page], None]) -> Callable[[Page], None]:
    """Replace the index's `add_entry_from_context`; returns the one it had. Buys: an
    unchanged page's search entries are taken from the store, not made again."""
    original: Callable[[Page], None] = index.add_entry_from_context
    index.add_entry_from_context = add_entry
    return original


# -- MkDocs' dev server (`mkdocs.livereload.LiveReloadServer`) ---------------------------


def replace_builder(
    server: Any, builder: Callable[[Callable[..., None]], Callable[..., None]]
) -> None:
    """Replace the server's `builder` (what a saved file runs) with ``builder(old)``. Buys:
    an edit of YAML alone rebuilds the pages it changed, not the whole site."""
    server.builder = builder(server.builder)


def watch_file_events(server: Any) -> bool:
    """Swap the server's polling `observer`, which looks at every file each 0.5 s, for the
    system's file events (inotify, FSEvents, ReadDirectoryChangesW), so a save starts the
    rebuild at once; watches again what it watched (`_watched_paths`, `_watch_refs`). Only
    changes count: a build that reads a file must not start another.

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
    """Have the server pass every HTML page it serves (`_inject_js_into_html`, where it adds
    its reload script) and its error pages (`error_handler`) through ``overlay``; ``False``
    when this server cannot. Buys: a problem found by a page-by-page rebuild shows over
    the last good site, which stays on disk as it was."""
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
