"""The `playbook` command line, through its real entry point: output and exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from mkdocs_playbook.authoring.examples import examples
from mkdocs_playbook.authoring.field_docs import field_docs
from mkdocs_playbook.cli import main
from mkdocs_playbook.kinds.models import Kind
from mkdocs_playbook.kinds.registry import builtin_kinds
from mkdocs_playbook.options import PlaybookOptions

from .conftest import EVERYTHING, REPO

KINDS = tuple(builtin_kinds())
EXAMPLES = examples(KINDS)
EXAMPLE_BY_KIND = {e.kind.name: e for e in EXAMPLES}

Project = Callable[..., Path]

PERSONA = """\
title: Sally
summary: A social smoker.
barriers: [Stress]
motivators: [Money]
"""

CLEAN_SUMMARY = "Checked 21 entities and 1 page: no problems.\n"

BROKEN = {
    "playbooks/personas/sally.yaml": """\
        title: Sally
        summary: A social smoker.
        segmnt: young adults
        barriers: [Stress]
        """,
    "playbooks/campaigns/launch.yaml": """\
        title: Launch
        summary: A push.
        strategy: quit
        personas: [sally]
        """,
    "docs/index.md": "Read about [the quitters](persona:quitters).\n",
}

BROKEN_LINES = [
    "docs/index.md:1:1: link: unknown persona 'quitters'; create personas/quitters.yaml or "
    "fix the ref",
    "playbooks/campaigns/launch.yaml:3:11: strategy: unknown strategy 'quit'; create "
    "strategies/quit.yaml or fix the ref",
    "playbooks/personas/sally.yaml:1:1: motivators: is required; add 'motivators:'",
    "playbooks/personas/sally.yaml:3:1: segmnt: unknown field 'segmnt'; did you mean 'segment'?",
]


def run(*args: str | Path) -> Result:
    """Run `playbook ARGS` through click's test runner."""
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)


@pytest.fixture
def everything(project: Project) -> Path:
    """A project holding the fixture of every kind and field."""
    return project(fixture=EVERYTHING)


@pytest.fixture
def broken(project: Project) -> Path:
    """A project with two errors and two warnings."""
    return project(BROKEN)


# -- validate -------------------------------------------------------------------------------


def test_validate_clean_playbook_prints_nothing_but_the_summary_and_exits_0(
    everything: Path,
) -> None:
    result = run("validate", everything)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", CLEAN_SUMMARY)


def test_validate_strict_clean_playbook_exits_0(everything: Path) -> None:
    result = run("validate", "--strict", everything)
    assert (result.exit_code, result.stdout) == (0, "")


def test_validate_broken_playbook_prints_every_problem_and_exits_1(broken: Path) -> None:
    result = run("validate", broken)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == BROKEN_LINES
    assert result.stderr == "Checked 2 entities and 1 page: 2 errors, 2 warnings.\n"


def test_validate_warnings_pass_without_strict_and_fail_with_it(project: Project) -> None:
    root = project(
        {"playbooks/personas/sally.yaml": PERSONA + "related: [play:nothing]\n"}, name="warns"
    )
    relaxed = run("validate", root)
    assert relaxed.exit_code == 0
    assert relaxed.stdout == (
        "playbooks/personas/sally.yaml:5:11: related[0]: unknown play 'nothing'; create "
        "plays/nothing.yaml or fix the ref\n"
    )
    assert relaxed.stderr == (
        "Checked 1 entity and 1 page: 1 warning (warnings fail only with --strict).\n"
    )
    strict = run("validate", "--strict", root)
    assert (strict.exit_code, strict.stdout) == (1, relaxed.stdout)
    assert strict.stderr == "Checked 1 entity and 1 page: 1 warning.\n"


def test_validate_json_lists_every_problem_with_its_place_and_severity(broken: Path) -> None:
    result = run("validate", "--format", "json", broken)
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert [
        f"{p['path']}:{p['line']}:{p['column']}: {p['field']}: {p['message']}" for p in problems
    ] == BROKEN_LINES
    assert [p["severity"] for p in problems] == ["warning", "warning", "error", "error"]
    assert set(problems[0]) == {"path", "line", "column", "field", "message", "severity"}


def test_validate_json_of_clean_playbook_is_an_empty_list(everything: Path) -> None:
    result = run("validate", "--format", "json", everything)
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def test_validate_github_format_prints_workflow_annotations(broken: Path) -> None:
    result = run("validate", "--format", "github", broken)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "::warning file=docs/index.md,line=1,col=1,title=link::unknown persona 'quitters'; "
        "create personas/quitters.yaml or fix the ref",
        "::warning file=playbooks/campaigns/launch.yaml,line=3,col=11,title=strategy::unknown "
        "strategy 'quit'; create strategies/quit.yaml or fix the ref",
        "::error file=playbooks/personas/sally.yaml,line=1,col=1,title=motivators::is "
        "required; add 'motivators:'",
        "::error file=playbooks/personas/sally.yaml,line=3,col=1,title=segmnt::unknown field "
        "'segmnt'; did you mean 'segment'?",
    ]


def test_github_annotations_escape_what_would_end_the_command(project: Project) -> None:
    root = project({"playbooks/personas/a,b.yaml": PERSONA}, name="escapes")
    result = run("validate", "--format", "github", root)
    assert result.stdout.startswith("::error file=playbooks/personas/a%2Cb.yaml,line=1,")


def test_validate_accepts_the_playbook_folder_itself(broken: Path) -> None:
    result = run("validate", broken / "playbooks")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == BROKEN_LINES


def test_validate_reads_playbooks_dir_from_mkdocs_yml_despite_python_tags(
    project: Project,
) -> None:
    root = project(
        {"content/personas/sally.yaml": PERSONA.replace("barriers: [Stress]\n", "")},
        mkdocs_yml="""\
            site_name: Test
            plugins:
              - search
              - playbook:
                  playbooks_dir: content
            markdown_extensions:
              - pymdownx.superfences:
                  custom_fences:
                    - name: mermaid
                      class: mermaid
                      format: !!python/name:pymdownx.superfences.fence_code_format
            extra:
              version: !ENV [DOCS_VERSION, dev]
            """,
        name="custom",
    )
    result = run("validate", root)
    assert (
        result.stdout == "content/personas/sally.yaml:1:1: barriers: is required; add 'barriers:'\n"
    )


def test_validate_reports_a_broken_mkdocs_yml(project: Project) -> None:
    root = project(mkdocs_yml="site_name: [unclosed\n", name="badconfig")
    result = run("validate", root)
    assert result.exit_code == 1
    assert result.stdout.startswith("mkdocs.yml:2:1: yaml: ")


def test_validate_reports_a_hand_written_page_the_playbook_would_replace(
    project: Project,
) -> None:
    root = project({"playbooks/personas/sally.yaml": PERSONA, "docs/personas/index.md": "# Mine\n"})
    result = run("validate", root)
    assert result.exit_code == 1
    assert result.stdout == (
        "docs/personas/index.md:1:1: file: the playbook generates this page; remove or rename "
        "the hand-written file\n"
    )


def test_validate_reports_a_clash_with_the_generated_authoring_guide(project: Project) -> None:
    # The build refuses this clash, so validate must too (it once checked entity pages only).
    root = project(
        {"playbooks/personas/sally.yaml": PERSONA, "docs/authors/authoring-guide.md": "# Mine\n"}
    )
    result = run("validate", root)
    assert result.exit_code == 1
    assert result.stdout == (
        "docs/authors/authoring-guide.md:1:1: file: the playbook generates this page; remove or "
        "rename the hand-written file\n"
    )


