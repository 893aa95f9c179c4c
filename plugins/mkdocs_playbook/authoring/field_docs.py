"""The model's fields described for people: type in words, required or not, meaning.

The authoring guide, the `playbook new` templates and the content-health checks read the
model through this module, so what they say is always what the loader checks.
"""

from __future__ import annotations

import datetime
import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..model import EntityBase, MarkdownText, RefTarget
from ..render.markup import escape_text


@dataclass(frozen=True)
class FieldDoc:
    """One field of a model, as an author needs to know it."""

    name: str
    type: str
    """The type in words: "text", "list of persona refs", "`{title, url?, note?}`"."""
    required: bool
    description: str
    min_items: int
    """The fewest items a list (or mapping) must hold; 0 when any number will do."""
    shape: Literal["value", "list", "mapping"]
    """What the YAML holds: one value, a list (`- item` lines) or a `key: value` mapping."""
    ref_kind: str | None
    """For a ref field: the kind it names, or `"*"` when it may name any kind."""
    backlink: str
    """The relation as the target's page names it ("Campaigns that target it"), or ``""``."""
    fields: tuple[FieldDoc, ...] = ()
    """The fields of the mapping it holds (or of each item of its list), if it holds one."""
    type_markdown: str = ""
    """`type` as Markdown that shows it as typed: its enum values escaped."""

    @property
    def is_ref(self) -> bool:
        """Whether its values are refs to entities."""
        return self.ref_kind is not None


ANY_KIND = "*"
"""`FieldDoc.ref_kind` of a ref that may name any kind."""


def field_docs(model: type[BaseModel]) -> tuple[FieldDoc, ...]:
    """Every field of a model, in declaration order."""
    return tuple(_field_doc(name, info) for name, info in model.model_fields.items())


def own_fields(model: type[EntityBase]) -> tuple[FieldDoc, ...]:
    """The fields a kind adds to those every kind has."""
    common = set(EntityBase.model_fields)
    return tuple(doc for doc in field_docs(model) if doc.name not in common)


def required_first(docs: tuple[FieldDoc, ...]) -> tuple[FieldDoc, ...]:
    """The same fields, the required ones first, each group in declaration order."""
    return tuple(d for d in docs if d.required) + tuple(d for d in docs if not d.required)


