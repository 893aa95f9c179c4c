"""A build of the site, as the plugin's events see it: the plan of the generated pages (from
the plan cache, or from the pipeline), the problems that stop it, the last good build
that stands while they do, and the files and hand-written pages MkDocs reads of it.

Under `mkdocs serve`, errors do not stop the server: every page shows them instead.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..cache import digest
from ..diagnostics import Diagnostic
from ..links import containing_folder, docs_links_out, read_docs_pages
from ..options import PlaybookOptions
from ..plan import (
    AUTHORS_DIR,
    MOVED_AUTHORS_DIR,
    SitePlan,
    SiteSettings,
    clashes,
    for_authors,
    site_settings,
)
from ..plan_cache import DocsPage, docs_key
from ..render.front_matter import read_front_matter
from .build_cache import HeapFreeze
from .stores import Stores

if TYPE_CHECKING:  # Imported when a build first needs the playbook (`pipeline`).
    from ..pipeline import Pipeline
    from ..render.pages import Renderer

log = get_plugin_logger(__name__)

OPTION_NAMES = tuple(f.name for f in fields(PlaybookOptions))

Built = tuple[SitePlan, "Renderer | None", str | None]
"""A build's plan, its renderer (none when the plan came from the cache) and its cache key."""


class Session:
    """One plugin object's builds: the one under way and what it keeps for the next."""

    def __init__(self) -> None:
        self.serving = False
        self._options: Mapping[str, Any] = {}
        self.project_dir = Path.cwd()
        self.stores = Stores()
        self.heap = HeapFreeze()
        self.site: SitePlan | None = None
        """This build's generated pages and where they go."""
        self.renderer: Renderer | None = None
        """This build's renderer; none when the plan came from the cache and no page has
        needed the playbook since (`refs_renderer` makes it then)."""
        self.site_key: str | None = None
        """The cache key of this build's inputs, when the cache is on."""
        self.failure: list[Diagnostic] = []
        """The problems of this build, written over every page it makes (under serve)."""
        self.docs_warnings: list[Diagnostic] = []
        """The warnings the refs of hand-written pages gave this build, which do not stop
        it: under serve, the server shows them over the pages it serves."""
        self.prepared: Built | list[Diagnostic] | None = None
        """Pages made (and problems logged) by a page-by-page rebuild that then needed a
        whole build: its `pre_build` takes them instead of making and logging them again."""
        self.last_good: Built | None = None
        """The plan and renderer of the last build without errors, shown while one stands."""
        self.ahead = False
        """Whether the build's generated pages are still to be converted ahead."""
        self.docs_refs: dict[str, tuple[str, str]] = {}
        """Hand-written pages whose refs this build rewrote (or warned about): their
        Markdown before and after, by docs path. Under serve, an edit that changes what a
        ref shows (an entity's title) rebuilds them too (`Serve.rebuild_in_place`)."""
        self.meta: dict[str, dict[str, Any]] = {}
        """The metadata of generated pages handed to MkDocs without front matter."""
        self.files: Files | None = None
        self.nav: Navigation | None = None
        self.env: Any = None
        """This build's MkDocs objects, for the theme's cache and serve's rebuilds."""

    def configure(self, options: Mapping[str, Any], config: MkDocsConfig) -> None:
        """Take the plugin's options (MkDocs' config of the plugin) and the project's folder."""
        self._options = options
        self.project_dir = Path(config.config_file_path or "mkdocs.yml").resolve().parent

    @property
    def options(self) -> PlaybookOptions:
        """The plugin's options as they are set now (the defaults for those MkDocs has not
        loaded)."""
        return PlaybookOptions(**{n: self._options[n] for n in OPTION_NAMES if n in self._options})

    @property
    def pages(self) -> dict[str, str]:
        """Every generated file of this build, by docs-relative path."""
        return self.site.pages if self.site is not None else {}

    def generated(self, page: Page) -> bool:
        return page.file.src_uri in self.pages

    def template_dirs(self, config: MkDocsConfig) -> list[Path]:
        """Folders whose templates override the packaged ones, first match wins."""
        custom_dir = config.theme.custom_dir
        return self.options.template_dirs(
            self.project_dir, Path(custom_dir) if custom_dir else None
        )

    # -- the plan ------------------------------------------------------------------------

    def pre_build(self, config: MkDocsConfig) -> None:
        """Load, validate and resolve; stop before MkDocs touches the site folder."""
        self.nav = None
        self.ahead = True
        self.docs_refs = {}
        self.stores.open(self.options, self.project_dir, self.serving)
        page_cache = self.stores.page_cache
        if page_cache is not None:
            page_cache.start(config)
            page_cache.wrap_search(config, self.generated)
        built, self.prepared = self.prepared or self.build_pages(config), None
        if isinstance(built, list):
            # Under serve: the last good site stays up behind the overlay, not a wall of 404s.
            self.failure = built
            self.site, self.renderer, self.site_key = self.last_good or (None, None, None)
            return
        self.failure = []
        self.site, self.renderer, self.site_key = built
        self.last_good = built
        self.heap.freeze()

    def build_pages(self, config: MkDocsConfig) -> Built | list[Diagnostic]:
        """The plan of every page, or (under serve) the problems that stop them. With the
        cache on, a build whose inputs are all as before takes the plan from the cache
        without loading the playbook."""
        settings = self.site_settings(config)
        plans = self.stores.plans
        key = self._inputs_key(config, settings) if plans is not None else None
        plan = plans.plan(key) if plans is not None and key is not None else None
        if plan is not None:
            self._note_docs_warnings(plan.diagnostics, config)
            problems = self._report(plan.diagnostics, config) or self._clashes(config, plan)
            return problems or (plan, None, key)
        pipeline = self.pipeline(config)
        from ..render.pages import TemplateProblem  # Loaded with the pipeline, above.

        checked = pipeline.check()
        self._note_docs_warnings(checked.diagnostics, config)
        problems = self._report(checked.diagnostics, config)
        if problems:
            return problems
        if plans is not None and pipeline.render_cache is not None:
            from ..render.incremental import RENDER_STATE  # Loaded with the pipeline.

            plans.restore_notes(pipeline.render_cache, RENDER_STATE)
        try:
            renderer, plan = pipeline.site_plan(checked, settings)
        except TemplateProblem as problem:
            log.error(str(problem))
            if self.serving:
                return [problem.diagnostic]
            raise PluginError("A page template failed (above); nothing was written.") from None
        if pipeline.render_cache is not None:
            cache = pipeline.render_cache
            log.debug(
                f"Rendered {len(cache.rendered)} of {cache.page_count} entity and index pages; "
                "the others were kept from the last render"
            )
        clashing = self._clashes(config, plan)
        if clashing:
            return clashing
        if plans is not None and key is not None:
            plans.put_plan(key, plan)
            self.stores.notes_for = key
            if not self.serving:
                self.stores.keep_notes()
        return plan, renderer, key

    def pipeline(self, config: MkDocsConfig) -> Pipeline:
        """The phases of this site's playbook. Their code is imported here, when a build
        first needs the playbook: a build whose plan the cache holds never loads it."""
        from ..project import Project

        load_cache, render_cache = self.stores.memory()
        project = Project(
            root=self.project_dir,
            playbooks_dir=self.project_dir / self.options.playbooks_dir,
            docs_dir=Path(config.docs_dir),
            config_file=Path(config.config_file_path) if config.config_file_path else None,
            config={"theme": {"custom_dir": config.theme.custom_dir}},
            options=self.options,
            display_dir=self.project_dir,
        )
        # What each page reads is worth noting where a later render can use it: under
        # serve, and with the build cache, which keeps it for the next build.
        keep = self.serving or self.stores.page_cache is not None
        pipeline = project.pipeline(load_cache, render_cache if keep else None)
        pipeline.kept_links = self.stores.plans
        # The pages MkDocs leaves out are not checked: `exclude_docs`, and `draft_docs`
        # but under serve, which shows the drafts.
        left_out = [config.exclude_docs, None if self.serving else config.draft_docs]
        specs = [spec for spec in left_out if spec is not None]
        if specs:
            pipeline.docs_excluded = lambda src_uri: any(s.match_file(src_uri) for s in specs)
        return pipeline

    @property
    def authors_dir(self) -> str:
        """The folder of the pages for authors: the plan's (`authors/`, unless a kind takes
        it), or `authors/` before there is one."""
        return self.site.authors_dir if self.site is not None else AUTHORS_DIR

    def site_settings(self, config: MkDocsConfig) -> SiteSettings:
        """What MkDocs' config says about the site that shapes the pages."""
        return site_settings(
            plugins=list(config.plugins),
            extensions=config.markdown_extensions,
            use_directory_urls=config.use_directory_urls,
            site_url=config.site_url,
            edit_url=lambda path: _edit_url(config, self._docs_relative(config, path)),
            serving=self.serving,
        )

    def _inputs_key(self, config: MkDocsConfig, settings: SiteSettings) -> str | None:
        """A hash of everything the plan is made from, or ``None`` without the cache: the
        docs folder's pages too, whose refs the build checks (and the health page shows)."""
        if self.stores.plans is None:
            return None
        docs = [
            part
            for src_uri, _, text in read_docs_pages(Path(config.docs_dir), self.project_dir)
            for part in (src_uri, text if isinstance(text, str) else repr(text))
        ]
        return self.stores.plans.inputs_key(
            self.options,
            settings,
            [
                config.repo_url,
                config.edit_uri,
                config.edit_uri_template,
                config.docs_dir,
                digest(*docs),
            ],
            [
                self.project_dir / self.options.playbooks_dir,
                *self.template_dirs(config),
                # The hub lists the site's own pages for authors, with their titles: in
                # `authors/`, or `for-authors/` when a kind takes `authors/`.
                Path(config.docs_dir) / AUTHORS_DIR,
                Path(config.docs_dir) / MOVED_AUTHORS_DIR,
            ],
        )

    def _note_docs_warnings(self, diagnostics: list[Diagnostic], config: MkDocsConfig) -> None:
        """Under serve, keep the warnings of the docs folder's pages, which the server shows
        (errors, and every problem under `--strict`, stop the build and show anyway)."""
        folder = self.shown(Path(config.docs_dir)).rstrip("/") + "/"
        self.docs_warnings = [
            d
            for d in diagnostics
            if self.serving and not config.strict and not d.is_error and d.path.startswith(folder)
        ]

    def _report(self, diagnostics: list[Diagnostic], config: MkDocsConfig) -> list[Diagnostic]:
        """Log every problem; the ones that stop the build (raised, or under serve returned)."""
        for diagnostic in diagnostics:
            (log.error if diagnostic.is_error else log.warning)(str(diagnostic))
        errors = [d for d in diagnostics if d.is_error]
        if config.strict and not errors:
            errors = [d for d in diagnostics if not d.is_error]
        if errors:
            if self.serving:
                log.error(
                    f"The playbook has {count(errors, 'problem')}; the site shows them "
                    "until they are fixed."
                )
                return errors
            raise PluginError(
                f"The playbook has {count(errors, 'problem')} (listed above); fix them and "
                "build again. Nothing was written."
            )
        return []

    def _clashes(self, config: MkDocsConfig, plan: SitePlan) -> list[Diagnostic]:
        found = clashes(Path(config.docs_dir), self.shown, plan.pages)
        if found:
            for clash in found:
                log.error(str(clash))
            if self.serving:
                # The clashing pages must not come back: their hand-written twins stand.
                self.last_good = None
                return found
            raise PluginError("Generated pages clash with hand-written ones; nothing was written.")
        return []

    def finish(self) -> None:
        """Under serve, keep what the last render noted for the next build."""
        self.heap.thaw()
        if self.serving and self.stores.notes_for is not None and self.stores.plans is not None:
            self.stores.keep_notes()
            self.stores.save(whole=False)

    # -- what MkDocs reads ---------------------------------------------------------------

    def refuse_links_out(self, files: Files, config: MkDocsConfig) -> None:
        """Stop on a docs page or folder that is a link leading outside the project; under
        serve, leave out every file behind it."""
        docs_dir = Path(config.docs_dir)
        problems = docs_links_out(docs_dir, self.project_dir, self.shown)
        if not problems:
            return
        for problem in problems:
            log.error(str(problem))
        if not self.serving:
            raise PluginError(
                f"The docs folder has {count(problems, 'link')} leading outside the project "
                "(listed above); nothing was written."
            )
        real_root = containing_folder(docs_dir, self.project_dir).resolve()
        for file in list(files):
            source = Path(file.abs_src_path) if file.abs_src_path else None
            # The theme's files are elsewhere, and fine: only the docs folder's are judged.
            inside_docs = source is not None and source.is_relative_to(docs_dir)
            if inside_docs and source and not source.resolve().is_relative_to(real_root):
                files.remove(file)

    def add_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Add every generated page as a generated file, and keep the pages for authors out
        of the nav."""
        self.files = files
        if self.site is None:
            return files
        authors = self.site.authors_dir
        for file in files.documentation_pages():
            # The site's own pages for authors: the hub lists them, no nav does.
            if for_authors(file.src_uri, authors) and file.inclusion == InclusionLevel.INCLUDED:
                file.inclusion = InclusionLevel.NOT_IN_NAV
        sources = self.site.sources
        entity_pages = set(self.site.entity_pages)
        # Where the plugin places the pages in the nav (`on_nav`), MkDocs must not list them
        # first as "not included in the nav": it makes its nav before `on_nav`.
        placed = self.options.nav != "off"
        for src_uri, markdown in self.pages.items():
            # Entity pages are reached from their index, search and backlinks (listing them
            # in the nav would make every page's build grow with the page count); pages for
            # authors from the hub.
            inclusion = (
                InclusionLevel.NOT_IN_NAV
                if placed or src_uri in entity_pages or for_authors(src_uri, authors)
                else InclusionLevel.UNDEFINED
            )
            file = File.generated(
                config, src_uri, content=self.source(src_uri, markdown), inclusion=inclusion
            )
            source = sources.get(src_uri)
            file.edit_uri = self._docs_relative(config, source) if source else None
            files.append(file)
        for src_uri, abs_src_path in self.site.files.items():  # Images of image fields.
            files.append(File.generated(config, src_uri, abs_src_path=abs_src_path))
        return files

    def source(self, src_uri: str, markdown: str) -> str:
        """What MkDocs reads of a generated page: with the cache on, the page without its
        front matter, whose values `page_markdown` sets as they are (no YAML to parse
        back); otherwise the page as it is."""
        split = read_front_matter(markdown) if self.stores.page_cache is not None else None
        if split is None:
            self.meta.pop(src_uri, None)
            return markdown
        self.meta[src_uri], body = split
        return body

    def page_markdown(self, markdown: str, page: Page, config: MkDocsConfig) -> str:
        """A generated page as it is, its metadata set; in a hand-written page, inline refs
        made links, with a warning for each unknown one."""
        if self.site is None:
            return markdown
        page_cache = self.stores.page_cache
        if page.file.src_uri in self.pages:
            meta = self.meta.get(page.file.src_uri)
            if meta is not None:
                page.meta = dict(meta)
            if page_cache is not None and cache_converts(config):
                page_cache.wrap_render(page)
            return markdown
        path = self._project_relative(page.file.abs_src_path or page.file.src_uri)
        plans = self.stores.plans
        key = docs_key(self.site_key, page.file.src_uri, path, markdown) if self.site_key else ""
        # The build checked the refs of the docs folder's pages, and reported them: only a
        # page from elsewhere (another plugin's) is checked and reported here.
        checked = Path(page.file.abs_src_path or "").is_relative_to(config.docs_dir)
        stored = plans.docs_page(key) if plans is not None and key else None
        if stored is not None:
            for warning in [] if checked else stored["warnings"]:
                log.warning(warning)
            self._note_docs_refs(page.file.src_uri, markdown, stored)
            return stored["markdown"]
        renderer = self.refs_renderer(config)
        if renderer is None:
            return markdown
        from ..resolve.refs import check_page_refs  # Loaded with the renderer, above.

        warnings = [str(d) for d in check_page_refs(renderer.playbook, markdown, path)]
        for warning in [] if checked else warnings:
            log.warning(warning)
        rewritten = renderer.rewrite_page_refs(markdown, page.file.src_uri)
        done = DocsPage(markdown=rewritten, warnings=warnings)
        self._note_docs_refs(page.file.src_uri, markdown, done)
        if plans is not None and key:
            plans.put_docs_page(key, done)
        return rewritten

    def _note_docs_refs(self, src_uri: str, markdown: str, done: DocsPage) -> None:
        if done["markdown"] != markdown or done["warnings"]:
            self.docs_refs[src_uri] = (markdown, done["markdown"])
        else:
            self.docs_refs.pop(src_uri, None)

    def docs_to_rebuild(self, renderer: Renderer | None) -> list[str]:
        """The hand-written pages whose refs show something else with ``renderer`` (an
        entity's new title, say): all that have refs when the plan came from the cache
        without one."""
        if renderer is None:
            return list(self.docs_refs)
        return [
            src_uri
            for src_uri, (markdown, rewritten) in self.docs_refs.items()
            if renderer.rewrite_page_refs(markdown, src_uri) != rewritten
        ]

    def refs_renderer(self, config: MkDocsConfig) -> Renderer | None:
        """The renderer, made now if the plan came from the cache (never while an error
        stands: then the last good one, if there is one)."""
        if self.renderer is None and not self.failure:
            pipeline = self.pipeline(config)
            checked = pipeline.check(docs=False)
            self.renderer = pipeline.renderer(checked, self.site_settings(config))
        return self.renderer

    # -- paths ---------------------------------------------------------------------------

    def shown(self, path: Path) -> str:
        """A path as messages show it."""
        return self._project_relative(str(path))

    def _project_relative(self, path: str) -> str:
        try:
            return Path(path).resolve().relative_to(self.project_dir).as_posix()
        except ValueError:
            return path

    def _docs_relative(self, config: MkDocsConfig, project_path: str) -> str:
        absolute = self.project_dir / project_path
        return Path(os.path.relpath(absolute, config.docs_dir)).as_posix()


def count(items: list[Any], noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


def cache_converts(config: MkDocsConfig) -> bool:
    """Whether the cache may convert generated pages (and keep what it converts): not when
    `pymdownx.snippets` copies in files its keys cannot see."""
    return "pymdownx.snippets" not in config.markdown_extensions


def _edit_url(config: MkDocsConfig, docs_relative: str) -> str | None:
    """The edit URL of a source file, the way MkDocs builds it for a page."""
    if config.edit_uri_template:
        path_noext = posixpath.splitext(docs_relative)[0]
        relative = config.edit_uri_template.format(path=docs_relative, path_noext=path_noext)
    elif config.edit_uri:
        relative = config.edit_uri + docs_relative
    else:
        return None
    if not config.repo_url:
        return relative if "://" in relative else None
    return urljoin(config.repo_url.rstrip("/") + "/", relative)
