"""The kind registry: the built-in kinds read from package data, plus a playbook's own.

A collection folder's `_kind.yaml` extends the built-in kind of that folder, or, in any
other folder, defines a new kind. Everything else (loading, refs, pages, schemas, the
guide) asks the registry what a kind is and never names a kind in code.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources

from ..diagnostics import Diagnostic, DiagnosticError
from ..load.yamlsource import YamlProblem, parse_yaml
from .icons import bundled_icons_folder
from .models import Kind, kind_model
from .spec import KindFile, KindSpec, PageTemplates, read_kind_file

KIND_FILE = "_kind.yaml"


@dataclass(frozen=True, eq=False)
class KindRegistry:
    """Every kind a playbook may use, in the order pages and the guide list them."""

    kinds: tuple[Kind, ...]

    def __iter__(self) -> Iterator[Kind]:
        return iter(self.kinds)

    @functools.cached_property
    def by_name(self) -> dict[str, Kind]:
        """Kinds by the name refs use."""
        return {kind.name: kind for kind in self.kinds}

    @functools.cached_property
    def by_collection(self) -> dict[str, Kind]:
        """Kinds by their folder under the playbook."""
        return {kind.collection: kind for kind in self.kinds}

    @functools.cached_property
    def names(self) -> frozenset[str]:
        """The names refs may use."""
        return frozenset(self.by_name)

    def get(self, name: str) -> Kind | None:
        """The kind of that name, if any."""
        return self.by_name.get(name)

    def with_health_checks(self) -> list[Kind]:
        """Kinds that declare a content-health check."""
        return [kind for kind in self.kinds if kind.spec.health is not None]


def make_kind(spec: KindSpec) -> Kind:
    """A kind of the registry: its spec and the model made from it."""
    return Kind(spec=spec, model=kind_model(spec))


@functools.cache
def builtin_kinds() -> KindRegistry:
    """The ten built-in kinds, read from the package's own kind files."""
    folder = resources.files("mkdocs_playbook.kinds") / "builtin"
    specs: list[KindSpec] = []
    names = frozenset(
        entry.name.split("-", 1)[1].removesuffix(".yaml")
        for entry in folder.iterdir()
        if entry.name.endswith(".yaml")
    )
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        source = _parse(f"mkdocs_playbook/kinds/builtin/{entry.name}", entry.read_text("utf-8"))
        spec, problems = read_kind_file(
            source, collection="", base=None, kind_names=names, taken={}, packaged=True
        )
        if spec is None or problems:
            raise DiagnosticError(problems[0])  # a packaging mistake, caught by the tests
        specs.append(spec)
    return KindRegistry(tuple(make_kind(spec) for spec in specs))


def _parse(path: str, text: str) -> KindFile:
    try:
        document = parse_yaml(text)
    except YamlProblem as problem:
        raise DiagnosticError(
            Diagnostic(
                path, problem.position.line, problem.position.column, problem.field, problem.message
            )
        ) from None
    if not isinstance(document.value, dict):
        raise DiagnosticError(Diagnostic(path, 1, 1, "yaml", "expected a mapping of keys"))
    return KindFile(path, document.value, document.positions, document.key_positions)


def extend_registry(
    base: KindRegistry,
    files: Sequence[tuple[str, KindFile]],
    *,
    page_templates: PageTemplates | None = None,
) -> tuple[KindRegistry, list[Diagnostic]]:
    """The registry with a playbook's kind files applied: `(collection, parsed file)` each.

    A file in a built-in collection extends that kind; any other defines a new kind. A file
    with problems is left out, and its problems are returned. An `icon` is checked against
    Material's icons where Material is installed; a `template` against ``page_templates``
    when they are given (else, for each, the form of the name alone).
    """
    new_names = frozenset(
        name
        for collection, source in files
        if collection not in base.by_collection and isinstance(name := source.data.get("name"), str)
    )
    kind_names = base.names | new_names
    taken = {kind.name: "a built-in kind" for kind in base}
    diagnostics: list[Diagnostic] = []
    replaced: dict[str, Kind] = {}
    added: list[Kind] = []
    for collection, source in sorted(files, key=lambda item: item[0]):
        builtin = base.by_collection.get(collection)
        spec, problems = read_kind_file(
            source,
            collection=collection,
            base=builtin.spec if builtin else None,
            kind_names=kind_names,
            taken=taken,
            icons=bundled_icons_folder(),
            page_templates=page_templates,
        )
        diagnostics.extend(problems)
        if spec is None or problems:
            continue
        if builtin is not None:
            replaced[builtin.name] = make_kind(spec)
        else:
            taken[spec.name] = source.path
            added.append(make_kind(spec))
    kinds = tuple(replaced.get(kind.name, kind) for kind in base) + tuple(added)
    return KindRegistry(kinds), diagnostics


def kinds_named(registry: KindRegistry, names: Iterable[str]) -> list[Kind]:
    """The kinds of those names that the registry has, in registry order."""
    wanted = set(names)
    return [kind for kind in registry if kind.name in wanted]
