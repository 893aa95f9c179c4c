"""Reuse what earlier builds made for the playbook's pages, from the persistent store.

Three results of a generated page are kept, each under a key that hashes what it depends
on, so an edit changes exactly the keys of the pages it changes:
- **conversion**: the page's Markdown turned into HTML, with its table of contents, title
  and anchors. Key: the Markdown, the page's path and URL, and the site's Markdown setup.
  The links a conversion looked up are kept with it and checked again on reuse, so a page
  linking to a file that was added, moved or removed is converted again;
- **search entries**: what Material's search plugin makes of the page's HTML;
- **page output**: the theme's HTML of the whole page. Key: the page's HTML, title, table
  of contents, metadata and neighbours, the whole nav, the config, the theme's templates and
  the versions of everything. It is kept only when every other plugin is one whose effect
  on a page the key covers (search, tags); with any other plugin, the theme runs as usual.

A conversion that logged a warning is never kept, so a warm build repeats every warning.
This module talks to MkDocs' objects; the store itself (`..cache`) does not know MkDocs.
"""

from __future__ import annotations

import functools
import gc
import logging
import math
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from pydantic_core import core_schema as schema

from ..cache import (
    TEXT,
    Shape,
    Store,
    Unstable,
    digest,
    folder_digest,
    stable_json,
    stable_repr,
)
from . import compat

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

if TYPE_CHECKING:  # Only `plugin` imports MkDocs; these are the objects it passes in.
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.structure.toc import AnchorLink


ENGINE_LOGGERS = ("mkdocs", "properdocs")
"""Where the engines log a page's warnings: MkDocs, and ProperDocs (its fork), whose own
modules log under their own name even when plugins import them as `mkdocs`."""

CACHED_PAGE_TEMPLATE = "playbook-cached-page.html"
"""The template a generated page is rendered through: it returns the stored output of the
page when there is one, and otherwise renders `main.html` and hands the result back."""
CACHED_PAGE_SOURCE = (
    "{%- if playbook_output is defined and playbook_output is not none -%}"
    "{{ playbook_output }}"
    "{%- else -%}"
    '{%- set output %}{% include "main.html" %}{% endset -%}'
    "{{ playbook_keep(output) if playbook_keep is defined else output }}"
    "{%- endif -%}"
)

NAV_PARTIAL = "partials/nav.html"
THEME_NAV_PARTIAL = "playbook-theme-nav.html"
"""The theme's own `partials/nav.html`, under a name of its own, for `NAV_SOURCE` to include."""
NAV_SOURCE = (
    "{%- if playbook_nav is defined and playbook_nav is not none -%}"
    "{{ playbook_nav }}"
    "{%- elif playbook_nav_keep is defined -%}"
    f'{{%- set nav_output %}}{{% include "{THEME_NAV_PARTIAL}" %}}{{% endset -%}}'
    "{{ playbook_nav_keep(nav_output) }}"
    "{%- else -%}"
    f'{{% include "{THEME_NAV_PARTIAL}" %}}'
    "{%- endif -%}"
)
"""`partials/nav.html` for a build that reuses the nav: the sidebar nav a generated page
outside the nav shows is the same for every such page in the same folder and section, so
it is rendered once for them (see `PageCache.nav_context`)."""
NAV_PARTIALS = (NAV_PARTIAL, "partials/nav-item.html", "partials/logo.html", "partials/source.html")
"""The templates the sidebar nav is made of: reused only when all are the theme's own."""

PLUGINS_THE_KEY_COVERS = frozenset({"search", "material/search", "tags", "material/tags"})
"""Plugins whose effect on a page's theme output is a function of what the key holds."""
VERSIONED = (
    "mkdocs",
    "mkdocs-material",
    "markdown",
    "pymdown-extensions",
    "jinja2",
    "nh3",
    "pygments",
    "mkdocs-playbook",
)
_STANDARD_CONTEXT = frozenset(
    {
        *("page", "nav", "config", "pages", "build_date_utc"),
        *("playbook_output", "playbook_keep", "playbook_nav", "playbook_nav_keep"),
    }
)