def test_validate_shows_paths_relative_to_the_current_folder_when_inside_it(
    broken: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(broken.parent)
    result = run("validate", broken.name)
    assert result.stdout.splitlines()[0].startswith("project/docs/index.md:1:1: link: ")


def test_installed_playbook_script_validates_the_shipped_playbook() -> None:
    script = Path(sys.executable).with_name("playbook")
    completed = subprocess.run(
        [str(script), "validate", "--strict"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (completed.returncode, completed.stdout) == (0, "")
    assert re.fullmatch(r"Checked \d+ entities and \d+ pages: no problems\.\n", completed.stderr)


def test_installed_playbook_script_fails_on_a_broken_playbook(broken: Path) -> None:
    script = Path(sys.executable).with_name("playbook")
    completed = subprocess.run(
        [str(script), "validate"], cwd=broken, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 1
    assert completed.stdout.splitlines() == BROKEN_LINES


def test_validate_refuses_a_folder_that_links_outside_the_project(
    project: Project, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    (outside / "personas").mkdir(parents=True)
    (outside / "personas/eve.yaml").write_text(PERSONA.replace("Sally", "Eve"))
    root = project({"docs/index.md": "# Home\n"})
    (root / "playbooks").mkdir(exist_ok=True)
    (root / "playbooks/personas").symlink_to(outside / "personas")
    result = run("validate", root)
    assert result.exit_code == 1
    assert result.stdout == (
        "playbooks/personas:1:1: file: is a link that leads outside the project (to "
        "../outside/personas); nothing is read through it: move what it points to into the "
        "project, or remove the link\n"
    )
    assert result.stderr.startswith("Checked 0 entities and 1 page: 1 error")


def test_validate_reads_no_docs_page_through_a_link_out_of_the_project(
    project: Project, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("[Eve](persona:eve)\n")
    root = project({"docs/index.md": "# Home\n"})
    (root / "docs/secret.md").symlink_to(outside / "secret.md")
    result = run("validate", root)
    assert result.exit_code == 1
    assert result.stdout == (
        "docs/secret.md:1:1: file: is a link that leads outside the project (to "
        "../outside/secret.md); nothing is read through it: move what it points to into the "
        "project, or remove the link\n"
    )
    assert result.stderr.startswith("Checked 0 entities and 1 page: 1 error")


def test_validate_checks_the_pages_of_a_linked_folder_that_stays_in_the_project(
    project: Project,
) -> None:
    root = project({"docs/index.md": "# Home\n", "shared/notes.md": "See [Eve](persona:eve).\n"})
    (root / "docs/notes").symlink_to(root / "shared")
    # A link back up does not walk the folder twice.
    (root / "shared/again").symlink_to(root / "shared")
    result = run("validate", root)
    # Named by the file an author edits, where the link leads.
    assert result.stdout == (
        "shared/notes.md:1:1: link: unknown persona 'eve'; create personas/eve.yaml or fix "
        "the ref\n"
    )
    assert result.stderr.startswith("Checked 0 entities and 2 pages: 1 warning")


# -- new ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [kind.name for kind in KINDS])
def test_new_writes_a_template_whose_first_line_names_the_schema(
    project: Project, kind: str
) -> None:
    root = project()
    result = run("new", kind, "fresh-one", "--project", root)
    collection = next(k.collection for k in KINDS if k.name == kind)
    assert result.exit_code == 0
    assert result.stdout == f"playbooks/{collection}/fresh-one.yaml\n"
    text = (root / "playbooks" / collection / "fresh-one.yaml").read_text()
    assert text.splitlines()[0] == (
        f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json"
    )


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_new_template_lists_every_field_and_leaves_only_required_ones_uncommented(
    project: Project, kind: Kind
) -> None:
    root = project()
    run("new", kind.name, "fresh-one", "--project", root)
    text = (root / "playbooks" / kind.collection / "fresh-one.yaml").read_text()
    docs = field_docs(kind.model)
    for doc in docs:
        assert re.search(rf"^(# )?{doc.name}:", text, re.MULTILINE), doc.name
        assert doc.description in text
    assert set(yaml.safe_load(text)) == {doc.name for doc in docs if doc.required}


@pytest.mark.parametrize("kind", [kind.name for kind in KINDS])
def test_new_entity_validates_once_its_required_fields_are_filled_in(
    project: Project, kind: str
) -> None:
    root = project({f"playbooks/{e.path}": e.yaml for e in EXAMPLES})
    assert run("new", kind, "fresh-one", "--project", root).exit_code == 0
    path = next((root / "playbooks").glob("*/fresh-one.yaml"))
    unfilled = run("validate", root)
    assert unfilled.exit_code == 1
    assert all(
        line.startswith(f"playbooks/{path.parent.name}/fresh-one.yaml:")
        for line in unfilled.stdout.splitlines()
    )

    example = yaml.safe_load(EXAMPLE_BY_KIND[kind].yaml)
    path.write_text(fill_required(path.read_text(), example), encoding="utf-8")
    if kind == "stage":  # a second stage needs its own place in the flow
        path.write_text(path.read_text().replace("order: 1", "order: 2"), encoding="utf-8")

    filled = run("validate", "--strict", root)
    assert (filled.exit_code, filled.stdout) == (0, "")


def fill_required(template: str, values: dict[str, object]) -> str:
    """Replace each uncommented top-level field of a template with the example's value."""
    out: list[str] = []
    skipping = False
    for line in template.splitlines(keepends=True):
        key = re.match(r"^([a-z_]+):", line)
        if key:
            dumped = yaml.safe_dump({key.group(1): values[key.group(1)]}, sort_keys=False)
            out.append(dumped)
            skipping = True
            continue
        if skipping and line.startswith((" ", "-")):
            continue
        skipping = False
        out.append(line)
    return "".join(out)


def test_new_refuses_a_bad_id_and_suggests_one(project: Project) -> None:
    root = project()
    result = run("new", "persona", "Night Owl", "--project", root)
    assert result.exit_code == 1
    assert result.stderr == (
        "playbooks/personas/Night Owl.yaml:1:1: id: 'Night Owl' is not a valid id: use 1 to 64 "
        "lowercase letters, digits and hyphens, starting with a letter or digit; try "
        "'night-owl'\n"
    )
    assert not (root / "playbooks" / "personas").exists()


@pytest.mark.parametrize("existing", ["sally.yaml", "sally.yml"])
def test_new_refuses_an_existing_file(project: Project, existing: str) -> None:
    root = project({f"playbooks/personas/{existing}": PERSONA})
    result = run("new", "persona", "sally", "--project", root)
    assert result.exit_code == 1
    assert result.stderr == (
        f"playbooks/personas/{existing}:1:1: id: the persona 'sally' already exists; edit that "
        "file, or choose another id\n"
    )
    assert (root / "playbooks" / "personas" / existing).read_text() == PERSONA


def test_new_writes_nothing_through_a_folder_that_links_outside_the_project(
    project: Project, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = project()
    (root / "playbooks").mkdir(exist_ok=True)
    (root / "playbooks/personas").symlink_to(outside)
    result = run("new", "persona", "eve", "--project", root)
    assert result.exit_code == 1
    assert result.stderr == (
        "playbooks/personas:1:1: file: is a link that leads outside the project (to "
        "../outside); nothing is read through it: move what it points to into the project, "
        "or remove the link\n"
    )
    assert list(outside.iterdir()) == []


def test_new_refuses_a_dangling_link_in_place_of_the_file(project: Project) -> None:
    root = project()
    (root / "playbooks/personas").mkdir(parents=True, exist_ok=True)
    (root / "playbooks/personas/eve.yaml").symlink_to(root / "gone.yaml")
    result = run("new", "persona", "eve", "--project", root)
    assert result.exit_code == 1
    assert result.stderr == (
        "playbooks/personas/eve.yaml:1:1: id: is a link to a file that does not exist; "
        "playbook new writes nothing through it: remove the link, or choose another id\n"
    )
    assert not (root / "gone.yaml").exists()


def test_new_keeps_kind_file_text_inside_its_comments(project: Project) -> None:
    # A label, description and enum values holding every kind of YAML line break.
    kind_file = yaml.safe_dump(
        {
            "name": "thing",
            "label": "Thing\ntitle: injected",
            "description": "Made\u2028by: hand",
            "fields": {
                "mood": {
                    "type": "enum",
                    "values": ["calm\x85summary: x", "- wild", "&odd: #1"],
                    "description": "How it feels\u2029body: y\r\nrelated: [z]\x07",
                    "required": True,
                }
            },
        },
        allow_unicode=True,
    )
    root = project({"playbooks/things/_kind.yaml": kind_file})
    result = run("new", "thing", "one", "--project", root)
    assert result.exit_code == 0, result.output
    text = (root / "playbooks/things/one.yaml").read_text(encoding="utf-8")
    # The first line of the description: YAML and Python end lines at U+2028 alike.
    assert text.splitlines()[1] == "# Thing title: injected \N{EM DASH} made"
    assert (
        "# How it feels body: y related: [z]\N{REPLACEMENT CHARACTER} (one of: "
        "calm summary: x, - wild, &odd: #1)\nmood:\n"
    ) in text
    assert yaml.safe_load(text) == {"title": None, "summary": None, "mood": None}


def test_new_refuses_an_unknown_kind(project: Project) -> None:
    result = run("new", "personas", "sally", "--project", project())
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: Invalid value for KIND: 'personas' is not a kind; did you mean 'persona'?\n"
    )


# -- pre-commit -----------------------------------------------------------------------------


def test_pre_commit_hook_runs_validate_once_when_the_playbook_changes() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "playbook-validate")
    assert (hook["entry"], hook["language"], hook["pass_filenames"]) == (
        "playbook validate",
        "python",
        False,
    )
    files = re.compile(hook["files"])
    for changed in [
        "playbooks/personas/sally.yaml",
        "docs/index.md",
        "mkdocs.yml",
        "properdocs.yml",
    ]:
        assert files.search(changed), changed
    for unrelated in ["README.md", "plugins/mkdocs_playbook/cli.py", "docs/logo.png"]:
        assert not files.search(unrelated), unrelated


def test_the_command_line_reads_an_unquoted_nav_off_as_mkdocs_does() -> None:
    # mkdocs.yml's YAML reads `nav: off` as false; the plugin takes it as "off", and so must
    # the command line and the export, which read the same options.
    written = yaml.safe_load("nav: off\nworkers: 2\n")
    assert written["nav"] is False
    assert PlaybookOptions.from_config(written) == PlaybookOptions(nav="off", workers=2)
