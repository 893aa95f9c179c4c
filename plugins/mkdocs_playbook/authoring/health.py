"""Content health: what an editor should look at, beyond what stops a build.

Unresolved refs and other warnings, entities cut off from the rest of the playbook, personas
no campaign targets, and metrics nothing measures, as a list and as a Markdown page.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..diagnostics import Diagnostic
from ..entities import Entity, Playbook
from ..kinds.models import Kind
from ..plan import EditUrl
from ..render.markup import code_span, escape_text, markdown_description
from ..resolve.refs import Links, target_of
from .field_docs import FieldDoc, field_docs

HEALTH_TITLE = "Playbook health"


@dataclass(frozen=True)
class Check:
    """What a health item is about; the page shows one section per check."""

    title: str
    explanation: str


ERROR = Check("Errors", "These stop `mkdocs build`.")
WARNING = Check(
    "Warnings", "Unresolved refs and other warnings: `mkdocs build --strict` stops on them."
)
ORPHAN = Check("Orphans", "Entities that nothing refers to and that refer to nothing.")


def kind_check(kind: Kind) -> Check | None:
    """The check a kind declares for its entities (personas no campaign targets), if any."""
    health = kind.spec.health
    return Check(health.title, health.explanation) if health else None


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
            items.append(_about(entity, ORPHAN, "nothing refers to it and it refers to nothing"))
    for kind in playbook.kinds.with_health_checks():
        check = kind_check(kind)
        assert check is not None and kind.spec.health is not None
        relations = expected_relations(playbook, kind)
        for entity in playbook.of_kind(kind):
            if not _has_backlink(links, entity, relations):
                items.append(_about(entity, check, kind.spec.health.message))
    order = checks_in_order(playbook)
    return sorted(items, key=lambda i: (order.index(i.check), i.path, i.line, i.message))


def checks_in_order(playbook: Playbook) -> list[Check]:
    """Every check, in the order the page shows them."""
    declared = [kind_check(kind) for kind in playbook.kinds.with_health_checks()]
    return [ERROR, WARNING, ORPHAN, *(check for check in declared if check is not None)]


def expected_relations(playbook: Playbook, kind: Kind) -> frozenset[str]:
    """The backlink relations that count for a kind's health check: those its `via` names
    (`campaign.personas`), or else every ref field that names the kind."""
    health = kind.spec.health
    via = set(health.via if health else ())
    found: set[str] = set()
    for other in playbook.kinds:
        for doc in _walk(field_docs(other.model)):
            wanted = f"{other.name}.{doc.name}" in via if via else doc.ref_kind == kind.name
            if wanted and doc.backlink:
                found.add(doc.backlink)
    return frozenset(found)


def render_health_page(
    items: Sequence[HealthItem],
    checks: Sequence[Check],
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
    for check in checks:
        found = [item for item in items if item.check == check]
        if not found:
            continue
        title, explanation = escape_text(check.title), markdown_description(check.explanation)
        lines += ["", f"## {title} ({len(found)})", "", explanation, ""]
        lines += [_item_line(item, page_path, edit_url) for item in found]
    return "\n".join(lines) + "\n"


def _item_line(item: HealthItem, page_path: str, edit_url: EditUrl | None) -> str:
    parts = []
    if item.page is not None and item.title is not None:
        link = posixpath.relpath(item.page, posixpath.dirname(page_path) or ".")
        parts.append(f"[{escape_text(item.title)}]({link})")
    parts.append(code_span(f"{item.path}:{item.line}"))
    if item.field:
        parts.append(code_span(item.field))
    line = "- " + " · ".join(parts) + ": " + escape_text(item.message)
    url = edit_url(item.path) if edit_url else None
    return line + (f" ([edit]({url}))" if url else "")


def _from_diagnostic(diagnostic: Diagnostic, entity: Entity | None) -> HealthItem:
    return HealthItem(
        check=ERROR if diagnostic.is_error else WARNING,
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
