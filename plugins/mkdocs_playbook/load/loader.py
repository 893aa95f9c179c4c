"""Load a playbook folder into validated entities, collecting every problem with its place."""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from ..diagnostics import Diagnostic, did_you_mean, sorted_diagnostics
from ..entities import Entity, Playbook, kind_index_path
from ..kinds.models import Kind
from ..kinds.registry import KIND_FILE, KindRegistry, builtin_kinds, extend_registry
from ..kinds.spec import FieldSpec, KindFile, PageTemplates
from ..links import containing_folder, link_out_message
from ..model import (
    ID_PATTERN,
    URL_PATTERN,
    EntityBase,
    FieldPath,
    Position,
    format_field_path,
    nearest_position,
    subject_keys,
)
from ..options import DEFAULTS
from ..plan import AUTHORS_DIR, MOVED_AUTHORS_DIR
from .images import check_images, is_image_file
from .yamlsource import YamlProblem, parse_yaml

YAML_SUFFIXES = (".yaml", ".yml")
INTRO_FILE = "_index.md"
_ID_RE = re.compile(ID_PATTERN)


CacheKey = tuple[str, bytes, type[EntityBase]]
"""A file's path, the hash of its content, and the model that validated it."""


@dataclass(frozen=True)
class CachedFile:
    """What one entity file gave: its entity (if valid) and its problems."""

    entity: Entity | None
    diagnostics: tuple[Diagnostic, ...]


class LoadCache:
    """Parsed and validated files by path and content hash, kept across serve rebuilds.

    A changed file has a new hash, so it is never served stale; entries of files that
    were not seen in the last load are dropped.
    """

    def __init__(self) -> None:
        self._entries: dict[CacheKey, CachedFile] = {}
        self._seen: set[CacheKey] = set()

    def get(self, key: CacheKey) -> CachedFile | None:
        """The cached result of a file with this path and content, if any."""
        self._seen.add(key)
        return self._entries.get(key)

    def put(self, key: CacheKey, value: CachedFile) -> None:
        """Remember what a file gave."""
        self._entries[key] = value

    def prune(self) -> None:
        """Forget files that the last load did not read."""
        self._entries = {k: v for k, v in self._entries.items() if k in self._seen}
        self._seen = set()


@dataclass
class LoadResult:
    """The entities that loaded, and every problem found on the way."""

    playbook: Playbook
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        """The problems that stop a build."""
        return [d for d in self.diagnostics if d.is_error]


def load_playbook(
    playbooks_dir: Path,
    *,
    project_dir: Path | None = None,
    max_file_size: int = DEFAULTS.max_file_size,
    cache: LoadCache | None = None,
    site: SitePaths | None = None,
    root_dir: Path | None = None,
    builtins: KindRegistry | None = None,
) -> LoadResult:
    """Read, parse and validate every entity file under ``playbooks_dir``.

    Messages show paths relative to ``project_dir``. Nothing is read through a link that
    leads outside ``root_dir``, the project folder (by default ``project_dir``). With a
    ``cache``, files whose content has not changed since the last load are not parsed or
    validated again. With ``site``, folders and kind files are checked against the paths
    and the templates of the site too.
    """
    loading = _Loading(playbooks_dir, project_dir, root_dir, max_file_size, cache, site, builtins)
    loading.run()
    if cache is not None:
        cache.prune()
    playbook = Playbook(
        entities=loading.entities,
        kinds=loading.kinds,
        intros=loading.intros,
        intro_paths=loading.intro_paths,
        broken=frozenset(loading.broken),
    )
    images, image_problems = check_images(playbook.entities.values(), playbooks_dir)
    playbook.images.update(images)
    diagnostics = loading.diagnostics + check_unique_fields(playbook) + image_problems
    return LoadResult(playbook, sorted_diagnostics(diagnostics))


def load_kinds(
    playbooks_dir: Path,
    *,
    project_dir: Path | None = None,
    max_file_size: int = DEFAULTS.max_file_size,
    site: SitePaths | None = None,
    root_dir: Path | None = None,
    builtins: KindRegistry | None = None,
) -> tuple[KindRegistry, list[Diagnostic]]:
    """The kinds a playbook may use, its own `_kind.yaml` files applied, without its entities."""
    loading = _Loading(playbooks_dir, project_dir, root_dir, max_file_size, None, site, builtins)
    if not playbooks_dir.is_dir() or loading.leaves_project(playbooks_dir):
        return loading.kinds, sorted_diagnostics(loading.diagnostics)
    return loading.read_kinds(), sorted_diagnostics(loading.diagnostics)


