"""The phases, wired once: load → validate → resolve refs and backlinks → render → clash check.

The MkDocs plugin, `playbook validate` and `playbook export` all run a `Pipeline`, so they
cannot disagree about what a playbook is or which pages it makes. Nothing here imports an
engine: the engine hands in what it knows of the site as `SiteSettings`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from .authoring.author_pages import author_files, author_page_paths, author_pages
from .diagnostics import Diagnostic
from .entities import kind_index_path
from .kinds.registry import KindRegistry, builtin_kinds
from .load.loader import LoadCache, SitePaths
from .options import PlaybookOptions
from .plan import ENGINE_PATHS, NavSection, SitePlan, SiteSettings, clashes, reserved_names
from .render.incremental import RenderCache
from .render.pages import Renderer, declared_site_pages, entity_page_templates
from .render.site_setup import SITE_ASSETS
from .resolve.checked import Checked, check_playbook

__all__ = ["Checked", "NavSection", "Pipeline", "SitePlan", "SiteSettings"]


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
        return check_playbook(
            self.playbooks_dir,
            project_dir=display_dir or self.project_dir,
            max_file_size=self.options.max_file_size,
            cache=self.load_cache,
            site=self.site_paths(),
            root_dir=self.project_dir,
        )

    def site_paths(self) -> SitePaths:
        """What the site makes besides the playbook's folders: its paths, its page templates."""
        kinds = builtin_kinds()
        return SitePaths(
            reserved=reserved_paths(kinds),
            page_templates=entity_page_templates(self.override_dirs, kinds),
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

    def site_plan(self, checked: Checked, site: SiteSettings) -> tuple[Renderer, SitePlan]:
        """Render every page and plan where each goes: what a build (the plugin's, or the
        export's) makes of a checked playbook. Raises `TemplateProblem` as `render` does."""
        renderer, pages = self.render(checked, site)
        return renderer, self.plan(checked, renderer, pages)

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
            files={path: str(source) for path, source in sorted(playbook.images.items())},
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


def reserved_paths(kinds: KindRegistry) -> dict[str, str]:
    """The top-level names of what a site writes besides its kinds' folders, each with a path
    it writes there: the author pages and schemas (whichever options are set), the site pages
    the kinds declare, the plugin's assets and what the engine writes itself."""
    written = [
        *author_files(kinds, guide=True, health=True),
        *declared_site_pages(kinds),
        f"{SITE_ASSETS}/",
        *ENGINE_PATHS,
    ]
    return reserved_names(written)
