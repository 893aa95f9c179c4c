"""Content health: what an editor should look at, beyond what stops a build.

Unresolved refs and other warnings, entities cut off from the rest of the playbook, personas
no campaign targets, and metrics nothing measures, as a list and as a Markdown page.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..diagnostics import Diagnostic, with_article
from ..entities import Entity, Playbook
from ..kinds.models import Kind
from ..kinds.registry import worded_for_left_out_kinds
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
DOCS = Check(
    "Refs in hand-written pages",
    "Inline refs in the pages of the docs folder that lead nowhere. Fix the ref, or create "
    "the entity it names. A ref to a kind the playbook does not have stops `mkdocs build`; "
    "an unknown entity stops `mkdocs build --strict`.",
)


def kind_check(kind: Kind, playbook: Playbook | None = None) -> Check | None:
    """The check a kind declares for its entities (personas no campaign targets), if any;
    in words made from the relations that count where its packaged words name kinds the
    playbook has left out."""
    health = kind.spec.health
    if health is None:
        return None
    if playbook is not None and worded_for_left_out_kinds(playbook.kinds, kind):
        return Check(health.title, _explanation(kind, counting_fields(playbook, kind)))
    return Check(health.title, health.explanation)


def health_message(kind: Kind, playbook: Playbook) -> str:
    """What a kind's health check says of an entity that fails it."""
    assert kind.spec.health is not None
    if worded_for_left_out_kinds(playbook.kinds, kind):
        return "nothing refers to it; name it in " + _either(counting_fields(playbook, kind))
    return kind.spec.health.message


def counting_fields(playbook: Playbook, kind: Kind) -> list[str]:
    """The ref fields whose refs count for a kind's health check, in words: "the metrics of
    a play", in kind and field order."""
    return [_field_words(other, path) for other, path, _ in _counting(playbook, kind)]


def _explanation(kind: Kind, fields: list[str]) -> str:
    if not fields:
        return f"{kind.plural} that nothing refers to."
    return f"{kind.plural} that nothing names in {_either(fields)}."


def _either(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def _field_words(kind: Kind, path: tuple[str, ...]) -> str:
    words = [name.replace("_", " ") for name in path]
    owner = with_article(kind.singular.lower())
    if len(words) == 1:
        return f"the {words[0]} of {owner}"
    return f"the {words[-1]} of {owner}'s {' '.join(words[:-1])}"


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
    playbook: Playbook,
    links: Links,
    diagnostics: Iterable[Diagnostic],
    *,
    docs_dir: str | None = None,
) -> list[HealthItem]:
    """Everything worth an editor's attention, sorted by check and then by file. Problems
    in the pages of ``docs_dir`` (as messages show it) are a check of their own."""
    by_path = {entity.path: entity for entity in playbook}
    docs = f"{docs_dir.rstrip('/')}/" if docs_dir else None
    items = [
        _from_diagnostic(d, by_path.get(d.path), docs is not None and d.path.startswith(docs))
        for d in diagnostics
    ]
    referred = {target for target, backlinks in links.backlinks.items() if backlinks}
    referring = {b.source.ref for backlinks in links.backlinks.values() for b in backlinks}
    for entity in playbook:
        if target_of(entity) not in referred and entity.ref not in referring:
            items.append(_about(entity, ORPHAN, "nothing refers to it and it refers to nothing"))
    for kind in playbook.kinds.with_health_checks():
        check = kind_check(kind, playbook)
        assert check is not None
        relations = expected_relations(playbook, kind)
        if not relations and worded_for_left_out_kinds(playbook.kinds, kind):
            continue  # nothing the playbook has can refer to it so: no entity can pass
        message = health_message(kind, playbook)
        for entity in playbook.of_kind(kind):
            if not _has_backlink(links, entity, relations):
                items.append(_about(entity, check, message))
    order = checks_in_order(playbook)
    return sorted(items, key=lambda i: (order.index(i.check), i.path, i.line, i.message))


def checks_in_order(playbook: Playbook) -> list[Check]:
    """Every check, in the order the page shows them."""
    declared = [kind_check(kind, playbook) for kind in playbook.kinds.with_health_checks()]
    return [ERROR, WARNING, DOCS, ORPHAN, *(check for check in declared if check is not None)]


def expected_relations(playbook: Playbook, kind: Kind) -> frozenset[str]:
    """The backlink relations that count for a kind's health check: those its `via` names
    (`campaign.personas`), or else every ref field that names the kind."""
    return frozenset(relation for _, _, relation in _counting(playbook, kind))


def _counting(playbook: Playbook, kind: Kind) -> list[tuple[Kind, tuple[str, ...], str]]:
    """Each ref field whose refs count for a kind's health check: its kind, its path of
    field names, and the relation its backlinks are grouped by."""
    health = kind.spec.health
    via = set(health.via if health else ())
    found: list[tuple[Kind, tuple[str, ...], str]] = []
    for other in playbook.kinds:
        for path, doc in _walk(field_docs(other.model), ()):
            wanted = f"{other.name}.{doc.name}" in via if via else doc.ref_kind == kind.name
            if wanted and doc.backlink:
                found.append((other, path, doc.backlink))
    return found


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


def _from_diagnostic(diagnostic: Diagnostic, entity: Entity | None, in_docs: bool) -> HealthItem:
    return HealthItem(
        check=DOCS if in_docs else ERROR if diagnostic.is_error else WARNING,
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


def _walk(
    docs: Iterable[FieldDoc], path: tuple[str, ...]
) -> Iterable[tuple[tuple[str, ...], FieldDoc]]:
    for doc in docs:
        yield (*path, doc.name), doc
        yield from _walk(doc.fields, (*path, doc.name))


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
