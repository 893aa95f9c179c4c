"""Kinds v3, the fields of a kind: steps, code, image, enum labels, minutes, tickable
checklists, an optional summary, and the kind keys `card`, `facets` and `order_by: -field`."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from mkdocs_playbook.cli import main
from mkdocs_playbook.load.loader import load_playbook
from mkdocs_playbook.render.pages import Renderer
from mkdocs_playbook.resolve.refs import resolve_refs

from .conftest import (
    FIXTURES,
    MKDOCS_YML,
    build_fixture_site,
    fixture_renderer,
    page,
    run_mkdocs,
    text_of,
    write,
)

INCIDENTS = FIXTURES / "incident-response"
GOLDEN = Path(__file__).parent / "golden" / "own-kinds"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An incident-response playbook of the team's own kinds, built with --strict."""
    return build_fixture_site(tmp_path_factory, INCIDENTS)


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return fixture_renderer(INCIDENTS)


def first_card(index: str) -> str:
    start = index.index('<li class="playbook-card"')
    return index[start : index.index("</li>", start)]


def problems(root: Path) -> list[str]:
    result = load_playbook(root / "playbooks", project_dir=root)
    return [str(d) for d in result.diagnostics]


# -- the site ----------------------------------------------------------------------------------


@pytest.mark.site
def test_steps_are_a_numbered_list_with_sub_fields_under_their_labels(site: Path) -> None:
    html = page(site, "runbooks/db-failover")
    steps = html[html.index('id="steps"') : html.index('id="to-roll-back"')]
    assert steps.count("<ol>") == 1 and steps.count("\n<li>\n") == 3
    assert "<p><strong>Action</strong></p>\n<p>Promote the replica.</p>" in steps
    assert "<p><strong>You should see:</strong> promoted</p>" in steps


@pytest.mark.site
def test_code_is_a_block_as_typed_with_a_copy_button(site: Path) -> None:
    html = page(site, "runbooks/db-failover")
    blocks = re.findall(r'<div class="copy playbook-code highlight"><pre>(.*?)</pre>', html, re.S)
    assert len(blocks) == 3
    # The command is one line of code, not text that a table cell wraps inside a word.
    assert re.sub(r"<[^>]+>", "", blocks[1]).replace("&quot;", '"').strip() == (
        'pgctl promote pg-replica-1 --wait --timeout=300s --reason="primary unreachable"'
    )
    # Backticks inside the code stay code: the fence is longer than any run in it.
    assert '"`date`: rolled back"' in re.sub(r"<[^>]+>", "", blocks[2]).replace("&quot;", '"')


@pytest.mark.site
def test_images_are_copied_beside_the_pages_and_shown(site: Path) -> None:
    source = INCIDENTS / "playbooks" / "runbooks"
    assert (site / "runbooks/_assets/failover.png").read_bytes() == (
        source / "_assets/failover.png"
    ).read_bytes()
    assert (site / "runbooks/topology.png").is_file()
    html = page(site, "runbooks/db-failover")
    assert (
        '<img alt="The primary and its replica" class="playbook-image" '
        'src="../_assets/failover.png">' in html
    )
    # A string src takes the entity's title as its alt text.
    assert '<img alt="Flush the cache" class="playbook-image" src="../topology.png">' in page(
        site, "runbooks/cache-flush"
    )


@pytest.mark.site
def test_an_enum_with_labels_shows_the_label_everywhere(site: Path) -> None:
    entity = text_of(page(site, "runbooks/db-failover"))
    index = page(site, "runbooks")
    assert "Severity: Critical" in entity and "sev1" not in entity
    assert "Severity: Critical" in text_of(index)
    assert 'data-value="sev1" aria-pressed="false">Critical <span' in index


@pytest.mark.site
def test_a_duration_in_minutes(site: Path) -> None:
    assert "Time to run: 15 to 45 minutes" in text_of(page(site, "runbooks/db-failover"))


@pytest.mark.site
def test_single_values_are_gathered_in_one_box_near_the_top(site: Path) -> None:
    html = page(site, "runbooks/db-failover")
    assert html.count("At a glance") == 1
    assert html.index("At a glance") < html.index('id="before-you-start"')
    assert html.index('id="notes"') < html.index("Run this only when")


