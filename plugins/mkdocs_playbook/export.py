"""`playbook export`: the whole site as plain Markdown and an mkdocs.yml that needs no plugin.

A team can leave the plugin, or move to another MkDocs-compatible engine, and keep every
page: the generated ones, and the hand-written ones with their inline refs made links.
Zensical, Material's successor, reads mkdocs.yml but runs no MkDocs plugin, so an export
is how it builds a playbook; the export leaves out the theme overrides that only fit
Material 9's templates.
"""

from __future__ import annotations

import copy
import html
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .authoring.author_pages import author_page_paths
from .diagnostics import Diagnostic, DiagnosticError
from .entities import kind_index_path
from .kinds.models import Kind
from .plan import AUTHORS_SECTION, SiteSettings
from .project import PLUGIN_NAME, Project, Tagged, dump_config
from .render import site_setup
from .render.pages import Renderer
from .validation import ProjectCheck, docs_files

TAGS_PLUGINS = ("tags", "material/tags")
PYTHON_NAME_TAG = "tag:yaml.org,2002:python/name:"
EXPORT_DOCS_DIR = "docs"
MATERIAL_9_ONLY_OVERRIDES = ("partials/search.html",)
"""Overrides, relative to the theme's custom_dir, of partials whose markup Zensical changed:
its search partial is a button that opens a dialog, and Material 9's form in its place
breaks Zensical's header. MkDocs then uses Material's own partial."""


class ExportError(DiagnosticError):
    """An export that cannot be written."""


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    generated_pages: int
    handwritten_pages: int
    other_files: int


def export_site(project: Project, check: ProjectCheck, out: Path) -> ExportResult:
    """Write the site's Markdown and a plugin-free mkdocs.yml into ``out`` (new or empty)."""
    out = out.resolve()
    _refuse_unsafe_target(project, out)
    config = export_config(project, check.playbook.kinds)
    plugins = _plugin_names(config.get("plugins"))
    extensions = [_extension_name(entry) for entry in config["markdown_extensions"]]
    # The same settings the plugin gives the pipeline, read from the exported config.
    site = SiteSettings(
        show_tags=not any(name in plugins for name in TAGS_PLUGINS),
        icons="pymdownx.emoji" in extensions,
        snippets="pymdownx.snippets" in extensions,
        use_directory_urls=config.get("use_directory_urls", True) is not False,
        site_url=config.get("site_url"),
    )
    renderer, generated = project.pipeline().render(check, site)
    # Read the docs before writing anything, so nothing written is read back.
    sources = list(docs_files(project.docs_dir))
    docs_out = out / EXPORT_DOCS_DIR
    handwritten: list[str] = []
    other = 0
    for src_uri, path in sources:
        target = docs_out / src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".md":
            text = path.read_text(encoding="utf-8-sig")
            target.write_text(renderer.rewrite_page_refs(text, src_uri), encoding="utf-8")
            handwritten.append(src_uri)
        else:
            shutil.copy2(path, target)
            other += 1
    for src_uri, markdown in generated.items():
        target = docs_out / src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
    other += _copy_assets(docs_out)
    other += _copy_custom_dir(project, out)
    nav = export_nav(project, renderer, handwritten, author_page_paths(generated))
    if nav is not None:
        config["nav"] = nav
    (out / "mkdocs.yml").write_text(dump_config(config), encoding="utf-8")
    return ExportResult(len(generated), len(handwritten), other)


def export_config(project: Project, kinds: Iterable[Kind]) -> dict[str, Any]:
    """The project's mkdocs.yml without the playbook plugin, with what the pages need."""
    config = copy.deepcopy(project.config)
    config.setdefault("site_name", project.root.name)
    config.setdefault("theme", {"name": "material"})
    config["docs_dir"] = EXPORT_DOCS_DIR
    if "plugins" in config:
        config["plugins"] = _without_playbook(config["plugins"])
    config["markdown_extensions"] = with_required_extensions(
        config.get("markdown_extensions"), material=_theme_name(config) == "material"
    )
    config["extra_css"] = _with_assets(config.get("extra_css"), site_setup.CSS_ASSETS)
    config["extra_javascript"] = _with_assets(config.get("extra_javascript"), site_setup.JS_ASSETS)
    if project.nav_mode == "kinds":
        # Entity pages are reached from their kind's index, as under the plugin.
        not_in_nav = config.get("not_in_nav")
        patterns = [f"/{kind.collection}/*.md" for kind in kinds]
        config["not_in_nav"] = "\n".join(
            [*([not_in_nav] if isinstance(not_in_nav, str) else []), *patterns]
        )
    return config


