"""The MkDocs plugin `playbook`: a thin adapter whose events hand off to objects that each
own one thing (the build session, the caches, the page loop, the nav, serve, the set-up).

- `on_pre_build` plans the pages (from the plan cache, or loading, validating and
  resolving the playbook) before MkDocs cleans the site folder, so a bad playbook never
  leaves a half-written site;
- `on_files` hands the pages to MkDocs as generated files, `on_nav` places them;
- `on_page_markdown` resolves inline refs in hand-written pages;
- `on_page_content` passes the HTML of every generated page through the sanitiser.
"""

from __future__ import annotations

from typing import Any, Literal

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..render.sanitize import sanitize_html, sanitize_text
from . import pages
from .config import PlaybookConfig
from .nav import leave_search_if_for_authors, playbook_nav
from .serve import Serve, with_error_overlay
from .session import Session
from .site_setup import add_site_files, set_up_site

__all__ = ["PlaybookConfig", "PlaybookPlugin"]


class PlaybookPlugin(BasePlugin[PlaybookConfig]):
    """Turns a folder of playbook YAML into cross-linked MkDocs pages."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.session = Session()
        self.serve = Serve(self.session, self)

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        """Remember whether we serve: then errors are shown in the browser, not fatal."""
        # Defining this event also keeps one plugin object across serve rebuilds.
        self.session.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Check the set-up, resolve paths and enable what the generated pages use."""
        self.session.configure(self.config, config)
        set_up_site(config, self.session.project_dir)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.serve.shown_problems = []
        self.session.pre_build(config)

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        self.session.refuse_links_out(files, config)
        add_site_files(files, config, self.session.template_dirs(config))
        return self.session.add_files(files, config)

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        site, mode = self.session.site, self.session.options.nav
        if site is not None and mode != "off":
            nav = playbook_nav(nav, site, mode, files, own=config.nav is not None)
        if site is not None:  # The page-output key and serve's rebuild use it.
            self.session.nav = nav
        return nav

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page:
        """Before MkDocs reads the first page, convert the generated ones in parallel."""
        pages.convert_ahead(self.session, config, files, _finish)
        return page

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        return self.session.page_markdown(markdown, page, config)

    def on_page_content(
        self, content: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Clean the HTML of generated pages against the allowlist; docs/ pages stay as written.
        Pages for authors leave the search index (`nav.leave_search_if_for_authors`)."""
        leave_search_if_for_authors(page, self.session.authors_dir)
        if not self.session.generated(page):
            return content
        # The search index and the table of contents are built from these after this event.
        _sanitize_toc(page.toc)
        page_cache = self.session.stores.page_cache
        return (
            sanitize_html(content)
            if page_cache is None
            else page_cache.sanitized(content, sanitize_html)
        )

    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        name = next((n for n, plugin in config.plugins.items() if plugin is self), "playbook")
        return pages.route_pages(self.session, env, config, files, name)

    def on_page_context(
        self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> Any:
        return pages.stored_output(self.session, context, page)

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        return self.serve.attach(server, config)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Save what this build made to the cache, and say what it reused."""
        self.session.heap.thaw()
        self.serve.post_build(config)
        self.session.stores.after_build(self.session.serving, whole=not self.serve.partial)

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Under serve, show the playbook's errors."""
        return with_error_overlay(output, self.session.failure)

    def on_post_template(
        self, output_content: str, /, *, template_name: str, config: MkDocsConfig
    ) -> str:
        """Under serve, the 404 page shows the errors too (the failed pages are missing)."""
        return with_error_overlay(output_content, self.session.failure)

    def on_build_error(self, *, error: Exception) -> None:
        """A failed build's objects are collectable again (under serve, builds go on)."""
        self.session.heap.thaw()

    def on_shutdown(self) -> None:
        self.session.finish()


def _finish(page: Page) -> None:
    """What `on_page_content` does to a generated page, without the cache."""
    _sanitize_toc(page.toc)
    page.content = sanitize_html(page.content or "")


def _sanitize_toc(items: Any) -> None:
    for item in items:
        item.title = sanitize_text(item.title)
        _sanitize_toc(item.children)