@pytest.mark.site
def test_a_checklist_can_be_ticked_by_the_script_and_shows_unticked_without(site: Path) -> None:
    html = page(site, "runbooks/db-failover")
    checklist = html[html.index('<div class="playbook-checklist">') :]
    checklist = checklist[: checklist.index("</div>")]
    # Each box is named by its item (a box in a label of its own has no other name).
    assert re.findall(r"<input [^>]*>", checklist) == [
        '<input type="checkbox" aria-label="Tell the Incident lead" disabled="">',
        '<input type="checkbox" aria-label="Check the replica lag is under 10 s" disabled="">',
    ]
    assert "checked" not in checklist
    script = (site / "assets/playbook/playbook.js").read_text(encoding="utf-8")
    assert "localStorage" in script and "Clear ticks" in script and "box.disabled = false" in script


@pytest.mark.site
def test_an_optional_summary_leaves_the_card_empty_under_the_title(site: Path) -> None:
    card = first_card(page(site, "roles"))
    assert text_of(card).strip() == "Incident lead"
    assert "playbook-summary" not in page(site, "roles/incident-lead")


@pytest.mark.site
def test_cards_show_their_fields_and_picture(site: Path) -> None:
    card = first_card(page(site, "runbooks"))
    assert '<img alt="The primary and its replica" class="playbook-image"' in card
    assert '<p class="playbook-card__field"><strong>Severity:</strong> Critical</p>' in card
    assert re.search(r"<strong>Service:</strong> <a href=\"../services/postgres/\"", card)


@pytest.mark.site
def test_facets_list_values_with_counts_and_cards_carry_theirs(site: Path) -> None:
    index = page(site, "runbooks")
    facets = re.findall(r'data-facet="(\w+)" data-value="([^"]+)"[^>]*>([^<]+)<span', index)
    assert facets == [
        ("severity", "sev1", "Critical "),
        ("severity", "sev3", "Minor "),
        ("service", "service:postgres", "Postgres "),
    ]
    cards = re.findall(r'data-facets="([^"]+)"', index)
    assert [json.loads(c.replace("&quot;", '"')) for c in cards] == [
        {"severity": ["sev1"], "service": ["service:postgres"]},
        {"severity": ["sev3"], "service": ["service:postgres"]},
    ]
    # The form stays hidden until the script shows it: without it every card shows.
    assert (
        '<form class="playbook-filter" role="search" aria-label="Filter runbooks" hidden="">'
        in (index)
    )


# -- golden page -------------------------------------------------------------------------------