def with_required_extensions(extensions: Any, *, material: bool) -> list[Any]:
    """A `markdown_extensions` list with what the pages need added, as the plugin adds it."""
    entries: list[Any] = []
    if isinstance(extensions, dict):
        entries = [{name: options} if options else name for name, options in extensions.items()]
    elif isinstance(extensions, list):
        entries = list(extensions)
    names = [_extension_name(entry) for entry in entries]
    if material and "pymdownx.emoji" not in names:
        # Material's icons, unless the config has its own emoji setup.
        emoji = _with_python_names(site_setup.MATERIAL_EMOJI, tuple(site_setup.MATERIAL_EMOJI))
        entries.append({"pymdownx.emoji": emoji})
    for name in site_setup.MARKDOWN_EXTENSIONS:
        options = _extension_options(entries, name)
        for key, value in site_setup.EXTENSION_OPTIONS.get(name, {}).items():
            options.setdefault(key, value)
        _set_extension(entries, name, options)
    return entries


def _extension_options(entries: list[Any], name: str) -> dict[str, Any]:
    for entry in entries:
        if isinstance(entry, dict) and name in entry:
            return dict(entry[name] or {})
    return {}


def _set_extension(entries: list[Any], name: str, options: dict[str, Any]) -> None:
    value = {name: options} if options else name
    for index, entry in enumerate(entries):
        if _extension_name(entry) == name:
            entries[index] = value
            return
    entries.append(value)


def _with_python_names(values: dict[str, str], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: Tagged(PYTHON_NAME_TAG + v, "") if k in keys else v for k, v in values.items()}


def _with_assets(listed: Any, names: tuple[str, ...]) -> list[Any]:
    entries = list(listed) if isinstance(listed, list) else []
    paths = [entry if isinstance(entry, str) else entry.get("path") for entry in entries]
    for name in names:
        path = f"{site_setup.SITE_ASSETS}/{name}"
        if path not in paths:
            entries.append(path)
    return entries


def _copy_assets(docs_out: Path) -> int:
    for name in (*site_setup.CSS_ASSETS, *site_setup.JS_ASSETS):
        target = docs_out / site_setup.SITE_ASSETS / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(site_setup.ASSETS_DIR / name, target)
    return len(site_setup.CSS_ASSETS) + len(site_setup.JS_ASSETS)


def _theme_name(config: dict[str, Any]) -> str | None:
    theme = config.get("theme")
    if isinstance(theme, str):
        return theme
    return theme.get("name") if isinstance(theme, dict) else None


def export_nav(
    project: Project,
    renderer: Renderer,
    handwritten: Iterable[str],
    author_paths: Iterable[str] = (),
) -> list[Any] | None:
    """The nav the plugin would make: the project's own (or the hand-written pages), the
    extra generated pages, then one section per kind."""
    written_nav = project.config.get("nav")
    if project.nav_mode == "off":
        return written_nav if isinstance(written_nav, list) else None
    nav = list(written_nav) if isinstance(written_nav, list) else auto_nav(handwritten)
    present = set(_nav_paths(nav))
    # As the plugin does: reader pages after the home page, author pages in their section.
    at = 1 if nav and _is_page_entry(nav[0]) else 0
    nav[at:at] = [path for path in renderer.extra_page_paths("readers") if path not in present]
    for kind in renderer.kinds_with_pages():
        if kind_index_path(kind) not in present:
            # MkDocs prints nav titles as HTML, as the plugin's nav escapes them.
            nav.append({html.escape(kind.plural): _section_pages(project, renderer, kind)})
    for_authors = [
        path
        for path in [*renderer.extra_page_paths("authors"), *author_paths]
        if path not in present
    ]
    if for_authors:
        section = next((i for i in nav if isinstance(i, dict) and AUTHORS_SECTION in i), None)
        if section is None:
            nav.append({AUTHORS_SECTION: for_authors})
        else:
            section[AUTHORS_SECTION] = [*section[AUTHORS_SECTION], *for_authors]
    return nav


