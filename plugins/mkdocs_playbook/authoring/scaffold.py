"""`playbook new`: a commented YAML template of one kind, written from the model's fields."""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..diagnostics import Diagnostic, DiagnosticError
from ..kinds.models import Kind
from ..load.loader import YAML_SUFFIXES
from ..model import ID_PATTERN
from ..project import Project
from .field_docs import FieldDoc, field_docs, required_first
from .schema import SCHEMA_DIR, schema_file_name

_ID_RE = re.compile(ID_PATTERN)
_INDENT = "  "


class ScaffoldError(DiagnosticError):
    """A new entity that cannot be written: a bad id, or the file is already there."""


def entity_template(kind: Kind, schema_location: str) -> str:
    """The YAML of a new entity: required fields to fill in, optional ones commented out."""
    docs = required_first(field_docs(kind.model))
    lines = [
        f"# yaml-language-server: $schema={schema_location}",
        "# " + _comment(f"{kind.singular} \N{EM DASH} {_sentence(kind.model.__doc__ or '')}"),
        "# Fill in the required fields, then check the file with `playbook validate`.",
        "",
    ]
    required = [doc for doc in docs if doc.required]
    optional = [doc for doc in docs if not doc.required]
    for doc in required:
        lines.append(f"# {_about(doc)}")
        lines.extend(_field_lines(doc, indent=""))
    if optional:
        lines += ["", "# -- Optional fields: uncomment the ones you need " + "-" * 30]
    for doc in optional:
        lines.append(f"# {_about(doc)}")
        lines.extend(f"# {line}" for line in _field_lines(doc, indent=""))
    return "\n".join(lines) + "\n"


def new_entity(project: Project, kind: Kind, ident: str) -> Path:
    """Write `playbooks/<collection>/<id>.yaml` from the kind's template; return its path."""
    folder = project.playbooks_dir / kind.collection
    path = folder / f"{ident}.yaml"
    if not _ID_RE.match(ident):
        suggestion = slug(ident)
        raise ScaffoldError(
            Diagnostic(
                project.display(path),
                1,
                1,
                "id",
                f"'{ident}' is not a valid id: use 1 to 64 lowercase letters, digits and hyphens, "
                "starting with a letter or digit" + (f"; try '{suggestion}'" if suggestion else ""),
            )
        )
    for suffix in YAML_SUFFIXES:
        existing = folder / f"{ident}{suffix}"
        if existing.is_symlink() and not existing.exists():
            # Writing would create the file where the link leads, wherever that is.
            raise ScaffoldError(
                Diagnostic(
                    f"{project.display(folder)}/{existing.name}",
                    1,
                    1,
                    "id",
                    "is a link to a file that does not exist; playbook new writes nothing "
                    "through it: remove the link, or choose another id",
                )
            )
        if existing.exists():
            raise ScaffoldError(
                Diagnostic(
                    project.display(existing),
                    1,
                    1,
                    "id",
                    f"the {kind.singular.lower()} '{ident}' already exists; edit that file, "
                    "or choose another id",
                )
            )
    schema = project.root / SCHEMA_DIR / schema_file_name(kind)
    location = Path(os.path.relpath(schema, folder)).as_posix()
    folder.mkdir(parents=True, exist_ok=True)
    # "x": never replace a file that appeared since the check above.
    with path.open("x", encoding="utf-8") as file:
        file.write(entity_template(kind, location))
    return path


def slug(text: str) -> str:
    """An id made from any text: lowercase, hyphens between words (may be empty)."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words)[:64].strip("-")


def _sentence(docstring: str) -> str:
    first = docstring.strip().splitlines()[0] if docstring.strip() else ""
    return first[:1].lower() + first[1:]


def _about(doc: FieldDoc) -> str:
    """The field's meaning, and its type unless the meaning already says it."""
    notes = [] if doc.type.casefold() in doc.description.casefold() else [doc.type]
    if doc.min_items > 1:
        notes.append(f"at least {doc.min_items}")
    about = doc.description + (f" ({', '.join(notes)})" if notes else "")
    return _comment(about)


# What ends a YAML comment: a line break, in any of the spellings YAML knows.
_LINE_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# What YAML readers refuse anywhere in a file, comments included (PyYAML's and libyaml's
# printable set), and lone surrogates, which UTF-8 cannot write.
_UNPRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)


def _comment(text: str) -> str:
    """Text from a kind file as the body of one YAML comment: a line break in it would end
    the comment and turn the rest into keys (`\\ntitle: x`), so each is a space, and what a
    YAML reader refuses is U+FFFD."""
    return _UNPRINTABLE.sub("\N{REPLACEMENT CHARACTER}", _LINE_BREAKS.sub(" ", text))


def _field_lines(doc: FieldDoc, indent: str) -> list[str]:
    """The YAML of one field with empty values: `key:`, `key: []`, or its nested fields."""
    key = f"{indent}{doc.name}:"
    if doc.shape == "value" or (doc.shape == "mapping" and not doc.fields and doc.required):
        return [key]
    if doc.shape == "mapping" and not doc.fields:
        return [f"{key} {{}}"]
    if doc.shape == "mapping":
        return [key, *_nested_lines(doc.fields, indent + _INDENT, first_prefix="")]
    if not doc.required:
        if not doc.fields:
            return [f"{key} []"]
        return [key, *_nested_lines(doc.fields, indent + _INDENT, first_prefix="- ")]
    if not doc.fields:
        return [key] + [f"{indent}{_INDENT}-"] * max(doc.min_items, 1)
    return [key, *_nested_lines(doc.fields, indent + _INDENT, first_prefix="- ")]


def _nested_lines(docs: tuple[FieldDoc, ...], indent: str, first_prefix: str) -> list[str]:
    """The fields of a nested mapping, each with its meaning as a trailing comment."""
    lines: list[str] = []
    pad = " " * len(first_prefix)
    for index, doc in enumerate(required_first(docs)):
        # A list item must start with a key, so the first field stays even when optional.
        mark = "# " if not doc.required and index > 0 else ""
        head, *rest = _field_lines(doc, indent="")
        lines.append(f"{indent}{first_prefix if index == 0 else pad}{mark}{head}  # {_about(doc)}")
        lines.extend(f"{indent}{pad}{mark}{line}" for line in rest)
    return lines