def test_a_runbook_page_matches_its_golden_markdown(renderer: Renderer) -> None:
    entity = renderer.playbook.get("runbook", "db-failover")
    assert entity is not None
    markdown = renderer.render_entity_page(entity)
    path = GOLDEN / "runbook.md"
    if UPDATE:
        path.write_text(markdown, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == markdown, f"{path.name} differs (UPDATE_GOLDEN=1)"


def test_a_runbook_index_matches_its_golden_markdown(renderer: Renderer) -> None:
    markdown = renderer.render_kind_index(renderer.playbook.kinds.by_name["runbook"])
    path = GOLDEN / "runbook-index.md"
    if UPDATE:
        path.write_text(markdown, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == markdown, f"{path.name} differs (UPDATE_GOLDEN=1)"


def test_a_runbook_index_grouped_by_its_enum_matches_its_golden_markdown(tmp_path: Path) -> None:
    # `group_by` an enum: each value's label heads its cards, in the enum's order (not the
    # cards' A to Z), and the runbooks without a severity come last under a heading of their
    # own. Filtering still covers every card, in one form above the groups.
    root = tmp_path / "incidents"
    shutil.copytree(INCIDENTS, root)
    kind_file = root / "playbooks/runbooks/_kind.yaml"
    kind_text = kind_file.read_text(encoding="utf-8")
    optional = kind_text.replace("    required: true\n    description:", "    description:")
    assert optional != kind_text
    kind_file.write_text(optional + "group_by: severity\n", encoding="utf-8")
    write(
        root / "playbooks/runbooks",
        {
            "answer-the-pager.yaml": """\
                title: Answer the pager
                summary: Say you are on it within five minutes.
                severity: sev3
                steps: [{action: Acknowledge the page.}]
                """,
            "check-the-backups.yaml": """\
                title: Check the backups
                summary: Make sure last night's backup ran.
                steps: [{action: Open the backup report.}]
                """,
        },
    )
    renderer = fixture_renderer(root)
    markdown = renderer.render_kind_index(renderer.playbook.kinds.by_name["runbook"])
    headings = [line for line in markdown.splitlines() if line.startswith("### ")]
    assert headings == ["### Critical", "### Minor", "### Other runbooks"]
    assert markdown.count('<div class="playbook-group" markdown>') == 3
    path = GOLDEN / "runbook-index-by-severity.md"
    if UPDATE:
        path.write_text(markdown, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == markdown, f"{path.name} differs (UPDATE_GOLDEN=1)"


def test_an_enum_label_heads_its_group_as_text(tmp_path: Path) -> None:
    write(
        tmp_path / "playbooks",
        {
            "notes/_kind.yaml": """\
                name: note
                group_by: mood
                fields:
                  mood: {type: enum, values: {up: "<b>Up</b> {: #x } ##", down: Down}}
                """,
            "notes/a.yaml": "title: A\nsummary: S.\nmood: up\n",
        },
    )
    renderer = fixture_renderer(tmp_path)
    markdown = renderer.render_kind_index(renderer.playbook.kinds.by_name["note"])
    headings = [line for line in markdown.splitlines() if line.startswith("### ")]
    assert headings == [r"### &lt;b&gt;Up&lt;/b&gt; \{: \#x \} \#\#"]


def test_a_grouped_flow_numbers_its_steps_through_the_whole_kind(tmp_path: Path) -> None:
    write(
        tmp_path / "playbooks",
        {
            "phases/_kind.yaml": """\
                name: phase
                flow: true
                order_by: step
                group_by: part
                fields:
                  step: {type: integer, required: true}
                  part: {type: enum, values: {prep: Before, run: During}}
                """,
            "phases/a.yaml": "title: Plan\nsummary: S.\nstep: 1\npart: prep\n",
            "phases/b.yaml": "title: Book\nsummary: S.\nstep: 2\npart: prep\n",
            "phases/c.yaml": "title: Go\nsummary: S.\nstep: 3\npart: run\n",
        },
    )
    renderer = fixture_renderer(tmp_path)
    markdown = renderer.render_kind_index(renderer.playbook.kinds.by_name["phase"])
    shown = re.findall(r"^### (\w+)|\*\*(\d)\. \[(\w+)\]", markdown, re.M)
    assert shown == [
        ("Before", "", ""),
        ("", "1", "Plan"),
        ("", "2", "Book"),
        ("During", "", ""),
        ("", "3", "Go"),
    ]
    assert markdown.count('<ol class="playbook-flow playbook-flow--cards" markdown>') == 2


def test_each_flow_kind_draws_its_own_flow_beside_the_stages(tmp_path: Path) -> None:
    write(
        tmp_path / "playbooks",
        {
            "phases/_kind.yaml": "name: phase\nflow: true\n",
            "phases/a.yaml": "title: Plan\nsummary: S.\n",
            "phases/b.yaml": "title: Go\nsummary: S.\n",
            "stages/scope.yaml": "title: Scope\nsummary: S.\norder: 1\nactivities: [A]\n"
            "outputs: [O]\n",
        },
    )
    renderer = fixture_renderer(tmp_path)
    phase = renderer.playbook.get("phase", "b")
    stage = renderer.playbook.get("stage", "scope")
    assert phase is not None and stage is not None
    page = renderer.render_entity_page(phase)
    steps = re.findall(r'<li class="playbook-flow__step[^"]*"[^>]*>(.*?)</li>', page)
    assert steps == ["<strong>1. Go</strong>", '<a href="../a/">2. Plan</a>']
    page = renderer.render_entity_page(stage)
    steps = re.findall(r'<li class="playbook-flow__step[^"]*"[^>]*>(.*?)</li>', page)
    assert steps == ["<strong>1. Scope</strong>"]


# -- order ---------------------------------------------------------------------------------------

POSTS_KIND = """\
name: post
order_by: -published
fields:
  published: {type: date}
"""


def test_a_leading_minus_orders_newest_first_ties_by_title_then_id(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "playbooks/posts/_kind.yaml": POSTS_KIND,
            "playbooks/posts/old.yaml": "title: Old\nsummary: S.\npublished: 2026-01-01\n",
            "playbooks/posts/new-b.yaml": "title: Beta\nsummary: S.\npublished: 2026-05-01\n",
            "playbooks/posts/new-a.yaml": "title: Beta\nsummary: S.\npublished: 2026-05-01\n",
            "playbooks/posts/alpha.yaml": "title: Alpha\nsummary: S.\npublished: 2026-05-01\n",
            "playbooks/posts/undated.yaml": "title: Aardvark\nsummary: S.\n",
        },
    )
    result = load_playbook(tmp_path / "playbooks", project_dir=tmp_path)
    assert result.diagnostics == []
    kind = result.playbook.kinds.by_name["post"]
    assert [e.id for e in result.playbook.of_kind(kind)] == [
        "alpha",
        "new-a",
        "new-b",
        "old",
        "undated",
    ]


# -- plain steps ---------------------------------------------------------------------------------


@pytest.mark.site
def test_steps_of_markdown_items_are_numbered(project: Callable[..., Path]) -> None:
    root = project(
        {
            "playbooks/drills/_kind.yaml": "name: drill\nfields:\n  steps: {type: steps}\n",
            "playbooks/drills/fire.yaml": (
                "title: Fire drill\nsummary: S.\nsteps: [Ring the **bell**, Walk out]\n"
            ),
        }
    )
    result = run_mkdocs(root, "build", "--strict")
    assert result.returncode == 0, result.stderr
    html = (root / "site/drills/fire/index.html").read_text(encoding="utf-8")
    assert "<ol>\n<li>Ring the <strong>bell</strong></li>\n<li>Walk out</li>\n</ol>" in html


# -- errors ---------------------------------------------------------------------------------------

RUNBOOK_KIND = """\
name: runbook
fields:
  diagram: {type: image}
"""

IMAGE_ERRORS = [
    pytest.param(
        "diagram: _assets/missing.png\n",
        "playbooks/runbooks/a.yaml:3:10: diagram: '_assets/missing.png' does not exist in "
        "runbooks/; add the file or fix the path",
        id="missing",
    ),
    pytest.param(
        "diagram: {src: ../_secret.png, alt: A}\n",
        "playbooks/runbooks/a.yaml:3:16: diagram.src: '../_secret.png' leaves the collection "
        "folder; an image is a file in the collection folder or in its _assets/ folder, such as "
        "'_assets/cover.png'",
        id="leaves-folder",
    ),
    pytest.param(
        "diagram: /etc/passwd.png\n",
        "playbooks/runbooks/a.yaml:3:10: diagram: '/etc/passwd.png' leaves the collection "
        "folder; an image is a file in the collection folder or in its _assets/ folder, such as "
        "'_assets/cover.png'",
        id="absolute",
    ),
    pytest.param(
        "diagram: _assets/logo.svg\n",
        "playbooks/runbooks/a.yaml:3:10: diagram: '_assets/logo.svg' is not an image file the "
        "site shows; use a .png, .jpg, .jpeg, .gif, .webp file (SVG is not accepted: it can "
        "carry scripts)",
        id="svg",
    ),
    pytest.param(
        "diagram: https://example.org/a.png\n",
        "playbooks/runbooks/a.yaml:3:10: diagram: 'https://example.org/a.png' is a URL; an "
        "image is a file in the collection folder or in its _assets/ folder, such as "
        "'_assets/cover.png': save the image there and name it",
        id="url",
    ),
    pytest.param(
        "diagram: data:image/png;base64,AAAA\n",
        "playbooks/runbooks/a.yaml:3:10: diagram: 'data:image/png;base64,AAAA' is a URL; an "
        "image is a file in the collection folder or in its _assets/ folder, such as "
        "'_assets/cover.png': save the image there and name it",
        id="data-url",
    ),
    pytest.param(
        "diagram: _other/a.png\n",
        "playbooks/runbooks/a.yaml:3:10: diagram: '_other/a.png' is in a folder other than "
        "_assets/; an image is a file in the collection folder or in its _assets/ folder, such "
        "as '_assets/cover.png'",
        id="other-folder",
    ),
    pytest.param(
        "diagram: [a.png]\n",
        "playbooks/runbooks/a.yaml:3:10: diagram: expected {src, alt} or the image file's path, "
        'such as "_assets/cover.png"',
        id="not-an-image-value",
    ),
]


@pytest.mark.parametrize(("line", "expected"), IMAGE_ERRORS)
def test_each_image_problem_is_located(tmp_path: Path, line: str, expected: str) -> None:
    write(
        tmp_path,
        {
            "playbooks/runbooks/_kind.yaml": RUNBOOK_KIND,
            "playbooks/runbooks/a.yaml": "title: A\nsummary: S.\n" + line,
            "playbooks/runbooks/_assets/logo.svg": "<svg onload='alert(1)'/>",
            "playbooks/_secret.png": "x",
            "playbooks/runbooks/_other/a.png": "x",
        },
    )
    assert problems(tmp_path) == [expected]


def test_images_are_not_entities_but_other_files_still_are_errors(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "playbooks/runbooks/_kind.yaml": RUNBOOK_KIND,
            "playbooks/runbooks/a.yaml": "title: A\nsummary: S.\ndiagram: b.JPG\n",
            "playbooks/runbooks/b.JPG": "x",
            "playbooks/runbooks/c.webp": "x",
            "playbooks/runbooks/_assets/notes.txt": "x",
            "playbooks/runbooks/notes.txt": "x",
            "playbooks/runbooks/d.svg": "x",
        },
    )
    assert problems(tmp_path) == [
        "playbooks/runbooks/d.svg:1:1: file: only .yaml and .yml files are entities; rename "
        "it, or start its name with '_' to leave it out",
        "playbooks/runbooks/notes.txt:1:1: file: only .yaml and .yml files are entities; "
        "rename it, or start its name with '_' to leave it out",
    ]


KIND_FILE_ERRORS = [
    pytest.param(
        "fields:\n  severity: {type: enum, values: {sev1: [Critical]}}\n",
        "playbooks/runbooks/_kind.yaml:3:34: fields.severity.values: an enum needs 'values: "
        "[a, b, ...]', or values with their labels ('values: {sev1: Critical, sev2: Major}')",
        id="enum-label-not-text",
    ),
    pytest.param(
        "fields:\n  command: {type: text, language: bash}\n",
        "playbooks/runbooks/_kind.yaml:3:25: fields.command.language: only code fields have a "
        "language; remove it",
        id="language-not-code",
    ),
    pytest.param(
        "fields:\n  command: {type: code, language: 'ba sh'}\n",
        "playbooks/runbooks/_kind.yaml:3:35: fields.command.language: expected a language name "
        "such as 'bash' or 'python' (letters, digits, '+', '#', '.', '-' and '_')",
        id="bad-language",
    ),
    pytest.param(
        "fields:\n  notes: {type: markdown}\nfacets: [notes]\n",
        "playbooks/runbooks/_kind.yaml:4:10: facets[0]: 'notes' is a markdown field; filter by "
        "a field of type enum, boolean, ref, refs, or a list of enum or text",
        id="facet-not-filterable",
    ),
    pytest.param(
        "card: [sumary]\n",
        "playbooks/runbooks/_kind.yaml:2:8: card[0]: 'sumary' is not a field of this kind; it "
        "has no fields of its own yet: add them under 'fields'",
        id="card-unknown-field",
    ),
    pytest.param(
        "fields:\n  notes: {type: markdown}\norder_by: -notes\n",
        "playbooks/runbooks/_kind.yaml:4:11: order_by: 'notes' is a markdown field; order by a "
        "field of type integer, number, date, text",
        id="descending-not-orderable",
    ),
    pytest.param(
        "fields:\n  summary: {required: true}\n",
        "playbooks/runbooks/_kind.yaml:3:23: fields.summary.required: the summary is required "
        "already; write false",
        id="summary-required-true",
    ),
    pytest.param(
        "fields:\n  summary: {required: false, label: Gist}\n",
        "playbooks/runbooks/_kind.yaml:3:3: fields.summary: only 'summary: {required: false}' "
        "may be said of the summary",
        id="summary-other-keys",
    ),
]


@pytest.mark.parametrize(("body", "expected"), KIND_FILE_ERRORS)
def test_each_new_kind_file_error_has_its_exact_message(
    tmp_path: Path, body: str, expected: str
) -> None:
    write(tmp_path, {"playbooks/runbooks/_kind.yaml": "name: runbook\n" + body})
    assert problems(tmp_path) == [expected]


def test_an_extended_built_in_kind_keeps_its_summary_required(tmp_path: Path) -> None:
    write(tmp_path, {"playbooks/plays/_kind.yaml": "fields:\n  summary: {required: false}\n"})
    assert problems(tmp_path) == [
        "playbooks/plays/_kind.yaml:2:3: fields.summary: 'summary' is a field every kind has; "
        "it cannot be redefined"
    ]


def test_a_missing_summary_is_still_an_error_where_the_kind_needs_one(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "playbooks/runbooks/_kind.yaml": "name: runbook\n",
            "playbooks/runbooks/a.yaml": "title: A\n",
        },
    )
    assert problems(tmp_path) == [
        "playbooks/runbooks/a.yaml:1:1: summary: is required; add 'summary:'"
    ]


