"""Safe YAML reading that keeps the line and column of every key and value.

PyYAML composes the file into a node graph with positions; we build plain Python values
from it ourselves so that we can refuse tags that build objects, refuse duplicate keys,
and bound alias expansion (a "billion laughs" file is stopped after a fixed number of
values, before it can eat memory).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..model import FieldPath, Position, format_field_path

_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")
)
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"

MAX_VALUES = 100_000
"""The most values one file may expand to, aliases included."""
MAX_DEPTH = 64
"""The deepest nesting of lists and mappings one file may have."""


class _Spelled:
    """A number that remembers how it was written: `00` stays "00" where text is wanted."""

    text: str

    def __str__(self) -> str:
        return self.text


class SourceInt(_Spelled, int):
    """A YAML integer with its spelling."""


class SourceFloat(_Spelled, float):
    """A YAML float with its spelling."""


def _spelled(cls: type[SourceInt] | type[SourceFloat], value: float, text: str) -> _Spelled:
    number = cls(value)
    number.text = text
    return number


class YamlProblem(Exception):
    """A file that cannot be read as a playbook YAML document."""

    def __init__(self, position: Position, message: str, field: str = "yaml") -> None:
        super().__init__(message)
        self.position = position
        self.message = message
        self.field = field


@dataclass
class YamlDocument:
    """A parsed document: its value, and where each value and key sits."""

    value: Any
    positions: dict[FieldPath, Position] = field(default_factory=dict)
    key_positions: dict[FieldPath, Position] = field(default_factory=dict)


def _position(mark: yaml.Mark | None) -> Position:
    if mark is None:
        return Position(1, 1)
    return Position(mark.line + 1, mark.column + 1)


_FAST_LOADER: type[yaml.SafeLoader] | None = getattr(yaml, "CSafeLoader", None)
"""libyaml's loader, where PyYAML was built with it: it composes about 25 times faster."""


def parse_yaml(text: str) -> YamlDocument:
    """Parse one YAML document safely; raise `YamlProblem` with a position if it is bad."""
    node, loader = None, None
    if _FAST_LOADER is not None:
        try:
            loader = _FAST_LOADER(text)
            node = loader.get_single_node()
        except yaml.YAMLError:
            # Report the problem in the pure-Python parser's words, the same on every machine.
            node, loader = None, None
    if loader is None:
        node, loader = _compose_with_python(text)
    try:
        if node is None:
            raise YamlProblem(Position(1, 1), "the file is empty; write the entity's fields")
        builder = _Builder(loader, text.splitlines())
        document = YamlDocument(value=None)
        document.value = builder.build(node, (), document, depth=0)
        return document
    finally:
        loader.dispose()


def _compose_with_python(text: str) -> tuple[Node | None, yaml.SafeLoader]:
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as error:
        raise _reader_problem(text, error) from None
    try:
        return loader.get_single_node(), loader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = f"{error.problem or 'invalid YAML'}; {_syntax_advice(error.problem or '')}"
        if "expected a single document" in str(error.context or ""):
            problem = "found a second document ('---'); keep one entity per file"
        misaligned = _misaligned(text, mark, error.problem or "")
        if misaligned is not None:
            raise misaligned from None
        raise YamlProblem(_position(mark), problem) from None
    except yaml.reader.ReaderError as error:
        raise _reader_problem(text, error) from None
    except yaml.YAMLError as error:
        raise YamlProblem(Position(1, 1), f"{error}; fix the YAML syntax") from None
    except RecursionError:
        raise YamlProblem(Position(1, 1), "the YAML is nested too deeply") from None


# What YAML reads as syntax where an author meant text: the hint is to quote the value.
_QUOTE_HINTS = (
    (re.compile(r"found character '[@`%]' that cannot start any token"), "put the value in quotes"),
    (
        re.compile(r"mapping values are not allowed here"),
        "if the ':' belongs to the text, put the value in quotes",
    ),
    (
        re.compile(r"found undefined alias|expected alphabetic or numeric character"),
        "to start text with '*' or '&', put the value in quotes",
    ),
)


def _syntax_advice(problem: str) -> str:
    for pattern, hint in _QUOTE_HINTS:
        if pattern.search(problem):
            return hint
    return "fix the YAML syntax"


def _misaligned(text: str, mark: yaml.Mark | None, problem: str) -> YamlProblem | None:
    """Two lines of one block indented differently. YAML notices at the second, though the
    first may be the one out of line: the problem names both, at the first."""
    block_end = problem.startswith("expected <block end>")
    colon = problem.startswith("mapping values are not allowed")
    if mark is None or not (block_end or colon):
        return None
    lines = text.splitlines()
    if mark.line >= len(lines):
        return None
    indent = _indent(lines[mark.line])
    for number in range(mark.line - 1, -1, -1):
        line = lines[number]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        before = _indent(line)
        if before == indent or (colon and (before > indent or line.rstrip().endswith(":"))):
            return None
        if before < indent:
            return YamlProblem(
                Position(mark.line + 1, indent + 1),
                f"line {mark.line + 1} is indented by {indent} spaces, more than line "
                f"{number + 1} ({before}), which has its value already: line them up"
                + ("; if the ':' belongs to the text, put the value in quotes" if colon else ""),
            )
        return YamlProblem(
            Position(number + 1, before + 1),
            f"line {number + 1} is indented by {before} spaces and line {mark.line + 1} by "
            f"{indent}: lines of one block line up; indent them the same",
        )
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _reader_problem(text: str, error: yaml.reader.ReaderError) -> YamlProblem:
    line = text.count("\n", 0, error.position) + 1
    column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
    return YamlProblem(
        Position(line, column),
        f"the control character U+{error.character:04X} is not allowed in YAML; remove it",
    )


