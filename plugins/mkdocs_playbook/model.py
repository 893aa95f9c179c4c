"""The values an entity's fields hold: the text types and their checks, records, refs, and
places in a file.

The kinds (`kinds/`) make each kind's pydantic model from these types; the loader validates
against those models, the ref resolver walks the fields marked as refs, and the JSON Schemas
and the authoring guide are generated from the field descriptions. The entities and the
`Playbook` they form are in `entities.py`, a layer above the kinds.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PlainValidator,
    Tag,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"


@dataclass(frozen=True)
class RefTarget:
    """Marks a string as a ref, to one kind or (``kind=None``) to any kind.

    A ref to a fixed kind may be a bare id; a ref to any kind is always `kind:id`.
    """

    kind: str | None


@dataclass(frozen=True)
class MarkdownText:
    """Marks a string field as Markdown: it may hold inline refs and is rendered as Markdown."""


MARKDOWN = MarkdownText()


def backlink(label: str) -> dict[str, Any]:
    """Field metadata: the relation named from the target's side ("Campaigns that target it")."""
    return {"x-backlink": label}


AnyRef = Annotated[str, RefTarget(None)]
URL_PATTERN = r"^(https?://|mailto:)\S+$"


# -- text: what every text field accepts, and how plain text stays one line ---------------

LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
"""Every character that Python, YAML or a browser may take as the end of a line."""
_FOLD_RE = re.compile(f"[ \t]*[{LINE_BREAKS}][{LINE_BREAKS} \t]*")
# C0 and C1 controls (but tab and line breaks) and noncharacters: YAML refuses them written
# out, and an escape such as "\x1b" or "\uFDD0" must not smuggle them in.
_FORBIDDEN = "\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ufdd0-\ufdef\ufffe\uffff"
_FORBIDDEN_RE = re.compile(f"[{_FORBIDDEN}]")
_EMBEDDINGS = "\u202a\u202b\u202d\u202e"
"""Left/right-to-left embeddings and overrides, each ended by POP DIRECTIONAL FORMATTING."""
_PDF = "\u202c"
_ISOLATES = "\u2066\u2067\u2068"
"""Left/right-to-left and first-strong isolates, each ended by POP DIRECTIONAL ISOLATE."""
_PDI = "\u2069"
_BIDI_RE = re.compile(f"[{_EMBEDDINGS}{_PDF}{_ISOLATES}{_PDI}]")
FIRST_STRONG_ISOLATE = "\u2068"
_UNUSUAL_RE = re.compile(f"[{_FORBIDDEN}{_EMBEDDINGS}{_PDF}{_ISOLATES}{_PDI}]")
"""Anything `markdown_text` has to look at more closely."""


def _refuse_forbidden(value: str) -> None:
    found = _FORBIDDEN_RE.search(value)
    if found:
        code = f"U+{ord(found.group()):04X}"
        raise PydanticCustomError(
            "forbidden_character",
            "contains {code}, a control character or noncharacter; remove it",
            {"code": code},
        )


def _refuse_blank(value: str) -> None:
    if not value.strip():
        raise PydanticCustomError("blank", "is only blank space; give it a value")


def balance_bidi(text: str) -> str:
    """The text with every embedding, override and isolate it opens closed at its end, and
    closers that match nothing dropped, so no direction leaks into what follows it."""
    if not _BIDI_RE.search(text):
        return text
    out: list[str] = []
    opened: list[str] = []
    for char in text:
        if char in _EMBEDDINGS or char in _ISOLATES:
            opened.append(char)
        elif char == _PDF:
            if not opened or opened[-1] not in _EMBEDDINGS:
                continue  # closes nothing (an isolate's own content cannot close past it)
            opened.pop()
        elif char == _PDI:
            if not any(o in _ISOLATES for o in opened):
                continue
            # A PDI also ends the embeddings opened inside its isolate.
            while opened.pop() not in _ISOLATES:
                pass
        out.append(char)
    out.extend(_PDF if o in _EMBEDDINGS else _PDI for o in reversed(opened))
    return "".join(out)


def plain_text(value: str) -> str:
    """One line of text as shown: line breaks folded to a space, outer blanks dropped, and
    bidi controls isolated so they cannot reverse the text around it."""
    if value.isprintable() and value and value.strip() == value:
        return value  # most text: no control, break, bidi control or outer blank at all
    _refuse_forbidden(value)
    folded = _FOLD_RE.sub(" ", value).strip()
    _refuse_blank(folded)
    if _BIDI_RE.search(folded):
        return FIRST_STRONG_ISOLATE + balance_bidi(folded) + _PDI
    return folded


def markdown_text(value: str) -> str:
    """Markdown as written, but never blank, and with bidi controls closed on their line."""
    _refuse_blank(value)
    if not _UNUSUAL_RE.search(value):
        return value  # one scan for most text
    _refuse_forbidden(value)
    if not _BIDI_RE.search(value):
        return value
    return "".join(_balance_line(line) for line in value.splitlines(keepends=True))


def _balance_line(line: str) -> str:
    text = line.rstrip(LINE_BREAKS)
    return balance_bidi(text) + line[len(text) :]


def tag_text(value: str) -> str:
    """A tag: plain text in Unicode NFC, so tags typed composed and decomposed are one tag."""
    return unicodedata.normalize("NFC", plain_text(value))


Text = Annotated[str, Field(min_length=1), AfterValidator(plain_text)]
"""Plain text: one line, shown exactly as typed (see `plain_text`)."""
Markdown = Annotated[str, MARKDOWN, Field(min_length=1), AfterValidator(markdown_text)]
TagText = Annotated[str, Field(min_length=1), AfterValidator(tag_text)]