# -- relations -----------------------------------------------------------------------------------


def test_a_declared_relation_shows_even_where_the_text_links_the_same_page(
    renderer: Renderer,
) -> None:
    postgres = renderer.playbook.get("service", "postgres")
    assert postgres is not None
    groups = {g.label: [e.id for e in g.shown] for g in renderer.related_index.groups(postgres)}
    # The body links to db-failover and to the incident lead. The runbooks name the service
    # in a ref field, so they stay; the lead only mentions it in text, so it is left out.
    assert groups == {"Runbooks for it": ["db-failover", "cache-flush"]}
    lead = renderer.playbook.get("role", "incident-lead")
    assert lead is not None
    groups = {g.label: [e.id for e in g.shown] for g in renderer.related_index.groups(lead)}
    assert groups == {"Mentioned in": ["db-failover"]}


# -- the documentation's example -------------------------------------------------------------


def test_the_incident_response_example_of_the_docs_builds(project: Callable[..., Path]) -> None:
    docs = (Path(__file__).parent.parent / "docs" / "authors" / "your-own-kinds.md").read_text(
        "utf-8"
    )
    section = docs[docs.index("## A team's own playbook") : docs.index("## Relations on both")]
    files = {
        block.splitlines()[0].removeprefix("# ").split(":")[0]: block
        for block in re.findall(r"```yaml\n(.*?)```", section, re.S)
    }
    assert set(files) == {
        "playbooks/runbooks/_kind.yaml",
        "playbooks/runbooks/db-failover.yaml",
        "playbooks/roles/_kind.yaml",
    }
    root = project(
        {
            **files,
            "playbooks/services/_kind.yaml": "name: service\n",
            "playbooks/services/postgres.yaml": "title: Postgres\nsummary: The database.\n",
            "playbooks/roles/incident-lead.yaml": "title: Incident lead\n",
        }
    )
    (root / "playbooks/runbooks/_assets").mkdir()
    shutil.copy(
        INCIDENTS / "playbooks/runbooks/_assets/failover.png", root / "playbooks/runbooks/_assets"
    )
    assert problems(root) == []


