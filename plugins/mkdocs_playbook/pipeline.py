"""The phases, wired once: load → validate → resolve refs and backlinks → render → clash check.

The MkDocs plugin, `playbook validate` and `playbook export` all run a `Pipeline`, so they
cannot disagree about what a playbook is or which pages it makes. Nothing here imports an
engine: the engine hands in what it knows of the site as `SiteSettings`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .authoring.author_pages import author_files, author_page_paths, author_pages
from .diagnostics import Diagnostic, Severity, sorted_diagnostics
from .load.loader import LoadCache, load_playbook
from .model import Playbook, kind_index_path
from .options import PlaybookOptions
from .render.incremental import RenderCache
from .render.pages import EditUrl, Renderer
from .resolve.refs import Links, resolve_refs


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


@dataclass
class Checked:
    """The playbook loaded, validated and resolved, with every problem found, in file order."""

    playbook: Playbook
    links: Links
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        """The problems that stop a build."""
        return [d for d in self.diagnostics if d.is_error]


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
    """Pages for authors, in nav order (the nav's "For authors" section)."""
    diagnostics: list[Diagnostic]
    """The warnings the playbook has (a plan is made only when it has no errors)."""

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
            )
        )

    def to_json(self) -> dict[str, Any]:
        """The plan as JSON values."""
        return {
            "pages": self.pages,
            "sources": self.sources,
            "entity_pages": self.entity_pages,
            "sections": [[s.title, s.index, s.entities] for s in self.sections],
            "reader_pages": self.reader_pages,
            "author_pages": self.author_pages,
            "diagnostics": [
                [d.path, d.line, d.column, d.field, d.message, d.severity.value]
                for d in self.diagnostics
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SitePlan:
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
        )


class Pipeline:
    """One playbook project's phases, from its YAML files to Markdown pages."""

    def __init__(
        self,
        options: PlaybookOptions,
        *,
        project_dir: Path,
        docs_dir: Path,
        display: Callable[[Path], str],
        playbooks_dir: Path | None = None,
        override_dirs: Sequence[Path] = (),
        load_cache: LoadCache | None = None,
        render_cache: RenderCache | None = None,
    ) -> None:
        self.options = options
        self.project_dir = project_dir
        self.playbooks_dir = playbooks_dir or project_dir / options.playbooks_dir
        """The playbook folder as an absolute path."""
        self.docs_dir = docs_dir
        self.display = display
        """How messages show a path (relative to the project, or to the current folder)."""
        self.override_dirs = override_dirs
        self.load_cache = load_cache
        self.render_cache = render_cache
        """The last render's pages and what each read: with it, `render` renders again only
        the pages an edit touches."""

    def check(self, *, display_dir: Path | None = None) -> Checked:
        """Load and validate every file, then resolve every ref and gather the backlinks."""
        result = load_playbook(
            self.playbooks_dir,
            project_dir=display_dir or self.project_dir,
            max_file_size=self.options.max_file_size,
            cache=self.load_cache,
        )
        links, ref_diagnostics = resolve_refs(result.playbook)
        return Checked(
            result.playbook, links, sorted_diagnostics(result.diagnostics + ref_diagnostics)
        )

    def renderer(self, checked: Checked, site: SiteSettings) -> Renderer:
        """The renderer of this playbook's pages for a site."""
        return Renderer(
            checked.playbook,
            checked.links,
            override_dirs=self.override_dirs,
            edit_url=site.edit_url,
            show_tags=site.show_tags,
            icons=site.icons,
            snippets=site.snippets,
            use_directory_urls=site.use_directory_urls,
            extra_pages=self.options.extra_pages,
        )

    def render(self, checked: Checked, site: SiteSettings) -> tuple[Renderer, dict[str, str]]:
        """Every generated page and file, by docs-relative path.

        Raises `TemplateProblem` when a page template fails.
        """
        renderer = self.renderer(checked, site)
        pages = renderer.render_site(self.render_cache)
        pages.update(
            author_pages(
                checked.playbook,
                checked.links,
                checked.diagnostics,
                site_url=site.site_url,
                playbooks_dir=self.options.playbooks_dir,
                guide=self.options.authoring_guide,
                health=self.options.wants_health_page(site.serving),
                edit_url=site.edit_url,
            )
        )
        return renderer, pages

    def plan(self, checked: Checked, renderer: Renderer, pages: dict[str, str]) -> SitePlan:
        """Where the pages `render` made go: the sources, the nav sections, the site pages."""
        playbook = renderer.playbook
        return SitePlan(
            pages=pages,
            sources={entity.page_path: entity.path for entity in playbook}
            | {
                kind_index_path(playbook.kinds.by_name[name]): path
                for name, path in playbook.intro_paths.items()
            },
            entity_pages=[entity.page_path for entity in playbook],
            sections=[
                NavSection(
                    kind.plural,
                    kind_index_path(kind),
                    [entity.page_path for entity in playbook.of_kind(kind)],
                )
                for kind in renderer.kinds_with_pages()
            ],
            reader_pages=renderer.extra_page_paths("readers"),
            author_pages=[*renderer.extra_page_paths("authors"), *author_page_paths(pages)],
            diagnostics=list(checked.diagnostics),
        )

    def inputs(self) -> list[str | bytes]:
        """Every file the pages are made from (the playbook's and the override templates),
        by path and content, for a cache key."""
        parts: list[str | bytes] = []
        for root in (self.playbooks_dir, *self.override_dirs):
            if root.is_dir():
                for path in sorted(p for p in root.rglob("*") if p.is_file()):
                    parts += [path.relative_to(root).as_posix(), path.read_bytes()]
            parts.append("\0")
        return parts

    def page_paths(self, checked: Checked) -> list[str]:
        """The paths `render` writes for a build, without rendering anything."""
        return self.renderer(checked, SiteSettings()).page_paths() + author_files(
            checked.playbook.kinds,
            guide=self.options.authoring_guide,
            health=self.options.wants_health_page(serving=False),
        )

    def clashes(self, generated: Iterable[str]) -> list[Diagnostic]:
        """A problem for each hand-written file in the docs folder where a generated one goes."""
        return [
            Diagnostic(
                self.display(self.docs_dir / src_uri),
                1,
                1,
                "file",
                "the playbook generates this page; remove or rename the hand-written file",
            )
            for src_uri in generated
            if (self.docs_dir / src_uri).exists()
        ]