class _Builder:
    def __init__(self, constructor: yaml.SafeLoader, lines: list[str]) -> None:
        self.constructor = constructor
        self.lines = lines
        self.count = 0
        self.active: set[int] = set()

    def build(self, node: Node, path: FieldPath, doc: YamlDocument, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise YamlProblem(
                _position(node.start_mark),
                f"the file expands to more than {MAX_VALUES} values through aliases; "
                "write the values out instead of repeating anchors",
            )
        if depth > MAX_DEPTH:
            raise YamlProblem(
                _position(node.start_mark), f"the YAML is nested more than {MAX_DEPTH} deep"
            )
        if id(node) in self.active:
            raise YamlProblem(
                _position(node.start_mark), "an alias refers to itself; remove the recursion"
            )
        doc.positions.setdefault(path, self._value_position(node))
        if isinstance(node, ScalarNode):
            if node.tag == _STR_TAG:
                return node.value  # most values: no need for PyYAML's constructor
            if node.tag not in _SCALAR_TAGS:
                raise self._bad_tag(node, path)
            try:
                value = self.constructor.construct_object(node, deep=True)
            except (yaml.YAMLError, ValueError) as error:
                raise YamlProblem(_position(node.start_mark), f"bad value: {error}") from None
            # YAML 1.1 reads yes/no/on/off as booleans: a stage called `no` or a quote of
            # `yes` would change meaning. Keep them as text, as YAML 1.2 does; boolean
            # fields still accept them.
            if isinstance(value, bool) and node.value.lower() not in ("true", "false"):
                return node.value
            # Numbers read where text is expected (ids, targets) keep the author's spelling.
            if type(value) is int:
                return _spelled(SourceInt, value, node.value)
            if type(value) is float:
                return _spelled(SourceFloat, value, node.value)
            return value
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                if node.tag != _SEQ_TAG:
                    raise self._bad_tag(node, path)
                return [
                    self.build(item, (*path, index), doc, depth + 1)
                    for index, item in enumerate(node.value)
                ]
            if isinstance(node, MappingNode):
                if node.tag != _MAP_TAG:
                    raise self._bad_tag(node, path)
                return self._mapping(node, path, doc, depth)
            raise YamlProblem(_position(node.start_mark), "unsupported YAML node")
        finally:
            self.active.discard(id(node))

    def _mapping(
        self, node: MappingNode, path: FieldPath, doc: YamlDocument, depth: int
    ) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, Position] = {}
        for key_node, value_node in node.value:
            key_position = _position(key_node.start_mark)
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlProblem(
                    key_position, "merge keys ('<<') are not supported; write the fields out"
                )
            if isinstance(key_node, ScalarNode) and self._reads_as_syntax(key_node):
                raise self._bad_tag(key_node, path)
            if not isinstance(key_node, ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                raise YamlProblem(key_position, "a key must be plain text")
            # A text key is its node's value: PyYAML's constructor would give the same.
            key = (
                key_node.value
                if key_node.tag == _STR_TAG
                else str(self.constructor.construct_object(key_node))
            )
            if key in first_seen:
                raise YamlProblem(
                    key_position,
                    f"duplicate key '{key}' (first set at line {first_seen[key].line}); "
                    "keep one of them",
                    field=format_field_path((*path, key)),
                )
            first_seen[key] = key_position
            doc.key_positions[(*path, key)] = key_position
            result[key] = self.build(value_node, (*path, key), doc, depth + 1)
        return result

    def _value_position(self, node: Node) -> Position:
        # A block scalar's text starts on the line after its `|` or `>` indicator.
        if isinstance(node, ScalarNode) and node.style in ("|", ">"):
            index = node.start_mark.line + 1
            if index < len(self.lines):
                line = self.lines[index]
                return Position(index + 1, len(line) - len(line.lstrip()) + 1)
        return _position(node.start_mark)

    def _reads_as_syntax(self, node: ScalarNode) -> bool:
        """Whether YAML gave a plain value a special type of its own (`=`, `<<`): the
        author wrote no tag, so telling them to remove one would not help."""
        if node.style or node.tag in _SCALAR_TAGS:
            return False
        mark = node.start_mark
        line = self.lines[mark.line] if mark.line < len(self.lines) else ""
        return line[mark.column : mark.column + 1] != "!"

    def _bad_tag(self, node: Node, path: FieldPath) -> YamlProblem:
        if isinstance(node, ScalarNode) and self._reads_as_syntax(node):
            return YamlProblem(
                _position(node.start_mark),
                f"'{node.value}' means something else to YAML; put the value in quotes",
                field=format_field_path(path) or "yaml",
            )
        return YamlProblem(
            _position(node.start_mark),
            f"the YAML tag '{node.tag}' is not allowed; remove it (playbooks hold plain "
            "text, numbers, lists and mappings), or put the value in quotes if the '!' is "
            "part of the text",
        )