@dataclass(frozen=True)
class SitePaths:
    """What a site makes besides the playbook's pages, that a playbook must not collide with."""

    reserved: Mapping[str, str] = field(default_factory=dict)
    """Top-level names of the docs folder and the site that the site writes itself, each
    with a path it writes there: a collection folder of that name would replace it."""
    page_templates: PageTemplates | None = None
    """The templates a kind's `template` may name (those of entity pages), and the others."""


class _Loading:
    def __init__(
        self,
        root: Path,
        project_dir: Path | None,
        root_dir: Path | None,
        max_file_size: int,
        cache: LoadCache | None,
        site: SitePaths | None = None,
        builtins: KindRegistry | None = None,
    ) -> None:
        self.root = root
        self.builtins = builtins if builtins is not None else builtin_kinds()
        """The built-in kinds this playbook has (its `builtin_kinds` option)."""
        self.site = site or SitePaths()
        self.bad_folders: set[str] = set()
        """Folders whose names the site cannot use (reported once, then left out)."""
        self.real_root = root.resolve()
        self.project_dir = project_dir or root.parent
        self.real_project = containing_folder(root, root_dir or self.project_dir).resolve()
        self.links_out: set[Path] = set()
        self.max_file_size = max_file_size
        self.entities: dict[tuple[str, str], Entity] = {}
        self.intros: dict[str, str] = {}
        self.intro_paths: dict[str, str] = {}
        self.broken: set[tuple[str, str]] = set()
        self.diagnostics: list[Diagnostic] = []
        self.cache = cache
        self.kinds: KindRegistry = self.builtins

    def display(self, path: Path) -> str:
        try:
            return path.relative_to(self.project_dir).as_posix()
        except ValueError:
            return path.as_posix()

    def error(
        self, path: Path, field_name: str, message: str, position: Position | None = None
    ) -> None:
        where = position or Position(1, 1)
        self.diagnostics.append(
            Diagnostic(self.display(path), where.line, where.column, field_name, message)
        )

    def run(self) -> None:
        if not self.root.is_dir():
            self.error(
                self.root,
                "playbooks_dir",
                "the playbooks folder does not exist; create it or set the plugin's "
                "playbooks_dir option",
            )
            return
        if self.leaves_project(self.root):
            return
        self.kinds = self.read_kinds()
        collections = self.kinds.by_collection
        for entry in _listing(self.root):
            if _is_ignored(entry.name) or self.leaves_project(entry):
                continue
            if not entry.is_dir():
                folder = next(iter(self.kinds), None)
                such_as = f" such as {folder.collection}/" if folder is not None else ""
                self.error(
                    entry,
                    "collection",
                    f"files belong in a collection folder{such_as}; move it there, "
                    "or start its name with '_' to leave it out",
                )
                continue
            if entry.name in self.bad_folders:
                continue
            kind = collections.get(entry.name)
            if kind is None:
                if (entry / KIND_FILE).is_file():
                    continue  # its kind file has problems, already reported
                self.error(
                    entry,
                    "collection",
                    f"'{entry.name}' is not a collection folder"
                    + (
                        did_you_mean(entry.name, collections)
                        or "; the folders are: "
                        + ", ".join(collections)
                        + f"; to make it a kind of its own, add {entry.name}/{KIND_FILE}"
                    ),
                )
                continue
            self.load_collection(kind, entry)

    def read_kinds(self) -> KindRegistry:
        """The built-in kinds with the playbook's own kind files applied."""
        files: list[tuple[str, KindFile]] = []
        for entry in _listing(self.root):
            path = entry / KIND_FILE
            if _is_ignored(entry.name) or self.leaves_project(entry):
                continue
            if not entry.is_dir() or not self.usable_folder(entry) or not path.is_file():
                continue
            text = self.read_text(path)
            if text is None:
                continue
            try:
                document = parse_yaml(text)
            except YamlProblem as problem:
                self.error(path, problem.field, problem.message, problem.position)
                continue
            if not isinstance(document.value, dict):
                self.error(
                    path,
                    "yaml",
                    f"expected a mapping of keys at the top level, got {_describe(document.value)}",
                )
                continue
            source = KindFile(
                self.display(path), document.value, document.positions, document.key_positions
            )
            files.append((entry.name, source))
        registry, problems = extend_registry(
            self.builtins, files, page_templates=self.site.page_templates
        )
        self.diagnostics.extend(problems)
        return registry

    def usable_folder(self, folder: Path) -> bool:
        """Whether a folder's name can be a collection of the site: an id, and not a path the
        site writes itself. If not, the problem is reported and the folder left out."""
        name = folder.name
        if not _ID_RE.match(name):
            self.error(
                folder,
                "collection",
                f"'{name}' is not a folder name the site can use: use 1 to 64 lowercase "
                "letters, digits and hyphens, starting with a letter or digit; rename the "
                "folder" + did_you_mean(name.lower(), self.builtins.by_collection),
            )
        elif (
            name in self.site.reserved
            and name not in self.builtins.by_collection
            # A collection takes `authors/` from the pages for authors: they move to
            # `for-authors/` (`plan.authors_dir`).
            and name != AUTHORS_DIR
        ):
            self.error(
                folder,
                "collection",
                f"'{name}' is where the site puts {self.site.reserved[name]}; a collection "
                "there would replace it: rename the folder",
            )
        elif name == MOVED_AUTHORS_DIR and self.makes_kind(folder.parent / AUTHORS_DIR):
            # The pages for authors leave `authors/` to a kind, for `for-authors/`.
            self.error(
                folder,
                "collection",
                f"'{name}' is where the site puts its pages for authors when a collection "
                f"takes '{AUTHORS_DIR}'; a collection there would replace them: rename this "
                f"folder or '{AUTHORS_DIR}'",
            )
        else:
            return True
        self.bad_folders.add(name)
        return False

    def makes_kind(self, folder: Path) -> bool:
        """Whether a folder of the playbook is a kind's collection: a built-in kind's, or
        one with a kind file."""
        if not folder.is_dir() or not _ID_RE.match(folder.name):
            return False
        return folder.name in self.builtins.by_collection or (folder / KIND_FILE).is_file()

    def load_collection(self, kind: Kind, folder: Path) -> None:
        seen: dict[str, Path] = {}
        # An entity's page is `<collection>/<id>.md`, beside the index page of its kind.
        index_id = Path(kind_index_path(kind)).stem
        for entry in _listing(folder):
            if entry.name == INTRO_FILE:
                text = self.read_text(entry)
                if text is not None:
                    self.intros[kind.name] = text
                    self.intro_paths[kind.name] = self.display(entry)
                continue
            if _is_ignored(entry.name) or (entry.is_symlink() and self.leaves_project(entry)):
                continue
            if entry.is_dir():
                self.error(
                    entry,
                    "collection",
                    "folders inside a collection are not read; move its files up, or start "
                    "its name with '_' to leave it out",
                )
                continue
            if entry.suffix not in YAML_SUFFIXES and not is_image_file(entry.name):
                self.error(
                    entry,
                    "file",
                    "only .yaml and .yml files are entities; rename it, or start its name "
                    "with '_' to leave it out",
                )
                continue
            if entry.suffix not in YAML_SUFFIXES:
                continue  # an image that an entity may show
            ident = entry.stem
            if not _ID_RE.match(ident):
                self.error(
                    entry,
                    "id",
                    f"'{ident}' is not a valid id: use 1 to 64 lowercase letters, digits and "
                    "hyphens, starting with a letter or digit; rename the file",
                )
                continue
            if ident == index_id:
                self.error(
                    entry,
                    "id",
                    f"'{ident}' is the name of the collection's index page, which the "
                    "playbook generates; rename the file",
                )
                continue
            if ident in seen:
                self.error(
                    entry,
                    "id",
                    f"the id '{ident}' is already used by {self.display(seen[ident])}; "
                    "rename or remove one of them",
                )
                continue
            seen[ident] = entry
            self.load_entity(kind, ident, entry)

    def read_text(self, path: Path) -> str | None:
        raw = self.read_bytes(path)
        return None if raw is None else self.decode(path, raw)

    def leaves_project(self, path: Path) -> bool:
        """Whether ``path``, its links followed, is outside the project; reported once."""
        real = path.resolve()
        if _inside(real, self.real_project):
            return False
        if path not in self.links_out:
            self.links_out.add(path)
            self.error(path, "file", link_out_message(real, self.real_project))
        return True

    def read_bytes(self, path: Path) -> bytes | None:
        # Its folder stays inside (checked on the way down), so only a link can leave.
        if path.is_symlink() and self.leaves_project(path):
            return None
        if path.is_symlink() and not _inside(path.resolve(), self.real_root):
            self.error(
                path,
                "file",
                "is a link to a file outside the playbooks folder; refusing to read it",
            )
            return None
        try:
            size = path.stat().st_size
            if size > self.max_file_size:
                self.error(
                    path,
                    "file",
                    f"is {size} bytes, over the limit of {self.max_file_size}; split it, or "
                    "raise the plugin's max_file_size option",
                )
                return None
            return path.read_bytes()
        except OSError as error:
            self.error(path, "file", f"cannot be read: {error.strerror or error}")
            return None

    def decode(self, path: Path, raw: bytes) -> str | None:
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = raw.count(b"\n", 0, error.start) + 1
            column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
            self.error(
                path,
                "encoding",
                f"is not valid UTF-8 (byte 0x{raw[error.start]:02x}); save the file as UTF-8",
                Position(line, column),
            )
            return None

    def load_entity(self, kind: Kind, ident: str, path: Path) -> None:
        self.broken.add((kind.name, ident))
        raw = self.read_bytes(path)
        if raw is None:
            return
        shown = self.display(path)
        # The model is part of the key: a changed kind file validates the same file anew.
        key = (shown, hashlib.blake2b(raw, digest_size=16).digest(), kind.model)
        cached = self.cache.get(key) if self.cache is not None else None
        if cached is None:
            before = len(self.diagnostics)
            entity = self.parse_entity(kind, ident, path, raw, shown, key[1].hex())
            cached = CachedFile(entity, tuple(self.diagnostics[before:]))
            if self.cache is not None:
                self.cache.put(key, cached)
        else:
            self.diagnostics.extend(cached.diagnostics)
        if cached.entity is not None:
            self.broken.discard((kind.name, ident))
            self.entities[(kind.name, ident)] = cached.entity

    def parse_entity(
        self, kind: Kind, ident: str, path: Path, raw: bytes, shown: str, source_hash: str
    ) -> Entity | None:
        """The entity of one file, or None with its problems recorded; ``shown`` is the
        file's path as messages and pages show it (`display`), worked out once a file."""
        text = self.decode(path, raw)
        if text is None:
            return None
        try:
            document = parse_yaml(text)
        except YamlProblem as problem:
            self.error(path, problem.field, problem.message, problem.position)
            return None
        if not isinstance(document.value, dict):
            self.error(
                path,
                "yaml",
                f"expected a mapping of fields at the top level, got {_describe(document.value)}; "
                "write 'title: ...', 'summary: ...' and so on",
            )
            return None
        try:
            data = kind.model.model_validate(document.value)
        except ValidationError as invalid:
            for details in _without_follow_on_errors(
                invalid.errors(include_url=False, include_input=False)
            ):
                self.diagnostics.append(
                    _validation_diagnostic(
                        shown,
                        kind,
                        details,
                        document.value,
                        document.positions,
                        document.key_positions,
                    )
                )
            return None
        entity = Entity(
            kind=kind,
            id=ident,
            path=shown,
            data=data,
            positions=document.positions,
            key_positions=document.key_positions,
            source_hash=source_hash,
        )
        problems = check_keyed_mappings(entity)
        self.diagnostics.extend(problems)
        return None if problems else entity


