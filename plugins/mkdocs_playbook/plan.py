"""What a build makes of a playbook, as plain values: the pages, where they go, the settings.

An engine needs nothing else to place the pages, and a build cache stores a plan as JSON:
a build whose inputs are all as before takes its plan from the cache. This module holds no
more than that, so such a build never loads the code that reads and renders a playbook.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypedDict

from pydantic_core import core_schema as schema

from .cache import Shape
from .diagnostics import Diagnostic, Severity

EditUrl = Callable[[str], str | None]
"""Given a source path relative to the project, its edit URL (or None)."""

AUTHORS_DIR = "authors"
"""Where the pages for authors go, generated and hand-written: out of the reader's nav and
search index, listed on the hub (`authors_hub`) that a link at the foot of every page
opens."""
MOVED_AUTHORS_DIR = "for-authors"
"""Where they go instead when a kind takes the collection `authors` (`authors_dir`)."""
AUTHORS_HUB_NAME = "index.md"
AUTHORS_SECTION = "For authors"
"""A nav section of that title keeps its pages out of the search index too, as it did
before the pages for authors left the nav."""


def authors_dir(collections: Iterable[str]) -> str:
    """The folder of the pages for authors, given the kinds' collections: `authors/`, or
    `for-authors/` when a kind's collection is `authors` (any collection folder makes a
    kind, with its pages at `<collection>/`). The loader refuses a playbook whose
    collections take both."""
    return MOVED_AUTHORS_DIR if AUTHORS_DIR in collections else AUTHORS_DIR


def authors_hub(folder: str) -> str:
    """The generated page that lists every page for authors, in their ``folder``."""
    return f"{folder}/{AUTHORS_HUB_NAME}"


def for_authors(src_uri: str, folder: str) -> bool:
    """Whether a docs-relative path is a page for authors: one under their ``folder``."""
    return src_uri.startswith(f"{folder}/")


ENGINE_PATHS = ("404.html", "search/search_index.json", "sitemap.xml", "assets/")
"""What the site engine writes itself (MkDocs with Material): the page for missing pages, the
search index, the sitemap and the theme's assets."""


@dataclass(frozen=True)
class SiteSettings:
    """What the engine knows of the site that shapes the pages."""

    edit_url: EditUrl | None = None
    show_tags: bool = True
    """Whether pages list their tags (not where Material's tags plugin does it)."""
    icons: bool = False
    """Whether Material's icon shortcodes are available."""
    snippets: bool = False
    """Whether `pymdownx.snippets` is on, so YAML text must not reach it."""
    use_directory_urls: bool = True
    site_url: str | None = None
    serving: bool = False


TAGS_PLUGINS = ("tags", "material/tags")
"""Plugins that list a page's tags themselves (the pages then leave them out)."""


def site_settings(
    *,
    plugins: Collection[str],
    extensions: Collection[str | None],
    use_directory_urls: bool,
    site_url: str | None,
    edit_url: EditUrl | None = None,
    serving: bool = False,
) -> SiteSettings:
    """What a site's config says that shapes the pages, from its plugins' and Markdown
    extensions' names: the plugin reads them from MkDocs' config, the export from the
    mkdocs.yml it writes."""
    return SiteSettings(
        edit_url=edit_url,
        show_tags=not any(name in plugins for name in TAGS_PLUGINS),
        icons="pymdownx.emoji" in extensions,
        snippets="pymdownx.snippets" in extensions,
        use_directory_urls=use_directory_urls,
        site_url=site_url,
        serving=serving,
    )


SITE_DEFAULTS = SiteSettings()
"""A site with no settings of its own: what the renderer assumes when it is told nothing."""


@dataclass(frozen=True)
class NavSection:
    """One kind's place in the nav: its index page and the pages of its entities."""

    title: str
    index: str
    entities: list[str]


@dataclass(frozen=True)
class SitePlan:
    """A build's generated pages and where they go: all an engine needs to place them.

    It holds plain values only, so a build cache can store it as JSON and a build with
    nothing changed can take it without loading the playbook.
    """

    pages: dict[str, str]
    """Every generated file by docs-relative path."""
    sources: dict[str, str]
    """The YAML (or `_index.md`) file each page is made from, relative to the project."""
    entity_pages: list[str]
    sections: list[NavSection]
    reader_pages: list[str]
    """Site pages for readers (the nav puts them after the home page)."""
    author_pages: list[str]
    """Generated pages for authors, all under `authors_dir`, the hub first: no nav lists
    them, and they stay out of the search index."""
    diagnostics: list[Diagnostic]
    """The warnings the playbook has (a plan is made only when it has no errors)."""
    files: dict[str, str] = field(default_factory=dict)
    """Files copied into the site as they are (the images of image fields): the absolute
    path of each source file by its docs-relative path."""
    authors_dir: str = AUTHORS_DIR
    """The folder of the pages for authors, generated and hand-written (`authors_dir`)."""

    def shape(self) -> str:
        """Everything but the pages' text: two plans of one shape put the same files in the
        same places."""
        return repr(
            (
                sorted(self.pages),
                sorted(self.sources.items()),
                self.entity_pages,
                [(s.title, s.index, s.entities) for s in self.sections],
                self.reader_pages,
                self.author_pages,
                sorted(self.files.items()),
                self.authors_dir,
            )
        )

    def to_json(self) -> PlanJson:
        """The plan as JSON values."""
        return {
            "pages": self.pages,
            "sources": self.sources,
            "entity_pages": self.entity_pages,
            "sections": [(s.title, s.index, s.entities) for s in self.sections],
            "reader_pages": self.reader_pages,
            "author_pages": self.author_pages,
            "diagnostics": [
                (d.path, d.line, d.column, d.field, d.message, d.severity.value)
                for d in self.diagnostics
            ],
            "files": self.files,
            "authors_dir": self.authors_dir,
        }

    @classmethod
    def from_json(cls, data: PlanJson) -> SitePlan:
        """A plan from what `to_json` gave."""
        return cls(
            pages=dict(data["pages"]),
            sources=dict(data["sources"]),
            entity_pages=list(data["entity_pages"]),
            sections=[NavSection(t, i, list(e)) for t, i, e in data["sections"]],
            reader_pages=list(data["reader_pages"]),
            author_pages=list(data["author_pages"]),
            diagnostics=[
                Diagnostic(path, line, column, name, message, Severity(severity))
                for path, line, column, name, message, severity in data["diagnostics"]
            ],
            files=dict(data["files"]),
            authors_dir=data["authors_dir"],
        )


