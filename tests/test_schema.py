"""The JSON Schemas: valid, complete, and in agreement with the loader on every file."""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from jsonschema import Draft202012Validator, ValidationError

from mkdocs_playbook.authoring.examples import examples
from mkdocs_playbook.authoring.schema import (
    DIALECT,
    kind_file_schema,
    kind_schema,
    published_schemas,
    ref_pattern,
)
from mkdocs_playbook.cli import main
from mkdocs_playbook.kinds.registry import builtin_kinds
from mkdocs_playbook.kinds.spec import BUILTIN_ONLY_KEYS, FIELD_KEYS, FIELD_TYPES, KIND_KEYS
from mkdocs_playbook.load.loader import load_playbook
from mkdocs_playbook.model import format_field_path
from mkdocs_playbook.resolve.refs import resolve_refs

from .conftest import EVERYTHING, FIXTURES, REPO, write

Project = Callable[..., Path]

REGISTRY = builtin_kinds()
KINDS = tuple(REGISTRY)
KIND_BY_NAME = REGISTRY.by_name
KIND_BY_COLLECTION = REGISTRY.by_collection
EXAMPLES = examples(KINDS)
SCHEMAS = {kind.name: kind_schema(kind, REGISTRY) for kind in KINDS}


def as_yaml_language_server_reads_it(value: Any) -> Any:
    """YAML as an editor sees it: YAML 1.2 has no date type, so dates stay text."""
    if isinstance(value, dict):
        return {str(k): as_yaml_language_server_reads_it(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_yaml_language_server_reads_it(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def schema_errors(kind: str, text: str) -> list[ValidationError]:
    """What the kind's schema says about a YAML text."""
    data = as_yaml_language_server_reads_it(yaml.safe_load(text))
    return list(Draft202012Validator(SCHEMAS[kind]).iter_errors(data))


def entity_files(playbooks: Path) -> Iterator[Any]:
    """Every entity file of a playbook folder, as a test parameter."""
    for path in sorted(playbooks.glob("*/*.y*ml")):
        if path.parent.name in KIND_BY_COLLECTION and not path.name.startswith(("_", ".")):
            kind = KIND_BY_COLLECTION[path.parent.name].name
            yield pytest.param(kind, path, id=path.relative_to(playbooks.parent.parent).as_posix())


@pytest.mark.parametrize("kind", list(SCHEMAS))
def test_every_schema_is_a_valid_draft_2020_12_schema(kind: str) -> None:
    schema = SCHEMAS[kind]
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == DIALECT == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"urn:mkdocs-playbook:schema:v1:{kind}"
    assert schema["title"] == KIND_BY_NAME[kind].singular


@pytest.mark.parametrize("kind", list(SCHEMAS))
def test_every_property_of_every_schema_has_a_description(kind: str) -> None:
    schema = SCHEMAS[kind]
    objects = [schema, *schema.get("$defs", {}).values()]
    for obj in objects:
        for name, prop in obj["properties"].items():
            assert prop.get("description"), f"{obj['title']}.{name}"
        assert obj["additionalProperties"] is False


@pytest.mark.parametrize(("kind", "path"), list(entity_files(EVERYTHING / "playbooks")))
def test_every_fixture_file_validates_against_its_schema(kind: str, path: Path) -> None:
    assert schema_errors(kind, path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(("kind", "path"), list(entity_files(REPO / "playbooks")))
def test_every_shipped_file_validates_against_its_schema(kind: str, path: Path) -> None:
    assert schema_errors(kind, path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.path)
def test_every_guide_example_validates_against_its_schema(example: Any) -> None:
    assert schema_errors(example.kind.name, example.yaml) == []


PERSONA = "title: Sally\nsummary: A smoker.\nbarriers: [Stress]\nmotivators: [Money]\n"
STRATEGY = (
    "title: Plan\nsummary: A plan.\nhorizon: 1 year\nobjectives:\n"
    "  - statement: Quit.\n    metric: quitters\n    target: 10\n    deadline: 2027-01-01\n"
)
CAMPAIGN = "title: Push\nsummary: A push.\nstrategy: plan\n"

BROKEN_FILES = [
    pytest.param("persona", PERSONA.replace("motivators: [Money]\n", ""), id="missing"),
    pytest.param("persona", PERSONA + "segmnt: young\n", id="unknown-field"),
    pytest.param("persona", PERSONA.replace("[Stress]", "[]"), id="empty-list"),
    pytest.param("persona", PERSONA.replace("[Stress]", "Stress"), id="text-for-list"),
    pytest.param("persona", PERSONA.replace("Sally", "true"), id="bool-for-text"),
    pytest.param("persona", PERSONA.replace("Sally", ""), id="empty-text"),
    pytest.param("persona", PERSONA + "demographics: {age: [20, 30]}\n", id="list-in-mapping"),
    pytest.param("persona", PERSONA + "behaviour: {wish: quit}\n", id="nested-unknown"),
    pytest.param("persona", PERSONA + "channels: [Face Book]\n", id="malformed-ref"),
    pytest.param("persona", PERSONA + "channels: [persona:sally]\n", id="ref-of-wrong-kind"),
    pytest.param("persona", PERSONA + "related: [sally]\n", id="any-kind-ref-without-kind"),
    pytest.param("persona", PERSONA + "sources: [{title: A, url: 'ftp://x'}]\n", id="bad-url"),
    pytest.param("metric", "title: M\nsummary: S\ncategory: awarness\n", id="not-a-choice"),
    pytest.param("channel", "title: C\nsummary: S\nonline: maybe\n", id="not-a-bool"),
    pytest.param(
        "channel", "title: C\nsummary: S\nstats: [{figure: 1, claim: c}]\n", id="nested-missing"
    ),
    pytest.param("stage", "title: S\nsummary: S\norder: first\n", id="text-for-number"),
    pytest.param(
        "strategy", STRATEGY.replace("    metric: quitters\n", ""), id="objective-missing"
    ),
    pytest.param("strategy", STRATEGY.replace("2027-01-01", "2027"), id="number-for-date"),
    pytest.param("campaign", CAMPAIGN.replace("strategy: plan\n", ""), id="no-strategy"),
    pytest.param("campaign", CAMPAIGN + "messages: [{text: Hi, framing: [funny]}]\n", id="framing"),
    pytest.param("campaign", CAMPAIGN + "related: [kind:strategies]\n", id="unknown-whole-kind"),
    pytest.param(
        "comparison",
        "title: C\nsummary: S\nsubjects: [kind:strategy]\n"
        "dimensions: [{name: N, values: {strategy: S}}]\n",
        id="one-subject",
    ),
    pytest.param(
        "play",
        "title: P\nsummary: S\nwhy: W\nhow: [H]\ntime: {min: 1, unit: hours}\n",
        id="time-range-missing-max",
    ),
    pytest.param(
        "play",
        "title: P\nsummary: S\nwhy: W\nhow: [H]\ntime: {min: 1, max: 2, unit: years}\n",
        id="time-unit",
    ),
]


@pytest.mark.parametrize(("kind", "text"), BROKEN_FILES)
def test_broken_file_fails_the_schema_at_the_field_the_loader_names(
    tmp_path: Path, kind: str, text: str
) -> None:
    collection = KIND_BY_NAME[kind].collection
    write(tmp_path, {f"playbooks/{collection}/broken.yaml": text})
    result = load_playbook(tmp_path / "playbooks", project_dir=tmp_path)
    _, ref_diagnostics = resolve_refs(result.playbook)
    # Refs to entities that do not exist are the loader's business: a schema sees one file.
    loader_fields = {d.field for d in result.diagnostics + ref_diagnostics if d.is_error}
    assert loader_fields
    errors = schema_errors(kind, text)
    assert errors
    assert innermost(loader_fields) <= {field for error in errors for field in schema_fields(error)}


def innermost(fields: set[str]) -> set[str]:
    """The fields that do not hold another of the fields.

    With a bad item in a list that needs items, pydantic also reports the list as too short;
    the item is the field both agree on.
    """
    return {f for f in fields if not any(other.startswith(f + "[") for other in fields)}


def schema_fields(error: ValidationError) -> set[str]:
    """The fields a schema error names, in the loader's notation (`objectives[0].metric`)."""
    path = tuple(error.absolute_path)
    if error.validator == "required":
        names = re.findall(r"'([^']+)' is a required property", error.message)
        return {format_field_path((*path, name)) for name in names}
    if error.validator == "additionalProperties":
        names = re.findall(r"'([^']+)'", error.message.split("(", 1)[-1])
        return {format_field_path((*path, name)) for name in names}
    found = {format_field_path(path)}
    for inner in error.context or []:
        found |= schema_fields(inner)
    return found


@pytest.mark.parametrize(
    ("kind", "ref", "matches"),
    [
        ("persona", "busy-parent", True),
        ("persona", "persona:busy-parent", True),
        ("persona", "channel:busy-parent", False),
        ("persona", "kind:persona", False),
        ("persona", "Busy Parent", False),
        (None, "persona:busy-parent", True),
        (None, "case-study:x1", True),
        (None, "kind:strategy", True),
        (None, "kind:strategies", False),
        (None, "busy-parent", False),
        (None, "https://example.org", False),
    ],
)
def test_ref_pattern_accepts_exactly_what_the_resolver_parses(
    kind: str | None, ref: str, matches: bool
) -> None:
    assert bool(re.match(ref_pattern(kind, REGISTRY), ref)) is matches


def test_schema_command_writes_a_schema_per_kind_and_an_editor_map(project: Project) -> None:
    root = project(fixture=EVERYTHING)
    result = CliRunner().invoke(main, ["schema", "--project", str(root)])
    assert result.exit_code == 0
    names = sorted(p.name for p in (root / "schemas").iterdir())
    assert names == sorted(
        [f"{kind.name}.schema.json" for kind in KINDS] + ["_kind.schema.json", "yaml-schemas.json"]
    )
    for kind in KINDS:
        written = json.loads((root / "schemas" / f"{kind.name}.schema.json").read_text())
        assert written == SCHEMAS[kind.name]
    mapping = json.loads((root / "schemas" / "yaml-schemas.json").read_text())
    assert mapping["schemas/persona.schema.json"] == [
        "playbooks/personas/[!_]*.yaml",
        "playbooks/personas/[!_]*.yml",
    ]
    assert mapping["schemas/_kind.schema.json"] == ["playbooks/*/_kind.yaml"]
    # Every entity file is matched by exactly the schema of its kind.
    for _, path in (param.values for param in entity_files(root / "playbooks")):
        relative = PurePosixPath(path.relative_to(root).as_posix())
        matching = [s for s, globs in mapping.items() if any(relative.match(g) for g in globs)]
        kind = KIND_BY_COLLECTION[path.parent.name]
        assert matching == [f"schemas/{kind.name}.schema.json"], relative
    # A kind file is matched by the schema of kind files, and by no entity's schema.
    kind_file = PurePosixPath("playbooks/plays/_kind.yaml")
    matching = [s for s, globs in mapping.items() if any(kind_file.match(g) for g in globs)]
    assert matching == ["schemas/_kind.schema.json"]


def test_schema_command_follows_playbooks_dir_out_and_site_url(project: Project) -> None:
    root = project(
        mkdocs_yml="""\
            site_name: T
            site_url: https://example.org/guide/
            plugins:
              - playbook:
                  playbooks_dir: content
            """,
    )
    out = root / "editor"
    result = CliRunner().invoke(main, ["schema", "--out", str(out), "--project", str(root)])
    assert result.exit_code == 0
    mapping = json.loads((out / "yaml-schemas.json").read_text())
    assert mapping["editor/play.schema.json"] == [
        "content/plays/[!_]*.yaml",
        "content/plays/[!_]*.yml",
    ]
    assert mapping["editor/_kind.schema.json"] == ["content/*/_kind.yaml"]
    play = json.loads((out / "play.schema.json").read_text())
    assert play["$id"] == "https://example.org/guide/schemas/play.schema.json"


def test_schema_line_of_a_new_file_points_at_the_written_schema(project: Project) -> None:
    root = project()
    runner = CliRunner()
    assert runner.invoke(main, ["schema", "--project", str(root)]).exit_code == 0
    assert (
        runner.invoke(main, ["new", "case-study", "pilot", "--project", str(root)]).exit_code == 0
    )
    new_file = root / "playbooks" / "case-studies" / "pilot.yaml"
    first_line = new_file.read_text().splitlines()[0]
    location = first_line.removeprefix("# yaml-language-server: $schema=")
    assert (new_file.parent / location).resolve() == root / "schemas" / "case-study.schema.json"


def test_published_schemas_are_addressed_by_their_url_on_the_site() -> None:
    files = published_schemas(REGISTRY, "https://example.org/playbook/")
    assert sorted(files) == sorted(
        [f"schemas/{kind.name}.schema.json" for kind in KINDS]
        + ["schemas/_kind.schema.json", "schemas/yaml-schemas.json"]
    )
    persona = json.loads(files["schemas/persona.schema.json"])
    assert persona["$id"] == "https://example.org/playbook/schemas/persona.schema.json"
    mapping = json.loads(files["schemas/yaml-schemas.json"])
    assert mapping[persona["$id"]] == [
        "playbooks/personas/[!_]*.yaml",
        "playbooks/personas/[!_]*.yml",
    ]
    assert mapping["https://example.org/playbook/schemas/_kind.schema.json"] == [
        "playbooks/*/_kind.yaml"
    ]


def test_published_schemas_without_a_site_url_keep_their_stable_urn() -> None:
    files = published_schemas(REGISTRY, None)
    assert json.loads(files["schemas/play.schema.json"]) == SCHEMAS["play"]
    assert "schemas/play.schema.json" in json.loads(files["schemas/yaml-schemas.json"])


KIND_FILES = sorted(
    path
    for folder in ("own-kinds", "incident-response", "incident-kinds", "everything")
    for path in (FIXTURES / folder).rglob("_kind.yaml")
)


@pytest.mark.parametrize(
    "path",
    [
        *sorted((REPO / "plugins/mkdocs_playbook/kinds/builtin").glob("*.yaml")),
        *KIND_FILES,
        REPO
        / "plugins/mkdocs_playbook/authoring/project_template/blank/playbooks/runbooks/_kind.yaml",
    ],
    ids=lambda path: path.relative_to(REPO).as_posix(),
)
def test_every_kind_file_we_ship_or_test_is_valid_under_the_kind_file_schema(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if "builtin" in path.parts:
        # Only the packaged files place a kind (its folder) and name its models.
        assert set(data) & set(BUILTIN_ONLY_KEYS) == set(BUILTIN_ONLY_KEYS)
        data = {key: value for key, value in data.items() if key not in BUILTIN_ONLY_KEYS}
    Draft202012Validator(kind_file_schema()).validate(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "runbook", "colour": "red"}, "Additional properties"),
        ({"fields": {"severity": {"type": "string"}}}, "is not valid under any of the given"),
        ({"fields": {"owner": {"type": "text", "requred": True}}}, "is not valid under any"),
        ({"name": "Runbook"}, "does not match"),
    ],
)
def test_the_kind_file_schema_refuses_what_the_loader_refuses(
    data: dict[str, object], message: str
) -> None:
    errors = list(Draft202012Validator(kind_file_schema()).iter_errors(data))
    assert errors and message in errors[0].message


def test_the_kind_file_schema_describes_every_key_of_the_language() -> None:
    schema = kind_file_schema()
    assert list(schema["properties"]) == list(KIND_KEYS)
    assert list(schema["$defs"]["field"]["anyOf"][1]["properties"]) == list(FIELD_KEYS)
    assert schema["$defs"]["field"]["anyOf"][0]["enum"] == list(FIELD_TYPES)
    Draft202012Validator.check_schema(schema)