# -- the shapes of what is stored: a stored value of another shape is a miss -------------

TocItem = tuple[str, str, int, list[Any]]
"""A table of contents entry: its title, anchor, level and children (`TocItem`s)."""
LinkTarget = tuple[str, bool] | None
"""A file a conversion looked up: its URL and whether it is excluded, or ``None``."""


class Conversion(TypedDict):
    """What `_restore` needs of a page's conversion, besides its HTML."""

    toc: list[TocItem]
    title: str | None
    anchors: list[str]
    links_to_anchors: dict[str, dict[str, str]] | None
    links: dict[str, LinkTarget]


def _field(declared: schema.CoreSchema) -> schema.TypedDictField:
    return schema.typed_dict_field(declared)


_TOC_ITEM = schema.definition_reference_schema("toc item")
_STRINGS = schema.dict_schema(schema.str_schema(), schema.str_schema())
CONVERSION: Shape[Conversion] = Shape(
    schema.definitions_schema(
        schema.typed_dict_schema(
            {
                "toc": _field(schema.list_schema(_TOC_ITEM)),
                "title": _field(schema.nullable_schema(schema.str_schema())),
                "anchors": _field(schema.list_schema(schema.str_schema())),
                "links_to_anchors": _field(
                    schema.nullable_schema(schema.dict_schema(schema.str_schema(), _STRINGS))
                ),
                "links": _field(
                    schema.dict_schema(
                        schema.str_schema(),
                        schema.nullable_schema(
                            schema.tuple_schema([schema.str_schema(), schema.bool_schema()])
                        ),
                    )
                ),
            }
        ),
        [
            schema.tuple_schema(
                [
                    schema.str_schema(),
                    schema.str_schema(),
                    schema.int_schema(),
                    schema.list_schema(_TOC_ITEM),
                ],
                ref="toc item",
            )
        ],
    )
)
SEARCH_ENTRIES: Shape[list[dict[str, Any]]] = Shape(
    schema.list_schema(schema.dict_schema(schema.str_schema(), schema.any_schema()))
)
"""A page's entries in the search index, as the search plugin made them."""


