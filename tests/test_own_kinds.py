"""Your own kinds: `_kind.yaml` extends a built-in kind or defines a new one, with no Python."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from mkdocs_playbook.authoring.guide import render_authoring_guide
from mkdocs_playbook.authoring.schema import published_schemas
from mkdocs_playbook.cli import main
from mkdocs_playbook.kinds import registry
from mkdocs_playbook.kinds.registry import builtin_kinds
from mkdocs_playbook.kinds.spec import MODEL_ATTRIBUTES
from mkdocs_playbook.load.loader import load_playbook
from mkdocs_playbook.options import DEFAULTS, PlaybookOptions
from mkdocs_playbook.pipeline import Pipeline, reserved_paths
from mkdocs_playbook.plan import reserved_names
from mkdocs_playbook.render.pages import Renderer

from .conftest import (
    EVERYTHING,
    FIXTURES,
    MKDOCS_YML,
    build_fixture_site,
    fixture_renderer,
    page,
    run_mkdocs,
    text_of,
    write,
)

OWN_KINDS = FIXTURES / "own-kinds"
GOLDEN = Path(__file__).parent / "golden" / "own-kinds"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture with two new kinds and an extended play, built with --strict."""
    return build_fixture_site(tmp_path_factory, OWN_KINDS)


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return fixture_renderer(OWN_KINDS)


# -- the site ---------------------------------------------------------------------------------


@pytest.mark.site
def test_new_kinds_get_an_index_and_a_page_per_entity(site: Path) -> None:
    for path in ["objectives", "objectives/grow-members", "initiatives/welcome-pack"]:
        assert (site / path / "index.html").is_file(), path


@pytest.mark.site
def test_index_cards_follow_order_by_not_title(site: Path) -> None:
    index = page(site, "objectives")
    # Cut churn is due first; by title, Grow active members would come first.
    assert index.index("Cut churn") < index.index("Grow active members")
    plays = page(site, "plays")
    order = [plays.index(t) for t in ("Understand what", "Address the whole", "Make it simple")]
    assert order == sorted(order)


@pytest.mark.site
def test_an_integer_order_by_numbers_the_pages(site: Path) -> None:
    assert "Play 2 of 3" in text_of(page(site, "plays/map-the-journey"))
    assert "Initiative 1 of 2" in text_of(page(site, "initiatives/member-survey"))
    # A date orders the objectives but does not number them.
    assert " of 2" not in text_of(page(site, "objectives/grow-members"))


@pytest.mark.site
def test_previous_and_next_follow_order_by(site: Path) -> None:
    html = page(site, "plays/map-the-journey")
    assert re.search(r'href="\.\./understand-needs/"[^>]*>← Previous: Understand', html)
    assert re.search(r'href="\.\./keep-it-simple/"[^>]*>Next: Make it simple', html)
    first = page(site, "plays/understand-needs")
    assert "Previous:" not in first and "Next: Address the whole experience" in first


@pytest.mark.site
def test_a_checklist_is_a_list_of_unticked_tick_boxes_in_order(site: Path) -> None:
    html = page(site, "initiatives/member-survey")
    items = re.findall(r'<li class="task-list-item">(.*?)</li>', html, re.S)
    assert [text_of(i).strip() for i in items] == ["Draft the questions", "Pilot with ten members"]
    assert all('type="checkbox"' in i and "checked" not in i for i in items)


@pytest.mark.site
def test_backlinks_take_the_inverse_heading(site: Path) -> None:
    # The "Related" block names each relation from the target's side.
    assert "<strong>Serves:</strong>" in page(site, "initiatives/member-survey")
    assert "<strong>Initiatives that run it:</strong>" in page(site, "plays/map-the-journey")


@pytest.mark.site
def test_an_extended_built_in_keeps_its_fields_and_adds_its_own(site: Path) -> None:
    text = text_of(page(site, "plays/understand-needs"))
    for shown in ["Why it matters", "Before you start", "Key questions", "Who are your key users?"]:
        assert shown in text
    # The layout puts the checklist between why and how.
    assert text.index("Why it matters") < text.index("Before you start") < text.index("How")


@pytest.mark.site
def test_the_extended_kind_is_relabelled_in_nav_and_index(site: Path) -> None:
    assert "<h1" in page(site, "plays") and "Team plays" in page(site, "plays")


