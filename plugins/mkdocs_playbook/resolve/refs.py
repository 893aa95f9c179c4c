"""Resolve refs in YAML fields and inline Markdown, and gather every entity's backlinks."""

from __future__ import annotations

import functools
import re
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, get_args

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .. import reads
from ..diagnostics import Diagnostic, Severity, did_you_mean, with_article
from ..entities import Entity, Playbook, kind_index_path
from ..kinds.models import Kind
from ..kinds.registry import builtin_kinds
from ..model import (
    ID_PATTERN,
    WHOLE_KIND,
    FieldPath,
    MarkdownText,
    Position,
    RefTarget,
    format_field_path,
)
from ..render.markup import Link, find_links, line_of

if TYPE_CHECKING:
    from ..plan_cache import PlanCache

MENTIONED_IN = "Mentioned in"
"""The backlink group of inline Markdown refs."""

_ID_RE = re.compile(ID_PATTERN)
_INLINE_REF_RE = re.compile(r"^(?P<kind>[a-z][a-z-]*):(?P<id>\S*)$")


@dataclass(frozen=True, order=True)
class Target:
    """What a ref points at: an entity (`persona`, `sally`) or a whole kind (`kind`, `strategy`)."""

    kind: str
    id: str

    @property
    def is_whole_kind(self) -> bool:
        """Whether it names a kind's index page rather than one entity."""
        return self.kind == WHOLE_KIND


def target_of(entity: Entity) -> Target:
    """The target that refers to this entity."""
    return Target(entity.kind.name, entity.id)


class RefError(ValueError):
    """A ref that is malformed or names the wrong kind: an error, not a warning."""


class NotAKind(RefError):
    """A ref whose kind the playbook does not have, though it is a built-in kind's name
    (left out by `builtin_kinds`): in a hand-written page too, an error, not a link."""


def parse_ref(ref: str, fixed_kind: str | None, kinds: frozenset[str]) -> Target:
    """Read `kind:id` (or a bare id where the field fixes the kind) into a target.

    ``kinds`` are the kind names the playbook has. Cached: pages resolve the same refs
    again and again (a RefError is not cached).
    """
    return _parse_ref(ref, fixed_kind, kinds)


@functools.lru_cache(maxsize=65536)
def _parse_ref(ref: str, fixed_kind: str | None, kinds: frozenset[str]) -> Target:
    kind_name, sep, ident = ref.partition(":")
    if not sep:
        if fixed_kind is None:
            raise RefError(needs_kind(ref, next(iter(_in_order(kinds)), "kind")))
        kind_name, ident = fixed_kind, ref
    if kind_name == WHOLE_KIND:
        if ident not in kinds:
            # A built-in kind the playbook leaves out is a kind it does not have.
            error = NotAKind if ident in builtin_kinds().names else RefError
            raise error(f"'{ref}' names no kind{_suggest_kind(ident, kinds)}")
        if fixed_kind is not None:
            raise RefError(f"'{ref}' is a whole kind; this field takes one {fixed_kind}")
        return Target(WHOLE_KIND, ident)
    if kind_name not in kinds:
        raise RefError(f"'{kind_name}' in '{ref}' is not a kind{_suggest_kind(kind_name, kinds)}")
    if fixed_kind is not None and kind_name != fixed_kind:
        raise RefError(
            f"'{ref}' is {with_article(kind_name)}, but this field takes {with_article(fixed_kind)}"
        )
    if not _ID_RE.match(ident):
        raise RefError(
            f"'{ident}' in '{ref}' is not an id: ids are lowercase letters, digits and hyphens"
        )
    return Target(kind_name, ident)


def needs_kind(ref: str, example: str) -> str:
    """What to say of a bare id where any kind may be named, with a kind for the example."""
    return f"'{ref}' needs its kind here: write it as kind:id, e.g. {example}:{ref}"


