"""A small example playbook, one entity of each built-in kind, whose refs resolve among themselves.

The examples live in the kind files (`example:`); the authoring guide shows them, and its
error examples and the tests load them, so an example that stops validating fails the tests
instead of misleading an author.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..kinds.models import Kind


@dataclass(frozen=True)
class Example:
    """One example entity file."""

    kind: Kind
    id: str
    yaml: str

    @property
    def path(self) -> str:
        """Where it sits in a playbook folder: `personas/<id>.yaml`."""
        return f"{self.kind.collection}/{self.id}.yaml"


def example_of(kind: Kind) -> Example | None:
    """The example entity a kind's file gives, if it gives one."""
    if kind.spec.example is None:
        return None
    ident, text = kind.spec.example
    return Example(kind, ident, text)


def examples(kinds: Iterable[Kind]) -> list[Example]:
    """The examples of those kinds that give one, in kind order."""
    return [found for kind in kinds if (found := example_of(kind)) is not None]