@pytest.mark.site
def test_an_export_carries_the_images_and_builds_without_the_plugin(
    project: Callable[..., Path], tmp_path: Path
) -> None:
    root = project(fixture=INCIDENTS)
    out = tmp_path / "export"
    result = CliRunner().invoke(main, ["export", str(out), "--project", str(root)])
    assert result.exit_code == 0, result.output
    assert (out / "docs/runbooks/_assets/failover.png").read_bytes() == (
        INCIDENTS / "playbooks/runbooks/_assets/failover.png"
    ).read_bytes()
    built = run_mkdocs(out, "build", "--strict")
    assert built.returncode == 0, built.stderr
    assert (out / "site/runbooks/topology.png").is_file()


GUIDE_KIND = """\
name: guide
fields:
  steps:
    type: steps
    item:
      action: {type: markdown, required: true}
      picture: {type: image}
  shots:
    type: list
    item:
      caption: {type: text}
      picture: {type: image}
  cover:
    type: record
    fields:
      picture: {type: image}
"""
"""A kind with an image sub-field in its steps, in a list's items and in a record."""

GUIDE = """\
title: Set up the printer
summary: S.
steps:
  - action: Plug it in.
    picture: _assets/plug.png
  - action: Switch it on.
    picture: {src: switch.png, alt: The switch at the back}
  - action: Print a page.
shots:
  - {caption: Front, picture: _assets/front.png}
cover:
  picture: _assets/cover.png
"""