def _suggest_kind(word: str, kinds: frozenset[str]) -> str:
    if not kinds:
        return "; the playbook has no kinds yet: add a folder with a _kind.yaml"
    return did_you_mean(word, kinds) or f"; the kinds are: {', '.join(_in_order(kinds))}"


def _in_order(kinds: frozenset[str]) -> list[str]:
    # Built-in kinds in content-model order, then a playbook's own by name.
    builtin = [kind.name for kind in builtin_kinds()]
    return [n for n in builtin if n in kinds] + sorted(kinds - set(builtin))


# -- walking an entity's fields ------------------------------------------------------------


@dataclass(frozen=True)
class FieldRef:
    """A ref written in a YAML field."""

    path: FieldPath
    value: str
    kind: str | None
    relation: str


@functools.cache
def _markers(model: type[BaseModel], name: str) -> tuple[RefTarget | None, bool, str]:
    info: FieldInfo = model.model_fields[name]
    found: list[Any] = list(info.metadata)

    def scan(annotation: Any) -> None:
        for arg in get_args(annotation):
            found.append(arg)
            scan(arg)

    scan(info.annotation)
    ref = next((m for m in found if isinstance(m, RefTarget)), None)
    markdown = any(isinstance(m, MarkdownText) for m in found)
    extra = info.json_schema_extra
    relation = str(extra.get("x-backlink", "")) if isinstance(extra, dict) else ""
    return ref, markdown, relation


def _walk(
    model: BaseModel, path: FieldPath
) -> Iterator[tuple[FieldPath, Any, str, RefTarget | None, bool]]:
    for name in type(model).model_fields:
        ref, markdown, relation = _markers(type(model), name)
        yield from _walk_value(getattr(model, name), (*path, name), ref, markdown, relation)


def _walk_value(
    value: Any, path: FieldPath, ref: RefTarget | None, markdown: bool, relation: str
) -> Iterator[tuple[FieldPath, Any, str, RefTarget | None, bool]]:
    if isinstance(value, BaseModel):
        yield from _walk(value, path)
    elif isinstance(value, tuple | list):
        for index, item in enumerate(value):
            yield from _walk_value(item, (*path, index), ref, markdown, relation)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk_value(item, (*path, key), ref, markdown, relation)
    elif isinstance(value, str):
        yield path, value, relation, ref, markdown


@dataclass(frozen=True)
class _Scan:
    """What one entity's fields say about links: its refs, its Markdown and the links in it."""

    refs: tuple[FieldRef, ...]
    markdown: tuple[tuple[FieldPath, str, tuple[Link, ...]], ...]


_scans: weakref.WeakKeyDictionary[Entity, _Scan] = weakref.WeakKeyDictionary()
"""Each entity's scan, while the entity lives. Entities are immutable, and `mkdocs serve`
keeps the entities of unchanged files (`LoadCache`): a rebuild scans only the edited ones.
The links found in each file's Markdown are kept in the build cache too (`_links_in`), for
a build in a new process."""


def _scan(entity: Entity, kept: PlanCache | None = None) -> _Scan:
    reads.note(entity)  # a page that asks for its refs reads its fields, scanned or not
    found = _scans.get(entity)
    if found is None:
        refs: list[FieldRef] = []
        markdown: list[tuple[FieldPath, str]] = []
        for path, value, relation, ref, is_markdown in _walk(entity.data, ()):
            if ref is not None:
                refs.append(FieldRef(path, value, ref.kind, relation))
            if is_markdown:
                markdown.append((path, value))
        links = _links_in([text for _, text in markdown], kept)
        found = _scans[entity] = _Scan(
            tuple(refs),
            tuple(
                (path, text, in_text) for (path, text), in_text in zip(markdown, links, strict=True)
            ),
        )
    elif kept is not None and found.markdown:
        kept.keep_links([text for _, text, _ in found.markdown])
    return found


