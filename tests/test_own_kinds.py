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
from mkdocs_playbook.cli import main
from mkdocs_playbook.load.loader import load_playbook
from mkdocs_playbook.render.pages import Renderer
from mkdocs_playbook.resolve.refs import resolve_refs

from .conftest import FIXTURES, MKDOCS_YML, run_mkdocs, write

OWN_KINDS = FIXTURES / "own-kinds"
GOLDEN = Path(__file__).parent / "golden" / "own-kinds"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture with two new kinds and an extended play, built with --strict."""
    root = tmp_path_factory.mktemp("own-kinds")
    shutil.copytree(OWN_KINDS, root, dirs_exist_ok=True)
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    result = run_mkdocs(root, "build", "--strict")
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    result = load_playbook(OWN_KINDS / "playbooks", project_dir=OWN_KINDS)
    assert result.diagnostics == []
    links, problems = resolve_refs(result.playbook)
    assert problems == []
    return Renderer(result.playbook, links)


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


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
        "playbooks/objectives/_kind.yaml:2:11: group_by: 'owner' is not a ref to one kind; "
        "group by a field such as stage",
        id="group-by-not-a-ref",
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
