"""Problems found in a playbook, as values with a location: `path:line:col: field: message`."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


class Severity(Enum):
    """An error stops the build; a warning stops it only under `--strict`."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    """One problem, located in a file of the project."""

    path: str
    line: int
    column: int
    field: str
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.field}: {self.message}"

    @property
    def is_error(self) -> bool:
        """Whether it stops the build even without `--strict`."""
        return self.severity is Severity.ERROR


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`; did you mean 'x'?` when one of the choices is close to the word, else ``""``."""
    close = difflib.get_close_matches(word, sorted(set(choices)), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def sorted_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics in file order, without repeats."""
    return sorted(set(diagnostics), key=lambda d: (d.path, d.line, d.column, d.field, d.message))


class DiagnosticError(Exception):
    """A failure that is one located problem, shown as its `path:line:col:` line."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic
