"""What a site of playbook pages needs from its MkDocs config: Markdown extensions and assets.

Written as plain data, without MkDocs, so that the plugin (which adds them to the live
config) and `playbook export` (which writes them into a plain mkdocs.yml) share one list.
Python callables in extension options are named by their dotted path, as mkdocs.yml's
`!!python/name:` tags name them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

MARKDOWN_EXTENSIONS: tuple[str, ...] = (
    "tables",
    "attr_list",
    "md_in_html",
    "admonition",
    "pymdownx.superfences",
    "pymdownx.tabbed",
    "pymdownx.tasklist",
    "mkdocs_playbook.render.table_labels",
)
"""Extensions the generated pages use: tables, attributes, Markdown in HTML, admonitions,
fenced code, tabs, tick boxes (checklists) and table cells labelled by their column
(stacked rows on a phone)."""

EXTENSION_OPTIONS: dict[str, dict[str, Any]] = {
    "pymdownx.tabbed": {"alternate_style": True},
    "pymdownx.tasklist": {"custom_checkbox": True},
}
"""Options set on those extensions unless the config sets them."""

MATERIAL_EMOJI: dict[str, str] = {
    "emoji_index": "material.extensions.emoji.twemoji",
    "emoji_generator": "material.extensions.emoji.to_svg",
}
"""`pymdownx.emoji` options for Material's icons (dotted names), used on Material only."""

ASSETS_DIR = Path(__file__).parent / "assets"
MATERIAL_PARTIALS_DIR = Path(__file__).parent / "theme"
"""Theme templates that fix Material's own for the plugin's pages (an accessible name for
the search dialog); searched after the site's custom_dir, before Material's."""
SITE_ASSETS = "assets/playbook"
"""Where the assets are published, relative to the docs folder and the site."""
CSS_ASSETS: tuple[str, ...] = ("playbook.css",)
JS_ASSETS: tuple[str, ...] = ("playbook.js",)
"""Scripts every page loads."""
