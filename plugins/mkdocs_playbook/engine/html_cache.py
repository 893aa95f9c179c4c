"""Reuse the HTML of unchanged generated pages across `mkdocs serve` rebuilds.

MkDocs converts every page's Markdown on every rebuild, and for a large playbook that is
about half the time. A generated page whose Markdown is byte-for-byte what it was, in a
site whose page set, Markdown extensions and URL style are the same, converts to the same
HTML, so its result is kept. Pages whose conversion logged a warning are never cached, so
a rebuild repeats every warning, whichever engine runs the build. It works on the MkDocs
objects the plugin passes in.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # MkDocs hands us these objects; only `plugin` imports MkDocs.
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


ENGINE_LOGGERS = ("mkdocs", "properdocs")
"""Where the engines log a page's warnings: MkDocs, and ProperDocs (its fork), whose own
modules log under their own name even when plugins import them as `mkdocs`."""


@dataclass(frozen=True)
class _Rendered:
    content: str | None
    toc: Any
    title: str | None
    anchors: set[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class HtmlCache:
    """Rendered pages by source path, Markdown and site fingerprint."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, bytes, bytes], _Rendered] = {}
        self._used: set[tuple[str, bytes, bytes]] = set()
        self.hits = 0

    @staticmethod
    def fingerprint(config: MkDocsConfig, files: Files) -> bytes:
        """What besides a page's own Markdown decides its HTML."""
        parts = [
            repr(sorted(f.src_uri for f in files.documentation_pages())),
            repr(config.use_directory_urls),
            repr(config.markdown_extensions),
            repr(sorted((name, repr(options)) for name, options in config.mdx_configs.items())),
        ]
        return hashlib.blake2b("\n".join(parts).encode(), digest_size=16).digest()

    def wrap(self, page: Page, markdown: str, fingerprint: bytes) -> None:
        """Make ``page.render`` reuse the stored HTML when nothing it depends on changed."""
        key = (
            page.file.src_uri,
            hashlib.blake2b(markdown.encode(), digest_size=16).digest(),
            fingerprint,
        )
        self._used.add(key)
        original: Callable[[MkDocsConfig, Files], None] = page.render

        def render(config: MkDocsConfig, files: Files) -> None:
            stored = self._entries.get(key)
            if stored is not None:
                self.hits += 1
                _restore(page, stored, files)
                return
            counter = _WarningCounter()
            loggers = [logging.getLogger(name) for name in ENGINE_LOGGERS]
            for logger in loggers:
                logger.addHandler(counter)
            try:
                original(config, files)
            finally:
                for logger in loggers:
                    logger.removeHandler(counter)
            if not counter.count:
                self._entries[key] = _snapshot(page)

        # An instance attribute shadows the method for this page object only.
        setattr(page, "render", render)  # noqa: B010

    def prune(self) -> None:
        """Forget pages this build did not render, so the cache holds one site at most."""
        self._entries = {k: v for k, v in self._entries.items() if k in self._used}
        self._used = set()
        self.hits = 0


def _snapshot(page: Page) -> _Rendered:
    links = page.links_to_anchors
    return _Rendered(
        content=page.content,
        toc=page.toc,
        title=getattr(page, "_title_from_render", None),
        anchors=set(page.present_anchor_ids or ()),
        links_to_anchors=(
            None if links is None else {f.src_uri: dict(v) for f, v in links.items()}
        ),
    )


def _restore(page: Page, stored: _Rendered, files: Files) -> None:
    page.content = stored.content
    page.toc = stored.toc
    page._title_from_render = stored.title
    page.present_anchor_ids = set(stored.anchors or ())
    if stored.links_to_anchors is not None:
        page.links_to_anchors = {
            file: dict(links)
            for src_uri, links in stored.links_to_anchors.items()
            if (file := files.get_file_from_path(src_uri)) is not None
        }
