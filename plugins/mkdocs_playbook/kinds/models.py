"""Pydantic models made from kind specs: the validators of every kind, built-in or new.

The annotations are the ones the hand-written models of v1 had, so validation messages,
JSON Schemas and the authoring guide come out as before for the built-in kinds.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, TypeVar, cast

from pydantic import BaseModel, ConfigDict, Field, create_model

from ..model import (
    URL_PATTERN,
    Code,
    DateOrText,
    Duration,
    EntityBase,
    Image,
    Markdown,
    Record,
    RefTarget,
    Text,
    Year,
    backlink,
)
from .spec import FieldSpec, KindSpec


@dataclass(frozen=True)
class Kind:
    """One kind of the registry: what its kind file says, and the model made from it."""

    spec: KindSpec
    model: type[EntityBase] = field(compare=False)

    @property
    def name(self) -> str:
        """The name refs use: `persona` in `persona:sally`."""
        return self.spec.name

    @property
    def collection(self) -> str:
        """Its folder under the playbook, and its pages' folder on the site."""
        return self.spec.collection

    @property
    def singular(self) -> str:
        """Its display name."""
        return self.spec.label

    @property
    def plural(self) -> str:
        """Its display name for many: the index title and nav section."""
        return self.spec.plural

    @property
    def icon(self) -> str:
        """Its Material icon as an emoji shortcode name (`material-account`)."""
        return self.spec.icon.replace("/", "-")


_SCALARS: dict[str, Any] = {
    "text": Text,
    "markdown": Markdown,
    "integer": int,
    "number": float,
    "boolean": bool,
    "date": datetime.date,
    "url": Annotated[str, Field(pattern=URL_PATTERN)],
    "date_or_text": DateOrText,
    "year": Year,
    "duration": Duration,
    "checklist": tuple[Markdown, ...],
    "code": Code,
    "image": Image,
}

_Model = TypeVar("_Model", bound=BaseModel)

# The bases of the models made here. Their fields are described by the kind files, not by
# docstrings in source, so pydantic is told not to look for any: looking reads and
# tokenizes this module again for every model it makes, a tenth of a second per build.


class _MadeEntity(EntityBase):
    model_config = ConfigDict(use_attribute_docstrings=False)


class _MadeRecord(Record):
    model_config = ConfigDict(use_attribute_docstrings=False)


@functools.lru_cache(maxsize=256)
def kind_model(spec: KindSpec) -> type[EntityBase]:
    """The model that validates one entity file of this kind."""
    names: set[str] = set()
    name, base = _named(spec.schema_title, _pascal(spec.name), _MadeEntity, names)
    fields = {f.name: _field(f, spec, f.name, names) for f in spec.fields}
    if not spec.summary_required:
        fields["summary"] = (
            Text,
            Field(
                default="",
                description="One or two sentences; used on cards, in tables and in search.",
            ),
        )
    model = create_model(  # type: ignore[call-overload]
        name,
        __base__=base,
        __doc__=spec.description or None,
        __module__=__name__,
        **fields,
    )
    return cast("type[EntityBase]", model)


def _named(
    title: str | None, fallback: str, base: type[_Model], taken: set[str]
) -> tuple[str, type[_Model]]:
    """A class name for a made model, unique among the models of its kind (JSON Schemas name
    their definitions after them), and the base that gives it ``title`` when the name cannot
    be that text (`schema_title: Key result`)."""
    wanted = title or fallback
    name = wanted if wanted.isidentifier() and wanted.isascii() else _pascal_words(wanted)
    if not name or not name.isidentifier():
        name = fallback
    unique, number = name, 1
    while unique in taken:
        number += 1
        unique = f"{name}{number}"
    taken.add(unique)
    if unique == wanted:
        return unique, base
    config = ConfigDict(use_attribute_docstrings=False, title=wanted)
    titled = type(f"{unique}Base", (base,), {"model_config": config, "__module__": __name__})
    return unique, cast("type[_Model]", titled)


def _pascal_words(text: str) -> str:
    """`Key result` → `KeyResult`: the ASCII letters and digits of a text, as one word."""
    return "".join(word[:1].upper() + word[1:] for word in re.findall(r"[A-Za-z0-9]+", text))


def _field(spec: FieldSpec, kind: KindSpec, top: str, names: set[str]) -> tuple[Any, Any]:
    annotation = _annotation(spec, kind, top, names)
    options: dict[str, Any] = {}
    description = _with_labels(spec)
    if description:
        options["description"] = description
    if spec.type in ("ref", "refs") or spec.item == "ref":
        options["json_schema_extra"] = backlink(spec.inverse or _default_inverse(kind, top))
    if spec.type in ("list", "steps", "refs", "checklist"):
        least = max(spec.min_items, 1 if spec.required else 0)
        if least:
            options["min_length"] = least
    if spec.required:
        return annotation, Field(**options)
    if spec.type in ("list", "steps", "refs", "checklist"):
        return annotation, Field(default=(), **options)
    if spec.type == "mapping":
        return annotation, Field(default_factory=dict, **options)
    return annotation | None, Field(default=None, **options)


def _with_labels(spec: FieldSpec) -> str:
    """A field's description, with what each value of an enum with labels shows as."""
    if not spec.labels:
        return spec.description
    shown = ", ".join(f"{v} = {label}" for v, label in zip(spec.values, spec.labels, strict=True))
    return (
        f"{spec.description.rstrip('.')}. Shown as: {shown}."
        if spec.description
        else (f"Shown as: {shown}.")
    )


def _annotation(spec: FieldSpec, kind: KindSpec, top: str, names: set[str]) -> Any:
    if spec.type == "ref":
        return Annotated[str, RefTarget(spec.kind)]
    if spec.type == "enum":
        return Literal[spec.values]
    if spec.type == "refs":
        return tuple[Annotated[str, RefTarget(spec.kind)], ...]
    if spec.type == "mapping":
        value: Any = Markdown if spec.value == "markdown" else Text
        return dict[str, value]
    if spec.type == "record":
        return _record(spec, kind, top, names)
    if spec.type in ("list", "steps"):
        if spec.fields:
            item: Any = _record(spec, kind, top, names)
        elif spec.item_spec is not None:
            item = _annotation(spec.item_spec, kind, top, names)
        else:
            item = _SCALARS[spec.item or "text"]
        return tuple[item, ...]
    return _SCALARS[spec.type]


def _record(spec: FieldSpec, kind: KindSpec, top: str, names: set[str]) -> type[BaseModel]:
    fields = {f.name: _field(f, kind, top, names) for f in spec.fields}
    name, base = _named(spec.schema_title, _pascal(f"{kind.name}-{spec.name}"), _MadeRecord, names)
    model: type[BaseModel] = create_model(  # type: ignore[call-overload]
        name,
        __base__=base,
        __doc__=spec.schema_description or None,
        __module__=__name__,
        **fields,
    )
    return model


def _default_inverse(kind: KindSpec, field_name: str) -> str:
    """Without `inverse`, a backlink heading names the other kind and the field."""
    return f"{kind.plural} ({field_name.replace('_', ' ')})"


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.replace("_", "-").split("-"))
