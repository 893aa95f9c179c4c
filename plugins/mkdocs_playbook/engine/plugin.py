"""The MkDocs plugin `playbook`: the only module that imports MkDocs.

Phases, in MkDocs' events:
- `on_pre_build` loads, validates and resolves the playbook, before MkDocs cleans the site
  folder, so a bad playbook never leaves a half-written site;
- `on_files` renders the pages and hands them to MkDocs as generated files;
- `on_nav` keeps the nav small (one section per kind), so build time stays linear;
- `on_page_markdown` resolves inline refs in hand-written pages;
- `on_page_content` passes the HTML of every generated page through the sanitiser.
Under `mkdocs serve`, errors do not stop the server: every page shows them instead.
With the build cache on, a generated page's conversion, search entries and theme output
are reused from earlier builds when nothing they depend on changed (`build_cache`).
"""

from __future__ import annotations

import html
import importlib
import itertools
import os
import posixpath
import time
from collections.abc import Callable
from dataclasses import asdict, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypedDict
from urllib.parse import urljoin

import jinja2
import markupsafe
from mkdocs.config import base
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data
from pydantic_core import core_schema as schema

from ..cache import TEXT, Shape, Store, digest, folder_files, stable_repr
from ..diagnostics import Diagnostic, default_display_dir, display_path, key_line
from ..links import containing_folder, docs_links_out
from ..options import Check, OptionError, PlaybookOptions
from ..plan import AUTHORS_SECTION, PLAN_JSON, SitePlan, SiteSettings, clashes
from ..render.front_matter import read_front_matter
from ..render.sanitize import sanitize_html, sanitize_text
from ..render.site_setup import (
    ASSETS_DIR,
    CSS_ASSETS,
    EXTENSION_OPTIONS,
    JS_ASSETS,
    MARKDOWN_EXTENSIONS,
    MATERIAL_EMOJI,
    MATERIAL_PARTIALS_DIR,
    SITE_ASSETS,
)
from .build_cache import (
    CACHED_PAGE_SOURCE,
    CACHED_PAGE_TEMPLATE,
    NAV_PARTIAL,
    NAV_SOURCE,
    THEME_NAV_PARTIAL,
    Ahead,
    HeapFreeze,
    PageCache,
    default_workers,
    versions,
)
from .fast_rebuild import (
    LastBuild,
    other_inputs,
    other_plugins_allow,
    overlay_served_pages,
    rebuild_pages,
    watch_file_events,
)

if TYPE_CHECKING:  # Imported when a build first needs the playbook (`pipeline`).
    from ..load.loader import LoadCache
    from ..pipeline import Pipeline
    from ..render.incremental import RenderCache
    from ..render.pages import Renderer

log = get_plugin_logger(__name__)

_Built = tuple[SitePlan, "Renderer | None", str | None]
"""A build's plan, its renderer (none when the plan came from the cache) and its cache key."""


class DocsPage(TypedDict):
    """A hand-written page's Markdown with its refs rewritten, and the warnings they gave."""

    markdown: str
    warnings: list[str]


DOCS_PAGE: Shape[DocsPage] = Shape(
    schema.typed_dict_schema(
        {
            "markdown": schema.typed_dict_field(schema.str_schema()),
            "warnings": schema.typed_dict_field(schema.list_schema(schema.str_schema())),
        }
    )
)
"""The shape a stored `DocsPage` must have to be read."""


class _Declared(base.BaseConfigOption[Any]):
    """An option as `PlaybookOptions` declares it: its default, and its check, whose message
    MkDocs shows after the option's name."""

    def __init__(self, default: object, check: Check) -> None:
        super().__init__()
        self.default = default
        self.check = check

    def run_validation(self, value: object) -> object:
        if value is None:  # Not set, or set to nothing: the default, as MkDocs' own options do.
            return self.default
        try:
            return self.check(value)
        except OptionError as error:
            raise base.ValidationError(str(error)) from None


if TYPE_CHECKING:

    class PlaybookConfig(base.Config, PlaybookOptions):
        """Options of the `playbook` plugin: the type checker sees `PlaybookOptions`' fields."""

else:
    # Made from the declaration, in its order. `enabled` is MkDocs' own: with no `enabled`
    # option here, MkDocs 1.6 (`config_options.Plugins.load_plugin`) takes it out of the
    # plugin's options first and, when it is false, does not load the plugin at all.
    PlaybookConfig = type(
        "PlaybookConfig",
        (base.Config,),
        {
            "__doc__": "Options of the `playbook` plugin, made from `PlaybookOptions`.",
            "__module__": __name__,
            **{
                name: _Declared(default, check)
                for name, default, check, _ in PlaybookOptions.declared()
            },
        },
    )


