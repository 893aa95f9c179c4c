"""The site's set-up for the playbook's pages, in MkDocs' config (`on_config`, `on_files`).

It checks that the site can show the pages (Material, a home page), enables the Markdown
extensions the pages use (`render.site_setup.with_required_extensions`, which the export
calls too), adds the plugin's assets and Material's fixed partials, and keeps override
templates out of the site.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import markupsafe
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files

from ..diagnostics import Diagnostic, default_display_dir, display_path, key_line
from ..render.site_setup import (
    ASSETS_DIR,
    CSS_ASSETS,
    JS_ASSETS,
    MATERIAL_PARTIALS_DIR,
    SITE_ASSETS,
    with_required_extensions,
)

log = get_plugin_logger(__name__)


def set_up_site(config: MkDocsConfig, project_dir: Path) -> None:
    """Check the set-up and enable what the generated pages use."""
    _require_set_up(config, project_dir)
    require_markdown_extensions(config)
    _add_assets(config)
    _add_theme_fixes(config)
    _escape_site_name(config)


def add_site_files(files: Files, config: MkDocsConfig, template_dirs: list[Path]) -> None:
    """Drop the override templates MkDocs found in the theme folders (they are not for
    readers) and add the plugin's assets."""
    for folder in template_dirs:
        for file in list(files.static_pages()):
            if file.abs_src_path and _inside(Path(file.abs_src_path), folder):
                files.remove(file)
    for name in (*CSS_ASSETS, *JS_ASSETS):
        content = (ASSETS_DIR / name).read_bytes()
        files.append(File.generated(config, f"{SITE_ASSETS}/{name}", content=content))


def uses_material(config: MkDocsConfig) -> bool:
    return config.theme.name == "material"


def require_markdown_extensions(config: MkDocsConfig) -> None:
    """Enable what generated pages use: tables, attributes, Markdown in HTML, admonitions,
    tabs, table labels and, on Material, its icons."""
    names: list[str] = config.markdown_extensions
    merged = with_required_extensions(
        {name: config.mdx_configs.get(name) for name in names},
        material=uses_material(config),
        python_name=_dotted,
    )
    for name, options in merged.items():
        if name not in names:
            names.append(name)
        if options or name in config.mdx_configs:
            config.mdx_configs[name] = options


def _dotted(name: str) -> Any:
    """The object a dotted name names, as mkdocs.yml's `!!python/name:` tag gives it."""
    module, _, attribute = name.rpartition(".")
    return getattr(importlib.import_module(module), attribute)


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


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
    if not uses_material(config):
        return
    folder = str(MATERIAL_PARTIALS_DIR)
    dirs = config.theme.dirs
    if folder not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, folder)


def _require_set_up(config: MkDocsConfig, project_dir: Path) -> None:
    """Stop without Material; warn without a home page (a strict build stops then)."""
    config_file = Path(config.config_file_path or "mkdocs.yml")
    shown = _shown_path(config_file, project_dir)
    if not uses_material(config):
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