@dataclass(frozen=True)
class NavGroup:
    """A section the nav gets: its title (as HTML), the pages it lists (its kind's index
    first), and the pages that hang under it without being listed."""

    title: str
    listed: list[str]
    hung: list[str]


@dataclass(frozen=True)
class NavPlan:
    """Where a build's generated pages go in a nav that lists some pages already, as plain
    values: the plugin makes MkDocs' nav objects of it, the export an mkdocs.yml `nav`."""

    readers: list[str]
    """Site pages for readers, to put right after the home page."""
    sections: list[NavGroup]
    """One section per kind to add at the end."""
    placed: list[NavSection]
    """Kinds whose index page the nav lists already: their entity pages hang under the
    index's section, listed nowhere."""


def nav_plan(plan: SitePlan, mode: str, present: Collection[str]) -> NavPlan:
    """Where ``plan``'s pages go in a nav that lists the ``present`` pages, for the `nav`
    option's ``mode``: `kinds` lists each kind's index, `entities` its entity pages too.
    Entity pages are reached from their index, search and backlinks; listing them in the
    nav would make every page's build grow with the page count. Pages for authors go in no
    nav: the hub lists them."""
    sections: list[NavGroup] = []
    placed: list[NavSection] = []
    for kind in plan.sections:
        if kind.index in present:
            placed.append(kind)
            continue
        # Themes print a nav title as HTML, as they do a page's (see `front_matter`).
        title = html.escape(kind.title)
        if mode == "entities":
            sections.append(NavGroup(title, [kind.index, *kind.entities], []))
        else:
            sections.append(NavGroup(title, [kind.index], list(kind.entities)))
    return NavPlan(
        readers=[path for path in plan.reader_pages if path not in present],
        sections=sections,
        placed=placed,
    )


def reserved_names(written: Iterable[str]) -> dict[str, str]:
    """The top-level names that the paths a site writes take, each with the first such path.

    A collection folder of one of these names would put its pages where those go: `schemas`
    over `schemas/persona.schema.json`, `authors` over `authors/index.md` (both are
    `authors/` on the site; but the pages for authors move out of a kind's way instead,
    see `authors_dir`).
    """
    names: dict[str, str] = {}
    for path in written:
        top, slash, _ = path.partition("/")
        name = top if slash else top.rsplit(".", 1)[0]
        names.setdefault(name, path)
    return names


class PlanJson(TypedDict):
    """A plan as JSON values (`SitePlan.to_json`)."""

    pages: dict[str, str]
    sources: dict[str, str]
    entity_pages: list[str]
    sections: list[tuple[str, str, list[str]]]
    reader_pages: list[str]
    author_pages: list[str]
    diagnostics: list[tuple[str, int, int, str, str, Literal["error", "warning"]]]
    files: dict[str, str]
    authors_dir: str


def _field(declared: schema.CoreSchema) -> schema.TypedDictField:
    return schema.typed_dict_field(declared)


_TEXT = schema.str_schema()
_TEXTS = schema.list_schema(_TEXT)
_BY_PATH = schema.dict_schema(_TEXT, _TEXT)
PLAN_JSON: Shape[PlanJson] = Shape(
    schema.typed_dict_schema(
        {
            "pages": _field(_BY_PATH),
            "sources": _field(_BY_PATH),
            "entity_pages": _field(_TEXTS),
            "sections": _field(schema.list_schema(schema.tuple_schema([_TEXT, _TEXT, _TEXTS]))),
            "reader_pages": _field(_TEXTS),
            "author_pages": _field(_TEXTS),
            "files": _field(_BY_PATH),
            "authors_dir": _field(_TEXT),
            "diagnostics": _field(
                schema.list_schema(
                    schema.tuple_schema(
                        [
                            _TEXT,
                            schema.int_schema(),
                            schema.int_schema(),
                            _TEXT,
                            _TEXT,
                            schema.literal_schema([s.value for s in Severity]),
                        ]
                    )
                )
            ),
        }
    )
)
"""The shape a stored plan must have to be read."""


def clashes(
    docs_dir: Path, display: Callable[[Path], str], generated: Iterable[str]
) -> list[Diagnostic]:
    """A problem for each hand-written file in the docs folder where a generated one goes."""
    return [
        Diagnostic(
            display(docs_dir / src_uri),
            1,
            1,
            "file",
            "the playbook generates this page; remove or rename the hand-written file",
        )
        for src_uri in generated
        if (docs_dir / src_uri).exists()
    ]