class PlaybookPlugin(BasePlugin[PlaybookConfig]):
    """Turns a folder of playbook YAML into cross-linked MkDocs pages."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.serving = False
        self.site: SitePlan | None = None
        """This build's generated pages and where they go."""
        self.renderer: Renderer | None = None
        """This build's renderer; none when the plan came from the cache and no page has
        needed the playbook since (`_refs_renderer` makes it then)."""
        self._site_key: str | None = None
        """The cache key of this build's inputs, when the cache is on."""
        self.failure: list[Diagnostic] = []
        """The problems of this build, written over every page it makes (under serve)."""
        self._shown_problems: list[Diagnostic] = []
        """Problems a page-by-page check found under serve: the site on disk stays the last
        good one, and the server shows them over every page it serves."""
        self._problems_served = False
        """Whether the server can show problems over the pages it serves."""
        self.project_dir = Path.cwd()
        self.load_cache: LoadCache | None = None
        """Parsed files by content, kept while `mkdocs serve` keeps this plugin object."""
        self.render_cache: RenderCache | None = None
        """The last render's pages and what each read: the next render renders again only
        the pages an edit touches (under serve; with the cache, in the next build too)."""
        self._notes_for: str | None = None
        """The plan key of the last render whose notes the cache does not hold yet."""
        self.page_cache: PageCache | None = None
        """Stored results of earlier builds (`build_cache`); none when the cache is off."""
        self._cache_path: str | None = None
        self._nav: Navigation | None = None
        self._files: Files | None = None
        self._meta: dict[str, dict[str, Any]] = {}
        """The metadata of generated pages handed to MkDocs without front matter."""
        self._docs_refs: dict[str, tuple[str, str]] = {}
        """Hand-written pages whose refs this build rewrote (or warned about): their
        Markdown before and after, by docs path. Under serve, an edit that changes what a
        ref shows (an entity's title) rebuilds them too (`_rebuild_in_place`)."""
        self._env: jinja2.Environment | None = None
        self._last_build: LastBuild | None = None
        """Under serve, the objects of the last whole build, for page-by-page rebuilds."""
        self._ahead = False
        """Whether the build's generated pages are still to be converted ahead."""
        self._partial = False
        """Whether the build under way rebuilds some pages only (see `_rebuild_in_place`)."""
        self._prepared: _Built | list[Diagnostic] | None = None
        """Pages made (and problems logged) by a page-by-page rebuild that then needed a
        whole build: its `on_pre_build` takes them instead of making and logging them again."""
        self._last_good: _Built | None = None
        """The plan and renderer of the last build without errors, shown while one stands."""
        self._heap = HeapFreeze()

    # -- lifecycle -----------------------------------------------------------------------

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        """Remember whether we serve: then errors are shown in the browser, not fatal."""
        # Defining this event also keeps one plugin object across serve rebuilds.
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Check the set-up, resolve paths and enable what the generated pages use."""
        self.project_dir = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        _require_set_up(config, self.project_dir)
        _require_markdown_extensions(config)
        _add_assets(config)
        _add_theme_fixes(config)
        _escape_site_name(config)
        return config

    def _open_cache(self) -> None:
        """Open the build cache; under serve without one, keep results in memory."""
        folder = self.project_dir / self.config.cache_dir
        wanted = str(folder) if self.config.cache else "memory" if self.serving else None
        if wanted == self._cache_path:
            return
        if self.page_cache is not None:
            self.page_cache.store.close()
        self._cache_path = wanted
        if wanted is None:
            self.page_cache = None
            return
        store = Store.open(folder, note=log.info) if self.config.cache else None
        store = store or (Store.in_memory(note=log.info) if self.serving else None)
        if store is not None and self.serving:
            store.remember()
        self.page_cache = None if store is None else PageCache(store)

    @property
    def options(self) -> PlaybookOptions:
        """The plugin's options as mkdocs.yml sets them."""
        return PlaybookOptions(**{f.name: self.config[f.name] for f in fields(PlaybookOptions)})

    @property
    def playbooks_dir(self) -> Path:
        """The playbook folder as an absolute path."""
        return self.project_dir / self.config.playbooks_dir

    def template_dirs(self, config: MkDocsConfig) -> list[Path]:
        """Folders whose templates override the packaged ones, first match wins."""
        custom_dir = config.theme.custom_dir
        return self.options.template_dirs(
            self.project_dir, Path(custom_dir) if custom_dir else None
        )

    def pipeline(self, config: MkDocsConfig) -> Pipeline:
        """The phases of this site's playbook. Their code is imported here, when a build
        first needs the playbook: a build whose plan the cache holds never loads it."""
        from ..load.loader import LoadCache
        from ..pipeline import Pipeline
        from ..render.incremental import RenderCache

        if self.load_cache is None or self.render_cache is None:
            self.load_cache, self.render_cache = LoadCache(), RenderCache()
        return Pipeline(
            self.options,
            project_dir=self.project_dir,
            docs_dir=Path(config.docs_dir),
            display=self._shown,
            override_dirs=self.template_dirs(config),
            load_cache=self.load_cache,
            # What each page reads is worth noting where a later render can use it: under
            # serve, and with the build cache, which keeps it for the next build.
            render_cache=self.render_cache if self.serving or self.page_cache else None,
            config_file=Path(config.config_file_path) if config.config_file_path else None,
        )

    def site_settings(self, config: MkDocsConfig) -> SiteSettings:
        """What MkDocs' config says about the site that shapes the pages."""
        return SiteSettings(
            edit_url=lambda path: _edit_url(config, self._docs_relative(config, path)),
            show_tags=not any(name in config.plugins for name in ("tags", "material/tags")),
            icons="pymdownx.emoji" in config.markdown_extensions,
            snippets="pymdownx.snippets" in config.markdown_extensions,
            use_directory_urls=config.use_directory_urls,
            site_url=config.site_url,
            serving=self.serving,
        )

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Load, validate and resolve; stop before MkDocs touches the site folder."""
        self._nav = None
        self._ahead = True
        self._shown_problems = []
        self._docs_refs = {}
        self._open_cache()
        if self.page_cache is not None:
            self.page_cache.start(config)
            self.page_cache.wrap_search(config, self._generated)
        built, self._prepared = self._prepared or self._build_pages(config), None
        if isinstance(built, list):
            # Under serve: the last good site stays up behind the overlay, not a wall of 404s.
            self.failure = built
            self.site, self.renderer, self._site_key = self._last_good or (None, None, None)
            return
        self.failure = []
        self.site, self.renderer, self._site_key = built
        self._last_good = built
        self._heap.freeze()

    def _build_pages(self, config: MkDocsConfig) -> _Built | list[Diagnostic]:
        """The plan of every page, or (under serve) the problems that stop them. With the
        cache on, a build whose inputs are all as before takes the plan from the cache
        without loading the playbook."""
        settings = self.site_settings(config)
        key = self._inputs_key(config, settings)
        stored = (
            self.page_cache.store.get("site", key, PLAN_JSON) if self.page_cache and key else None
        )
        if stored is not None:
            plan = SitePlan.from_json(stored)
            problems = self._report(plan.diagnostics, config) or self._clashes(config, plan)
            if self.page_cache is not None:
                # Kept for the next edit: what the last render noted, and its pages' texts.
                store = self.page_cache.store
                store.touch("render", self._render_key())
                noted = store.get("render-plan", self._render_key(), TEXT)
                if noted is not None:
                    store.touch("site", noted)
            return problems or (plan, None, key)
        pipeline = self.pipeline(config)
        from ..render.pages import TemplateProblem  # Loaded with the pipeline, above.

        checked = pipeline.check()
        problems = self._report(checked.diagnostics, config)
        if problems:
            return problems
        self._restore_render(pipeline)
        try:
            renderer, pages = pipeline.render(checked, settings)
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
        plan = pipeline.plan(checked, renderer, pages)
        clashing = self._clashes(config, plan)
        if clashing:
            return clashing
        if self.page_cache is not None and key is not None:
            self.page_cache.store.put("site", key, plan.to_json())
            self._notes_for = key
            if not self.serving:
                self._keep_notes()
        return plan, renderer, key

    def _keep_notes(self) -> None:
        """Put what the last render noted in the cache, for the next process: after each
        build, and under serve once, when it stops (every edit would pay for it)."""
        key, self._notes_for = self._notes_for, None
        state = self.render_cache.state() if key is not None and self.render_cache else None
        if state is None or self.page_cache is None:
            return
        # The plan that holds the pages' texts, apart: a build that takes another plan from
        # the cache keeps this one without reading the notes (see `_build_pages`).
        self.page_cache.store.put("render", self._render_key(), state)
        self.page_cache.store.put("render-plan", self._render_key(), key)

    def on_build_error(self, *, error: Exception) -> None:
        """A failed build's objects are collectable again (under serve, builds go on)."""
        self._heap.thaw()

    def on_shutdown(self) -> None:
        """Under serve, keep what the last render noted for the next build."""
        self._heap.thaw()
        if self.serving and self._notes_for is not None and self.page_cache is not None:
            self._keep_notes()
            self.page_cache.store.save(whole=False)

    def _render_key(self) -> str:
        """Where the store keeps what the last render of this project noted."""
        return digest("render notes", versions(), str(self.project_dir))

    def _restore_render(self, pipeline: Pipeline) -> None:
        """Hand a process's first render what the last build's render noted, with the
        texts of its pages (from that build's plan), so that it renders only the pages
        whose reads answer otherwise now."""
        cache = pipeline.render_cache
        if cache is None or self.page_cache is None or not cache.empty:
            return
        from ..render.incremental import RENDER_STATE  # Loaded with the pipeline.

        store = self.page_cache.store
        state = store.get("render", self._render_key(), RENDER_STATE)
        plan_key = store.get("render-plan", self._render_key(), TEXT)
        if state is None or plan_key is None:
            return
        plan = store.get("site", plan_key, PLAN_JSON)
        if plan is not None:
            cache.restore(state, plan["pages"])

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
                    f"The playbook has {_count(errors, 'problem')}; the site shows them "
                    "until they are fixed."
                )
                return errors
            raise PluginError(
                f"The playbook has {_count(errors, 'problem')} (listed above); fix them and "
                "build again. Nothing was written."
            )
        return []

    def _clashes(self, config: MkDocsConfig, plan: SitePlan) -> list[Diagnostic]:
        found = clashes(Path(config.docs_dir), self._shown, plan.pages)
        if found:
            for clash in found:
                log.error(str(clash))
            if self.serving:
                # The clashing pages must not come back: their hand-written twins stand.
                self._last_good = None
                return found
            raise PluginError("Generated pages clash with hand-written ones; nothing was written.")
        return []

    def _inputs_key(self, config: MkDocsConfig, settings: SiteSettings) -> str | None:
        """A hash of everything the plan is made from, or ``None`` without the cache."""
        if self.page_cache is None:
            return None
        edit = [config.repo_url, config.edit_uri, config.edit_uri_template, config.docs_dir]
        return digest(
            versions(),
            stable_repr(asdict(self.options)),
            stable_repr({k: v for k, v in asdict(settings).items() if k != "edit_url"}),
            stable_repr(edit),
            str(self.project_dir),
            *(
                part
                for folder in (self.playbooks_dir, *self.template_dirs(config))
                for part in (
                    *folder_files(folder, inside=containing_folder(folder, self.project_dir)),
                    "\0",
                )
            ),
        )

    @property
    def pages(self) -> dict[str, str]:
        """Every generated file of this build, by docs-relative path."""
        return self.site.pages if self.site is not None else {}

    def _refs_renderer(self, config: MkDocsConfig) -> Renderer | None:
        """The renderer, made now if the plan came from the cache (never while an error
        stands: then the last good one, if there is one)."""
        if self.renderer is None and not self.failure:
            pipeline = self.pipeline(config)
            self.renderer = pipeline.renderer(pipeline.check(), self.site_settings(config))
        return self.renderer

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Render every playbook page and add it as a generated file."""
        self._files = files
        self._refuse_links_out(files, config)
        # MkDocs copies every file of the theme folders; override templates are not for readers.
        for folder in self.template_dirs(config):
            for file in list(files.static_pages()):
                if file.abs_src_path and _inside(Path(file.abs_src_path), folder):
                    files.remove(file)
        for file in _asset_files(config):
            files.append(file)
        if self.site is None:
            return files
        sources = self.site.sources
        entity_pages = set(self.site.entity_pages)
        for src_uri, markdown in self.pages.items():
            # Entity pages are reached from their index, search and backlinks; listing
            # them in the nav would make every page's build grow with the page count.
            inclusion = (
                InclusionLevel.NOT_IN_NAV
                if src_uri in entity_pages and self.config.nav != "entities"
                else InclusionLevel.UNDEFINED
            )
            file = File.generated(
                config, src_uri, content=self._source(src_uri, markdown), inclusion=inclusion
            )
            source = sources.get(src_uri)
            file.edit_uri = self._docs_relative(config, source) if source else None
            files.append(file)
        return files

    def _refuse_links_out(self, files: Files, config: MkDocsConfig) -> None:
        """Stop on a docs page or folder that is a link leading outside the project; under
        serve, leave out every file behind it."""
        docs_dir = Path(config.docs_dir)
        problems = docs_links_out(docs_dir, self.project_dir, self._shown)
        if not problems:
            return
        for problem in problems:
            log.error(str(problem))
        if not self.serving:
            raise PluginError(
                f"The docs folder has {_count(problems, 'link')} leading outside the project "
                "(listed above); nothing was written."
            )
        real_root = containing_folder(docs_dir, self.project_dir).resolve()
        for file in list(files):
            source = Path(file.abs_src_path) if file.abs_src_path else None
            # The theme's files are elsewhere, and fine: only the docs folder's are judged.
            inside_docs = source is not None and source.is_relative_to(docs_dir)
            if inside_docs and source and not source.resolve().is_relative_to(real_root):
                files.remove(file)

    def _source(self, src_uri: str, markdown: str) -> str:
        """What MkDocs reads of a generated page: with the cache on, the page without its
        front matter, whose values `on_page_markdown` sets as they are (no YAML to parse
        back); otherwise the page as it is."""
        split = read_front_matter(markdown) if self.page_cache is not None else None
        if split is None:
            self._meta.pop(src_uri, None)
            return markdown
        self._meta[src_uri], body = split
        return body

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        """One section per kind; entity pages hang under it without widening the nav."""
        site = self.site
        if site is None:
            return nav
        if self.config.nav == "off":
            self._nav = nav  # The site's own: the page-output key and serve's rebuild use it.
            return nav
        generated = set(self.pages)
        items = nav.items if config.nav is not None else _drop_generated(nav.items, generated)
        present = {page.file.src_uri for page in _pages(items)}
        # Reader pages ("Which do I need?") come right after the home page.
        at = 1 if items and isinstance(items[0], Page) else 0
        for path in site.reader_pages:
            page = _page(files, path)
            if page is not None and path not in present:
                items.insert(at, page)
                at += 1
        for kind in site.sections:
            index = _page(files, kind.index)
            entity_pages = [page for path in kind.entities if (page := _page(files, path))]
            if index is None:
                continue
            if index.file.src_uri in present:
                # Placed by mkdocs.yml: its entity pages hang under the same section.
                for page in entity_pages:
                    page.parent = index.parent
                continue
            listed = [index, *entity_pages] if self.config.nav == "entities" else [index]
            # Themes print a section's title as HTML, as they do a page's (see `front_matter`).
            section = Section(html.escape(kind.title), list(listed))
            items.append(section)
            for page in [index, *entity_pages]:
                page.parent = section
        _add_to_authors_section(
            items,
            [p for path in site.author_pages if path not in present and (p := _page(files, path))],
        )
        pages = _pages(items)
        for previous, following in itertools.pairwise(pages):
            previous.next_page, following.previous_page = following, previous
        if pages:
            pages[0].previous_page = None
            pages[-1].next_page = None
        self._nav = Navigation(items, pages)
        return self._nav

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page:
        """Before MkDocs reads the first page, convert the generated ones in parallel."""
        if self._ahead:
            self._ahead = False
            self._convert_ahead(config, files)
        return page

    def _convert_ahead(self, config: MkDocsConfig, files: Files) -> None:
        """With the cache on, convert the generated pages it has no result for in worker
        processes (`PageCache.convert_ahead`), so that MkDocs' loop finds them converted."""
        workers = self.config.workers or default_workers()
        if self.page_cache is None or self.site is None or workers < 2:
            return
        if not _cache_converts(config):  # Then MkDocs' loop converts every page itself.
            return
        pages = [page for path in self.pages if (page := _page(files, path)) is not None]

        def read(page: Page) -> tuple[str, dict[str, Any]]:
            # As `Page.read_source` reads a generated file, without its event: the page
            # must not change before MkDocs' loop reaches it.
            markdown, meta = get_data(page.file.content_string)
            return markdown, dict(self._meta.get(page.file.src_uri, meta))

        started = time.perf_counter()
        job = Ahead(pages, read, config, files, _finish)
        done, processes = self.page_cache.convert_ahead(job, workers, self._heap)
        if done:
            took = time.perf_counter() - started
            log.debug(f"Converted {done} pages in {processes} worker processes in {took:.2f} s")

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Turn inline refs in hand-written pages into links, warning on unknown ones."""
        if self.site is None:
            return markdown
        if page.file.src_uri in self.pages:
            meta = self._meta.get(page.file.src_uri)
            if meta is not None:
                page.meta = dict(meta)
            if self.page_cache is not None and _cache_converts(config):
                self.page_cache.wrap_render(page)
            return markdown
        path = self._project_relative(page.file.abs_src_path or page.file.src_uri)
        store = self.page_cache.store if self.page_cache is not None else None
        key = digest(self._site_key, page.file.src_uri, path, markdown) if self._site_key else ""
        stored = store.get("docs", key, DOCS_PAGE) if store is not None and key else None
        if stored is not None:
            for warning in stored["warnings"]:
                log.warning(warning)
            self._note_docs_refs(page.file.src_uri, markdown, stored)
            return stored["markdown"]
        renderer = self._refs_renderer(config)
        if renderer is None:
            return markdown
        from ..resolve.refs import check_page_refs  # Loaded with the renderer, above.

        warnings = [str(d) for d in check_page_refs(renderer.playbook, markdown, path)]
        for warning in warnings:
            log.warning(warning)
        rewritten = renderer.rewrite_page_refs(markdown, page.file.src_uri)
        done = DocsPage(markdown=rewritten, warnings=warnings)
        self._note_docs_refs(page.file.src_uri, markdown, done)
        if store is not None and key:
            store.put("docs", key, done)
        return rewritten

    def _note_docs_refs(self, src_uri: str, markdown: str, done: DocsPage) -> None:
        if done["markdown"] != markdown or done["warnings"]:
            self._docs_refs[src_uri] = (markdown, done["markdown"])
        else:
            self._docs_refs.pop(src_uri, None)

    def _docs_to_rebuild(self, renderer: Renderer | None) -> list[str]:
        """The hand-written pages whose refs show something else with ``renderer`` (an
        entity's new title, say): all that have refs when the plan came from the cache
        without one."""
        if renderer is None:
            return list(self._docs_refs)
        return [
            src_uri
            for src_uri, (markdown, rewritten) in self._docs_refs.items()
            if renderer.rewrite_page_refs(markdown, src_uri) != rewritten
        ]

    def on_page_content(
        self, content: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Clean the HTML of generated pages against the allowlist; docs/ pages stay as written.

        Pages of the nav's "For authors" section leave the search index: a reader searching
        for "persona" is after the personas, not the guide to writing one."""
        if _for_authors(page):
            search = page.meta.get("search")
            page.meta["search"] = {**(search if isinstance(search, dict) else {}), "exclude": True}
        if page.file.src_uri not in self.pages:
            return content
        # The search index and the table of contents are built from these after this event.
        _sanitize_toc(page.toc)
        if self.page_cache is None:
            return sanitize_html(content)
        return self.page_cache.sanitized(content, sanitize_html)

    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        """Route generated pages through the template that can reuse their stored output,
        and the sidebar nav through one that renders it once for the pages that share it."""
        self._env = env
        if self.page_cache is None or self.site is None:
            return env
        name = next((n for n, plugin in config.plugins.items() if plugin is self), "playbook")
        if not self.page_cache.theme_ready(config, self._nav, name):
            return env
        ours = {CACHED_PAGE_TEMPLATE: CACHED_PAGE_SOURCE}
        loaders: list[jinja2.BaseLoader] = [jinja2.DictLoader(ours)]
        theirs = env.loader
        if theirs is not None and self._nav and self.page_cache.nav_ready(config, self._nav):
            ours[NAV_PARTIAL] = NAV_SOURCE

            def theme_nav(name: str) -> tuple[str, str | None, Callable[[], bool] | None] | None:
                return theirs.get_source(env, NAV_PARTIAL) if name == THEME_NAV_PARTIAL else None

            loaders.append(jinja2.FunctionLoader(theme_nav))
        env.loader = jinja2.ChoiceLoader([*loaders, theirs] if theirs is not None else loaders)
        for src_uri in self.pages:
            page = _page(files, src_uri)
            if page is not None and "template" not in page.meta:
                page.meta["template"] = CACHED_PAGE_TEMPLATE
        return env

    def on_page_context(
        self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> Any:
        """Hand a generated page its stored theme output, when nothing it shows changed."""
        if self.page_cache is not None and page.meta.get("template") == CACHED_PAGE_TEMPLATE:
            # The template is chosen by now; a page's metadata must not show it, as Material
            # renders some parts only when there is metadata.
            del page.meta["template"]
            self.page_cache.page_context(context, page)
        return context

    def _generated(self, page: Page) -> bool:
        return page.file.src_uri in self.pages

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        """Rebuild when the playbook or its templates change; after an edit of YAML alone,
        rebuild only the pages it changed (`fast_rebuild`) when the site keeps its shape."""
        server.watch(str(self.playbooks_dir))
        for folder in self.template_dirs(config):
            if folder.is_dir():
                server.watch(str(folder))
        if watch_file_events(server):
            log.debug("Watching for file changes with the system's file events")
        self._problems_served = overlay_served_pages(
            server, lambda page: _with_error_overlay(page, self._shown_problems)
        )
        whole_build: Callable[..., None] = server.builder

        def build_what_changed(*args: Any) -> None:
            if not args and self._rebuild_in_place():
                return
            whole_build(*args)

        server.builder = build_what_changed
        return server

    def _rebuild_in_place(self) -> bool:
        """Rebuild just the changed pages on the last build's objects; ``False`` when a whole
        build is needed."""
        last = self._last_build
        if last is None or self.failure or not other_plugins_allow(last.config, self):
            return False
        if other_inputs(last.config, self.template_dirs(last.config)) != last.inputs:
            return False
        started = time.perf_counter()
        built = self._build_pages(last.config)
        if isinstance(built, list) and self._problems_served:
            # Nothing is written: the last good site stays, the server shows the problems.
            self._shown_problems = built
            return True
        self._shown_problems = []
        if isinstance(built, list) or digest(built[0].shape()) != last.plan:
            self._prepared = built
            return False
        pages = built[0].pages
        changed = {path: text for path, text in pages.items() if self.pages.get(path) != text}
        if any(not path.endswith(".md") for path in changed) or set(pages) != set(self.pages):
            self._prepared = built
            return False
        sources = {path: self._source(path, text) for path, text in changed.items()}
        docs = self._docs_to_rebuild(built[1])

        def adopt() -> None:
            self.site, self.renderer, self._site_key = built
            self._last_good = built

        if self.page_cache is not None:
            self.page_cache.begin_counts()
        self._partial = True
        try:
            rebuilt = rebuild_pages(last, sources, set_pages=adopt, reread=docs)
        finally:
            self._partial = False
        if not rebuilt:
            self._prepared = built
            return False
        took = time.perf_counter() - started
        also = f" and {_count(docs, 'page')} of docs/ that show them" if docs else ""
        log.info(f"Rebuilt {_count(list(changed), 'changed playbook page')}{also} in {took:.2f} s")
        return True

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Save what this build made to the cache, and say what it reused; under serve,
        keep a whole build's objects for the page-by-page rebuilds that follow it."""
        self._heap.thaw()
        if not self._partial:  # A page-by-page rebuild keeps its inputs and shape.
            self._last_build = self._whole_build(config)
        if self.page_cache is None:
            return
        (log.info if self.serving else log.debug)(f"Build cache: {self.page_cache.summary()}")
        self.page_cache.store.save(whole=not self._partial)

    def _whole_build(self, config: MkDocsConfig) -> LastBuild | None:
        if not self.serving or self.failure or self.site is None:
            return None
        if self._files is None or self._nav is None or self._env is None:
            return None
        return LastBuild(
            config,
            self._files,
            self._nav,
            self._env,
            inputs=other_inputs(config, self.template_dirs(config)),
            plan=digest(self.site.shape()),
        )

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Under serve, show the playbook's errors."""
        return _with_error_overlay(output, self.failure)

    def on_post_template(
        self, output_content: str, /, *, template_name: str, config: MkDocsConfig
    ) -> str:
        """Under serve, the 404 page shows the errors too (the failed pages are missing)."""
        return _with_error_overlay(output_content, self.failure)

    # -- paths ---------------------------------------------------------------------------

    def _shown(self, path: Path) -> str:
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


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def _count(items: list[Any], noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


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


def _add_assets(config: MkDocsConfig) -> None:
    for name in CSS_ASSETS:
        if f"{SITE_ASSETS}/{name}" not in config.extra_css:
            config.extra_css.append(f"{SITE_ASSETS}/{name}")
    scripts = [str(script) for script in config.extra_javascript]
    for name in JS_ASSETS:
        if f"{SITE_ASSETS}/{name}" not in scripts:
            config.extra_javascript.append(f"{SITE_ASSETS}/{name}")


def _escape_site_name(config: MkDocsConfig) -> None:
    """Show the site name as typed: Material writes it into pages as HTML (`Tom & Jerry's`,
    a folder name `playbook init` made it from). As markup, it is escaped once, also where
    a template escapes it again; a name with nothing to escape stays as it is."""
    name = config.site_name
    escaped = markupsafe.escape(name)
    if escaped != name:
        config.site_name = escaped


def _add_theme_fixes(config: MkDocsConfig) -> None:
    """Let Material find the plugin's fixed partials, after the site's own custom_dir."""
    if not _uses_material(config):
        return
    folder = str(MATERIAL_PARTIALS_DIR)
    dirs = config.theme.dirs
    if folder not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, folder)


def _asset_files(config: MkDocsConfig) -> list[File]:
    return [
        File.generated(config, f"{SITE_ASSETS}/{name}", content=(ASSETS_DIR / name).read_bytes())
        for name in (*CSS_ASSETS, *JS_ASSETS)
    ]


def _require_set_up(config: MkDocsConfig, project_dir: Path) -> None:
    """Stop without Material; warn without a home page (a strict build stops then)."""
    config_file = Path(config.config_file_path or "mkdocs.yml")
    shown = _shown_path(config_file, project_dir)
    if not _uses_material(config):
        theme = config.theme.name or "a custom theme"
        problem = Diagnostic(
            shown,
            key_line(config_file, "theme"),
            1,
            "theme",
            f"the playbook's pages need Material for MkDocs, not {theme}: set "
            "`theme: {name: material}` (Material is installed with the plugin)",
        )
        raise PluginError(f"{problem}\nAborted: the site needs Material.")
    docs_dir = Path(config.docs_dir)
    if not any((docs_dir / name).is_file() for name in ("index.md", "README.md")):
        folder = _shown_path(docs_dir, project_dir)
        log.warning(
            str(
                Diagnostic(
                    shown,
                    key_line(config_file, "docs_dir"),
                    1,
                    "docs_dir",
                    f"'{folder}/index.md' is missing, so the site has no home page and its "
                    f"root is a 404: write one with a title and a line on what the playbook "
                    f"is for",
                )
            )
        )


def _shown_path(path: Path, project_dir: Path) -> str:
    return display_path(path, default_display_dir(project_dir))


def _uses_material(config: MkDocsConfig) -> bool:
    return config.theme.name == "material"


def _require_markdown_extensions(config: MkDocsConfig) -> None:
    """Enable what generated pages use (`site_setup`): tables, attributes, Markdown in
    HTML, admonitions, tabs and, on Material, its icons."""
    for name in MARKDOWN_EXTENSIONS:
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
        for option, value in EXTENSION_OPTIONS.get(name, {}).items():
            config.mdx_configs.setdefault(name, {}).setdefault(option, value)
    if _uses_material(config) and "pymdownx.emoji" not in config.markdown_extensions:
        config.markdown_extensions.append("pymdownx.emoji")
        config.mdx_configs["pymdownx.emoji"] = {
            option: _dotted(name) for option, name in MATERIAL_EMOJI.items()
        }


def _dotted(name: str) -> Any:
    """The object a dotted name names, as mkdocs.yml's `!!python/name:` tag gives it."""
    module, _, attribute = name.rpartition(".")
    return getattr(importlib.import_module(module), attribute)


def _page(files: Files, src_uri: str) -> Page | None:
    file = files.get_file_from_path(src_uri)
    return file.page if file is not None else None


def _add_to_authors_section(items: list[Any], pages: list[Page]) -> None:
    """Put author pages under the nav's "For authors" section, made at the end if missing."""
    if not pages:
        return
    section = next(
        (i for i in items if isinstance(i, Section) and i.title == AUTHORS_SECTION), None
    )
    if section is None:
        section = Section(AUTHORS_SECTION, [])
        items.append(section)
    for page in pages:
        section.children.append(page)
        page.parent = section


def _for_authors(page: Page) -> bool:
    """Whether the page is in the nav's "For authors" section (at any depth)."""
    parent = page.parent
    while parent is not None:
        if isinstance(parent, Section) and parent.title == AUTHORS_SECTION:
            return True
        parent = parent.parent
    return False


def _pages(items: list[Any]) -> list[Page]:
    found: list[Page] = []
    for item in items:
        if isinstance(item, Page):
            found.append(item)
        elif isinstance(item, Section):
            found.extend(_pages(item.children))
    return found


def _drop_generated(items: list[Any], generated: set[str]) -> list[Any]:
    """The automatic nav without our pages, which come back as one section per kind."""
    kept: list[Any] = []
    for item in items:
        if isinstance(item, Page) and item.file.src_uri in generated:
            continue
        if isinstance(item, Section):
            item.children = _drop_generated(item.children, generated)
            if not item.children:
                continue
        kept.append(item)
    return kept


def _cache_converts(config: MkDocsConfig) -> bool:
    """Whether the cache may convert generated pages (and keep what it converts): not when
    `pymdownx.snippets` copies in files its keys cannot see."""
    return "pymdownx.snippets" not in config.markdown_extensions


def _finish(page: Page) -> None:
    """What `on_page_content` does to a generated page, without the cache."""
    _sanitize_toc(page.toc)
    page.content = sanitize_html(page.content or "")


def _sanitize_toc(items: Any) -> None:
    for item in items:
        item.title = sanitize_text(item.title)
        _sanitize_toc(item.children)


def _with_error_overlay(output: str, failure: list[Diagnostic]) -> str:
    if not failure:
        return output
    rows = "".join(f"<li><code>{html.escape(str(d))}</code></li>" for d in failure)
    overlay = (
        '<div id="playbook-errors" role="alert" style="position:fixed;inset:0;z-index:1000;'
        "overflow:auto;background:rgba(20,20,20,.94);color:#fff;padding:2rem;"
        'font:14px/1.5 monospace">'
        f'<h1 style="color:#ff8a80;font-size:1.4rem">The playbook has '
        f"{_count(failure, 'problem')}</h1>"
        f'<ul style="padding-left:1.2rem">{rows}</ul>'
        "<p>Fix the files and save: this page reloads by itself.</p></div>"
    )
    marker = "</body>"
    if marker in output:
        return output.replace(marker, overlay + marker, 1)
    return output + overlay
