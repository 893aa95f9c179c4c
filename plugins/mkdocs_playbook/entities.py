"""The entities of a playbook, each with where it came from, and the `Playbook` they form.

Above the kinds: an entity is of a kind, and a playbook holds the registry of its kinds.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import reads
from .kinds.models import Kind
from .kinds.registry import KindRegistry, builtin_kinds
from .model import EntityBase, FieldPath, Position, nearest_position


@dataclass(frozen=True, eq=False)
class Entity:
    """One validated entity with where it came from.

    Compared by identity: a playbook holds one object per kind and id, and comparing the
    models field by field is what made rendering slow.
    """

    kind: Kind
    id: str
    path: str
    """The YAML file, relative to the project (the folder of mkdocs.yml)."""
    data: EntityBase = field(repr=False)
    positions: dict[FieldPath, Position] = field(default_factory=dict, compare=False, repr=False)
    key_positions: dict[FieldPath, Position] = field(
        default_factory=dict, compare=False, repr=False
    )
    source_hash: str = field(default="", compare=False, repr=False)
    """A hash of the file's bytes (empty if unknown): the same file at the same path, read
    by the same kind, gives the same entity, in this process or in another one."""

    @functools.cached_property
    def ref(self) -> str:
        """The full ref, `kind:id`."""
        return f"{self.kind.name}:{self.id}"

    @property
    def page_path(self) -> str:
        """The Markdown page it becomes, relative to the docs folder."""
        return f"{self.kind.collection}/{self.id}.md"

    def position_of(self, path: FieldPath) -> Position:
        """The position of a field's value, or of its nearest enclosing value."""
        return nearest_position(self.positions, path)


class _NotedField:
    """An `Entity` field whose every read is noted as a read of the entity (see `reads`).

    On the object, not in the templates, so what an override template reads is noted too.
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, entity: Entity | None, owner: type[Entity] | None = None) -> Any:
        if entity is None:
            return self
        if reads.current is not None:
            reads.current.add(entity)
        return entity.__dict__[self.name]

    def __set__(self, entity: Entity, value: Any) -> None:
        # Only the dataclass's __init__ sets fields (the entity is frozen).
        entity.__dict__[self.name] = value


# Its kind and id are what it is, not what it says: reading them notes nothing.
for _name in ("data", "path", "positions", "key_positions"):
    setattr(Entity, _name, _NotedField(_name))


def entity_content(entity: Entity) -> tuple[Any, ...]:
    """Everything a page may read of an entity beyond its kind and id."""
    with reads.unnoted():
        return entity.data, entity.path, entity.positions, entity.key_positions


def kind_index_path(kind: Kind) -> str:
    """The Markdown page of a kind's index, relative to the docs folder."""
    return f"{kind.collection}/index.md"


def reading_order(entity: Entity) -> tuple[Any, ...]:
    """Where an entity stands among its kind, ascending: by the kind's `order_by` field
    (those without a value last), then by title, then by id."""
    value = _order_value(entity)
    return (value is None, value if value is not None else 0, *_title_order(entity))


def _order_value(entity: Entity) -> Any:
    value = getattr(entity.data, entity.kind.spec.order_by, None)
    return value.casefold() if isinstance(value, str) else value


def _title_order(entity: Entity) -> tuple[str, str]:
    return entity.data.title.casefold(), entity.id


def in_reading_order(entities: list[Entity]) -> tuple[Entity, ...]:
    """Entities of one kind in its reading order: by `order_by`, descending where the kind
    says `-field`; ties by title, then id; those without a value last."""
    if not entities or not entities[0].kind.spec.descending:
        return tuple(sorted(entities, key=reading_order))
    by_title = sorted(entities, key=_title_order)
    valued = [e for e in by_title if _order_value(e) is not None]
    valued.sort(key=_order_value, reverse=True)  # stable: ties stay by title, then id
    return (*valued, *(e for e in by_title if _order_value(e) is None))


@dataclass(frozen=True)
class Playbook:
    """Every entity of a playbook and the introductions of its kinds; answers lookups."""

    entities: dict[tuple[str, str], Entity]
    kinds: KindRegistry = field(default_factory=builtin_kinds)
    """Every kind the playbook may use: the built-in ones and its own."""
    intros: dict[str, str] = field(default_factory=dict)
    """Kind name → the Markdown of `<collection>/_index.md`."""
    intro_paths: dict[str, str] = field(default_factory=dict)
    images: dict[str, Path] = field(default_factory=dict)
    """The images its entities show, by docs-relative path on the site: the file to copy."""
    broken: frozenset[tuple[str, str]] = frozenset()
    """Entities whose files exist but failed validation: refs to them are not reported."""

    def get(self, kind: str, ident: str) -> Entity | None:
        """The entity of that kind and id, if any."""
        if reads.current is not None:
            reads.current.add(("get", kind, ident))  # one that is missing may come
        return self.entities.get((kind, ident))

    def of_kind(self, kind: Kind) -> list[Entity]:
        """The entities of a kind in reading order: by its `order_by` field (default: title)."""
        reads.note(("kind", kind.name))
        return list(self._by_kind.get(kind.name, ()))

    @functools.cached_property
    def _by_kind(self) -> dict[str, tuple[Entity, ...]]:
        # Pages ask for a kind's entities over and over; sort each kind once. The sort reads
        # every entity: a page notes the order it gets (`of_kind`), not what made it.
        with reads.unnoted():
            return self._sort_by_kind()

    def _sort_by_kind(self) -> dict[str, tuple[Entity, ...]]:
        grouped: dict[str, list[Entity]] = {}
        for (name, _), entity in self.entities.items():
            grouped.setdefault(name, []).append(entity)
        return {name: in_reading_order(found) for name, found in grouped.items()}

    def __iter__(self) -> Iterator[Entity]:
        reads.note(("all",))
        return iter(self._in_order)

    @functools.cached_property
    def _in_order(self) -> tuple[Entity, ...]:
        return tuple(sorted(self.entities.values(), key=lambda e: (e.kind.name, e.id)))

    def kinds_in_use(self) -> list[Kind]:
        """Kinds that have entities or an introduction, in content-model order."""
        used = {name for name, _ in self.entities} | set(self.intros)
        return [kind for kind in self.kinds if kind.name in used]