def guide_project(root: Path, guide: str = GUIDE) -> Path:
    files = {"playbooks/guides/_kind.yaml": GUIDE_KIND, "playbooks/guides/set-up.yaml": guide}
    for name in ("_assets/plug.png", "switch.png", "_assets/front.png", "_assets/cover.png"):
        files[f"playbooks/guides/{name}"] = "x"
    files["playbooks/guides/_assets/logo.svg"] = "<svg onload='alert(1)'/>"
    files["playbooks/_secret.png"] = "x"
    write(root, files)
    return root


def test_images_in_steps_list_items_and_records_are_copied_and_shown(tmp_path: Path) -> None:
    guide_project(tmp_path)
    result = load_playbook(tmp_path / "playbooks", project_dir=tmp_path)
    assert result.diagnostics == []
    folder = tmp_path / "playbooks/guides"
    assert result.playbook.images == {
        "guides/_assets/plug.png": folder / "_assets/plug.png",
        "guides/switch.png": folder / "switch.png",
        "guides/_assets/front.png": folder / "_assets/front.png",
        "guides/_assets/cover.png": folder / "_assets/cover.png",
    }
    links, _ = resolve_refs(result.playbook)
    entity = result.playbook.get("guide", "set-up")
    assert entity is not None
    markdown = Renderer(result.playbook, links).render_entity_page(entity)
    # In a step, under its label; a src alone takes the entity's title as its alt text.
    assert "**Picture**\n\n    ![Set up the printer](_assets/plug.png){ .playbook-image }" in (
        markdown
    )
    assert "![The switch at the back](switch.png){ .playbook-image }" in markdown
    # Among the facts of a list item and of a record.
    assert "    - **Picture:** ![Set up the printer](_assets/front.png){ .playbook-image }\n" in (
        markdown
    )
    assert "    - **Picture:** ![Set up the printer](_assets/cover.png){ .playbook-image }\n" in (
        markdown
    )