def _links_in(texts: list[str], kept: PlanCache | None) -> list[tuple[Link, ...]]:
    """The links of each of one file's Markdown texts: from the build cache (``kept``) if
    it holds them, else found by parsing each text, and then kept there."""
    if kept is None or not texts:
        return [tuple(find_links(text)) for text in texts]
    stored = kept.found_links(texts)
    if stored is not None:
        return [tuple(Link(*link) for link in links) for links in stored]
    found = [tuple(find_links(text)) for text in texts]
    kept.put_found_links(
        texts,
        [
            [(link.text, link.target, link.is_image, link.offset) for link in links]
            for links in found
        ],
    )
    return found


def field_refs(entity: Entity) -> Iterator[FieldRef]:
    """Every ref written in the entity's YAML fields, in field order."""
    return iter(_scan(entity).refs)


def markdown_fields(entity: Entity) -> Iterator[tuple[FieldPath, str]]:
    """Every Markdown text in the entity's fields, in field order."""
    return ((path, text) for path, text, _ in _scan(entity).markdown)


def inline_ref(target: str, kinds: frozenset[str]) -> Target | None:
    """The target of a Markdown link if it is written as a ref (`kind:id`), else None.

    Only known kind names count, so `https:` and `mailto:` links stay ordinary links.
    """
    match = _INLINE_REF_RE.match(target)
    if not match:
        return None
    kind = match["kind"]
    if kind not in kinds and kind != WHOLE_KIND:
        if not _ID_RE.match(match["id"]):
            return None
        # A built-in kind the playbook leaves out is a ref to a kind it does not have.
        if kind in builtin_kinds().names:
            raise NotAKind(f"'{kind}' in '{target}' is not a kind{_suggest_kind(kind, kinds)}")
        # A near miss of a kind name is a typo, not a URL scheme nobody uses.
        if did_you_mean(kind, kinds):
            raise RefError(f"'{kind}' in '{target}' is not a kind{did_you_mean(kind, kinds)}")
        return None
    return parse_ref(target, None, kinds)


# -- resolution ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Backlink:
    """One entity that refers to another, and how."""

    relation: str
    source: Entity


@dataclass
class Links:
    """Backlinks of every target, and the refs that did not resolve."""

    backlinks: dict[Target, list[Backlink]] = field(default_factory=dict)
    _seen: set[tuple[Target, str, str]] = field(default_factory=set, repr=False)

    def add(self, target: Target, relation: str, source: Entity) -> None:
        """Record that ``source`` refers to ``target`` through ``relation``, once."""
        # A set, not a scan of the list: popular targets have thousands of backlinks.
        key = (target, relation, source.ref)
        if key not in self._seen:
            self._seen.add(key)
            self.backlinks.setdefault(target, []).append(Backlink(relation, source))

    def of(self, target: Target) -> list[Backlink]:
        """The backlinks of a target, in the order they were found."""
        reads.note(("backlinks", target.kind, target.id))  # plain strings hash fastest
        return self.backlinks.get(target, [])

    def grouped(self, target: Target) -> list[tuple[str, list[Entity]]]:
        """Backlinks of a target grouped by relation, strongest relations first."""
        groups: dict[str, list[Entity]] = {}
        backlinks = self.of(target)
        typed = {b.source.ref for b in backlinks if b.relation != MENTIONED_IN}
        for backlink in backlinks:
            # A mention adds nothing when the same entity already names the relation.
            if backlink.relation == MENTIONED_IN and backlink.source.ref in typed:
                continue
            groups.setdefault(backlink.relation, []).append(backlink.source)
        return [
            (relation, sorted(sources, key=lambda e: (e.kind.name, e.data.title.casefold(), e.id)))
            for relation, sources in sorted(
                groups.items(), key=lambda item: _relation_rank(item[0])
            )
        ]


def _relation_rank(relation: str) -> tuple[int, str]:
    # Typed relations first, then "related" and plain mentions, so the strongest links lead.
    weak = {"Related from": 1, MENTIONED_IN: 2}
    return weak.get(relation, 0), relation