def nested_models(model: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """Every model reachable from a model's fields (itself included), by class name."""
    found: dict[str, type[BaseModel]] = {model.__name__: model}
    for info in model.model_fields.values():
        for inner in _models_in(_full_annotation(info)):
            if inner.__name__ not in found:
                found.update(nested_models(inner))
    return found


def ref_target(info: FieldInfo) -> RefTarget | None:
    """The ref marker of a field, wherever it sits in the field's type."""
    return next((m for m in _metadata_in(_full_annotation(info)) if isinstance(m, RefTarget)), None)


# -- reading annotations --------------------------------------------------------------------


def _field_doc(name: str, info: FieldInfo) -> FieldDoc:
    annotation = _full_annotation(info)
    inner = _strip_optional(annotation)
    target = ref_target(info)
    models = _models_in(inner)
    extra = info.json_schema_extra
    shape = _shape(inner)
    # On text, a minimum length means "not empty"; on a list, how many items it needs.
    min_items = [
        m.min_length for m in info.metadata if isinstance(getattr(m, "min_length", None), int)
    ]
    return FieldDoc(
        name=name,
        type=_words(inner),
        type_markdown=_words(inner, escape_text),
        required=info.is_required(),
        description=info.description or _nested_description(annotation),
        min_items=max(min_items, default=0) if shape != "value" else 0,
        shape=shape,
        ref_kind=None if target is None else target.kind or ANY_KIND,
        backlink=str(extra.get("x-backlink", "")) if isinstance(extra, dict) else "",
        # A union of a mapping and text (a play's `time`) is shown as the text it may be.
        fields=field_docs(models[0]) if len(models) == 1 and shape != "value" else (),
    )


def _full_annotation(info: FieldInfo) -> Any:
    # Pydantic moves the outer `Annotated[...]` metadata of a field into `info.metadata`.
    if info.metadata:
        return Annotated[(info.annotation, *info.metadata)]
    return info.annotation


def _strip_optional(annotation: Any) -> Any:
    if _is_union(annotation):
        members = [a for a in get_args(annotation) if a is not type(None)]
        if len(members) == 1:
            return members[0]
    return annotation


def _is_union(annotation: Any) -> bool:
    return get_origin(annotation) in (Union, types.UnionType)


def _unwrap(annotation: Any) -> tuple[Any, list[Any]]:
    """The type inside `Annotated[...]` and the metadata around it."""
    metadata: list[Any] = []
    while get_origin(annotation) is Annotated:
        base, *more = get_args(annotation)
        metadata.extend(more)
        annotation = base
    return annotation, metadata


def _metadata_in(annotation: Any) -> list[Any]:
    base, metadata = _unwrap(annotation)
    found = list(metadata)
    for meta in metadata:
        # `Field(...)` inside `Annotated` keeps its own metadata and description.
        if isinstance(meta, FieldInfo):
            found.extend(meta.metadata)
    for arg in get_args(base):
        found.extend(_metadata_in(arg))
    return found


def _nested_description(annotation: Any) -> str:
    base, metadata = _unwrap(annotation)
    for meta in metadata:
        if isinstance(meta, FieldInfo) and meta.description:
            return meta.description
    for arg in get_args(base):
        found = _nested_description(arg)
        if found:
            return found
    return ""


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    base, _ = _unwrap(annotation)
    if isinstance(base, type) and issubclass(base, BaseModel):
        return [base]
    found: list[type[BaseModel]] = []
    for arg in get_args(base):
        found.extend(m for m in _models_in(arg) if m not in found)
    return found


def _shape(annotation: Any) -> Literal["value", "list", "mapping"]:
    base, _ = _unwrap(annotation)
    origin = get_origin(base)
    if origin in (tuple, list):
        return "list"
    if origin is dict or (isinstance(base, type) and issubclass(base, BaseModel)):
        return "mapping"
    return "value"


def _words(annotation: Any, choice: Callable[[str], str] = str) -> str:
    """A type in the words of the content model, each enum value written by ``choice``."""
    base, metadata = _unwrap(annotation)
    markers = metadata + [
        m for meta in metadata if isinstance(meta, FieldInfo) for m in meta.metadata
    ]
    ref = next((m for m in markers if isinstance(m, RefTarget)), None)
    if ref is not None:
        return f"{ref.kind} ref" if ref.kind else "ref to any kind"
    if any(isinstance(m, MarkdownText) for m in markers):
        return "Markdown"
    origin = get_origin(base)
    if _is_union(base):
        members = [a for a in get_args(base) if a is not type(None)]
        return " or ".join(_words(member, choice) for member in members)
    if origin in (tuple, list):
        return f"list of {_plural(_words(get_args(base)[0], choice))}"
    if origin is dict:
        return f"mapping of text to {_words(get_args(base)[1], choice)}"
    if origin is Literal:
        return "one of: " + ", ".join(choice(str(value)) for value in get_args(base))
    if isinstance(base, type) and issubclass(base, BaseModel):
        keys = [doc.name + ("" if doc.required else "?") for doc in field_docs(base)]
        return "`{" + ", ".join(keys) + "}`"
    return _SIMPLE_WORDS.get(base, getattr(base, "__name__", str(base)))


_SIMPLE_WORDS: dict[Any, str] = {
    str: "text",
    int: "whole number",
    float: "number",
    bool: "true or false",
    datetime.date: "date (YYYY-MM-DD)",
}


def _plural(words: str) -> str:
    if words.endswith(" ref"):
        return words + "s"
    if words == "ref to any kind":
        return "refs to any kind"
    return words