def _listing(folder: Path) -> list[Path]:
    # Sorted, so problems and pages come out the same whatever the file system's order.
    try:
        return sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError:
        return []


def _is_ignored(name: str) -> bool:
    return name.startswith((".", "_"))


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


# -- pydantic errors as located, readable messages ----------------------------------------


def _describe(value: object) -> str:
    """Name a YAML value's type the way an author thinks of it."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, datetime.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _without_follow_on_errors(errors: list[ErrorDetails]) -> list[ErrorDetails]:
    """Drop "needs at least N items" on a list whose items have errors of their own:
    pydantic counts only the valid items, so the list looks short only because of them."""
    item_parents = {
        tuple(error["loc"][:index])
        for error in errors
        for index, part in enumerate(error["loc"])
        if isinstance(part, int)
    }
    return [e for e in errors if not (e["type"] == "too_short" and tuple(e["loc"]) in item_parents)]


def _walk(data: Any, loc: Iterable[int | str]) -> tuple[FieldPath, Any, bool]:
    """Follow a pydantic error location through the data.

    Returns the path that exists in the data, the value found there, and whether the
    whole location was found. Segments that are not in the data (the tags pydantic adds
    for union members) are skipped.
    """
    path: list[str | int] = []
    value = data
    loc = list(loc)
    for index, segment in enumerate(loc):
        in_mapping = isinstance(value, Mapping) and isinstance(segment, str) and segment in value
        in_list = isinstance(value, list) and isinstance(segment, int) and segment < len(value)
        if in_mapping or in_list:
            value = value[segment]
        elif index == len(loc) - 1:
            path.append(segment)
            return tuple(path), None, False
        else:
            continue
        path.append(segment)
    return tuple(path), value, True


_EXPECTED = {
    "string_type": "text",
    "list_type": "a list",
    "tuple_type": "a list",
    "dict_type": "a mapping of key: value",
    "model_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
}


def _validation_diagnostic(
    path: str,
    kind: Kind,
    details: ErrorDetails,
    data: dict[str, Any],
    positions: Mapping[FieldPath, Position],
    key_positions: Mapping[FieldPath, Position],
) -> Diagnostic:
    field_path, value, found = _walk(data, details["loc"])
    error_type = details["type"]
    name = format_field_path(field_path) or "(top level)"
    where = nearest_position(positions, field_path)
    if error_type == "missing":
        message = _missing_message(kind, field_path)
        where = nearest_position(positions, field_path[:-1])
    elif error_type == "extra_forbidden":
        key = str(field_path[-1])
        allowed = _allowed_fields(kind.model, field_path[:-1])
        message = f"unknown field '{key}'" + (
            did_you_mean(key, allowed) or f"; the fields here are: {', '.join(allowed)}"
        )
        where = key_positions.get(field_path, where)
    elif value is None and found:
        message = "is empty; give it a value"
    elif error_type in _EXPECTED:
        message = f"expected {_EXPECTED[error_type]}, got {_describe(value)}"
        if error_type == "string_type" and isinstance(value, bool | datetime.date):
            message += "; put the value in quotes"
        elif error_type in ("list_type", "tuple_type") and not isinstance(value, list | dict):
            message += "; write it as a list ('- item' lines)"
    elif error_type == "literal_error":
        expected = str(details.get("ctx", {}).get("expected", ""))
        choices = re.findall(r"'([^']*)'", expected)
        message = (
            f"'{value}' is not one of: {', '.join(choices)}{did_you_mean(str(value), choices)}"
        )
    elif error_type == "too_short":
        if isinstance(value, str):
            message = "is empty; give it a value"
        else:
            minimum = details.get("ctx", {}).get("min_length", 1)
            message = f"needs at least {minimum} item{'s' if minimum != 1 else ''}"
    elif error_type == "string_pattern_mismatch" and field_path[-1:] == ("url",):
        message = f"'{value}' is not an http(s) or mailto URL; write the full address"
    elif error_type == "string_pattern_mismatch" and _is_url_pattern(details):
        message = (
            f"'{value}' is not an http, https or mailto address; write the full address, "
            "such as https://example.org/page"
        )
    elif error_type in _DATE_ERRORS:
        message = (
            f"expected a date written YYYY-MM-DD, such as 2024-01-31, got {_describe(value)}"
            + (f" '{value}'" if isinstance(value, str) else "")
        )
    else:
        message = details["msg"]
    return Diagnostic(path, where.line, where.column, name, message)


_DATE_ERRORS = frozenset(
    {"date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"}
)


def _is_url_pattern(details: ErrorDetails) -> bool:
    return bool(details.get("ctx", {}).get("pattern") == URL_PATTERN)


def _missing_message(kind: Kind, field_path: FieldPath) -> str:
    spec = field_spec_at(kind, field_path)
    if spec is not None and spec.when_missing:
        return spec.when_missing
    return f"is required; add '{field_path[-1]}:'"


def field_spec_at(kind: Kind, field_path: FieldPath) -> FieldSpec | None:
    """The spec of the field at a path in an entity of this kind (list indexes skipped)."""
    fields = kind.spec.fields
    found: FieldSpec | None = None
    for segment in field_path:
        if isinstance(segment, int):
            continue
        found = next((f for f in fields if f.name == segment), None)
        if found is None:
            return None
        fields = found.fields
    return found


def _allowed_fields(model: type[EntityBase], path: FieldPath) -> list[str]:
    """The field names of the model found at ``path`` inside ``model``."""
    current: Any = model
    for segment in path:
        if isinstance(segment, int):
            continue
        info = getattr(current, "model_fields", {}).get(segment)
        if info is None:
            return []
        current = _model_in(info.annotation)
    return list(getattr(current, "model_fields", {}))


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and hasattr(annotation, "model_fields"):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


# -- rules across fields and files ---------------------------------------------------------


def check_keyed_mappings(entity: Entity) -> list[Diagnostic]:
    """Mappings keyed by another field's refs (`keys_from`) name those refs, and nothing else.

    A comparison's `values` must name every subject (`all_keys`); its `choose_when` may
    name some of them.
    """
    problems: list[Diagnostic] = []
    for spec, path, mapping, keys in _keyed_mappings(entity):
        # `subjects` → "subject": what one key of the mapping names.
        noun = (spec.keys_from or "").removesuffix("s")
        for key in mapping:
            if key not in keys:
                where = entity.key_positions.get((*path, key), entity.position_of(path))
                problems.append(
                    Diagnostic(
                        entity.path,
                        where.line,
                        where.column,
                        format_field_path((*path, key)),
                        f"'{key}' is not a {noun} of this {entity.kind.singular.lower()}"
                        + (
                            did_you_mean(key, keys)
                            or f"; the {spec.keys_from} are: {', '.join(keys)}"
                        ),
                    )
                )
        if spec.all_keys:
            for key in keys:
                if key not in mapping:
                    where = entity.position_of(path)
                    problems.append(
                        Diagnostic(
                            entity.path,
                            where.line,
                            where.column,
                            format_field_path(path),
                            f"misses the {noun} '{key}'; add '{key}: ...'",
                        )
                    )
    return problems


def _keyed_mappings(
    entity: Entity,
) -> Iterable[tuple[FieldSpec, FieldPath, Mapping[str, str], list[str]]]:
    """Each mapping that is keyed by another top-level field's refs, with those keys."""

    def walk(
        fields: tuple[FieldSpec, ...], value: Any, path: FieldPath
    ) -> Iterable[tuple[FieldSpec, FieldPath, Mapping[str, str], list[str]]]:
        for spec in fields:
            inner = getattr(value, spec.name, None)
            if spec.keys_from and isinstance(inner, dict):
                refs = getattr(entity.data, spec.keys_from, ())
                yield spec, (*path, spec.name), inner, subject_keys(tuple(refs))
            elif spec.fields and isinstance(inner, tuple):
                for index, item in enumerate(inner):
                    yield from walk(spec.fields, item, (*path, spec.name, index))
            elif spec.fields and inner is not None:
                yield from walk(spec.fields, inner, (*path, spec.name))

    return walk(entity.kind.spec.fields, entity.data, ())


def check_unique_fields(playbook: Playbook) -> list[Diagnostic]:
    """No two entities of a kind share the value of a field the kind declares `unique`."""
    problems = []
    for kind in playbook.kinds:
        for name in kind.spec.unique:
            by_value: dict[Any, list[Entity]] = {}
            for entity in playbook.of_kind(kind):
                value = getattr(entity.data, name, None)
                if value is not None:
                    by_value.setdefault(value, []).append(entity)
            for value, entities in by_value.items():
                for entity in entities if len(entities) > 1 else []:
                    others = ", ".join(e.path for e in entities if e is not entity)
                    where = entity.position_of((name,))
                    problems.append(
                        Diagnostic(
                            entity.path,
                            where.line,
                            where.column,
                            name,
                            f"{name} {value} is also used by {others}; give every "
                            f"{kind.singular.lower()} its own {name}",
                        )
                    )
    return problems
