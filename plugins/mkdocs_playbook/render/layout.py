"""The sections of a page that follows its kind's `layout`: what to show, in which order.

The generic entity template walks these sections and renders each one by its field type,
so a kind described in a `_kind.yaml` needs no template of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..entities import Entity
from ..kinds.spec import SINGLE_VALUE_TYPES, FieldSpec


@dataclass(frozen=True)
class Section:
    """One part of the page: a run of scalar facts, or one field with its own heading."""

    fields: tuple[tuple[FieldSpec, Any], ...]
    """The fields and their values: several for facts, one otherwise."""

    @property
    def is_facts(self) -> bool:
        """Whether it is a run of scalar values, shown together."""
        return self.fields[0][0].type in SINGLE_VALUE_TYPES

    @property
    def spec(self) -> FieldSpec:
        """The field of a one-field section."""
        return self.fields[0][0]

    @property
    def value(self) -> Any:
        """The value of a one-field section."""
        return self.fields[0][1]


BODY = FieldSpec("body", "markdown", label="")


def page_sections(entity: Entity) -> list[Section]:
    """The entity's fields with a value, in `layout` order, then the rest in definition order.

    `body` goes where the layout names it, or first when it names it not. Every field of
    one value is gathered into one section of facts ("At a glance"): where the layout names
    the first of them, or at the top when it names none.
    """
    spec = entity.kind.spec
    own = {f.name: f for f in spec.fields} | {"body": BODY}
    named = [name for name in spec.layout if name in own]
    if "body" not in named:
        named.insert(0, "body")
    order = named + [name for name in own if name not in named]
    numbered_by = own.get(spec.order_by)
    if numbered_by is not None and numbered_by.type == "integer":
        order.remove(spec.order_by)  # shown under the title as "3 of 13"
    facts_at = next(
        (name for name in named if own[name].type in SINGLE_VALUE_TYPES),
        None,
    )
    sections: list[Section] = []
    facts: list[tuple[FieldSpec, Any]] = []
    facts_index = 0
    for name in order:
        value = getattr(entity.data, name, None)
        field = own[name]
        if name == facts_at:
            facts_index = len(sections)
        if value in (None, "", (), {}):
            continue
        if field.type in SINGLE_VALUE_TYPES:
            facts.append((field, value))
        else:
            sections.append(Section(((field, value),)))
    if facts:
        sections.insert(facts_index, Section(tuple(facts)))
    return sections


def is_table(field: FieldSpec) -> bool:
    """Whether a list of mappings reads best as a table: every sub-field is one value."""
    return all(sub.type in SINGLE_VALUE_TYPES or sub.type == "markdown" for sub in field.fields)
