"""`playbook export`: the whole site as plain Markdown and an mkdocs.yml that needs no plugin.

A team can leave the plugin, or move to another MkDocs-compatible engine, and keep every
page: the generated ones, and the hand-written ones with their inline refs made links.
Zensical, Material's successor, reads mkdocs.yml but runs no MkDocs plugin, so an export
is how it builds a playbook; the export leaves out the theme overrides that only fit
Material 9's templates.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from .diagnostics import Diagnostic, DiagnosticError
from .kinds.models import Kind
from .plan import SitePlan, for_authors, nav_plan, site_settings
from .project import PLUGIN_NAME, Project, Tagged, dump_config
from .render import site_setup
from .validation import ProjectCheck, docs_files

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
    config = export_config(project)
    pipeline = project.pipeline()
    # The same settings the plugin gives the pipeline, read from the exported config.
    site = site_settings(
        plugins=_plugin_names(config.get("plugins")),
        extensions=[_extension_name(entry) for entry in config["markdown_extensions"]],
        use_directory_urls=config.get("use_directory_urls", True) is not False,
        site_url=config.get("site_url"),
    )
    renderer, plan = pipeline.site_plan(check, site)
    config["not_in_nav"] = not_in_nav(project, check.playbook.kinds, plan.authors_dir)
    generated = plan.pages
    # Read the docs before writing anything, so nothing written is read back.
    sources = list(docs_files(project.docs_dir))
    docs_out = out / EXPORT_DOCS_DIR
    handwritten: list[str] = []
    other = 0
    for src_uri, path in sources:
        target = docs_out / src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".md":
            text = renderer.rewrite_page_refs(path.read_text(encoding="utf-8-sig"), src_uri)
            if for_authors(src_uri, plan.authors_dir):
                text = out_of_search(text)
            target.write_text(text, encoding="utf-8")
            handwritten.append(src_uri)
        else:
            shutil.copy2(path, target)
            other += 1
    for src_uri, markdown in generated.items():
        target = docs_out / src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if for_authors(src_uri, plan.authors_dir):
            markdown = out_of_search(markdown)
        target.write_text(markdown, encoding="utf-8")
    for src_uri, image in sorted(renderer.playbook.images.items()):
        # The images of image fields, beside the pages that show them.
        target = docs_out / src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(image, target)
        other += 1
    other += _copy_assets(docs_out)
    other += _copy_custom_dir(project, out)
    nav = export_nav(project, plan, handwritten)
    if nav is not None:
        config["nav"] = nav
    (out / "mkdocs.yml").write_text(dump_config(config), encoding="utf-8")
    return ExportResult(len(generated), len(handwritten), other)


def out_of_search(markdown: str) -> str:
    """A page for authors kept out of the search index by its own front matter
    (`search: {exclude: true}`, which Material's search and Zensical's read), as the plugin
    keeps it out when it builds. A front matter block the page has keeps its other keys;
    one that is not a mapping of YAML is left as it is, for the engine to report."""
    if not markdown.startswith("---\n"):
        return '---\nsearch: {"exclude": true}\n---\n\n' + markdown
    end = markdown.find("\n---\n", 3)
    if end < 0:
        return markdown
    try:
        meta = yaml.safe_load(markdown[4:end]) if end > 3 else {}
    except yaml.YAMLError:
        return markdown
    if not isinstance(meta, dict):
        return markdown
    search = meta.get("search")
    if isinstance(search, dict) and search.get("exclude") is True:
        return markdown
    meta["search"] = {**(search if isinstance(search, dict) else {}), "exclude": True}
    header = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1_000_000)
    return f"---\n{header}---\n{markdown[end + 5 :]}"


def export_config(project: Project) -> dict[str, Any]:
    """The project's mkdocs.yml without the playbook plugin, with what the pages need."""
    config = copy.deepcopy(project.config)
    config.setdefault("site_name", project.root.name)
    config["site_name"] = inert_site_name(config["site_name"])
    config.setdefault("theme", {"name": "material"})
    config["docs_dir"] = EXPORT_DOCS_DIR
    if "plugins" in config:
        config["plugins"] = _without_playbook(config["plugins"])
    config["markdown_extensions"] = with_required_extensions(
        config.get("markdown_extensions"), material=_theme_name(config) == "material"
    )
    config["extra_css"] = _with_assets(config.get("extra_css"), site_setup.CSS_ASSETS)
    config["extra_javascript"] = _with_assets(config.get("extra_javascript"), site_setup.JS_ASSETS)
    return config


def not_in_nav(project: Project, kinds: Iterable[Kind], authors_dir: str) -> str:
    """The exported config's `not_in_nav`: the project's own patterns, then the pages for
    authors (in their folder, ``authors_dir``), reached from their hub, and entity pages,
    reached from their kind's index, as under the plugin."""
    patterns = [f"/{authors_dir}/"]
    if project.nav_mode == "kinds":
        patterns += [f"/{kind.collection}/*.md" for kind in kinds]
    written = project.config.get("not_in_nav")
    return "\n".join([*([written] if isinstance(written, str) else []), *patterns])


def inert_site_name(name: Any) -> Any:
    """The site name for a build without the plugin, which escapes it: Material writes it
    into pages as HTML, so a `<` or `"` in it (a folder name `playbook init` made it from)
    would be live markup. Those three become character references, shown as typed in the
    page's text and title; the name's other characters stay as they are. (A template that
    escapes the name again, the logo's tooltip, shows the references: a small price next
    to script in every page.)"""
    if not isinstance(name, str):
        return name
    return name.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def with_required_extensions(extensions: Any, *, material: bool) -> list[Any]:
    """A `markdown_extensions` list with what the pages need added, as the plugin adds it
    (`render.site_setup.with_required_extensions`); other entries stay as they are."""
    entries: list[Any] = []
    if isinstance(extensions, dict):
        entries = [{name: options} if options else name for name, options in extensions.items()]
    elif isinstance(extensions, list):
        entries = list(extensions)
    named: dict[str, Any] = {}
    for entry in entries:
        name = _extension_name(entry)
        if name is not None:
            named.setdefault(name, entry[name] if isinstance(entry, dict) else None)
    merged = site_setup.with_required_extensions(
        named, material=material, python_name=lambda name: Tagged(PYTHON_NAME_TAG + name, "")
    )
    changed = {*site_setup.MARKDOWN_EXTENSIONS, *(name for name in merged if name not in named)}
    result: list[Any] = []
    for entry in entries:
        name = _extension_name(entry)
        if name in changed and name in merged:
            options = merged.pop(name)
            result.append({name: options} if options else name)
        else:
            result.append(entry)
    result += [{name: options} if options else name for name, options in merged.items()]
    return result


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


def export_nav(project: Project, site: SitePlan, handwritten: Iterable[str]) -> list[Any] | None:
    """The nav the plugin would make (`plan.nav_plan` gives both): the project's own (or
    the hand-written pages), the extra generated pages, then one section per kind."""
    written_nav = project.config.get("nav")
    if project.nav_mode == "off":
        return written_nav if isinstance(written_nav, list) else None
    if isinstance(written_nav, list):
        nav = list(written_nav)
    else:
        nav = auto_nav(path for path in handwritten if not for_authors(path, site.authors_dir))
    plan = nav_plan(site, project.nav_mode, set(_nav_paths(nav)))
    # As the plugin does: reader pages after the home page; pages for authors in no nav.
    at = 1 if nav and _is_page_entry(nav[0]) else 0
    nav[at:at] = plan.readers
    for group in plan.sections:
        nav.append({group.title: group.listed})
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
