"""The caches one plugin object keeps between builds: the store on disk (or, under serve
without one, in memory), the page cache over it (`build_cache`), the plan cache
(`..plan_cache`), and the parsed files and render notes kept while the process lives."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import get_plugin_logger

from ..cache import Store
from ..options import PlaybookOptions
from ..plan_cache import PlanCache
from .build_cache import PageCache, versions

if TYPE_CHECKING:  # Imported when a build first needs the playbook (`pipeline`).
    from ..load.loader import LoadCache
    from ..render.incremental import RenderCache

log = get_plugin_logger(__name__)


class Stores:
    """The build cache's store and what is kept in memory across builds."""

    def __init__(self) -> None:
        self.page_cache: PageCache | None = None
        """Stored results of earlier builds (`build_cache`); none when the cache is off."""
        self.plans: PlanCache | None = None
        """Stored plans, render notes and docs pages, in the page cache's store."""
        self._path: str | None = None
        self.load_cache: LoadCache | None = None
        """Parsed files by content, kept while `mkdocs serve` keeps this plugin object."""
        self.render_cache: RenderCache | None = None
        """The last render's pages and what each read: the next render renders again only
        the pages an edit touches (under serve; with the cache, in the next build too)."""
        self.notes_for: str | None = None
        """The plan key of the last render whose notes the cache does not hold yet."""

    def open(self, options: PlaybookOptions, project_dir: Path, serving: bool) -> None:
        """Open the build cache; under serve without one, keep results in memory."""
        folder = project_dir / options.cache_dir
        wanted = str(folder) if options.cache else "memory" if serving else None
        if wanted == self._path:
            return
        if self.page_cache is not None:
            self.page_cache.store.close()
        self._path = wanted
        self.page_cache = self.plans = None
        if wanted is None:
            return
        store = Store.open(folder, note=log.info) if options.cache else None
        store = store or (Store.in_memory(note=log.info) if serving else None)
        if store is not None and serving:
            store.remember()
        if store is not None:
            self.page_cache = PageCache(store)
            self.plans = PlanCache(store, project_dir, versions())

    def memory(self) -> tuple[LoadCache, RenderCache]:
        """The parsed files and render notes, made when a build first needs the playbook."""
        from ..load.loader import LoadCache
        from ..render.incremental import RenderCache

        if self.load_cache is None or self.render_cache is None:
            self.load_cache, self.render_cache = LoadCache(), RenderCache()
        return self.load_cache, self.render_cache

    def keep_notes(self) -> None:
        """Put what the last render noted in the cache, for the next process: after each
        build, and under serve once, when it stops (every edit would pay for it)."""
        key, self.notes_for = self.notes_for, None
        if key is not None and self.render_cache is not None and self.plans is not None:
            self.plans.keep_notes(self.render_cache, key)

    def after_build(self, serving: bool, *, whole: bool) -> None:
        """Save what this build made, and say what it reused (``whole``: not a rebuild of
        some pages only)."""
        if self.page_cache is not None:
            (log.info if serving else log.debug)(f"Build cache: {self.page_cache.summary()}")
            self.page_cache.store.save(whole=whole)

    def save(self, *, whole: bool) -> None:
        if self.page_cache is not None:
            self.page_cache.store.save(whole=whole)
