"""Under `mkdocs serve`: watch the playbook and its templates, show problems over the
pages, and after an edit of YAML alone rebuild only the pages it changed
(`fast_rebuild`) when the site keeps its shape."""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import get_plugin_logger

from ..cache import digest
from ..diagnostics import Diagnostic
from . import compat
from .fast_rebuild import LastBuild, other_inputs, other_plugins_allow, rebuild_pages
from .session import Session, count

log = get_plugin_logger(__name__)


class Serve:
    """What a serving plugin keeps between builds, and its page-by-page rebuild."""

    def __init__(self, session: Session, plugin: object) -> None:
        self.session = session
        self.plugin = plugin
        self.last_build: LastBuild | None = None
        """The objects of the last whole build, for page-by-page rebuilds."""
        self.shown_problems: list[Diagnostic] = []
        """Problems a page-by-page check found: the site on disk stays the last good one,
        and the server shows them over every page it serves."""
        self.problems_served = False
        """Whether the server can show problems over the pages it serves."""
        self.partial = False
        """Whether the build under way rebuilds some pages only (see `rebuild_in_place`)."""

    def attach(self, server: LiveReloadServer, config: MkDocsConfig) -> LiveReloadServer:
        """Rebuild when the playbook or its templates change, page by page when it can."""
        session = self.session
        server.watch(str(session.project_dir / session.options.playbooks_dir))
        for folder in session.template_dirs(config):
            if folder.is_dir():
                server.watch(str(folder))
        if compat.watch_file_events(server):
            log.debug("Watching for file changes with the system's file events")
        self.problems_served = compat.overlay_served_pages(
            server,
            lambda page: with_error_overlay(
                page,
                self.shown_problems,
                [] if session.failure else session.docs_warnings,
            ),
        )

        def builder(whole_build: Callable[..., None]) -> Callable[..., None]:
            def build_what_changed(*args: Any) -> None:
                if not args and self.rebuild_in_place():
                    return
                whole_build(*args)

            return build_what_changed

        compat.replace_builder(server, builder)
        return server

    def rebuild_in_place(self) -> bool:
        """Rebuild just the changed pages on the last build's objects; ``False`` when a whole
        build is needed."""
        session, last = self.session, self.last_build
        if last is None or session.failure or not other_plugins_allow(last.config, self.plugin):
            return False
        if other_inputs(last.config, session.template_dirs(last.config)) != last.inputs:
            return False
        started = time.perf_counter()
        built = session.build_pages(last.config)
        if isinstance(built, list) and self.problems_served:
            # Nothing is written: the last good site stays, the server shows the problems.
            self.shown_problems = built
            return True
        self.shown_problems = []
        if isinstance(built, list) or digest(built[0].shape()) != last.plan:
            session.prepared = built
            return False
        pages = built[0].pages
        old = session.pages
        changed = {path: text for path, text in pages.items() if old.get(path) != text}
        if any(not path.endswith(".md") for path in changed) or set(pages) != set(old):
            session.prepared = built
            return False
        sources = {path: session.source(path, text) for path, text in changed.items()}
        docs = session.docs_to_rebuild(built[1])

        def adopt() -> None:
            session.site, session.renderer, session.site_key = built
            session.last_good = built

        if session.stores.page_cache is not None:
            session.stores.page_cache.begin_counts()
        self.partial = True
        try:
            rebuilt = rebuild_pages(last, sources, set_pages=adopt, reread=docs)
        finally:
            self.partial = False
        if not rebuilt:
            session.prepared = built
            return False
        took = time.perf_counter() - started
        also = f" and {count(docs, 'page')} of docs/ that show them" if docs else ""
        log.info(f"Rebuilt {count(list(changed), 'changed playbook page')}{also} in {took:.2f} s")
        return True

    def post_build(self, config: MkDocsConfig) -> None:
        """Keep a whole build's objects for the page-by-page rebuilds that follow it (a
        page-by-page rebuild keeps its inputs and shape)."""
        if not self.partial:
            self.last_build = self._whole_build(config)

    def _whole_build(self, config: MkDocsConfig) -> LastBuild | None:
        session = self.session
        if not session.serving or session.failure or session.site is None:
            return None
        if session.files is None or session.nav is None or session.env is None:
            return None
        return LastBuild(
            config,
            session.files,
            session.nav,
            session.env,
            inputs=other_inputs(config, session.template_dirs(config)),
            plan=digest(session.site.shape()),
        )


def with_error_overlay(
    output: str, failure: list[Diagnostic], warnings: list[Diagnostic] | None = None
) -> str:
    """A page with the problems that stop the build over it, or, when none do, with the
    warnings of the docs folder's pages in a panel at its foot, which leaves it readable."""
    if not failure:
        return _with_warnings(output, warnings) if warnings else output
    rows = _problem_items(failure)
    overlay = (
        '<div id="playbook-errors" role="alert" style="position:fixed;inset:0;z-index:1000;'
        "overflow:auto;background:rgba(20,20,20,.94);color:#fff;padding:2rem;"
        'font:14px/1.5 monospace">'
        f'<h1 style="color:#ff8a80;font-size:1.4rem">The playbook has '
        f"{count(failure, 'problem')}</h1>"
        f'<ul style="padding-left:1.2rem">{rows}</ul>'
        "<p>Fix the files and save: this page reloads by itself.</p></div>"
    )
    return _at_body_end(output, overlay)


def _with_warnings(output: str, warnings: list[Diagnostic]) -> str:
    rows = _problem_items(warnings)
    panel = (
        '<div id="playbook-warnings" role="status" style="position:fixed;left:0;right:0;'
        "bottom:0;z-index:1000;max-height:40vh;overflow:auto;background:rgba(20,20,20,.94);"
        'color:#fff;padding:1rem 2rem;font:14px/1.5 monospace">'
        f'<h1 style="color:#ffd180;font-size:1.1rem;margin:0">The docs pages have '
        f"{count(warnings, 'broken ref')}</h1>"
        f'<ul style="padding-left:1.2rem">{rows}</ul>'
        "<p>The site is built; <code>mkdocs build --strict</code> stops on them. Fix each ref "
        "(or create what it names) and save: this page reloads by itself.</p></div>"
    )
    return _at_body_end(output, panel)


def _problem_items(problems: list[Diagnostic]) -> str:
    return "".join(f"<li><code>{html.escape(str(d))}</code></li>" for d in problems)


def _at_body_end(output: str, block: str) -> str:
    """The page with ``block`` last in its body (or after it, for a page without one)."""
    marker = "</body>"
    if marker in output:
        return output.replace(marker, block + marker, 1)
    return output + block