@dataclass
class PageCache:
    """The three kinds of stored result for one build, and what this build reused."""

    store: Store
    converted: int = 0
    reused: dict[str, int] = field(
        default_factory=lambda: {"html": 0, "search": 0, "page": 0, "nav": 0}
    )
    _markdown_setup: str = ""
    _theme_setup: str | None = None
    _nav: str = ""
    _markdown: _Converter | None = None
    """This build's Markdown converter of generated pages."""
    _targets: dict[str, LinkTarget] = field(default_factory=dict)
    """Link targets looked up in this build, by path (the files do not change within it)."""
    _ahead: set[str] = field(default_factory=set)
    """Keys of the conversions and search entries this build made ahead, in workers."""
    _found: dict[str, tuple[Conversion, str]] = field(default_factory=dict)
    """Conversions looked up or made before MkDocs' loop asks for them, by key: each is
    taken once, so the loop does not read it from the store again."""
    _search: tuple[str, Callable[[Page], None], list[Any]] | None = None
    """Material's search: the key of its setup, its own `add_entry_from_context` and the
    list that collects the entries."""
    _nav_pages: set[int] | None = None
    """The pages the nav lists, by identity, when this build reuses the sidebar nav."""
    _nav_targets: set[tuple[str, ...]] = field(default_factory=set)
    """Every folder a URL the nav shows lies in, as path parts."""
    _navs: dict[tuple[Any, ...], str] = field(default_factory=dict)
    """The sidebar navs rendered in this build, by what they depend on."""

    # -- the build's fingerprints ------------------------------------------------------

    def begin_counts(self) -> None:
        """Count what the next pages reuse from zero."""
        self.reused = dict.fromkeys(self.reused, 0)
        self.converted = 0
        self._navs = {}

    def start(self, config: MkDocsConfig) -> None:
        """Fingerprint the Markdown setup; the theme's fingerprint waits for `theme_ready`."""
        self.begin_counts()
        self._theme_setup = None
        self._targets = {}
        self._ahead = set()
        self._found = {}
        self._search = None
        self._nav_pages = None
        self._markdown_setup = digest(
            versions(),
            stable_repr(config.markdown_extensions),
            stable_repr(config.mdx_configs),
            stable_repr(config.use_directory_urls),
            stable_repr(config.validation),
        )

    def theme_ready(
        self, config: MkDocsConfig, nav: Navigation | None, playbook: str, authors_dir: str
    ) -> bool:
        """Fingerprint the theme, config, nav and the folder of the pages for authors (the
        footer links to it); say whether page output can be kept."""
        others = [name for name in config.plugins if name != playbook]
        listed = list(config.plugins)
        after_us = listed[listed.index(playbook) + 1 :] if playbook in listed else []
        if nav is None or any(name not in PLUGINS_THE_KEY_COVERS for name in others):
            return False
        if any("tags" in name for name in after_us):
            return False  # It would add to the context after the key was made.
        theme = _theme_digest(config)
        if theme is None:
            return False
        try:
            self._nav = nav_digest(nav)
            self._theme_setup = digest(
                versions(),
                theme,
                stable_repr(_config_items(config), describe=_describe_mkdocs),
                authors_dir,
            )
        except Unstable:
            return False
        return True

    def nav_ready(self, config: MkDocsConfig, nav: Navigation) -> bool:
        """Whether generated pages outside the nav can share their sidebar nav: only when
        its templates are the installed theme's, whose nav reads nothing else of a page
        outside it than its folder and its sections (a site's own may read anything)."""
        self._nav_pages = None
        for name in NAV_PARTIALS:
            found = next((Path(d) for d in config.theme.dirs if (Path(d) / name).is_file()), None)
            if found is None or not installed(found):
                return False
        targets = [config.extra.get("homepage"), config.theme.get("logo")]
        if nav.homepage is not None:
            targets.append(nav.homepage.url)
        items = list(nav.items)
        while items:
            item = items.pop()
            targets.append(getattr(item, "url", None))
            items.extend(getattr(item, "children", None) or [])
        self._nav_targets = set()
        for target in targets:
            parts = _url_parts(target) if isinstance(target, str) else ()
            if ".." in parts or "\\" in str(target):  # It leads elsewhere once MkDocs reads it.
                return False
            self._nav_targets.update(parts[:end] for end in range(1, len(parts) + 1))
        self._nav_pages = {id(page) for page in nav.pages}
        return True

    def nav_context(self, context: dict[str, Any], page: Page) -> None:
        """Hand a generated page outside the nav the sidebar nav another page in the same
        folder and sections had, or a hook that keeps its own for the next one.

        The theme's nav shows the page's sections as open and every URL relative to the
        page. For a page outside the nav, relative URLs depend on the folder the page's
        own folder is in, as long as no URL of the nav lies inside the page's folder.
        """
        if self._nav_pages is None or id(page) in self._nav_pages:
            return
        url = page.url
        folder, _, name = url.rpartition("/")
        if "." in name:  # A page written as `name.html`: its URLs start from its folder.
            place: tuple[Any, ...] = ("file", _url_parts(folder))
        else:
            parts = _url_parts(url)
            if not parts or parts in self._nav_targets:
                return
            place = ("folder", parts[:-1])
        key = (place, tuple(id(section) for section in page.ancestors))
        found = self._navs.get(key)
        if found is not None:
            self.reused["nav"] += 1
            context["playbook_nav"] = found
            return

        def keep(output: str) -> str:
            self._navs[key] = output
            return output

        context["playbook_nav"] = None
        context["playbook_nav_keep"] = keep

    # -- conversion ----------------------------------------------------------------------

    def _conversion_key(self, page: Page, markdown: str) -> str:
        excluded = page.file.inclusion.is_excluded()  # type: ignore[no-untyped-call]
        return digest(
            self._markdown_setup, page.file.src_uri, page.file.url, str(excluded), markdown
        )

    def _stored_conversion(self, key: str, files: Files) -> tuple[Conversion, str] | None:
        stored = self.store.get("html", key, CONVERSION)
        if stored is not None and self._links_unchanged(stored["links"], files):
            content = self.store.get("html-content", key, TEXT)
            if content is not None:
                return stored, content
        return None

    def wrap_render(self, page: Page) -> None:
        """Make ``page.render`` reuse a stored conversion when nothing it depends on changed."""

        def render(config: MkDocsConfig, files: Files) -> None:
            # Keyed by the Markdown as every plugin's `on_page_markdown` left it.
            key = self._conversion_key(page, page.markdown or "")
            found = self._found.pop(key, None) or self._stored_conversion(key, files)
            if found is not None:
                if key in self._ahead:
                    self.converted += 1
                else:
                    self.reused["html"] += 1
                _restore(page, *found, files)
                return
            counter = _Counter(logging.WARNING)
            loggers = [logging.getLogger(name) for name in ENGINE_LOGGERS]
            for logger in loggers:
                logger.addHandler(counter)
            try:
                snapshot = self._convert(page, config, files)
            finally:
                for logger in loggers:
                    logger.removeHandler(counter)
            self.converted += 1
            if not counter.count and page.content is not None:
                self._keep_conversion(key, snapshot, page.content)

        compat.replace_render(page, render)

    def _convert(self, page: Page, config: MkDocsConfig, files: Files) -> Conversion:
        """Convert the page with this build's converter; what `_restore` needs of it, with
        the files it looked up."""
        recording = _RecordingFiles(files, self._targets)
        self._converter(config).convert(page, config, recording)  # type: ignore[arg-type]
        return _snapshot(page, recording.lookups)

    def _keep_conversion(self, key: str, snapshot: Conversion, content: str) -> None:
        self.store.put("html", key, snapshot)
        self.store.put("html-content", key, content)

    def _links_unchanged(self, lookups: dict[str, LinkTarget], files: Files) -> bool:
        """Whether every file a stored conversion looked up is where it was."""
        known = self._targets
        for path, found in lookups.items():
            if path not in known:
                known[path] = _link_target(files.get_file_from_path(path))
            # Read back from this process's memory, a target is a list; from the file, a tuple.
            if known[path] != (None if found is None else tuple(found)):
                return False
        return True

    def _converter(self, config: MkDocsConfig) -> _Converter:
        if self._markdown is None or self._markdown.config is not config:
            self._markdown = _Converter(config)
        return self._markdown

    def sanitized(self, content: str, clean: Callable[[str], str]) -> str:
        """``clean(content)``, reused when the same HTML was cleaned before."""
        key = _clean_key(content)
        stored = self.store.get("clean", key, TEXT)
        if stored is not None:
            return stored
        cleaned = clean(content)
        self.store.put("clean", key, cleaned)
        return cleaned

    def convert_ahead(self, job: Ahead, workers: int, heap: HeapFreeze) -> tuple[int, int]:
        """Convert (and clean) the pages the store has no result for in ``workers`` forked
        processes, before MkDocs' page loop asks for them one by one; its `render` and
        `sanitized` then find the results stored. A page whose conversion logs anything is
        left to that loop, which logs it as usual. Returns how many pages were converted, by
        how many processes."""
        todo: list[tuple[int, str]] = []
        for index, page in enumerate(job.pages):
            key = self._conversion_key(page, job.read(page)[0])
            found = self._stored_conversion(key, job.files)
            if found is None:
                todo.append((index, key))
            else:
                self._found[key] = found
        if len(todo) < PARALLEL_FROM or not can_fork():
            return 0, 0
        keys = dict(todo)
        processes = min(workers, len(todo) // PARALLEL_EACH)
        global _JOB  # What the forked workers inherit; nothing else reads it.
        _JOB = (self, job)
        # Made before the fork, so that every worker inherits one Markdown instance with its
        # extensions loaded instead of loading them again (Material's emoji index and all).
        self._converter(job.config)
        done = 0
        # Every object made so far goes to the collector's permanent generation: a worker's
        # collections then never walk (and copy, page by page) the heap it inherited, nor
        # do this process's while it waits. They are collectable again after the build.
        heap.freeze()
        try:
            context = multiprocessing.get_context("fork")
            with context.Pool(processes, initializer=_start_worker) as pool:
                chunk = max(1, len(todo) // (processes * 8))
                for index, result in pool.imap_unordered(_convert_in_worker, keys, chunk):
                    if result is None:
                        continue
                    snapshot, content, cleaned, search = result
                    key = keys[index]
                    self._keep_conversion(key, snapshot, content)
                    self._found[key] = (snapshot, content)
                    self.store.put("clean", _clean_key(content), cleaned)
                    if search is not None:
                        self.store.put("search", *search)
                        self._ahead.add(search[0])
                    self._ahead.add(key)
                    done += 1
        except Exception as problem:  # MkDocs' own loop converts the rest, as without workers.
            log.info(f"Worker processes stopped converting pages ({problem!r}); MkDocs goes on")
        finally:
            _JOB = None
        return done, processes

    # -- search --------------------------------------------------------------------------

    def wrap_search(self, config: MkDocsConfig, generated: Callable[[Page], bool]) -> None:
        """Reuse the search entries of unchanged generated pages (Material's search only)."""
        index = compat.material_search_index(config)
        if index is None:
            return
        entries = index.entries
        original: Callable[[Page], None] = index.add_entry_from_context
        setup = digest(versions(), stable_repr(getattr(index, "config", None)))

        def add_entry_from_context(page: Page) -> None:
            if not generated(page):
                original(page)
                return
            key = _search_key(setup, page)
            stored = self.store.get("search", key, SEARCH_ENTRIES)
            if stored is not None:
                if key not in self._ahead:
                    self.reused["search"] += 1
                index.entries.extend(stored)
                return
            before = len(index.entries)
            original(page)
            self.store.put("search", key, index.entries[before:])

        compat.replace_add_entry(index, add_entry_from_context)
        self._search = (setup, original, entries)

    # -- page output ---------------------------------------------------------------------

    def page_context(self, context: dict[str, Any], page: Page) -> None:
        """Put the page's stored output in its context, or a hook that keeps the new one."""
        if self._theme_setup is None:
            return
        try:
            key = digest(
                self._theme_setup,
                self._nav,
                page.file.src_uri,
                page.url,
                str(page.title),
                page.content or "",
                _toc_text(page.toc),
                stable_json(_shown_meta(page)),
                stable_json(
                    [
                        page.edit_url,
                        page.canonical_url,
                        page.is_homepage,
                        _neighbour(page.previous_page),
                        _neighbour(page.next_page),
                        [_neighbour(a) for a in page.ancestors],
                    ]
                ),
                stable_json(
                    {k: v for k, v in context.items() if k not in _STANDARD_CONTEXT},
                    describe=_describe_mkdocs,
                ),
            )
        except Unstable:
            return
        stored = self.store.get("page", key, TEXT)
        if stored is not None:
            self.reused["page"] += 1
            context["playbook_output"] = stored
            return

        def keep(output: str) -> str:
            self.store.put("page", key, output)
            return output

        context["playbook_output"] = None
        context["playbook_keep"] = keep
        self.nav_context(context, page)

    def summary(self) -> str:
        """What this build reused, for the log."""
        return (
            f"reused {self.reused['html']} converted pages, {self.reused['page']} page "
            f"outputs and {self.reused['search']} search entries; shared the sidebar nav of "
            f"{self.reused['nav']} pages; converted {self.converted}"
        )


class HeapFreeze:
    """The collector's permanent generation, for the objects a build has made before its
    page loop: the playbook, its pages, MkDocs' config and files. Each full collection in
    the loop would walk them all again (a tenth of a second at 1,000 pages) and find
    nothing to free. A freeze made by the program that hosts MkDocs is left as it was."""

    def __init__(self) -> None:
        self.ours = False

    def freeze(self) -> None:
        """Freeze every object made so far; nothing when the host froze some (all frozen
        objects thaw together, and the host's must stay as they are)."""
        if self.ours or gc.get_freeze_count() == 0:
            gc.freeze()
            self.ours = True

    def thaw(self) -> None:
        """Make them collectable again, once the build is over."""
        if self.ours:
            gc.unfreeze()
            self.ours = False


@functools.cache
def versions() -> str:
    """The versions of every package whose code shapes a page, and a hash of the plugin's
    own files (an editable install changes without a new version); read once a process."""
    found = [f"code={folder_digest(Path(__file__).resolve().parents[1], skip='__pycache__')}"]
    for name in VERSIONED:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=-")
    return ";".join([sys.version.split()[0], *found])


class _Converter:
    """`Page.render`, with one Markdown instance for every generated page of a build.

    MkDocs makes a new `markdown.Markdown`, with every extension, for each page: a tenth of
    a page's conversion. Here one instance is reset between pages (Python-Markdown's way
    to convert many texts, which its extensions support), and MkDocs' own per-page
    processors are registered anew for each page, as `Page.render` does.
    """

    def __init__(self, config: MkDocsConfig) -> None:
        import markdown

        self.config = config
        self._md = markdown.Markdown(
            extensions=config["markdown_extensions"],
            extension_configs=config["mdx_configs"] or {},
        )

    def convert(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        from mkdocs.structure.toc import get_toc

        md = self._md.reset()
        finish = compat.register_page_processors(md, page, files, config)
        page.content = md.convert(page.markdown or "")
        page.toc = get_toc(getattr(md, "toc_tokens", []))
        finish()


class _Counter(logging.Handler):
    """Counts the records of its level and above."""

    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


PARALLEL_FROM = 64
"""The fewest pages to convert that are worth starting worker processes for."""
PARALLEL_EACH = 16
"""The fewest pages a worker process is started for."""


@dataclass
class Ahead:
    """The generated pages of a build, to convert before MkDocs' page loop reaches them."""

    pages: list[Page]
    read: Callable[[Page], tuple[str, dict[str, Any]]]
    """A page's Markdown and metadata as MkDocs' loop and the plugin's `on_page_markdown`
    will set them (when no other plugin changes them: then the keys differ, and the loop
    converts the page itself)."""
    config: MkDocsConfig
    files: Files
    finish: Callable[[Page], None]
    """What the plugin's `on_page_content` does to a converted page (it cleans the HTML)."""


_JOB: tuple[PageCache, Ahead] | None = None


def can_fork() -> bool:
    """Whether worker processes can be forked safely: on Linux (macOS's system libraries
    start threads that a fork breaks), from a process with no other thread (a thread
    holding a lock at the fork would leave it locked in the worker for good)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def default_workers() -> int:
    """The processors this process may run on, as many as its CPU quota allows (a
    container's `--cpus`), at most 8."""
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        available = os.cpu_count() or 1
    quota = cpu_quota()
    if quota is not None:
        available = min(available, math.ceil(quota))
    return max(1, min(available, 8))


def cpu_quota(cgroup: Path = Path("/sys/fs/cgroup")) -> float | None:
    """The processors' worth of time the control group allows, or ``None`` without a limit.

    Read where a container sees its own group: cgroup v2's `cpu.max` ("200000 100000":
    two processors), else v1's `cpu.cfs_quota_us` over `cpu.cfs_period_us`.
    """
    try:
        v2 = cgroup / "cpu.max"
        if v2.is_file():
            quota, period = v2.read_text(encoding="ascii").split()[:2]
        else:
            quota = (cgroup / "cpu/cpu.cfs_quota_us").read_text(encoding="ascii").strip()
            period = (cgroup / "cpu/cpu.cfs_period_us").read_text(encoding="ascii").strip()
        if quota in ("max", "-1"):
            return None
        allowed = int(quota) / int(period)
    except (OSError, ValueError, ZeroDivisionError):
        return None
    return allowed if allowed > 0 else None


_Converted = tuple[Conversion, str, str, tuple[str, list[Any]] | None]
"""What a worker makes of a page: its conversion, its HTML, that HTML cleaned and (with
Material's search) its search entries with their key."""


def _convert_in_worker(index: int) -> tuple[int, _Converted | None]:
    """In a forked worker: convert, clean and index one page, as MkDocs' loop would (with
    the plugin's events); ``None`` when anything was logged on the way."""
    assert _JOB is not None
    cache, job = _JOB
    page = job.pages[index]
    page.markdown, page.meta = job.read(page)  # The worker's own copy of the page.
    _HEARD.count = 0
    snapshot = cache._convert(page, job.config, job.files)
    content = page.content
    if content is None:
        return index, None
    job.finish(page)
    cleaned = page.content or ""
    search = None
    if cache._search is not None:
        setup, add_entry, entries = cache._search
        before = len(entries)
        add_entry(page)
        search = (_search_key(setup, page), entries[before:])
    if _HEARD.count:
        return index, None
    return index, (snapshot, content, cleaned, search)


def _search_key(setup: str, page: Page) -> str:
    return digest(
        setup,
        page.url,
        str(page.title),
        stable_json(_shown_meta(page)),
        page.content or "",
        _toc_text(page.toc),
    )


def _shown_meta(page: Page) -> dict[str, Any]:
    """A page's metadata as its key holds it: the template it is routed through is ours."""
    return {k: v for k, v in page.meta.items() if k != "template"}


_HEARD = _Counter(logging.NOTSET)
"""In a worker: counts what its page's conversion logged."""


def _start_worker() -> None:
    """In a new worker, send every log record to `_HEARD` instead of the terminal, where
    the main process would have printed it too: MkDocs' loop converts such a page again."""
    manager = logging.Logger.manager
    for logger in [logging.getLogger(), *map(logging.getLogger, list(manager.loggerDict))]:
        logger.handlers = [_HEARD]


def _clean_key(content: str) -> str:
    return digest(versions(), content)


class _RecordingFiles:
    """The site's files as a conversion sees them, noting each file it looks up."""

    def __init__(self, files: Files, targets: dict[str, LinkTarget]) -> None:
        self._files = files
        self._targets = targets
        self.lookups: dict[str, LinkTarget] = {}

    def get_file_from_path(self, path: str) -> File | None:
        found = self._files.get_file_from_path(path)
        if path not in self._targets:
            self._targets[path] = _link_target(found)
        self.lookups[path] = self._targets[path]
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self._files, name)


def _link_target(file: File | None) -> LinkTarget:
    excluded = file is not None and file.inclusion.is_excluded()  # type: ignore[no-untyped-call]
    return None if file is None else (file.url, excluded)


def _snapshot(page: Page, lookups: dict[str, LinkTarget]) -> Conversion:
    links = page.links_to_anchors
    return {
        "toc": [_toc_item(item) for item in page.toc],
        "title": compat.render_title(page),
        "anchors": sorted(page.present_anchor_ids or ()),
        "links_to_anchors": (
            None if links is None else {f.src_uri: dict(v) for f, v in links.items()}
        ),
        "links": lookups,
    }


def _restore(page: Page, stored: Conversion, content: str, files: Files) -> None:
    from mkdocs.structure.toc import TableOfContents

    page.content = content
    page.toc = TableOfContents([_anchor(item) for item in stored["toc"]])
    compat.set_render_title(page, stored["title"])
    page.present_anchor_ids = set(stored["anchors"])
    links = stored["links_to_anchors"]
    if links is not None:
        page.links_to_anchors = {
            file: dict(anchors)
            for src_uri, anchors in links.items()
            if (file := files.get_file_from_path(src_uri)) is not None
        }


def _toc_item(item: AnchorLink) -> TocItem:
    return (item.title, item.id, item.level, [_toc_item(child) for child in item.children])


def _anchor(stored: TocItem) -> AnchorLink:
    from mkdocs.structure.toc import AnchorLink

    title, anchor_id, level, children = stored
    item = AnchorLink(title, anchor_id, level)
    item.children = [_anchor(child) for child in children]
    return item


def _toc_text(toc: Any) -> str:
    return stable_json([_toc_item(item) for item in toc])


def _neighbour(item: Any) -> list[Any] | None:
    if item is None:
        return None
    return [type(item).__name__, str(getattr(item, "title", "")), getattr(item, "url", None)]


def _url_parts(url: str) -> tuple[str, ...]:
    """A site-relative URL's path as parts, the way MkDocs' relative URLs read it."""
    return tuple(part for part in url.split("/") if part and part != ".")


def nav_digest(nav: Navigation) -> str:
    """The nav as readers see it: every item's kind, title, URL and the metadata the theme
    shows of it (`NAV_META`), in order and nesting."""
    return digest(stable_repr([_nav_item(item) for item in nav.items]))


NAV_META = ("icon", "subtitle", "status")
"""What Material's nav shows of a page's metadata, besides its title."""


def _nav_item(item: Any) -> list[Any]:
    children = getattr(item, "children", None) or []
    meta = getattr(item, "meta", None)
    shown = {key: meta.get(key) for key in NAV_META} if isinstance(meta, dict) else {}
    return [*(_neighbour(item) or []), shown, [_nav_item(child) for child in children]]


def _describe_mkdocs(value: Any) -> Any:
    """Nav items, files and the theme, by what a page shows of them, not by identity."""
    module = type(value).__module__
    if module.startswith(("mkdocs.structure", "properdocs.structure")):
        if hasattr(value, "src_uri") and not hasattr(value, "title"):
            return ["file", value.src_uri, value.url]
        return _neighbour(value)
    if module.startswith(("mkdocs.theme", "properdocs.theme")):
        return ["theme", value.name, list(value.dirs), dict(value.items())]
    if module.startswith(("mkdocs.plugins", "properdocs.plugins")):
        return {name: plugin.config for name, plugin in value.items()}
    return None


def _config_items(config: MkDocsConfig) -> dict[str, Any]:
    """The config as a page's output can depend on it: not where files are written."""
    skipped = {"site_dir", "config_file_path", "docs_dir", "watch", "dev_addr", "hooks"}
    return {key: value for key, value in config.items() if key not in skipped}


def _theme_digest(config: MkDocsConfig) -> str | None:
    """The templates of the theme's folders: installed ones by path (their package's version
    is in `versions`), the site's own by content. ``None`` when a site template shows the
    build date, which a stored page would freeze."""
    parts = []
    for folder in map(Path, config.theme.dirs):
        if installed(folder):
            parts.append(folder.as_posix())
            continue
        for template in _templates(folder):
            if "build_date_utc" in template.read_text(encoding="utf-8", errors="replace"):
                return None
        parts.append(folder_digest(folder))
    return digest(*parts)


def installed(folder: Path) -> bool:
    """Whether a folder belongs to an installed package, which changes only with its version
    (and so is not read file by file)."""
    return "site-packages" in folder.parts or "dist-packages" in folder.parts


def _templates(folder: Path) -> Iterator[Path]:
    if folder.is_dir():
        yield from (path for path in folder.rglob("*.html") if path.is_file())
