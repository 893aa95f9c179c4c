"""Diagnostics for people and machines: text lines, JSON, or GitHub workflow annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence

from .diagnostics import Diagnostic

FORMATS = ("text", "json", "github")


def format_diagnostics(diagnostics: Sequence[Diagnostic], output_format: str) -> str:
    """The diagnostics in one of `FORMATS`, ending with a newline (empty text when none)."""
    if output_format == "json":
        return json.dumps([_as_dict(d) for d in diagnostics], indent=2, ensure_ascii=False) + "\n"
    if output_format == "github":
        return "".join(github_annotation(d) + "\n" for d in diagnostics)
    return "".join(f"{d}\n" for d in diagnostics)


def _as_dict(diagnostic: Diagnostic) -> dict[str, object]:
    return {
        "path": diagnostic.path,
        "line": diagnostic.line,
        "column": diagnostic.column,
        "field": diagnostic.field,
        "message": diagnostic.message,
        "severity": diagnostic.severity.value,
    }


def github_annotation(diagnostic: Diagnostic) -> str:
    """A GitHub Actions workflow command that annotates the file at the problem."""
    properties = ",".join(
        f"{name}={_escape_property(value)}"
        for name, value in (
            ("file", diagnostic.path),
            ("line", str(diagnostic.line)),
            ("col", str(diagnostic.column)),
            ("title", diagnostic.field),
        )
    )
    return f"::{diagnostic.severity.value} {properties}::{_escape_data(diagnostic.message)}"


def _escape_data(text: str) -> str:
    # GitHub's workflow command syntax: these characters would end or split the command.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def summary(*, errors: int, warnings: int, entities: int, pages: int, strict: bool) -> str:
    """One line on what was checked and what was found."""
    checked = f"Checked {_count(entities, 'entity', 'entities')} and {_count(pages, 'page')}"
    if not errors and not warnings:
        return f"{checked}: no problems."
    found = ", ".join(
        part
        for part in (
            _count(errors, "error") if errors else "",
            _count(warnings, "warning") if warnings else "",
        )
        if part
    )
    if warnings and not errors and not strict:
        return f"{checked}: {found} (warnings fail only with --strict)."
    return f"{checked}: {found}."


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"