def resolve_target(playbook: Playbook, target: Target) -> Entity | Kind | None:
    """The entity or kind a target names, if it exists."""
    if target.is_whole_kind:
        return playbook.kinds.get(target.id)
    return playbook.get(target.kind, target.id)


def target_page(playbook: Playbook, target: Target) -> str | None:
    """The docs-relative Markdown page of a target, if it exists."""
    found = resolve_target(playbook, target)
    if isinstance(found, Kind):
        return kind_index_path(found)
    if isinstance(found, Entity):
        return found.page_path
    return None


def resolve_refs(
    playbook: Playbook, kept: PlanCache | None = None
) -> tuple[Links, list[Diagnostic]]:
    """Check every ref of every entity, and gather the backlinks; the links found in each
    file's Markdown are taken from the build cache (``kept``) where it holds them."""
    links = Links()
    diagnostics: list[Diagnostic] = []
    names = playbook.kinds.names
    left_out = playbook.kinds.left_out
    referring: dict[str, set[str]] = {name: set() for name in left_out}
    for entity in playbook:
        itself = target_of(entity)
        _scan(entity, kept)
        for ref in field_refs(entity):
            # Most refs resolve: link them without working out where they are written,
            # which only a problem needs.
            target = _resolved(playbook, ref.value, ref.kind)
            if target is not None and target != itself:
                links.add(target, ref.relation, entity)
                continue
            kind_left_out = _kind_left_out(ref.value, ref.kind, left_out)
            if kind_left_out is not None:
                referring[kind_left_out].add(entity.path)
                continue
            position = entity.position_of(ref.path)
            target = _check(
                playbook,
                entity.path,
                position,
                format_field_path(ref.path),
                ref.value,
                ref.kind,
                diagnostics,
            )
            if target is not None:
                _link_or_warn_self(
                    links,
                    entity,
                    target,
                    ref.relation,
                    position,
                    format_field_path(ref.path),
                    diagnostics,
                )
        for path, text, links_in_text in _scan(entity).markdown:
            for link in links_in_text:
                kind_left_out = _inline_kind_left_out(link.target, left_out)
                if kind_left_out is not None:
                    referring[kind_left_out].add(entity.path)
                    continue
                try:
                    target = inline_ref(link.target, names)
                except RefError as error:
                    base = entity.position_of(path)
                    position = Position(base.line + line_of(text, link.offset), base.column)
                    diagnostics.append(
                        _at(entity.path, position, format_field_path(path), str(error))
                    )
                    continue
                if target is None:
                    continue
                if target != itself and resolve_target(playbook, target) is not None:
                    links.add(target, MENTIONED_IN, entity)
                    continue
                base = entity.position_of(path)
                position = Position(base.line + line_of(text, link.offset), base.column)
                if _exists(
                    playbook, entity.path, position, format_field_path(path), target, diagnostics
                ):
                    _link_or_warn_self(
                        links,
                        entity,
                        target,
                        MENTIONED_IN,
                        position,
                        format_field_path(path),
                        diagnostics,
                    )
    diagnostics += [
        left_out_problem(name, left_out[name], sorted(referring[name])) for name in left_out
    ]
    return links, diagnostics


def left_out_problem(name: str, kind_file: str, referring: list[str]) -> Diagnostic:
    """The line that says a kind file's kind is not in the build, after that file's own
    problems, naming each file that refers to the kind."""
    message = f"the kind '{name}' is left out of the build until the problems above are fixed"
    if referring:
        message += "; refs to it are not checked until then, in " + ", ".join(referring)
    return Diagnostic(kind_file, 1, 1, "kind", message, rank=1)


