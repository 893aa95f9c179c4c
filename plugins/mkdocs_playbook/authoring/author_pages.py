"""Pages for authors beside the playbook: the authoring guide, its JSON Schemas, and health.

One function, so the plugin and `playbook export` publish the same files.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..diagnostics import Diagnostic
from ..entities import Playbook
from ..kinds.registry import KindRegistry
from ..plan import EditUrl
from ..resolve.refs import Links
from .guide import render_authoring_guide
from .health import checks_in_order, content_health, render_health_page
from .schema import (
    KIND_SCHEMA_FILE,
    SCHEMA_DIR,
    SCHEMA_MAP_FILE,
    published_schemas,
    schema_file_name,
)

GUIDE_PAGE = "authoring-guide.md"
HEALTH_PAGE = "playbook-health.md"


def author_pages(
    playbook: Playbook,
    links: Links,
    diagnostics: Iterable[Diagnostic],
    *,
    site_url: str | None,
    playbooks_dir: str,
    guide: bool,
    health: bool,
    edit_url: EditUrl | None = None,
    docs_dir: str | None = None,
) -> dict[str, str]:
    """The author-facing files, by docs-relative path: Markdown pages and schema JSON.
    Problems in the pages of ``docs_dir`` (as messages show it) have their own section."""
    pages: dict[str, str] = {}
    if guide:
        pages[GUIDE_PAGE] = render_authoring_guide(playbook.kinds)
        pages.update(published_schemas(playbook.kinds, site_url, playbooks_dir))
    if health:
        items = content_health(playbook, links, diagnostics, docs_dir=docs_dir)
        pages[HEALTH_PAGE] = render_health_page(
            items, checks_in_order(playbook), page_path=HEALTH_PAGE, edit_url=edit_url
        )
    return pages


def author_page_paths(pages: Iterable[str]) -> list[str]:
    """Of generated files, the author pages that belong in the nav, in nav order."""
    present = set(pages)
    return [path for path in (GUIDE_PAGE, HEALTH_PAGE) if path in present]


def author_files(kinds: KindRegistry, *, guide: bool, health: bool) -> list[str]:
    """The paths `author_pages` writes with these options, without writing them."""
    files = []
    if guide:
        files.append(GUIDE_PAGE)
        files += [f"{SCHEMA_DIR}/{schema_file_name(kind)}" for kind in kinds]
        files.append(f"{SCHEMA_DIR}/{KIND_SCHEMA_FILE}")
        files.append(f"{SCHEMA_DIR}/{SCHEMA_MAP_FILE}")
    if health:
        files.append(HEALTH_PAGE)
    return files