def _validate_date_or_text(value: object) -> datetime.date | str:
    # YAML turns 2027-06-30 into a date; a datetime would show a time nobody wrote.
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and value != "":
        return plain_text(value)
    raise PydanticCustomError("date_or_text", "expected a date (YYYY-MM-DD) or text")


DateOrText = Annotated[
    datetime.date | str,
    PlainValidator(_validate_date_or_text),
    WithJsonSchema({"anyOf": [{"type": "string", "format": "date"}, {"type": "string"}]}),
]


def _validate_year(value: object) -> int | str:
    if isinstance(value, bool):
        raise PydanticCustomError("year", "expected a year such as 2019")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value != "":
        return plain_text(value)
    raise PydanticCustomError("year", "expected a year such as 2019")


Year = Annotated[
    int | str,
    PlainValidator(_validate_year),
    WithJsonSchema({"anyOf": [{"type": "integer"}, {"type": "string"}]}),
]


class Record(BaseModel):
    """Base of every mapping in the contract: closed, immutable, numbers read as text."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        coerce_numbers_to_str=True,
        use_attribute_docstrings=True,
    )


class Source(Record):
    """Where a fact comes from."""

    title: Text = Field(description="The title of the article, book or dataset.")
    url: (
        Annotated[
            str,
            Field(
                pattern=URL_PATTERN,
                description="Its address: an http(s) or mailto URL.",
            ),
        ]
        | None
    ) = None
    note: Text | None = Field(
        default=None, description="What was taken from it, or the outside source it quotes."
    )


class EntityBase(Record):
    """Fields every kind has."""

    title: Text = Field(description="Display name.")
    summary: Text = Field(
        description="One or two sentences; used on cards, in tables and in search."
    )
    body: Markdown | None = Field(
        default=None, description="Free text, rendered on the entity's page (Markdown)."
    )
    tags: tuple[TagText, ...] = Field(
        default=(), description="Shown on the page and joined with the site's tags."
    )
    related: tuple[AnyRef, ...] = Field(
        json_schema_extra=backlink("Related from"),
        default=(),
        description='"See also" links, to any kind.',
    )
    sources: tuple[Source, ...] = Field(default=(), description="Where the facts come from.")


# -- types the kind files name --------------------------------------------------------


TimeUnit = Literal["minutes", "hours", "days", "weeks", "months"]


class TimeRange(Record):
    """How long a play takes, as a range."""

    min: float = Field(ge=0, description="The least it takes.")
    max: float = Field(ge=0, description="The most it takes.")
    unit: TimeUnit = Field(description="One of: minutes, hours, days, weeks, months.")


def _time_shape(value: object) -> str | None:
    if isinstance(value, dict):
        return "range"
    if isinstance(value, str):
        return "text"
    return None


Duration = Annotated[
    Annotated[TimeRange, Tag("range")] | Annotated[Text, Tag("text")],
    Discriminator(
        _time_shape,
        custom_error_type="duration",
        custom_error_message='expected {min, max, unit} or text such as "2 hours"',
    ),
]


class ImageFile(Record):
    """An image beside the entity's YAML, or in its collection's `_assets/` folder."""

    src: Text = Field(
        description="The image file, relative to the collection folder: a .png, .jpg, "
        ".jpeg, .gif or .webp file there or in its _assets/ folder."
    )
    alt: Text | None = Field(
        default=None, description="What the image shows, for those who cannot see it."
    )


def _image_shape(value: object) -> str | None:
    if isinstance(value, dict):
        return "file"
    if isinstance(value, str):
        return "src"
    return None


Image = Annotated[
    Annotated[ImageFile, Tag("file")] | Annotated[Text, Tag("src")],
    Discriminator(
        _image_shape,
        custom_error_type="image",
        custom_error_message="expected {src, alt} or the image file's path, such as "
        '"_assets/cover.png"',
    ),
]
"""An image: `{src, alt}`, or its `src` alone (then the alt text is the entity's title)."""

Code = Annotated[str, Field(min_length=1), AfterValidator(markdown_text)]
"""Code, kept exactly as typed (never read as Markdown)."""


def subject_keys(subjects: tuple[str, ...]) -> list[str]:
    """The key each subject of a comparison is given in keyed mappings, in subject order:
    its id, or the full ref where two subjects share an id."""
    parsed = [_split_ref(subject) for subject in subjects]
    ids = [ident for _, ident in parsed]
    return [
        subject if ids.count(ident) > 1 else ident
        for subject, (_, ident) in zip(subjects, parsed, strict=True)
    ]


def _split_ref(ref: str) -> tuple[str | None, str]:
    kind, sep, ident = ref.partition(":")
    return (kind, ident) if sep else (None, kind)


WHOLE_KIND = "kind"
"""The ref prefix that names a whole kind: `kind:strategy` links to the strategies index."""

FieldPath = tuple[str | int, ...]


def format_field_path(path: FieldPath) -> str:
    """`("objectives", 0, "metric")` → `objectives[0].metric`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


@dataclass(frozen=True)
class Position:
    """A 1-based line and column in a source file."""

    line: int
    column: int


def nearest_position(positions: Mapping[FieldPath, Position], path: FieldPath) -> Position:
    """The position recorded for ``path``, or for the nearest enclosing path that has one."""
    for end in range(len(path), -1, -1):
        found = positions.get(path[:end])
        if found:
            return found
    return Position(1, 1)