# -- golden pages -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "ident"),
    [("objective", "grow-members"), ("initiative", "member-survey"), ("play", "understand-needs")],
)
def test_generic_page_matches_its_golden_markdown(
    renderer: Renderer, kind: str, ident: str
) -> None:
    entity = renderer.playbook.get(kind, ident)
    assert entity is not None
    markdown = renderer.render_entity_page(entity)
    path = GOLDEN / f"{kind}.md"
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(markdown, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == markdown, f"{path.name} differs (UPDATE_GOLDEN=1)"


# -- the tools --------------------------------------------------------------------------------


def copy_project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(OWN_KINDS, root)
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    return root


def test_schema_describes_a_new_kind(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    result = CliRunner().invoke(main, ["schema", "--project", str(root)])
    assert result.exit_code == 0, result.output
    schema = json.loads((root / "schemas" / "objective.schema.json").read_text())
    assert schema["required"] == ["title", "summary", "due"]
    assert schema["properties"]["status"]["anyOf"][0]["enum"] == ["planned", "active", "done"]
    assert schema["properties"]["initiatives"]["items"]["pattern"] == (
        "^(?:initiative:)?[a-z0-9][a-z0-9-]{0,63}$"
    )
    assert (
        "checklist" in json.loads((root / "schemas" / "play.schema.json").read_text())["properties"]
    )


def test_new_writes_a_template_of_a_new_kind_that_validates_once_filled(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["new", "objective", "raise-funds", "--project", str(root)])
    assert result.exit_code == 0, result.output
    text = (root / "playbooks" / "objectives" / "raise-funds.yaml").read_text()
    assert "# Objective \N{EM DASH} a result the team commits to." in text
    assert "\ndue:" in text and "\n# owner:" in text
    filled = text.replace("title:", "title: Raise funds", 1)
    filled = filled.replace("summary:", "summary: More money.", 1).replace(
        "due:", "due: 2028-01-01", 1
    )
    (root / "playbooks" / "objectives" / "raise-funds.yaml").write_text(filled)
    result = runner.invoke(main, ["validate", str(root), "--strict"])
    assert result.exit_code == 0, result.output


def test_the_authoring_guide_prints_a_new_kind(renderer: Renderer) -> None:
    guide = render_authoring_guide(renderer.playbook.kinds)
    section = guide.split("## Objective\n", 1)[1].split("\n## ", 1)[0]
    assert "A result the team commits to. Files: `playbooks/objectives/<id>.yaml`" in section
    assert "| `key_results[].metric` | metric ref | no |" in section
    assert "| `initiatives` | list of initiative refs | no |" in section


@pytest.mark.site
def test_a_kind_is_added_with_yaml_alone(project: Callable[..., Path]) -> None:
    root = project(
        {
            "playbooks/risks/_kind.yaml": """\
                name: risk
                fields:
                  likelihood: {type: enum, values: [low, high], required: true}
                  mitigations: {type: checklist}
            """,
            "playbooks/risks/burnout.yaml": """\
                title: Burnout
                summary: The team runs out of energy.
                likelihood: high
                mitigations: [Rotate the on-call duty]
            """,
            "docs/index.md": "# Home\n\nSee [](risk:burnout).\n",
        }
    )
    result = run_mkdocs(root, "build", "--strict")
    assert result.returncode == 0, result.stderr
    html = (root / "site" / "risks" / "burnout" / "index.html").read_text()
    assert "Likelihood" in html and "high" in html and "task-list-item" in html
    assert (root / "site" / "risks" / "index.html").is_file()


# -- every _kind.yaml error -------------------------------------------------------------------

GOOD_OBJECTIVE = "title: T\nsummary: S.\n"

KIND_FILE_ERRORS = [
    pytest.param(
        "objectives",
        "label: Objective\n",
        "playbooks/objectives/_kind.yaml:1:1: name: is required: a new kind needs a name, the "
        "word refs use (name: objective)",
        id="missing-name",
    ),
    pytest.param(
        "objectives",
        "name: objective\nplurall: Objectives\n",
        "playbooks/objectives/_kind.yaml:2:1: plurall: unknown key 'plurall'; did you mean "
        "'plural'?",
        id="unknown-key",
    ),
    pytest.param(
        "objectives",
        "name: objective\nfields:\n  due: {type: dat}\n",
        "playbooks/objectives/_kind.yaml:3:15: fields.due.type: 'dat' is not a field type; did "
        "you mean 'date'?",
        id="unknown-type",
    ),
    pytest.param(
        "objectives",
        "name: objective\nfields:\n  owner: {type: ref, kind: persn}\n",
        "playbooks/objectives/_kind.yaml:3:28: fields.owner.kind: 'persn' is not a kind; did "
        "you mean 'persona'?",
        id="unknown-ref-kind",
    ),
    pytest.param(
        "objectives",
        "name: objective\nlayout: [body, owner]\n",
        "playbooks/objectives/_kind.yaml:2:16: layout[1]: 'owner' is not a field of this kind; "
        "the fields are: title, summary, body, tags, related, sources",
        id="layout-unknown-field",
    ),
    pytest.param(
        "objectives",
        "name: objective\norder_by: due\nfields:\n  dew: {type: date}\n",
        "playbooks/objectives/_kind.yaml:2:11: order_by: 'due' is not a field of this kind; "
        "did you mean 'dew'?",
        id="order-by-unknown-field",
    ),
    pytest.param(
        "objectives",
        "name: objective\norder_by: steps\nfields:\n  steps: {type: checklist}\n",
        "playbooks/objectives/_kind.yaml:2:11: order_by: 'steps' is a checklist field; order "
        "by a field of type integer, number, date, text",
        id="order-by-wrong-type",
    ),
    pytest.param(
        "objectives",
        "name: objective\ngroup_by: owner\nfields:\n  owner: {type: text}\n",
        "playbooks/objectives/_kind.yaml:2:11: group_by: 'owner' is a text field; group by a "
        "field of type enum, or of type ref with a kind",
        id="group-by-not-a-ref",
    ),
    pytest.param(
        "objectives",
        "name: objective\ngroup_by: owners\nfields:\n  owners: {type: refs, kind: persona}\n",
        "playbooks/objectives/_kind.yaml:2:11: group_by: 'owners' is a refs field; group by a "
        "field of type enum, or of type ref with a kind",
        id="group-by-refs",
    ),
    pytest.param(
        "objectives",
        "name: objective\ngroup_by: about\nfields:\n  about: {type: ref}\n",
        "playbooks/objectives/_kind.yaml:2:11: group_by: 'about' is a ref field to any kind; "
        "group by a field of type enum, or of type ref with a kind",
        id="group-by-ref-to-any-kind",
    ),
    pytest.param(
        "objectives",
        "name: objective\ngroup_by: areas\nfields:\n"
        "  areas: {type: list, item: {type: enum, values: [a, b]}}\n",
        "playbooks/objectives/_kind.yaml:2:11: group_by: 'areas' is a list field; group by a "
        "field of type enum, or of type ref with a kind",
        id="group-by-list-of-enums",
    ),
    pytest.param(
        "objectives",
        "name: persona\n",
        "playbooks/objectives/_kind.yaml:1:7: name: the kind 'persona' already exists (a "
        "built-in kind); choose another name",
        id="name-clash",
    ),
    pytest.param(
        "plays",
        "fields:\n  why: {type: text}\n",
        "playbooks/plays/_kind.yaml:2:9: fields.why.type: 'type' cannot change on the built-in "
        "field 'why': only label and description can; remove it",
        id="changed-built-in-field",
    ),
    pytest.param(
        "plays",
        "name: drill\n",
        "playbooks/plays/_kind.yaml:1:7: name: this folder holds the built-in kind 'play'; "
        "remove 'name' or write 'name: play'",
        id="renamed-built-in",
    ),
    pytest.param(
        "objectives",
        "name: objective\nfields:\n  title: {type: text}\n",
        "playbooks/objectives/_kind.yaml:3:3: fields.title: 'title' is a field every kind has; "
        "it cannot be redefined",
        id="redefined-common-field",
    ),
]


@pytest.mark.parametrize(("folder", "kind_file", "expected"), KIND_FILE_ERRORS)
def test_each_kind_file_error_has_its_exact_message(
    tmp_path: Path, folder: str, kind_file: str, expected: str
) -> None:
    write(tmp_path, {f"playbooks/{folder}/_kind.yaml": kind_file})
    result = load_playbook(tmp_path / "playbooks", project_dir=tmp_path)
    assert [str(d) for d in result.diagnostics] == [expected]


def test_an_unknown_folder_without_a_kind_file_stays_an_error(tmp_path: Path) -> None:
    write(tmp_path, {"playbooks/objectivez/a.yaml": GOOD_OBJECTIVE})
    result = load_playbook(tmp_path / "playbooks", project_dir=tmp_path)
    assert [str(d) for d in result.diagnostics] == [
        "playbooks/objectivez:1:1: collection: 'objectivez' is not a collection folder; the "
        "folders are: disciplines, comparisons, personas, strategies, campaigns, stages, "
        "metrics, channels, case-studies, plays; to make it a kind of its own, add "
        "objectivez/_kind.yaml"
    ]


def test_entities_of_a_new_kind_are_validated_with_did_you_mean(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "playbooks/objectives/_kind.yaml": "name: objective\nfields:\n  due: {type: date}\n",
            "playbooks/objectives/a.yaml": GOOD_OBJECTIVE + "dew: 2027-01-01\n",
        },
    )
    result = load_playbook(tmp_path / "playbooks", project_dir=tmp_path)
    assert [str(d) for d in result.diagnostics] == [
        "playbooks/objectives/a.yaml:3:1: dew: unknown field 'dew'; did you mean 'due'?"
    ]


# -- kind files are untrusted input (the bad inputs themselves: tests/bad_inputs.py) --------

RISK_ENTITY = {"playbooks/risks/a.yaml": "title: A\nsummary: S.\n"}


def kind_file_problems(root: Path, kind_file: str) -> list[str]:
    """What loading a playbook with this `risk` kind file reports, as a build loads it."""
    write(root, {"playbooks/risks/_kind.yaml": kind_file, **RISK_ENTITY})
    pipeline = Pipeline(DEFAULTS, project_dir=root, docs_dir=root / "docs", display=str)
    found = [str(d) for d in pipeline.check().diagnostics]
    own = [line for line in found if line.startswith("playbooks/risks/_kind.yaml:")]
    if own and "name: risk\n" in kind_file:
        # The kind file's problems end with the line that says its kind is left out.
        assert own[-1] == RISK_LEFT_OUT
        found.remove(RISK_LEFT_OUT)
    return found


RISK_LEFT_OUT = (
    "playbooks/risks/_kind.yaml:1:1: kind: the kind 'risk' is left out of the build until the "
    "problems above are fixed"
)


@pytest.mark.parametrize(
    "name", sorted(MODEL_ATTRIBUTES | {"model_dumper", "model_validate_later", "model_name"})
)
def test_a_field_named_like_an_attribute_of_the_model_is_a_located_error(
    tmp_path: Path, name: str
) -> None:
    found = kind_file_problems(tmp_path, f"name: risk\nfields:\n  {name}: text\n")
    assert found == [
        f"playbooks/risks/_kind.yaml:3:3: fields.{name}: '{name}' is a name the validating "
        f"model keeps for itself; rename the field, e.g. to '{name.removeprefix('model_')}_value'"
    ]


def test_a_sub_field_named_like_an_attribute_of_the_model_is_a_located_error(
    tmp_path: Path,
) -> None:
    found = kind_file_problems(
        tmp_path,
        "name: risk\nfields:\n  impact:\n    type: record\n    fields:\n      model_dump: text\n",
    )
    assert found == [
        "playbooks/risks/_kind.yaml:6:7: fields.impact.fields.model_dump: 'model_dump' is a "
        "name the validating model keeps for itself; rename the field, e.g. to 'dump_value'"
    ]


@pytest.mark.site
def test_field_names_close_to_the_model_s_own_still_work(project: Callable[..., Path]) -> None:
    root = project(
        {
            "playbooks/risks/_kind.yaml": "name: risk\nfields:\n  modelled: text\n"
            "  json_path: text\n  class: text\n",
            "playbooks/risks/a.yaml": "title: A\nsummary: S.\nmodelled: M1\njson_path: $.a\n"
            "class: C2\n",
        }
    )
    result = run_mkdocs(root, "build", "--strict")
    assert result.returncode == 0, result.stderr
    html = (root / "site/risks/a/index.html").read_text(encoding="utf-8")
    assert "M1" in html and "$.a" in html and "C2" in html


def test_a_schema_title_may_be_any_text(tmp_path: Path) -> None:
    record = "    type: record\n    schema_title: {title}\n    fields:\n      note: text\n"
    write(
        tmp_path,
        {
            "playbooks/risks/_kind.yaml": "name: risk\nfields:\n  impact:\n"
            + record.format(title="Key result")
            + "  cause:\n"
            + record.format(title="Key result")
            + "  effect:\n"
            + record.format(title="'<b>Ключ</b> 1'"),
            **RISK_ENTITY,
        },
    )
    result = load_playbook(tmp_path / "playbooks", project_dir=tmp_path)
    assert result.diagnostics == []
    schemas = published_schemas(result.playbook.kinds, None)
    schema = json.loads(schemas["schemas/risk.schema.json"])
    titles = {name: definition["title"] for name, definition in schema["$defs"].items()}
    assert titles == {
        "KeyResult": "Key result",
        "KeyResult2": "Key result",
        "BB1": "<b>Ключ</b> 1",
        "Source": "Source",
    }
    assert schema["properties"]["impact"]["anyOf"][0] == {"$ref": "#/$defs/KeyResult"}


@pytest.mark.site
def test_a_page_template_of_your_own_may_be_named(project: Callable[..., Path]) -> None:
    root = project(
        {
            "playbooks/risks/_kind.yaml": "name: risk\ntemplate: risk.md.jinja\n",
            **RISK_ENTITY,
            "page-templates/risk.md.jinja": '{% extends "entity.md.jinja" %}\n'
            "{% block lead %}Mind the risk.{% endblock %}\n",
        },
        mkdocs_yml=MKDOCS_YML.replace(
            "  - playbook\n", "  - playbook:\n      templates_dir: page-templates\n"
        ),
    )
    result = CliRunner().invoke(main, ["validate", str(root)])
    assert result.exit_code == 0, result.output
    built = run_mkdocs(root, "build", "--strict")
    assert built.returncode == 0, built.stderr
    assert "Mind the risk." in (root / "site/risks/a/index.html").read_text(encoding="utf-8")


@pytest.mark.site
def test_a_partial_as_template_fails_validate_and_the_build_at_the_kind_file(
    project: Callable[..., Path],
) -> None:
    root = project(
        {"playbooks/risks/_kind.yaml": "name: risk\ntemplate: _fields.md.jinja\n", **RISK_ENTITY}
    )
    line = (
        "playbooks/risks/_kind.yaml:2:11: template: '_fields.md.jinja' is a partial that "
        "page templates import, not a page template; name a page template such as "
        "'generic.md.jinja', or one of your own"
    )
    result = CliRunner().invoke(main, ["validate", str(root)])
    assert result.exit_code == 1
    assert line in result.output
    built = run_mkdocs(root, "build", "--strict")
    assert built.returncode != 0
    assert line in built.stderr
    assert not (root / "site").exists()


def test_without_material_an_icon_name_is_checked_for_its_form_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(registry, "bundled_icons_folder", lambda: None)
    assert kind_file_problems(tmp_path, "name: risk\nicon: material/targt\n") == []
    assert kind_file_problems(tmp_path, "name: risk\nicon: material/../x\n") == [
        "playbooks/risks/_kind.yaml:2:7: icon: 'material/../x' is not an icon name: write a "
        "Material icon as set/name, such as 'material/target', in lowercase letters, digits, "
        "hyphens and underscores"
    ]


def test_icons_of_every_set_material_bundles_are_accepted(tmp_path: Path) -> None:
    for icon in ("material/target", "fontawesome/solid/heart", "octicons/alert-16"):
        assert kind_file_problems(tmp_path, f"name: risk\nicon: {icon}\n") == [], icon
    assert kind_file_problems(tmp_path, "name: risk\nicon: simple/handshake_protocol\n") == []


def test_every_path_the_plan_writes_beside_the_collections_is_reserved() -> None:
    pipeline = Pipeline(
        PlaybookOptions(health_page=True),
        project_dir=EVERYTHING,
        docs_dir=EVERYTHING / "docs",
        display=str,
    )
    checked = pipeline.check()
    collections = {kind.collection for kind in checked.playbook.kinds}
    names = set(reserved_names(pipeline.page_paths(checked))) - collections
    assert {"authors", "schemas"} <= names
    assert names <= set(reserved_paths(builtin_kinds()))


def test_folders_starting_with_an_underscore_or_a_dot_stay_ignored(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "playbooks/_Old Risks <b>/_kind.yaml": "name: Bad Name\n",
            "playbooks/.Hidden/x.yaml": "not: [valid",
            "playbooks/personas/sally.yaml": "title: S\nsummary: s\nbarriers: [a]\n"
            "motivators: [b]\n",
        },
    )
    assert load_playbook(tmp_path / "playbooks", project_dir=tmp_path).diagnostics == []


def test_playbook_new_refuses_a_kind_whose_folder_the_site_writes(
    project: Callable[..., Path],
) -> None:
    root = project({"playbooks/schemas/_kind.yaml": "name: schema-note\n"})
    result = CliRunner().invoke(main, ["new", "schema-note", "x", "--project", str(root)])
    assert result.exit_code == 1
    assert (
        "playbooks/schemas:1:1: collection: 'schemas' is where the site puts "
        "schemas/discipline.schema.json; a collection there would replace it: rename the folder"
    ) in result.output
    assert not (root / "playbooks/schemas/x.yaml").exists()