@pytest.mark.site
def test_a_built_site_copies_and_shows_the_images_of_items(tmp_path: Path) -> None:
    guide_project(tmp_path)
    (tmp_path / "playbooks/guides/_assets/logo.svg").unlink()
    write(tmp_path, {"mkdocs.yml": MKDOCS_YML, "docs/index.md": "# Guides\n"})
    built = run_mkdocs(tmp_path, "build", "--strict")
    assert built.returncode == 0, built.stderr
    for name in ("_assets/plug.png", "switch.png", "_assets/front.png", "_assets/cover.png"):
        assert (tmp_path / "site/guides" / name).read_text() == "x"
    html = page(tmp_path / "site", "guides/set-up")
    assert '<img alt="Set up the printer" class="playbook-image" src="../_assets/plug.png">' in (
        html
    )
    assert '<img alt="The switch at the back" class="playbook-image" src="../switch.png">' in html
    assert html.count('class="playbook-image"') == 4


ITEM_IMAGE_ERRORS = [
    pytest.param(
        GUIDE.replace("picture: {src: switch.png,", "picture: {src: ../_secret.png,"),
        "playbooks/guides/set-up.yaml:7:20: steps[1].picture.src: '../_secret.png' leaves the "
        "collection folder; an image is a file in the collection folder or in its _assets/ "
        "folder, such as '_assets/cover.png'",
        id="step-leaves-folder",
    ),
    pytest.param(
        GUIDE.replace("picture: _assets/front.png", "picture: _assets/logo.svg"),
        "playbooks/guides/set-up.yaml:10:31: shots[0].picture: '_assets/logo.svg' is not an "
        "image file the site shows; use a .png, .jpg, .jpeg, .gif, .webp file (SVG is not "
        "accepted: it can carry scripts)",
        id="list-item-svg",
    ),
    pytest.param(
        GUIDE.replace("picture: _assets/cover.png", "picture: https://example.org/a.png"),
        "playbooks/guides/set-up.yaml:12:12: cover.picture: 'https://example.org/a.png' is a "
        "URL; an image is a file in the collection folder or in its _assets/ folder, such as "
        "'_assets/cover.png': save the image there and name it",
        id="record-url",
    ),
    pytest.param(
        GUIDE.replace("picture: _assets/plug.png", "picture: _assets/missing.png"),
        "playbooks/guides/set-up.yaml:5:14: steps[0].picture: '_assets/missing.png' does not "
        "exist in guides/; add the file or fix the path",
        id="step-missing",
    ),
]