def _is_page_entry(entry: Any) -> bool:
    """Whether a nav entry is one page (`index.md` or `{Home: index.md}`), not a section."""
    if isinstance(entry, dict):
        return len(entry) == 1 and all(isinstance(v, str) for v in entry.values())
    return isinstance(entry, str)


def auto_nav(src_uris: Iterable[str]) -> list[Any]:
    """The nav MkDocs would make for these pages: index first, folders as sections."""
    nav: list[Any] = []
    for src_uri in sorted(src_uris, key=_mkdocs_sort_key):
        branch = nav
        for folder in PurePosixPath(src_uri).parent.parts:
            title = _dirname_to_title(folder)
            section = next((i for i in branch if isinstance(i, dict) and title in i), None)
            if section is None:
                section = {title: []}
                branch.append(section)
            branch = section[title]
        branch.append(src_uri)
    return nav


def _section_pages(project: Project, renderer: Renderer, kind: Kind) -> list[str]:
    index = [kind_index_path(kind)]
    if project.nav_mode != "entities":
        return index
    return index + [entity.page_path for entity in renderer.playbook.of_kind(kind)]


def _nav_paths(nav: Any) -> Iterable[str]:
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, list):
        for item in nav:
            yield from _nav_paths(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _nav_paths(value)


def _mkdocs_sort_key(src_uri: str) -> tuple[tuple[str, ...], bool, str]:
    # MkDocs' own order: files before folders, `index` first.
    parts = PurePosixPath(src_uri).parts
    return parts[:-1], PurePosixPath(src_uri).stem != "index", parts[-1]


def _dirname_to_title(dirname: str) -> str:
    title = dirname.replace("-", " ").replace("_", " ")
    return title.capitalize() if title.lower() == title else title


def _extension_name(entry: Any) -> str | None:
    if isinstance(entry, str):
        return entry
    if isinstance(entry, dict) and len(entry) == 1:
        return str(next(iter(entry)))
    return None


def _plugin_names(plugins: Any) -> list[str]:
    if isinstance(plugins, dict):
        return [str(name) for name in plugins]
    if isinstance(plugins, list):
        return [n for n in (_extension_name(item) for item in plugins) if n is not None]
    return []


def _without_playbook(plugins: Any) -> Any:
    if isinstance(plugins, dict):
        return {name: options for name, options in plugins.items() if name != PLUGIN_NAME}
    if isinstance(plugins, list):
        return [item for item in plugins if _extension_name(item) != PLUGIN_NAME]
    return plugins


def _copy_custom_dir(project: Project, out: Path) -> int:
    """Copy the theme's custom_dir, without the playbook's page templates, the overrides
    that only fit Material 9, and readmes; count the files."""
    custom_dir = project.custom_dir
    if custom_dir is None or not custom_dir.is_dir():
        return 0
    try:
        relative = custom_dir.resolve().relative_to(project.root)
    except ValueError:
        return 0  # outside the project: mkdocs.yml still points at it
    templates = {d.resolve() for d in project.template_dirs}
    left_out = templates | {(custom_dir / path).resolve() for path in MATERIAL_9_ONLY_OVERRIDES}

    def ignore(folder: str, names: list[str]) -> list[str]:
        # MkDocs publishes no readme of a theme folder, but Zensical would.
        return [
            name
            for name in names
            if (Path(folder) / name).resolve() in left_out or "readme" in name.lower()
        ]

    target = out / relative
    shutil.copytree(custom_dir, target, ignore=ignore)
    return sum(1 for path in target.rglob("*") if path.is_file())


def _refuse_unsafe_target(project: Project, out: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ExportError(
            Diagnostic(
                project.display(out),
                1,
                1,
                "export",
                "the folder is not empty; choose a new or empty folder",
            )
        )
    for name, folder in (("docs", project.docs_dir), ("playbook", project.playbooks_dir)):
        if out.is_relative_to(folder.resolve()):
            raise ExportError(
                Diagnostic(
                    project.display(out),
                    1,
                    1,
                    "export",
                    f"is inside the {name} folder; choose a folder outside it",
                )
            )