def _kind_left_out(value: str, fixed_kind: str | None, left_out: Mapping[str, str]) -> str | None:
    """The kind left out of the build that a ref names, if it names one."""
    if not left_out:
        return None
    kind_name, sep, ident = value.partition(":")
    if not sep:
        kind_name = fixed_kind or ""
    elif kind_name == WHOLE_KIND:
        kind_name = ident
    return kind_name if kind_name in left_out else None


def _inline_kind_left_out(target: str, left_out: Mapping[str, str]) -> str | None:
    """The kind left out of the build that a Markdown link's ref names, if it names one."""
    match = _INLINE_REF_RE.match(target) if left_out else None
    return _kind_left_out(target, None, left_out) if match else None


def _resolved(playbook: Playbook, value: str, fixed_kind: str | None) -> Target | None:
    """The target of a well-formed ref that exists, or None (`_check` says what is wrong)."""
    try:
        target = parse_ref(value, fixed_kind, playbook.kinds.names)
    except RefError:
        return None
    return target if resolve_target(playbook, target) is not None else None


def check_page_refs(playbook: Playbook, text: str, path: str) -> list[Diagnostic]:
    """Check the inline refs of a hand-written Markdown page."""
    diagnostics: list[Diagnostic] = []
    for link in find_links(text):
        position = Position(line_of(text, link.offset) + 1, 1)
        if _inline_kind_left_out(link.target, playbook.kinds.left_out) is not None:
            continue  # the kind file's problems are reported
        try:
            target = inline_ref(link.target, playbook.kinds.names)
        except RefError as error:
            severity = Severity.ERROR if isinstance(error, NotAKind) else Severity.WARNING
            diagnostics.append(_at(path, position, "link", str(error), severity))
            continue
        if target is not None:
            _exists(playbook, path, position, "link", target, diagnostics)
    return diagnostics


def _check(
    playbook: Playbook,
    path: str,
    position: Position,
    field_name: str,
    value: str,
    fixed_kind: str | None,
    diagnostics: list[Diagnostic],
) -> Target | None:
    try:
        target = parse_ref(value, fixed_kind, playbook.kinds.names)
    except RefError as error:
        message = str(error)
        if fixed_kind is None and ":" not in value:
            # The example names a kind that has this id, where one has it.
            holders = frozenset(kind for kind, ident in playbook.entities if ident == value)
            if holders:
                message = needs_kind(value, _in_order(holders)[0])
        diagnostics.append(_at(path, position, field_name, message))
        return None
    return target if _exists(playbook, path, position, field_name, target, diagnostics) else None


def _exists(
    playbook: Playbook,
    path: str,
    position: Position,
    field_name: str,
    target: Target,
    diagnostics: list[Diagnostic],
) -> bool:
    if resolve_target(playbook, target) is not None:
        return True
    if (target.kind, target.id) in playbook.broken:
        return False  # its own file has errors, already reported
    known = [ident for kind, ident in playbook.entities if kind == target.kind]
    suggestion = did_you_mean(target.id, known)
    diagnostics.append(
        _at(
            path,
            position,
            field_name,
            f"unknown {target.kind} '{target.id}'{suggestion}"
            + (
                ""
                if suggestion
                else f"; create {playbook.kinds.by_name[target.kind].collection}/{target.id}.yaml "
                "or fix the ref"
            ),
            Severity.WARNING,
        )
    )
    return False


def _link_or_warn_self(
    links: Links,
    entity: Entity,
    target: Target,
    relation: str,
    position: Position,
    field_name: str,
    diagnostics: list[Diagnostic],
) -> None:
    if target == target_of(entity):
        diagnostics.append(
            _at(
                entity.path,
                position,
                field_name,
                f"'{entity.ref}' refers to itself; remove the ref",
                Severity.WARNING,
            )
        )
        return
    links.add(target, relation, entity)


def _at(
    path: str,
    position: Position,
    field_name: str,
    message: str,
    severity: Severity = Severity.ERROR,
) -> Diagnostic:
    return Diagnostic(path, position.line, position.column, field_name, message, severity)
