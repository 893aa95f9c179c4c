"""What happens to the generated pages in MkDocs' page loop, with the build cache on: they
are converted ahead in worker processes (`PageCache.convert_ahead`), cleaned, and routed
through the template that can reuse their stored theme output and sidebar nav."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

from .build_cache import (
    CACHED_PAGE_SOURCE,
    CACHED_PAGE_TEMPLATE,
    NAV_PARTIAL,
    NAV_SOURCE,
    THEME_NAV_PARTIAL,
    Ahead,
    default_workers,
)
from .nav import page_of
from .session import Session, cache_converts

log = get_plugin_logger(__name__)

AUTHORS_DIR_GLOBAL = "playbook_authors_dir"
"""The theme's variable holding the folder of the pages for authors, for the footer's link."""


def convert_ahead(
    session: Session, config: MkDocsConfig, files: Files, finish: Callable[[Page], None]
) -> None:
    """With the cache on, convert the generated pages it has no result for in worker
    processes, so that MkDocs' loop finds them converted; ``finish`` is what the plugin's
    `on_page_content` does to a converted page. Once a build, before its first page."""
    if not session.ahead:
        return
    session.ahead = False
    workers = session.options.workers or default_workers()
    page_cache = session.stores.page_cache
    if page_cache is None or session.site is None or workers < 2:
        return
    if not cache_converts(config):  # Then MkDocs' loop converts every page itself.
        return
    pages = [page for path in session.pages if (page := page_of(files, path)) is not None]

    def read(page: Page) -> tuple[str, dict[str, Any]]:
        # As `Page.read_source` reads a generated file, without its event: the page
        # must not change before MkDocs' loop reaches it.
        markdown, meta = get_data(page.file.content_string)
        return markdown, dict(session.meta.get(page.file.src_uri, meta))

    started = time.perf_counter()
    job = Ahead(pages, read, config, files, finish)
    done, processes = page_cache.convert_ahead(job, workers, session.heap)
    if done:
        took = time.perf_counter() - started
        log.debug(f"Converted {done} pages in {processes} worker processes in {took:.2f} s")


def route_pages(
    session: Session, env: jinja2.Environment, config: MkDocsConfig, files: Files, name: str
) -> jinja2.Environment:
    """Route generated pages through the template that can reuse their stored output, and
    the sidebar nav through one that renders it once for the pages that share it."""
    session.env = env
    # The footer's link to the pages for authors (`partials/copyright.html`) reads it.
    env.globals[AUTHORS_DIR_GLOBAL] = session.authors_dir
    page_cache = session.stores.page_cache
    if page_cache is None or session.site is None:
        return env
    if not page_cache.theme_ready(config, session.nav, name, session.authors_dir):
        return env
    ours = {CACHED_PAGE_TEMPLATE: CACHED_PAGE_SOURCE}
    loaders: list[jinja2.BaseLoader] = [jinja2.DictLoader(ours)]
    theirs = env.loader
    nav = session.nav
    if theirs is not None and nav and page_cache.nav_ready(config, nav):
        ours[NAV_PARTIAL] = NAV_SOURCE

        def theme_nav(name: str) -> tuple[str, str | None, Callable[[], bool] | None] | None:
            return theirs.get_source(env, NAV_PARTIAL) if name == THEME_NAV_PARTIAL else None

        loaders.append(jinja2.FunctionLoader(theme_nav))
    env.loader = jinja2.ChoiceLoader([*loaders, theirs] if theirs is not None else loaders)
    for src_uri in session.pages:
        page = page_of(files, src_uri)
        if page is not None and "template" not in page.meta:
            page.meta["template"] = CACHED_PAGE_TEMPLATE
    return env


def stored_output(session: Session, context: Any, page: Page) -> Any:
    """Hand a generated page its stored theme output, when nothing it shows changed."""
    page_cache = session.stores.page_cache
    if page_cache is not None and page.meta.get("template") == CACHED_PAGE_TEMPLATE:
        # The template is chosen by now; a page's metadata must not show it, as Material
        # renders some parts only when there is metadata.
        del page.meta["template"]
        page_cache.page_context(context, page)
    return context
