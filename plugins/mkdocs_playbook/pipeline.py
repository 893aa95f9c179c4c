"""The phases, wired once: load → validate → resolve refs and backlinks → render → clash check.

The MkDocs plugin, `playbook validate` and `playbook export` all run a `Pipeline`, so they
cannot disagree about what a playbook is or which pages it makes. Nothing here imports an
engine: the engine hands in what it knows of the site as `SiteSettings`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .authoring.author_pages import author_files, author_page_paths, author_pages
from .diagnostics import Diagnostic, sorted_diagnostics
from .load.loader import LoadCache, load_playbook
from .model import Playbook, kind_index_path
from .options import PlaybookOptions
from .plan import NavSection, SitePlan, SiteSettings, clashes
from .render.incremental import RenderCache
from .render.pages import Renderer
from .resolve.refs import Links, resolve_refs

__all__ = ["Checked", "NavSection", "Pipeline", "SitePlan", "SiteSettings"]


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
            root_dir=self.project_dir,
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

    def page_paths(self, checked: Checked) -> list[str]:
        """The paths `render` writes for a build, without rendering anything."""
        return self.renderer(checked, SiteSettings()).page_paths() + author_files(
            checked.playbook.kinds,
            guide=self.options.authoring_guide,
            health=self.options.wants_health_page(serving=False),
        )

    def clashes(self, generated: Iterable[str]) -> list[Diagnostic]:
        """A problem for each hand-written file in the docs folder where a generated one goes."""
        return clashes(self.docs_dir, self.display, generated)