@pytest.mark.parametrize(("guide", "expected"), ITEM_IMAGE_ERRORS)
def test_each_image_problem_in_an_item_is_located(
    tmp_path: Path, guide: str, expected: str
) -> None:
    guide_project(tmp_path, guide)
    assert problems(tmp_path) == [expected]


def test_code_among_the_facts_of_a_list_item_is_inline_code(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "playbooks/checks/_kind.yaml": (
                "name: check\nfields:\n  probes:\n    type: list\n"
                "    item: {name: {type: text}, command: {type: code}}\n"
            ),
            "playbooks/checks/disk.yaml": (
                "title: Disk\nsummary: S.\nprobes:\n  - {name: Free, command: 'df -h | grep <x>'}\n"
            ),
        },
    )
    result = load_playbook(tmp_path / "playbooks", project_dir=tmp_path)
    assert result.diagnostics == []
    links, _ = resolve_refs(result.playbook)
    entity = result.playbook.get("check", "disk")
    assert entity is not None
    markdown = Renderer(result.playbook, links).render_entity_page(entity)
    assert "    - **Command:** <code>df -h &#124; grep &lt;x&gt;</code>\n" in markdown


def test_the_schema_keeps_enum_values_and_says_what_each_shows_as(renderer: Renderer) -> None:
    kind = renderer.playbook.kinds.by_name["runbook"]
    severity = kind.model.model_json_schema()["properties"]["severity"]
    assert severity["enum"] == ["sev1", "sev2", "sev3"]
    assert severity["description"] == (
        "How bad it is when this runbook is needed. "
        "Shown as: sev1 = Critical, sev2 = Major, sev3 = Minor."
    )


def test_facets_of_booleans_and_lists_count_each_card_once(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "playbooks/practices/_kind.yaml": (
                "name: practice\nfacets: [area, remote, tags_of_area]\nfields:\n"
                "  area: {type: list, item: {type: enum, values: {discover: Discovery, "
                "deliver: Delivery, learn: Learning}}}\n"
                "  remote: {type: boolean}\n"
                "  tags_of_area: {type: list, item: text, label: Topics}\n"
            ),
            "playbooks/practices/a.yaml": (
                "title: A\nsummary: S.\narea: [learn, discover]\nremote: true\n"
                "tags_of_area: [teams, teams, people]\n"
            ),
            "playbooks/practices/b.yaml": (
                "title: B\nsummary: S.\narea: [learn]\nremote: false\ntags_of_area: [people]\n"
            ),
            "playbooks/practices/c.yaml": "title: C\nsummary: S.\n",
        },
    )
    result = load_playbook(tmp_path / "playbooks", project_dir=tmp_path)
    assert result.diagnostics == []
    links, _ = resolve_refs(result.playbook)
    renderer = Renderer(result.playbook, links)
    kind = result.playbook.kinds.by_name["practice"]
    assert [(f.name, choices) for f, choices in renderer.facets_of(kind)] == [
        # An enum's values in the kind's order, each by its label.
        ("area", [("discover", "Discovery", 1), ("learn", "Learning", 2)]),
        ("remote", [("yes", "yes", 1), ("no", "no", 1)]),
        # Others by count; a card that lists a value twice counts once.
        ("tags_of_area", [("people", "people", 2), ("teams", "teams", 1)]),
    ]
    first = result.playbook.get("practice", "a")
    assert first is not None
    assert renderer.facet_values(first) == {
        "area": ["learn", "discover"],
        "remote": ["yes"],
        "tags_of_area": ["teams", "people"],
    }
