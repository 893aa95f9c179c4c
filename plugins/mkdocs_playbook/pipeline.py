"""The phases, wired once: load → validate → resolve refs and backlinks → render → clash check.

The MkDocs plugin, `playbook validate` and `playbook export` all run a `Pipeline`, so they
cannot disagree about what a playbook is or which pages it makes. Nothing here imports an
engine: the engine hands in what it knows of the site as `SiteSettings`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import yaml

from .authoring.author_pages import (
    author_files,
    author_page_paths,
    author_pages,
    handwritten_author_pages,
)
from .diagnostics import Diagnostic, did_you_mean, sorted_diagnostics
from .entities import kind_index_path
from .kinds.registry import KindRegistry, selected_builtin_kinds, unknown_builtin_names
from .load.loader import LoadCache, SitePaths
from .options import PlaybookOptions
from .plan import (
    AUTHORS_DIR,
    ENGINE_PATHS,
    NavSection,
    SitePlan,
    SiteSettings,
    clashes,
    reserved_names,
)
from .plan_cache import PlanCache
from .render.incremental import RenderCache
from .render.pages import Renderer, declared_site_pages, entity_page_templates
from .render.site_setup import SITE_ASSETS
from .resolve.checked import Checked, check_playbook
from .resolve.docs_pages import check_docs_pages

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
        config_file: Path | None = None,
    ) -> None:
        self.options = options
        self.config_file = config_file
        """The config file that sets the options, where a wrong option is reported."""
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
        self.kept_links: PlanCache | None = None
        """The build cache's plan cache, which keeps the links found in each file's Markdown
        for the next build (set by the engine when the cache is on)."""
        self.docs_excluded: Callable[[str], bool] | None = None
        """Which docs pages (by docs path) the engine leaves out of the site, if it says:
        their refs are not checked (MkDocs' `exclude_docs`)."""

    def check(self, *, display_dir: Path | None = None, docs: bool = True) -> Checked:
        """Load and validate every file, then resolve every ref and gather the backlinks;
        with ``docs``, check the inline refs of the docs folder's pages too (a build reads
        them after the pages are planned, and the health page shows what they find)."""
        checked = check_playbook(
            self.playbooks_dir,
            project_dir=display_dir or self.project_dir,
            max_file_size=self.options.max_file_size,
            cache=self.load_cache,
            site=self.site_paths(),
            builtins=self.builtins,
            root_dir=self.project_dir,
            kept_links=self.kept_links,
        )
        problems = self.option_problems()
        if docs:
            pages = check_docs_pages(
                checked.playbook,
                self.docs_dir,
                self.project_dir,
                self.display,
                excluded=self.docs_excluded,
            )
            checked.docs_pages = pages.pages
            problems += pages.diagnostics
        if problems:
            checked.diagnostics = sorted_diagnostics(checked.diagnostics + problems)
        return checked

    @property
    def builtins(self) -> KindRegistry:
        """The built-in kinds this playbook has, as its `builtin_kinds` option selects them."""
        return selected_builtin_kinds(self.options.builtin_kinds)

    def option_problems(self) -> list[Diagnostic]:
        """A problem for each name in `builtin_kinds` that is not a built-in kind, located in
        the config file."""
        unknown = unknown_builtin_names(self.options.builtin_kinds)
        if not unknown:
            return []
        config = self.config_file
        shown = self.display(config) if config is not None else "mkdocs.yml"
        names = [kind.name for kind in selected_builtin_kinds()]
        problems = []
        for index, name in unknown:
            line, column = option_position(config, "builtin_kinds", index)
            problems.append(
                Diagnostic(
                    shown,
                    line,
                    column,
                    "plugins.playbook.builtin_kinds",
                    f"'{name}' is not a built-in kind"
                    + (
                        did_you_mean(name, names)
                        or "; the built-in kinds are: "
                        + ", ".join(names)
                        + " (a kind of your own needs no entry here, only its _kind.yaml)"
                    ),
                )
            )
        return problems

    def site_paths(self) -> SitePaths:
        """What the site makes besides the playbook's folders: its paths, its page templates."""
        kinds = self.builtins
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
        declared = {path: pages[path] for path in renderer.extra_page_paths("authors")}
        pages.update(
            author_pages(
                checked.playbook,
                checked.links,
                checked.diagnostics,
                site_url=site.site_url,
                playbooks_dir=self.options.playbooks_dir,
                guide=self.options.authoring_guide,
                health=self.options.wants_health_page(site.serving),
                folder=renderer.authors_dir,
                edit_url=site.edit_url,
                docs_dir=self.display(self.docs_dir),
                site_pages=declared,
                handwritten=handwritten_author_pages(
                    self.docs_dir, self.project_dir, renderer.authors_dir
                ),
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
            author_pages=author_page_paths(
                pages, renderer.extra_page_paths("authors"), renderer.authors_dir
            ),
            diagnostics=list(checked.diagnostics),
            files={path: str(source) for path, source in sorted(playbook.images.items())},
            authors_dir=renderer.authors_dir,
        )

    def page_paths(self, checked: Checked) -> list[str]:
        """The paths `render` writes for a build, without rendering anything."""
        renderer = self.renderer(checked, SiteSettings())
        return renderer.page_paths() + author_files(
            checked.playbook.kinds,
            guide=self.options.authoring_guide,
            health=self.options.wants_health_page(serving=False),
            folder=renderer.authors_dir,
        )

    def clashes(self, generated: Iterable[str]) -> list[Diagnostic]:
        """A problem for each hand-written file in the docs folder where a generated one goes."""
        return clashes(self.docs_dir, self.display, generated)


def option_position(config_file: Path | None, option: str, index: int) -> tuple[int, int]:
    """Where the playbook plugin's option (its item ``index``, for a list) is written in a
    config file: `(line, column)`, or `(1, 1)` where it cannot be found there."""
    if config_file is None:
        return 1, 1
    try:
        root = yaml.compose(config_file.read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return 1, 1
    node = _child(_child(root, "plugins"), "playbook")
    value = _child(node, option)
    if isinstance(value, yaml.SequenceNode) and index < len(value.value):
        value = value.value[index]
    if value is None:
        return 1, 1
    return value.start_mark.line + 1, value.start_mark.column + 1


def _child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    """The value under ``key`` in a composed mapping, or in a list of one-key mappings (how
    mkdocs.yml may list plugins)."""
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found = _child(item, key)
            if found is not None:
                return found
        return None
    if isinstance(node, yaml.MappingNode):
        for name, value in node.value:
            if isinstance(name, yaml.ScalarNode) and name.value == key:
                return value if isinstance(value, yaml.Node) else None
    return None


def reserved_paths(kinds: KindRegistry) -> dict[str, str]:
    """The top-level names of what a site writes besides its kinds' folders, each with a path
    it writes there: the author pages and schemas (whichever options are set), the site pages
    the kinds declare, the plugin's assets and what the engine writes itself. (The pages
    for authors move out of a kind's way, to `for-authors/`: see `plan.authors_dir`.)"""
    written = [
        *author_files(kinds, guide=True, health=True, folder=AUTHORS_DIR),
        *declared_site_pages(kinds, AUTHORS_DIR),
        f"{SITE_ASSETS}/",
        *ENGINE_PATHS,
    ]
    return reserved_names(written)
