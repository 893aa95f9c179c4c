"""Problems found in a playbook, as values with a location: `path:line:col: field: message`."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path


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


def key_line(config_file: Path, key: str) -> int:
    """The line of a top-level key in a config file, or 1 when it is not written there."""
    try:
        lines = config_file.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    return next((n for n, line in enumerate(lines, 1) if line.startswith(f"{key}:")), 1)


def display_path(path: Path, base: Path) -> str:
    """``path`` relative to ``base`` when it is inside it, else as it is."""
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def default_display_dir(root: Path) -> Path:
    """The current folder if the project is in it (paths a terminal can open), else the project."""
    cwd = Path.cwd().resolve()
    return cwd if root.resolve().is_relative_to(cwd) else root.resolve()
