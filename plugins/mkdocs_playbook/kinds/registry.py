"""The kind registry: the built-in kinds read from package data, plus a playbook's own.

A collection folder's `_kind.yaml` extends the built-in kind of that folder, or, in any
other folder, defines a new kind. Everything else (loading, refs, pages, schemas, the
guide) asks the registry what a kind is and never names a kind in code.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

from ..diagnostics import Diagnostic, DiagnosticError
from ..load.yamlsource import YamlProblem, parse_yaml
from ..options import ALL_KINDS, BuiltinKinds
from .icons import bundled_icons_folder
from .models import Kind, kind_model
from .spec import FieldSpec, KindFile, KindSpec, PageTemplates, read_kind_file

KIND_FILE = "_kind.yaml"


@dataclass(frozen=True, eq=False)
class KindRegistry:
    """Every kind a playbook may use, in the order pages and the guide list them."""

    kinds: tuple[Kind, ...]
    left_out: Mapping[str, str] = field(default_factory=dict)
    """Kinds whose kind files have problems, by name, each with its file: they are not in
    the build, and refs to them are not reported one by one."""

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


@functools.cache
def selected_builtin_kinds(selection: BuiltinKinds = ALL_KINDS) -> KindRegistry:
    """The built-in kinds a playbook has, as its `builtin_kinds` option selects them: `all`,
    `none`, or a tuple of names (names that are not built-in kinds are left out here; see
    `unknown_builtin_names`).

    A kind left out does not exist: a selected kind loses the fields, the site pages and the
    health relations that name one (then its pages follow its fields, and it shows no
    example, which would name the kind left out).
    """
    everything = builtin_kinds()
    if selection == ALL_KINDS:
        return everything
    wanted = frozenset(selection) if isinstance(selection, tuple) else frozenset()
    kept = [kind for kind in everything if kind.name in wanted]
    names = frozenset(kind.name for kind in kept)
    return KindRegistry(tuple(_without_missing_kinds(kind, names) for kind in kept))


def unknown_builtin_names(selection: BuiltinKinds) -> list[tuple[int, str]]:
    """The items of a `builtin_kinds` list that name no built-in kind, with their index."""
    if not isinstance(selection, tuple):
        return []
    names = builtin_kinds().names
    return [(index, name) for index, name in enumerate(selection) if name not in names]


def worded_for_left_out_kinds(kinds: KindRegistry, kind: Kind) -> bool:
    """Whether a kind's health check speaks in its packaged words while a relation those
    words name is of a built-in kind the playbook has left out (`builtin_kinds`): then its
    words must be made from the relations that remain."""
    packaged = builtin_kinds().by_name.get(kind.name)
    health, words = kind.spec.health, packaged.spec.health if packaged else None
    if health is None or words is None:
        return False
    if (health.title, health.explanation, health.message) != (
        words.title,
        words.explanation,
        words.message,
    ):
        return False  # its own words, from a `_kind.yaml`
    if words.via:
        return health.via != words.via
    left_out = [other for other in builtin_kinds() if other.name not in kinds.names]
    return any(_names_kind(other.spec.fields, kind.name) for other in left_out)


def _names_kind(fields: Iterable[FieldSpec], name: str) -> bool:
    """Whether any of the fields (their items and sub-fields too) is a ref to kind ``name``."""
    for spec in fields:
        target = spec.item_spec.kind if spec.item_spec is not None else spec.kind
        if target == name or _names_kind(spec.fields, name):
            return True
    return False


def _without_missing_kinds(kind: Kind, names: frozenset[str]) -> Kind:
    spec = kind.spec
    fields = _fields_within(spec.fields, names)
    kept = {f.name for f in fields}
    health = spec.health
    if health is not None and health.via:
        via = tuple(v for v in health.via if v.split(".", 1)[0] in names)
        health = replace(health, via=via) if via else None
    site_pages = tuple(p for p in spec.site_pages if _page_within(p, names))
    if fields == spec.fields and health == spec.health and site_pages == spec.site_pages:
        return kind
    trimmed = replace(
        spec,
        fields=fields,
        layout=tuple(n for n in spec.layout if n in kept),
        unique=tuple(n for n in spec.unique if n in kept),
        group_by=spec.group_by if spec.group_by in kept else None,
        order_by=spec.order_by if spec.order_by in kept else "title",
        health=health,
        site_pages=site_pages,
    )
    if fields != spec.fields:
        # Its own template and example use the fields left out: it is shown by its fields.
        trimmed = replace(trimmed, template=None, example=None)
    return make_kind(trimmed)


def _fields_within(fields: tuple[FieldSpec, ...], names: frozenset[str]) -> tuple[FieldSpec, ...]:
    """The fields that name no kind outside ``names``, their sub-fields likewise."""
    kept: list[FieldSpec] = []
    for spec in fields:
        target = spec.item_spec.kind if spec.item_spec is not None else spec.kind
        if target is not None and target not in names:
            continue
        if spec.fields:
            inner = _fields_within(spec.fields, names)
            if not inner:
                continue
            spec = replace(spec, fields=inner) if inner != spec.fields else spec
        kept.append(spec)
    return tuple(kept)


def _page_within(page: Mapping[str, Any], names: frozenset[str]) -> bool:
    """Whether a declared site page names only kinds in ``names``."""
    found: set[str] = set(page.get("needs_kinds", ()))
    coverage = page.get("coverage") or {}
    found.update(coverage.get("through", ()))
    for column in coverage.get("columns", ()):
        found.update(v for k, v in column.items() if k in ("kind", "also_via"))
    return found <= names


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
    with problems is returned with its problems, and its kind is left out (a built-in kind
    too: its entities were written for the kind the file describes). An `icon` is checked against
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
    left_out: dict[str, str] = {}
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
            name = builtin.name if builtin else source.data.get("name")
            # A new kind that takes a built-in kind's name (a clash) leaves that kind in.
            if isinstance(name, str) and name and (builtin or name not in base.names):
                left_out.setdefault(name, source.path)
            continue
        if builtin is not None:
            replaced[builtin.name] = make_kind(spec)
        else:
            taken[spec.name] = source.path
            added.append(make_kind(spec))
    # A name that another new kind has (a clash, reported as such) leaves that kind in.
    added_names = {kind.name for kind in added}
    left_out = {name: path for name, path in left_out.items() if name not in added_names}
    kinds = tuple(
        replaced.get(kind.name, kind) for kind in base if kind.name not in left_out
    ) + tuple(added)
    return KindRegistry(kinds, left_out), diagnostics


def kinds_named(registry: KindRegistry, names: Iterable[str]) -> list[Kind]:
    """The kinds of those names that the registry has, in registry order."""
    wanted = set(names)
    return [kind for kind in registry if kind.name in wanted]
