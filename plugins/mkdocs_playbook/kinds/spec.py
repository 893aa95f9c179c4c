"""The `_kind.yaml` language: what a kind and its fields are, read and checked with positions.

The ten built-in kinds are written in this language (`kinds/builtin/*.yaml`), and a
playbook's own `_kind.yaml` files extend them or add new kinds. Every problem is a located
`Diagnostic`, so an author sees `_kind.yaml:line:col: field: message` like anywhere else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, did_you_mean, with_article
from ..model import (
    EntityBase,
    FieldPath,
    Position,
    Record,
    format_field_path,
    nearest_position,
)
from .icons import icon_problem

SCALAR_TYPES = (
    "text",
    "markdown",
    "integer",
    "number",
    "boolean",
    "date",
    "url",
    "enum",
    "ref",
)
"""Types a list item may have, besides a mapping of sub-fields."""

FIELD_TYPES = (
    *SCALAR_TYPES,
    "refs",
    "list",
    "checklist",
    "mapping",
    "steps",
    "code",
    "image",
    # Extensions the built-in kinds need, open to every kind (documented in the guide):
    "record",
    "date_or_text",
    "year",
    "duration",
)
LIST_TYPES = ("list", "steps")
"""Types whose value is a list of `item`s: `steps` is a list shown numbered."""
TYPE_NAMES_ELSEWHERE = {
    "string": "text",
    "str": "text",
    "int": "integer",
    "float": "number",
    "bool": "boolean",
    "array": "list",
    "object": "record",
    "dict": "mapping",
    "md": "markdown",
    "link": "url",
}
"""Type names of other languages (JSON Schema, Python), each with the type it means here."""
TYPE_MEANINGS = {
    "text": "one string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "list": "a list of items",
    "record": "a mapping of sub-fields",
    "mapping": "text to text",
    "markdown": "Markdown",
    "url": "an http, https or mailto address",
}
ORDERABLE_TYPES = ("integer", "number", "date", "text")
SINGLE_VALUE_TYPES = frozenset(
    {"text", "integer", "number", "boolean", "date", "url", "enum", "ref"}
    | {"date_or_text", "year", "duration"}
)
"""Types that hold one value, shown beside their name rather than under a heading."""
COMMON_FIELDS = ("title", "summary", "body", "tags", "related", "sources")
"""Fields every kind has; `layout` may name them too (title, summary, tags stay on top)."""

_NAME_RE = re.compile(r"^[a-z][a-z0-9-]{0,63}$")
_FIELD_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")

FIELD_KEYS = (
    "type",
    "required",
    "description",
    "label",
    "kind",
    "inverse",
    "values",
    "item",
    "value",
    "fields",
    "min_items",
    "schema_title",
    "schema_description",
    "when_missing",
    "keys_from",
    "all_keys",
    "shown_as",
    "language",
)
SHOWN_AS = ("comparison_table", "choose_when")
"""Special ways a built-in kind shows a field on a page that follows `layout`."""
KIND_KEYS = (
    "name",
    "label",
    "plural",
    "icon",
    "order_by",
    "layout",
    "fields",
    "description",
    "unique",
    "template",
    "group_by",
    "card",
    "facets",
    "flow",
    "compares",
    "example",
    "health",
    "site_pages",
)
BUILTIN_ONLY_KEYS = ("collection", "schema_title")
"""Keys only the packaged kind files use: where a kind's folder is, and its models' names
(a playbook's folder names its kind, and the label names its schema)."""
SITE_PAGE_KEYS = ("page", "for", "needs_field", "needs_kinds", "coverage")
COVERAGE_KEYS = ("through", "columns", "title", "intro")
COLUMN_KEYS = ("kind", "also_via", "heading", "caption", "note", "transpose", "only_used")
HEALTH_KEYS = ("title", "explanation", "message", "via")
EXAMPLE_KEYS = ("id", "yaml")
SITE_PAGES = ("coverage.md", "which-do-i-need.md")
"""The site pages a kind may declare (each has its page template)."""
EXTENDABLE_FIELD_KEYS = ("label", "description")
_MODELS = (EntityBase, Record)
"""The bases of the models a kind's fields become: a field must not take one of their names."""
MODEL_ATTRIBUTES = frozenset(
    name for model in _MODELS for name in dir(model) if not name.startswith("_")
) - frozenset(name for model in _MODELS for name in model.model_fields)
"""What the validating model has of its own (pydantic's `model_dump`, `json`, `copy`...)."""
MODEL_NAMESPACE = "model_"
"""Where pydantic puts what it adds to models (of its versions, some warn of any field here)."""


def is_model_attribute(name: str) -> bool:
    """Whether a field of that name would clash with the validating model's own attributes
    or fall in pydantic's namespace for them."""
    return name in MODEL_ATTRIBUTES or name.startswith(MODEL_NAMESPACE)


@dataclass(frozen=True)
class FieldSpec:
    """One field of a kind, as its kind file describes it."""

    name: str
    type: str
    required: bool = False
    description: str = ""
    label: str | None = None
    kind: str | None = None
    """The kind a ref names; None for any kind."""
    inverse: str = ""
    """The heading, on the target's page, of what points at it through this field."""
    values: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    """An enum's label of each of `values`, in the same order, when `values` is a mapping."""
    language: str = ""
    """A code field's language, for its highlighting."""
    item: str | None = None
    """A list's item type, when its items are not mappings."""
    item_spec: FieldSpec | None = None
    """A list's item as a whole spec (an enum item, or a ref item with its kind)."""
    fields: tuple[FieldSpec, ...] = ()
    """The sub-fields of a record, or of each item of a list of mappings."""
    value: str = "text"
    """The type of a mapping's values."""
    min_items: int = 0
    schema_title: str | None = None
    schema_description: str = ""
    when_missing: str | None = None
    keys_from: str | None = None
    all_keys: bool = False
    shown_as: str | None = None
    """A special way to show it (`comparison_table`); otherwise by its type."""

    @property
    def heading(self) -> str:
        """The section heading or the name shown beside the value."""
        return self.label or sentence_case(self.name)

    @property
    def is_markdown(self) -> bool:
        """Whether the field holds Markdown (so inline refs may appear in it)."""
        return self.type in ("markdown", "checklist") or (
            self.type in LIST_TYPES and self.item == "markdown"
        )

    def label_of(self, value: Any) -> str:
        """How an enum value is shown: its label where `values` is a mapping, else itself."""
        if self.labels and value in self.values:
            return self.labels[self.values.index(value)]
        return str(value)


@dataclass(frozen=True)
class HealthCheck:
    """A content-health check a kind declares: its entities should be referred to so."""

    title: str
    explanation: str
    message: str
    via: tuple[str, ...] = ()
    """`kind.field` relations that count; empty: any ref field that names this kind."""


@dataclass(frozen=True)
class KindSpec:
    """A kind as its kind file describes it."""

    name: str
    collection: str
    label: str
    plural: str
    icon: str
    description: str = ""
    fields: tuple[FieldSpec, ...] = ()
    order_by: str = "title"
    descending: bool = False
    """Whether `order_by` sorts from the highest value down (`order_by: -date`)."""
    card: tuple[str, ...] = ()
    """Fields shown on its index cards under the title and summary."""
    facets: tuple[str, ...] = ()
    """Fields its index page filters by."""
    layout: tuple[str, ...] = ()
    template: str | None = None
    unique: tuple[str, ...] = ()
    group_by: str | None = None
    """A ref field whose target heads a group of the index cards (plays by stage)."""
    schema_title: str | None = None
    flow: bool = False
    """Whether its pages draw the whole flow of the kind, in order (the stages)."""
    example: tuple[str, str] | None = None
    """An example entity, `(id, yaml)`, that the authoring guide shows."""
    compares: str | None = None
    """The field that holds what its entities compare (a comparison's `subjects`)."""
    health: HealthCheck | None = None
    site_pages: tuple[Mapping[str, Any], ...] = field(default=(), compare=False)
    """Pages for the whole site that the kind's entities make (the coverage page)."""
    summary_required: bool = True
    """Whether its entities need a summary (a new kind may make it optional)."""
    described: bool = False
    """Whether a playbook's `_kind.yaml` describes it (then pages follow `layout`)."""
    builtin: bool = False

    def field(self, name: str) -> FieldSpec | None:
        """Its own field of that name, if any."""
        return next((f for f in self.fields if f.name == name), None)


YES = ("true", "yes", "on", "y")
NO = ("false", "no", "off", "n")


def yes_or_no(value: Any) -> bool | None:
    """A yes/no value as entity files read it too: true or false, or yes, no, on, off."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in YES + NO:
        return value.lower() in YES
    return None


def sentence_case(name: str) -> str:
    """`key_results` → "Key results"."""
    words = name.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def plural_of(label: str) -> str:
    """The default plural of a label: label + "s"."""
    return label + "s"


def icon_shortcode(icon: str) -> str:
    """`material/target` → `material-target`, the emoji shortcode Material renders."""
    return icon.replace("/", "-")


@dataclass(frozen=True)
class PageTemplates:
    """The page templates a site finds, as a kind's `template` may name them."""

    entities: frozenset[str]
    """Those that make a whole entity page."""
    others: frozenset[str] = frozenset()
    """Those that make the site's other pages: a kind's index, the site pages."""


# -- reading a kind file -------------------------------------------------------------------


@dataclass
class KindFile:
    """A parsed kind file: its values and where each one is."""

    path: str
    data: dict[str, Any]
    positions: Mapping[FieldPath, Position]
    key_positions: Mapping[FieldPath, Position]


class _Checker:
    """Collects located problems of one kind file."""

    def __init__(self, source: KindFile) -> None:
        self.source = source
        self.diagnostics: list[Diagnostic] = []

    def at_value(self, path: FieldPath, message: str) -> None:
        self._add(nearest_position(self.source.positions, path), path, message)

    def at_key(self, path: FieldPath, message: str) -> None:
        where = self.source.key_positions.get(path) or nearest_position(self.source.positions, path)
        self._add(where, path, message)

    def _add(self, where: Position, path: FieldPath, message: str) -> None:
        self.diagnostics.append(
            Diagnostic(
                self.source.path,
                where.line,
                where.column,
                format_field_path(path) or "(top level)",
                message,
            )
        )

    def text(self, path: FieldPath, value: Any) -> str | None:
        if isinstance(value, str) and value.strip():
            return value
        self.at_value(path, "expected text")
        return None

    def unknown_keys(
        self, path: FieldPath, data: Mapping[str, Any], allowed: tuple[str, ...]
    ) -> None:
        for key in data:
            if key not in allowed:
                self.at_key(
                    (*path, key),
                    f"unknown key '{key}'" + _suggestion(key, allowed, "keys"),
                )


def _suggestion(word: Any, choices: Iterable[str], plural: str) -> str:
    """`; did you mean 'x'?` for a near miss, else the choices: `; the fields are: a, b`."""
    choices = list(choices)
    if not choices:
        return f"; it has no {plural} of its own yet: add them under '{plural}'"
    return did_you_mean(str(word), choices) or f"; the {plural} are: {', '.join(choices)}"


def read_kind_file(
    source: KindFile,
    *,
    collection: str,
    base: KindSpec | None,
    kind_names: frozenset[str],
    taken: Mapping[str, str],
    packaged: bool = False,
    icons: Path | None = None,
    page_templates: PageTemplates | None = None,
) -> tuple[KindSpec | None, list[Diagnostic]]:
    """Check a kind file and read it into a `KindSpec`.

    ``base`` is the built-in kind the file extends (its folder is a built-in collection),
    or None for a new kind. ``kind_names`` are every kind a ref may name; ``taken`` maps
    the names of the other kinds to where they come from, for the clash check. ``icons``
    is the folder of the icons an `icon` may name, and ``page_templates`` the templates a
    `template` may name; without them, only the form of each is checked.
    """
    check = _Checker(source)
    data = source.data
    allowed = KIND_KEYS + (BUILTIN_ONLY_KEYS if packaged else ())
    check.unknown_keys((), data, allowed)
    name = _kind_name(check, data, base, taken)
    label = _optional_text(check, data, "label")
    plural = _optional_text(check, data, "plural")
    icon = _icon(check, data, icons)
    description = _optional_text(check, data, "description")
    template = _template(check, data, page_templates)
    base_fields = {f.name: f for f in base.fields} if base else {}
    summary_required = _summary_required(check, data.get("fields"), new_kind=base is None)
    own_names = kind_names | ({name} if name else set())
    fields = _fields(check, data.get("fields"), base_fields, own_names)
    all_fields = {f.name: f for f in fields} | {n: FieldSpec(n, "text") for n in COMMON_FIELDS}
    descending = isinstance(data.get("order_by"), str) and data["order_by"].startswith("-")
    order_by = _order_by(check, data, all_fields, descending)
    layout = _layout(check, data, all_fields)
    own_fields = {f.name: f for f in fields}
    card = _names_list(check, data, "card", own_fields)
    facets = _facets(check, data, own_fields)
    unique = _names_list(check, data, "unique", all_fields)
    group_by = _group_by(check, data, all_fields)
    if not packaged:
        _check_powers(check, data, all_fields, own_names)
    if name is None or check.diagnostics:
        return None, check.diagnostics
    label = label or (base.label if base else sentence_case(name))
    spec = KindSpec(
        name=name,
        collection=str(data.get("collection", collection)) if packaged else collection,
        label=label,
        plural=plural or (base.plural if base and not data.get("label") else plural_of(label)),
        icon=icon or (base.icon if base else "material/file-document-outline"),
        description=description or (base.description if base else ""),
        fields=fields,
        order_by=order_by or (base.order_by if base else "title"),
        descending=descending if order_by else (base.descending if base else False),
        card=card or (base.card if base else ()),
        facets=facets or (base.facets if base else ()),
        layout=layout or (base.layout if base else ()),
        template=template,
        unique=unique or (base.unique if base else ()),
        group_by=group_by or (base.group_by if base else None),
        summary_required=summary_required,
    )
    if packaged:
        spec = _with_packaged_keys(spec, data)
    else:
        if base is not None:
            # An extended built-in keeps what its packaged file says, unless this one says it.
            spec = replace(
                spec,
                schema_title=base.schema_title,
                flow=base.flow,
                example=base.example,
                health=base.health,
                compares=base.compares,
                site_pages=base.site_pages,
                builtin=True,
            )
        spec = _with_packaged_keys(spec, data, keep=spec)
    return replace(spec, described=not packaged), check.diagnostics


def _check_powers(
    check: _Checker,
    data: Mapping[str, Any],
    fields: Mapping[str, FieldSpec],
    kind_names: frozenset[str],
) -> None:
    """Check the keys that give a kind its pages and checks (`flow`, `compares`, `example`,
    `health`, `site_pages`): a playbook's own kind file may use each, as the packaged ones do."""
    kinds = sorted(n for n in kind_names if n)
    if "flow" in data and yes_or_no(data["flow"]) is None:
        check.at_value(("flow",), f"expected true or false (or yes or no), got {data['flow']!r}")
    compared = _field_named(check, data, "compares", fields)
    if compared is not None and compared.type != "refs":
        check.at_value(
            ("compares",),
            f"'{compared.name}' is {with_article(compared.type)} field; name a refs field, the "
            "subjects "
            "compared",
        )
    example = data.get("example")
    if "example" in data:
        if not isinstance(example, dict):
            check.at_value(("example",), "expected a mapping: {id: an-id, yaml: the file's text}")
        else:
            check.unknown_keys(("example",), example, EXAMPLE_KEYS)
            for key in EXAMPLE_KEYS:
                if key not in example:
                    check.at_value(("example",), f"needs '{key}'")
                else:
                    check.text(("example", key), example[key])
    health = data.get("health")
    if "health" in data:
        if not isinstance(health, dict):
            check.at_value(("health",), "expected a mapping: {title, explanation, message, via?}")
        else:
            check.unknown_keys(("health",), health, HEALTH_KEYS)
            for key in HEALTH_KEYS[:3]:
                if key not in health:
                    check.at_value(("health",), f"needs '{key}'")
                else:
                    check.text(("health", key), health[key])
            _kind_list(check, ("health", "via"), health.get("via"), kinds, dotted=True)
    if "site_pages" in data:
        _check_site_pages(check, data["site_pages"], kinds)


def _check_site_pages(check: _Checker, pages: Any, kinds: list[str]) -> None:
    if not isinstance(pages, list):
        check.at_value(("site_pages",), "expected a list of pages such as {page: coverage.md}")
        return
    for index, page in enumerate(pages):
        path: FieldPath = ("site_pages", index)
        if not isinstance(page, dict):
            check.at_value(path, "expected a mapping such as {page: coverage.md}")
            continue
        check.unknown_keys(path, page, SITE_PAGE_KEYS)
        name = page.get("page")
        if name not in SITE_PAGES:
            check.at_value(
                (*path, "page") if "page" in page else path,
                f"'{name}' is not a site page" + _suggestion(name, SITE_PAGES, "site pages"),
            )
        if page.get("for", "readers") not in ("readers", "authors"):
            check.at_value((*path, "for"), "expected readers or authors")
        needs_field = page.get("needs_field")
        if isinstance(needs_field, list) and needs_field:
            # Any one of several fields will do (a comparison's advice or its question).
            for at, name in enumerate(needs_field):
                check.text((*path, "needs_field", at), name)
        elif "needs_field" in page:
            check.text((*path, "needs_field"), needs_field)
        _kind_list(check, (*path, "needs_kinds"), page.get("needs_kinds"), kinds)
        coverage = page.get("coverage")
        if coverage is None:
            continue
        if not isinstance(coverage, dict):
            check.at_value((*path, "coverage"), "expected a mapping: {through, columns}")
            continue
        check.unknown_keys((*path, "coverage"), coverage, COVERAGE_KEYS)
        for key in ("title", "intro"):
            if key in coverage:
                check.text((*path, "coverage", key), coverage[key])
        _kind_list(check, (*path, "coverage", "through"), coverage.get("through"), kinds)
        columns = coverage.get("columns")
        if not isinstance(columns, list):
            check.at_value((*path, "coverage"), "needs 'columns', a list such as [{kind: role}]")
            continue
        for number, column in enumerate(columns):
            where: FieldPath = (*path, "coverage", "columns", number)
            if not isinstance(column, dict) or "kind" not in column:
                check.at_value(where, "expected a mapping such as {kind: role}")
                continue
            check.unknown_keys(where, column, COLUMN_KEYS)
            for key in ("heading", "caption", "note"):
                if key in column:
                    check.text((*where, key), column[key])
            for key in ("transpose", "only_used"):
                if key in column and yes_or_no(column[key]) is None:
                    check.at_value((*where, key), "expected true or false (or yes or no)")
            for key in ("kind", "also_via"):
                if key in column and column[key] not in kinds:
                    check.at_value(
                        (*where, key),
                        f"'{column[key]}' is not a kind" + _suggestion(column[key], kinds, "kinds"),
                    )


def _kind_list(
    check: _Checker, path: FieldPath, value: Any, kinds: list[str], *, dotted: bool = False
) -> None:
    """A list of kind names (or, ``dotted``, of `kind.field` relations), each a kind."""
    if value is None:
        return
    if not isinstance(value, list):
        check.at_value(
            path,
            "expected a list such as [runbook.services]"
            if dotted
            else "expected a list of kind names",
        )
        return
    for index, item in enumerate(value):
        name = str(item).split(".", 1)[0] if dotted else item
        if not isinstance(item, str) or (dotted and "." not in item):
            check.at_value((*path, index), "expected kind.field, such as runbook.services")
        elif name not in kinds:
            check.at_value(
                (*path, index), f"'{name}' is not a kind" + _suggestion(name, kinds, "kinds")
            )


def _with_packaged_keys(
    spec: KindSpec, data: Mapping[str, Any], keep: KindSpec | None = None
) -> KindSpec:
    """The spec with what a kind file says of its pages and checks; ``keep`` gives what it
    does not say (an own kind file over its built-in kind)."""
    if keep is not None:
        return replace(
            spec,
            flow=bool(yes_or_no(data.get("flow", keep.flow))),
            example=_example(data.get("example")) or keep.example,
            health=_health(data.get("health")) or keep.health,
            compares=data.get("compares", keep.compares),
            site_pages=tuple(data["site_pages"]) if "site_pages" in data else keep.site_pages,
        )
    return replace(
        spec,
        schema_title=data.get("schema_title"),
        template=data.get("template"),
        flow=bool(data.get("flow", False)),
        example=_example(data.get("example")),
        health=_health(data.get("health")),
        compares=data.get("compares"),
        site_pages=tuple(data.get("site_pages") or ()),
        builtin=True,
    )


def _example(example: Any) -> tuple[str, str] | None:
    return (example["id"], example["yaml"]) if isinstance(example, dict) else None


def _health(health: Any) -> HealthCheck | None:
    if not isinstance(health, dict):
        return None
    return HealthCheck(
        title=health["title"],
        explanation=health["explanation"],
        message=health["message"],
        via=tuple(health.get("via", ())),
    )


def _kind_name(
    check: _Checker, data: Mapping[str, Any], base: KindSpec | None, taken: Mapping[str, str]
) -> str | None:
    if "name" not in data:
        if base is not None:
            return base.name
        check.diagnostics.append(
            Diagnostic(
                check.source.path,
                1,
                1,
                "name",
                "is required: a new kind needs a name, the word refs use (name: objective)",
            )
        )
        return None
    name = data["name"]
    if not isinstance(name, str) or not _NAME_RE.match(name) or name == "kind":
        check.at_value(
            ("name",),
            f"'{name}' is not a kind name: use lowercase letters, digits and hyphens, "
            "starting with a letter (and not 'kind')",
        )
        return None
    if base is not None and name != base.name:
        check.at_value(
            ("name",),
            f"this folder holds the built-in kind '{base.name}'; remove 'name' or write "
            f"'name: {base.name}'",
        )
        return None
    if base is None and name in taken:
        check.at_value(
            ("name",), f"the kind '{name}' already exists ({taken[name]}); choose another name"
        )
        return None
    return name


def _optional_text(check: _Checker, data: Mapping[str, Any], key: str) -> str | None:
    if key not in data:
        return None
    return check.text((key,), data[key])


def _icon(check: _Checker, data: Mapping[str, Any], icons: Path | None) -> str | None:
    icon = _optional_text(check, data, "icon")
    problem = None if icon is None else icon_problem(icon, icons)
    if problem is not None:
        check.at_value(("icon",), problem)
        return None
    return icon


def _template(
    check: _Checker, data: Mapping[str, Any], templates: PageTemplates | None
) -> str | None:
    template = _optional_text(check, data, "template")
    if template is None:
        return None
    if not re.fullmatch(r"[A-Za-z0-9_.-]+\.md\.jinja", template):
        check.at_value(("template",), "expected a template file name such as 'objective.md.jinja'")
        return None
    instead = "name a page template such as 'generic.md.jinja', or one of your own"
    if template.startswith("_"):
        check.at_value(
            ("template",),
            f"'{template}' is a partial that page templates import, not a page template; "
            + instead,
        )
        return None
    if templates is None or template in templates.entities:
        return template
    if template in templates.others:
        message = f"'{template}' makes another page of the site, not an entity page; " + instead
    else:
        message = (
            f"'{template}' is not a template of entity pages (a template of your own goes "
            "in the templates folder)"
            + (
                did_you_mean(template, templates.entities)
                or "; they are: " + ", ".join(sorted(templates.entities))
            )
        )
    check.at_value(("template",), message)
    return None


def _field_named(
    check: _Checker, data: Mapping[str, Any], key: str, fields: Mapping[str, FieldSpec]
) -> FieldSpec | None:
    """The field a kind-level key such as `order_by` names, if the key is there and valid."""
    if key not in data:
        return None
    value = data[key]
    if not isinstance(value, str) or value not in fields:
        check.at_value(
            (key,), f"'{value}' is not a field of this kind" + _suggestion(value, fields, "fields")
        )
        return None
    return fields[value]


def _order_by(
    check: _Checker, data: Mapping[str, Any], fields: Mapping[str, FieldSpec], descending: bool
) -> str | None:
    if "order_by" not in data:
        return None
    name = data["order_by"][1:] if descending else data["order_by"]
    field = _field_named(check, {"order_by": name}, "order_by", fields)
    if field is not None and field.type not in ORDERABLE_TYPES:
        check.at_value(
            ("order_by",),
            f"'{field.name}' is {with_article(field.type)} field; order by a field of type "
            + ", ".join(ORDERABLE_TYPES),
        )
        return None
    return field.name if field else None


FACET_TYPES = ("enum", "boolean", "ref", "refs")
"""Types a facet may filter by; and lists of enum or text items."""


def is_facet_field(field: FieldSpec) -> bool:
    """Whether an index page can filter by this field: one value or a list of values that
    readers pick from."""
    return field.type in FACET_TYPES or (
        field.type == "list" and not field.fields and field.item in ("enum", "text")
    )


def _facets(
    check: _Checker, data: Mapping[str, Any], fields: Mapping[str, FieldSpec]
) -> tuple[str, ...]:
    names = _names_list(check, data, "facets", fields)
    for name in names:
        if not is_facet_field(fields[name]):
            check.at_value(
                ("facets", data["facets"].index(name)),
                f"'{name}' is a {fields[name].type} field; filter by a field of type "
                + ", ".join(FACET_TYPES)
                + ", or a list of enum or text",
            )
            return ()
    return names


def _group_by(
    check: _Checker, data: Mapping[str, Any], fields: Mapping[str, FieldSpec]
) -> str | None:
    field = _field_named(check, data, "group_by", fields)
    if field is not None and field.type != "enum" and (field.type != "ref" or not field.kind):
        of_any_kind = " to any kind" if field.type == "ref" else ""
        check.at_value(
            ("group_by",),
            f"'{field.name}' is {with_article(field.type)} field{of_any_kind}; group by a "
            "field of type enum, or of type ref with a kind",
        )
        return None
    return field.name if field else None


def _layout(
    check: _Checker, data: Mapping[str, Any], fields: Mapping[str, FieldSpec]
) -> tuple[str, ...]:
    return _names_list(check, data, "layout", fields)


def _names_list(
    check: _Checker, data: Mapping[str, Any], key: str, fields: Mapping[str, FieldSpec]
) -> tuple[str, ...]:
    if key not in data:
        return ()
    value = data[key]
    if not isinstance(value, list):
        check.at_value((key,), "expected a list of field names ('[a, b]')")
        return ()
    names: list[str] = []
    for index, item in enumerate(value):
        if not isinstance(item, str) or item not in fields:
            check.at_value(
                (key, index),
                f"'{item}' is not a field of this kind" + _suggestion(item, fields, "fields"),
            )
        elif item in names:
            check.at_value((key, index), f"'{item}' is listed twice; list each field once")
        else:
            names.append(item)
    return tuple(names)


SUMMARY = "summary"


def _summary_required(check: _Checker, value: Any, *, new_kind: bool) -> bool:
    """False where a new kind's `fields` say `summary: {required: false}`."""
    if not new_kind or not isinstance(value, dict) or SUMMARY not in value:
        return True  # an extended built-in kind is told it cannot redefine it (`_fields`)
    path: FieldPath = ("fields", SUMMARY)
    spec = value[SUMMARY]
    if not isinstance(spec, dict) or set(spec) != {"required"}:
        check.at_key(path, "only 'summary: {required: false}' may be said of the summary")
    elif spec["required"] is not False:
        check.at_value((*path, "required"), "the summary is required already; write false")
    else:
        return False
    return True


def _fields(
    check: _Checker,
    value: Any,
    base_fields: Mapping[str, FieldSpec],
    kind_names: frozenset[str],
) -> tuple[FieldSpec, ...]:
    if value is None:
        return tuple(base_fields.values())
    if not isinstance(value, dict):
        check.at_value(("fields",), "expected a mapping of field name to its description")
        return tuple(base_fields.values())
    fields = dict(base_fields)
    for name, spec in value.items():
        path: FieldPath = ("fields", name)
        if name in base_fields:
            fields[name] = _extend_builtin_field(check, path, spec, base_fields[name])
            continue
        if name == SUMMARY and not base_fields:
            continue  # a new kind may make it optional: see _summary_required
        if name in COMMON_FIELDS:
            check.at_key(path, f"'{name}' is a field every kind has; it cannot be redefined")
            continue
        read = _field(check, path, str(name), spec, kind_names)
        if read is not None:
            fields[name] = read
    return tuple(fields.values())


def _extend_builtin_field(
    check: _Checker, path: FieldPath, spec: Any, field_spec: FieldSpec
) -> FieldSpec:
    if not isinstance(spec, dict):
        check.at_value(path, "expected a mapping such as {label: ...}")
        return field_spec
    for key in spec:
        if key not in EXTENDABLE_FIELD_KEYS:
            check.at_key(
                (*path, key),
                f"'{key}' cannot change on the built-in field '{field_spec.name}': only "
                "label and description can; remove it",
            )
    label = check.text((*path, "label"), spec["label"]) if "label" in spec else None
    description = (
        check.text((*path, "description"), spec["description"]) if "description" in spec else None
    )
    return replace(
        field_spec,
        label=label or field_spec.label,
        description=description or field_spec.description,
    )


def _field(
    check: _Checker, path: FieldPath, name: str, spec: Any, kind_names: frozenset[str]
) -> FieldSpec | None:
    if not _FIELD_NAME_RE.match(name):
        check.at_key(
            path,
            f"'{name}' is not a field name: use lowercase letters, digits and underscores, "
            "starting with a letter",
        )
        return None
    if is_model_attribute(name):
        check.at_key(
            path,
            f"'{name}' is a name the validating model keeps for itself; rename the field, "
            f"e.g. to '{name.removeprefix('model_')}_value'",
        )
        return None
    if isinstance(spec, str):
        spec = {"type": spec}
    if not isinstance(spec, dict):
        check.at_value(path, "expected a mapping such as {type: text}")
        return None
    check.unknown_keys(path, spec, FIELD_KEYS)
    kind_type = spec.get("type")
    if "type" not in spec:
        check.at_key(path, "needs a type; add 'type: text' (or another type)")
        return None
    if kind_type not in FIELD_TYPES:
        alias = TYPE_NAMES_ELSEWHERE.get(str(kind_type).lower())
        check.at_value(
            (*path, "type"),
            f"'{kind_type}' is not a field type"
            + (
                f"; write '{alias}' ({TYPE_MEANINGS[alias]})"
                if alias in FIELD_TYPES
                else _suggestion(kind_type, FIELD_TYPES, "types")
            ),
        )
        return None
    changes: dict[str, Any] = {}
    for key in ("required", "all_keys"):
        if key in spec:
            flag = yes_or_no(spec[key])
            if flag is None:
                check.at_value(
                    (*path, key), f"expected true or false (or yes or no), got {spec[key]!r}"
                )
            else:
                changes[key] = flag
    for key in (
        "description",
        "label",
        "inverse",
        "schema_title",
        "schema_description",
        "when_missing",
        "keys_from",
        "shown_as",
    ):
        if key in spec:
            text = check.text((*path, key), spec[key])
            if text is not None:
                changes[key] = text
    if "min_items" in spec:
        if isinstance(spec["min_items"], int) and not isinstance(spec["min_items"], bool):
            changes["min_items"] = int(spec["min_items"])
        else:
            check.at_value((*path, "min_items"), "expected a whole number")
    if changes.get("shown_as") not in (None, *SHOWN_AS):
        check.at_value((*path, "shown_as"), "expected one of: " + ", ".join(SHOWN_AS))
        del changes["shown_as"]
    result = FieldSpec(name=name, type=kind_type, **changes)
    return _typed(check, path, result, spec, kind_names)


def _typed(
    check: _Checker,
    path: FieldPath,
    result: FieldSpec,
    spec: Mapping[str, Any],
    kind_names: frozenset[str],
) -> FieldSpec | None:
    kind_type = result.type
    if kind_type in ("ref", "refs") and "kind" in spec:
        target = spec["kind"]
        if target not in kind_names:
            check.at_value(
                (*path, "kind"),
                f"'{target}' is not a kind" + _suggestion(target, sorted(kind_names), "kinds"),
            )
            return None
        result = replace(result, kind=str(target))
    elif "kind" in spec:
        check.at_key((*path, "kind"), "only ref and refs fields name a kind; remove it")
    if "inverse" in spec and kind_type not in ("ref", "refs") and not _has_item_ref(spec):
        check.at_key((*path, "inverse"), "only ref and refs fields have an inverse; remove it")
    if kind_type == "enum":
        values = spec.get("values")
        labels: tuple[str, ...] = ()
        if isinstance(values, dict) and all(
            isinstance(v, str) and isinstance(label, str) and label.strip()
            for v, label in values.items()
        ):
            labels = tuple(values.values())
            values = list(values)
        if (
            not isinstance(values, list)
            or not values
            or not all(isinstance(v, str) for v in values)
        ):
            check.at_value(
                (*path, "values") if "values" in spec else path,
                "an enum needs 'values: [a, b, ...]', or values with their labels "
                "('values: {sev1: Critical, sev2: Major}')"
                if "values" in spec
                else "an enum needs its values: add 'values: [a, b, ...]'",
            )
            return None
        result = replace(result, values=tuple(values), labels=labels)
    if "language" in spec:
        language = spec["language"]
        if kind_type != "code":
            check.at_key((*path, "language"), "only code fields have a language; remove it")
        elif not isinstance(language, str) or not re.fullmatch(r"[A-Za-z0-9_+#.-]{1,40}", language):
            check.at_value(
                (*path, "language"),
                "expected a language name such as 'bash' or 'python' (letters, digits, "
                "'+', '#', '.', '-' and '_')",
            )
            return None
        else:
            result = replace(result, language=language)
    if kind_type in LIST_TYPES:
        return _list_item(check, path, result, spec, kind_names)
    if kind_type == "record":
        sub = spec.get("fields")
        if not isinstance(sub, dict) or not sub:
            check.at_value(path, "a record needs 'fields:', a mapping of its sub-fields")
            return None
        return replace(result, fields=_sub_fields(check, (*path, "fields"), sub, kind_names))
    if kind_type == "mapping" and "value" in spec:
        if spec["value"] not in ("text", "markdown"):
            check.at_value((*path, "value"), "a mapping's values are text or markdown")
            return None
        result = replace(result, value=str(spec["value"]))
    return result


def _has_item_ref(spec: Mapping[str, Any]) -> bool:
    item = spec.get("item")
    return isinstance(item, dict) and item.get("type") == "ref"


def _list_item(
    check: _Checker,
    path: FieldPath,
    result: FieldSpec,
    spec: Mapping[str, Any],
    kind_names: frozenset[str],
) -> FieldSpec | None:
    if "item" not in spec and result.type != "steps":
        check.at_key(
            path,
            "a list needs 'item:', the type of its items ('item: text', 'item: markdown') or a "
            "mapping of their sub-fields",
        )
        return None
    item = spec.get("item", "markdown")  # A step is Markdown unless the kind says otherwise.
    if isinstance(item, str):
        if item not in SCALAR_TYPES or item in ("enum", "ref"):
            check.at_value(
                (*path, "item"),
                f"'{item}' is not an item type"
                + (did_you_mean(item, SCALAR_TYPES) or "; use one of: " + ", ".join(SCALAR_TYPES))
                + (
                    "; write an enum or ref item as a mapping with its type"
                    if item in ("enum", "ref")
                    else ""
                ),
            )
            return None
        return replace(result, item=item)
    if isinstance(item, dict) and isinstance(item.get("type"), str):
        inner = _field(check, (*path, "item"), result.name, dict(item), kind_names)
        if inner is None:
            return None
        if inner.type not in SCALAR_TYPES:
            check.at_value(
                (*path, "item", "type"), f"a list item cannot be {with_article(inner.type)}"
            )
            return None
        return replace(result, item=inner.type, item_spec=inner)
    if isinstance(item, dict) and item:
        return replace(result, fields=_sub_fields(check, (*path, "item"), item, kind_names))
    check.at_value((*path, "item"), "expected a type name or a mapping of sub-fields")
    return None


def _sub_fields(
    check: _Checker, path: FieldPath, value: Mapping[str, Any], kind_names: frozenset[str]
) -> tuple[FieldSpec, ...]:
    found = []
    for name, spec in value.items():
        read = _field(check, (*path, name), str(name), spec, kind_names)
        if read is not None:
            found.append(read)
    return tuple(found)
