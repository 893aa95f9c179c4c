"""Content health: what an editor should look at, beyond what stops a build.

Unresolved refs and other warnings, entities cut off from the rest of the playbook, personas
no campaign targets, and metrics nothing measures, as a list and as a Markdown page.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from .diagnostics import Diagnostic
from .field_docs import FieldDoc, field_docs
from .markup import escape_text
from .model import KIND_BY_NAME, KINDS, Campaign, Entity, Playbook
from .refs import Links, target_of

HEALTH_TITLE = "Playbook health"


class Check(Enum):
    """What a health item is about; the page shows one section per check, in this order."""

    ERROR = "Errors"
    WARNING = "Warnings"
    ORPHAN = "Orphans"
    UNTARGETED_PERSONA = "Personas no campaign targets"
    UNMEASURED_METRIC = "Metrics nothing measures"


_EXPLANATIONS = {
    Check.ERROR: "These stop `mkdocs build`.",
    Check.WARNING: "Unresolved refs and other warnings: `mkdocs build --strict` stops on them.",
    Check.ORPHAN: "Entities that nothing refers to and that refer to nothing.",
    Check.UNTARGETED_PERSONA: "Personas that no campaign lists in its `personas`.",
    Check.UNMEASURED_METRIC: (
        "Metrics that no discipline, strategy, campaign KPI or play measures with."
    ),
}


@dataclass(frozen=True)
class HealthItem:
    """One thing to look at, where it is, and what to do about it."""

    check: Check
    path: str
    """The file it is in, relative to the project."""
    line: int
    message: str
    field: str = ""
    title: str | None = None
    """The entity's title, when the item is about an entity that has a page."""
    page: str | None = None
    """The entity's docs-relative page, when it has one."""


EditUrl = Callable[[str], str | None]
"""Given a file relative to the project, its edit URL (or None)."""


def content_health(
    playbook: Playbook, links: Links, diagnostics: Iterable[Diagnostic]
) -> list[HealthItem]:
    """Everything worth an editor's attention, sorted by check and then by file."""
    by_path = {entity.path: entity for entity in playbook}
    items = [_from_diagnostic(d, by_path.get(d.path)) for d in diagnostics]
    referred = {target for target, backlinks in links.backlinks.items() if backlinks}
    referring = {b.source.ref for backlinks in links.backlinks.values() for b in backlinks}
    for entity in playbook:
        if target_of(entity) not in referred and entity.ref not in referring:
            items.append(
                _about(entity, Check.ORPHAN, "nothing refers to it and it refers to nothing")
            )
    targeting = frozenset(d.backlink for d in field_docs(Campaign) if d.name == "personas")
    for persona in playbook.of_kind(KIND_BY_NAME["persona"]):
        if not _has_backlink(links, persona, targeting):
            items.append(
                _about(
                    persona,
                    Check.UNTARGETED_PERSONA,
                    "no campaign targets it; list it in the personas of a campaign",
                )
            )
    measuring = measuring_relations()
    for metric in playbook.of_kind(KIND_BY_NAME["metric"]):
        if not _has_backlink(links, metric, measuring):
            items.append(
                _about(
                    metric,
                    Check.UNMEASURED_METRIC,
                    "nothing measures with it; name it in an objective, a KPI, or the "
                    "metrics of a discipline, strategy or play",
                )
            )
    order = list(Check)
    return sorted(items, key=lambda i: (order.index(i.check), i.path, i.line, i.message))


def measuring_relations() -> frozenset[str]:
    """The backlink relations of every field that refers to a metric."""
    found: set[str] = set()
    for kind in KINDS:
        found.update(
            doc.backlink for doc in _walk(field_docs(kind.model)) if doc.ref_kind == "metric"
        )
    return frozenset(found)


def render_health_page(
    items: Sequence[HealthItem],
    *,
    page_path: str = "playbook-health.md",
    edit_url: EditUrl | None = None,
) -> str:
    """The health page: one section per check, each item linking to its entity and its file."""
    lines = ["---", "search:", "  exclude: true", "---", "", f"# {HEALTH_TITLE}", ""]
    if not items:
        lines.append(
            "Nothing to look at: every ref resolves, and every entity is linked to the others."
        )
        return "\n".join(lines) + "\n"
    lines.append(f"{_count(len(items), 'item')} to look at.")
    for check in Check:
        found = [item for item in items if item.check is check]
        if not found:
            continue
        lines += ["", f"## {check.value} ({len(found)})", "", _EXPLANATIONS[check], ""]
        lines += [_item_line(item, page_path, edit_url) for item in found]
    return "\n".join(lines) + "\n"


def _item_line(item: HealthItem, page_path: str, edit_url: EditUrl | None) -> str:
    parts = []
    if item.page is not None and item.title is not None:
        link = posixpath.relpath(item.page, posixpath.dirname(page_path) or ".")
        parts.append(f"[{escape_text(item.title)}]({link})")
    parts.append(f"`{item.path}:{item.line}`")
    if item.field:
        parts.append(f"`{item.field}`")
    line = "- " + " · ".join(parts) + ": " + escape_text(item.message)
    url = edit_url(item.path) if edit_url else None
    return line + (f" ([edit]({url}))" if url else "")


def _from_diagnostic(diagnostic: Diagnostic, entity: Entity | None) -> HealthItem:
    return HealthItem(
        check=Check.ERROR if diagnostic.is_error else Check.WARNING,
        path=diagnostic.path,
        line=diagnostic.line,
        field=diagnostic.field,
        message=diagnostic.message,
        title=entity.data.title if entity else None,
        page=entity.page_path if entity else None,
    )


def _about(entity: Entity, check: Check, message: str) -> HealthItem:
    return HealthItem(
        check=check,
        path=entity.path,
        line=1,
        message=message,
        title=entity.data.title,
        page=entity.page_path,
    )


def _has_backlink(links: Links, entity: Entity, relations: frozenset[str]) -> bool:
    return any(b.relation in relations for b in links.backlinks.get(target_of(entity), []))


def _walk(docs: Iterable[FieldDoc]) -> Iterable[FieldDoc]:
    for doc in docs:
        yield doc
        yield from _walk(doc.fields)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
