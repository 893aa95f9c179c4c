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
    rank: int = 0
    """Where it sorts among the problems of its file: after those of a lower rank (a kind
    file's "left out of the build" line comes after the problems that left it out)."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.field}: {self.message}"

    @property
    def is_error(self) -> bool:
        """Whether it stops the build even without `--strict`."""
        return self.severity is Severity.ERROR


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`; did you mean 'x'?` when one of the choices is close to the word, else ``""``.

    Case does not count (`SEV1` → `sev1`). Of a word longer than four letters, a choice
    only fairly close (`minutes` and `months`) is suggested only when it starts as the word
    does: a suggestion that misleads is worse than none.
    """
    options = sorted(set(choices))
    folded = word.casefold()
    same = [c for c in options if c.casefold() == folded and c != word]
    if same:
        return f"; did you mean '{same[0]}'?"
    # As difflib.get_close_matches ranks them: the highest ratio, then the greater text.
    score, best = max(
        ((difflib.SequenceMatcher(None, folded, c.casefold()).ratio(), c) for c in options),
        default=(0.0, ""),
    )
    if not best or score < 0.6:
        return ""
    if score < 0.7 and len(folded) > 4 and best.casefold()[:2] != folded[:2]:
        return ""
    return f"; did you mean '{best}'?"


def with_article(word: str) -> str:
    """`an enum`, `a text`, `an objective`: a word with the article it takes."""
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def sorted_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics in file order, without repeats."""
    return sorted(
        set(diagnostics), key=lambda d: (d.path, d.rank, d.line, d.column, d.field, d.message)
    )


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
