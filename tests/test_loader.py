"""Loading and validation: every rule of the content model gives its exact, located message."""

from __future__ import annotations

from pathlib import Path

import pytest

from mkdocs_playbook.load.loader import load_playbook

from .conftest import EVERYTHING, write

PERSONA = """\
title: Sally
summary: A smoker.
barriers: [Stress]
motivators: [Money]
"""


def problems(root: Path, files: dict[str, str], **options: int) -> list[str]:
    write(root, {f"playbooks/{path}": text for path, text in files.items()})
    result = load_playbook(root / "playbooks", project_dir=root, **options)
    return [str(d) for d in result.diagnostics]


def test_fixture_of_every_kind_and_field_loads_without_problems() -> None:
    result = load_playbook(EVERYTHING / "playbooks", project_dir=EVERYTHING)
    assert result.diagnostics == []
    kinds = {kind for kind, _ in result.playbook.entities}
    assert len(kinds) == 10
    assert len(result.playbook.entities) == 21


def test_drafts_and_hidden_files_are_not_entities() -> None:
    result = load_playbook(EVERYTHING / "playbooks", project_dir=EVERYTHING)
    assert ("play", "_draft-idea") not in result.playbook.entities
    assert all("never published" not in e.data.title for e in result.playbook)


def test_intro_markdown_is_read_from_index_file() -> None:
    result = load_playbook(EVERYTHING / "playbooks", project_dir=EVERYTHING)
    assert set(result.playbook.intros) == {"channel", "persona", "play", "stage", "strategy"}


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {"personas/Sally.yaml": PERSONA},
            "playbooks/personas/Sally.yaml:1:1: id: 'Sally' is not a valid id: use 1 to 64 "
            "lowercase letters, digits and hyphens, starting with a letter or digit; "
            "rename the file",
            id="upper-case-id",
        ),
        pytest.param(
            {"personas/sally.v2.yaml": PERSONA},
            "playbooks/personas/sally.v2.yaml:1:1: id: 'sally.v2' is not a valid id: use 1 to "
            "64 lowercase letters, digits and hyphens, starting with a letter or digit; "
            "rename the file",
            id="dotted-id",
        ),
        pytest.param(
            {"personas/sally.yaml": PERSONA, "personas/sally.yml": PERSONA},
            "playbooks/personas/sally.yml:1:1: id: the id 'sally' is already used by "
            "playbooks/personas/sally.yaml; rename or remove one of them",
            id="duplicate-id",
        ),
        pytest.param(
            {"persona/sally.yaml": PERSONA},
            "playbooks/persona:1:1: collection: 'persona' is not a collection folder; "
            "did you mean 'personas'?",
            id="unknown-collection",
        ),
        pytest.param(
            {"personas/notes.txt": "x"},
            "playbooks/personas/notes.txt:1:1: file: only .yaml and .yml files are entities; "
            "rename it, or start its name with '_' to leave it out",
            id="not-yaml",
        ),
        pytest.param(
            {"personas/sally.yaml": "title: Sally\ntitle: Sal\n"},
            "playbooks/personas/sally.yaml:2:1: title: duplicate key 'title' (first set at "
            "line 1); keep one of them",
            id="duplicate-key",
        ),
        pytest.param(
            {"personas/sally.yaml": PERSONA + "segmnt: smokers\n"},
            "playbooks/personas/sally.yaml:5:1: segmnt: unknown field 'segmnt'; "
            "did you mean 'segment'?",
            id="unknown-key",
        ),
        pytest.param(
            {"personas/sally.yaml": PERSONA + "wibble: 1\n"},
            "playbooks/personas/sally.yaml:5:1: wibble: unknown field 'wibble'; the fields here "
            "are: title, summary, body, tags, related, sources, segment, demographics, "
            "psychographics, behaviour, goals, barriers, motivators, channels, quote",
            id="unknown-key-no-close-match",
        ),
        pytest.param(
            {"personas/sally.yaml": "title: Sally\nbarriers: [a]\nmotivators: [b]\n"},
            "playbooks/personas/sally.yaml:1:1: summary: is required; add 'summary:'",
            id="required-field",
        ),
        pytest.param(
            {"personas/sally.yaml": PERSONA.replace("title: Sally", "title:")},
            "playbooks/personas/sally.yaml:1:7: title: is empty; give it a value",
            id="null-required-field",
        ),
        pytest.param(
            {"personas/sally.yaml": PERSONA.replace("[Stress]", "Stress")},
            "playbooks/personas/sally.yaml:3:11: barriers: expected a list, got text; write it "
            "as a list ('- item' lines)",
            id="string-for-list",
        ),
        pytest.param(
            {"personas/sally.yaml": PERSONA.replace("title: Sally", "title: [Sally]")},
            "playbooks/personas/sally.yaml:1:8: title: expected text, got a list",
            id="list-for-string",
        ),
        pytest.param(
            {"personas/sally.yaml": PERSONA + "quote: true\n"},
            "playbooks/personas/sally.yaml:5:8: quote: expected text, got true (a yes/no "
            "value); put the value in quotes",
            id="bool-for-string",
        ),
        pytest.param(
            {"metrics/m.yaml": "title: M\nsummary: s\ncategory: awarenes\n"},
            "playbooks/metrics/m.yaml:3:11: category: 'awarenes' is not one of: awareness, "
            "engagement, traffic, conversion, behaviour, service; did you mean 'awareness'?",
            id="enumeration",
        ),
        pytest.param(
            {"stages/s.yaml": "title: S\nsummary: s\norder: first\n"},
            "playbooks/stages/s.yaml:3:8: order: expected a whole number, got text",
            id="wrong-type-int",
        ),
        pytest.param(
            {"channels/c.yaml": "title: C\nsummary: s\nonline: maybe\n"},
            "playbooks/channels/c.yaml:3:9: online: expected true or false, got text",
            id="wrong-type-bool",
        ),
        pytest.param(
            {"plays/p.yaml": "title: P\nsummary: s\nwhy: w\nhow: [a]\ntime: [1, 2]\n"},
            'playbooks/plays/p.yaml:5:7: time: expected {min, max, unit} or text such as "2 hours"',
            id="play-time-shape",
        ),
        pytest.param(
            {"plays/p.yaml": "title: P\nsummary: s\nwhy: w\nhow: []\n"},
            "playbooks/plays/p.yaml:4:6: how: needs at least 1 item",
            id="empty-required-list",
        ),
        pytest.param(
            {"campaigns/c.yaml": "title: C\nsummary: s\n"},
            "playbooks/campaigns/c.yaml:1:1: strategy: is missing: every campaign runs under a "
            "strategy; add 'strategy: <strategy id>'",
            id="campaign-without-strategy",
        ),
        pytest.param(
            {
                "strategies/s.yaml": "title: S\nsummary: s\nhorizon: 1y\nobjectives:\n"
                "  - statement: x\n    metric: m\n    target: 1\n    deadlin: 2027-01-01\n"
            },
            "playbooks/strategies/s.yaml:8:5: objectives[0].deadlin: unknown field 'deadlin'; "
            "did you mean 'deadline'?",
            id="nested-unknown-key",
        ),
        pytest.param(
            {
                "personas/sally.yaml": PERSONA
                + "sources:\n  - title: T\n    url: javascript:alert(1)\n"
            },
            "playbooks/personas/sally.yaml:7:10: sources[0].url: 'javascript:alert(1)' is not an "
            "http(s) or mailto URL; write the full address",
            id="unsafe-source-url",
        ),
    ],
)
def test_each_bad_input_gives_its_exact_message(
    tmp_path: Path, files: dict[str, str], expected: str
) -> None:
    assert expected in problems(tmp_path, files)


COMPARISON = """\
title: X
summary: s
subjects: [discipline:a, kind:strategy]
dimensions:
  - name: Goal
    values:
      a: x
      strateg: y
choose_when:
  b: z
"""


def test_comparison_values_must_name_every_subject_and_nothing_else(tmp_path: Path) -> None:
    assert problems(tmp_path, {"comparisons/x.yaml": COMPARISON}) == [
        "playbooks/comparisons/x.yaml:7:7: dimensions[0].values: misses the subject 'strategy'; "
        "add 'strategy: ...'",
        "playbooks/comparisons/x.yaml:8:7: dimensions[0].values.strateg: 'strateg' is not a "
        "subject of this comparison; did you mean 'strategy'?",
        "playbooks/comparisons/x.yaml:10:3: choose_when.b: 'b' is not a subject of this "
        "comparison; the subjects are: a, strategy",
    ]


def test_subjects_that_share_an_id_are_keyed_by_full_ref(tmp_path: Path) -> None:
    text = (
        "title: X\nsummary: s\nsubjects: [discipline:seo, channel:seo]\ndimensions:\n"
        "  - name: Goal\n    values:\n      discipline:seo: a\n      channel:seo: b\n"
    )
    assert problems(tmp_path, {"comparisons/x.yaml": text}) == []


def test_stage_orders_must_not_repeat(tmp_path: Path) -> None:
    stage = "title: S\nsummary: s\norder: 1\n"
    assert problems(tmp_path, {"stages/a.yaml": stage, "stages/b.yaml": stage}) == [
        "playbooks/stages/a.yaml:3:8: order: order 1 is also used by playbooks/stages/b.yaml; "
        "give every stage its own order",
        "playbooks/stages/b.yaml:3:8: order: order 1 is also used by playbooks/stages/a.yaml; "
        "give every stage its own order",
    ]


def test_all_problems_are_collected_in_one_run(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        {
            "personas/a.yaml": "title: A\n",
            "personas/b.yaml": "summary: B\n",
            "metrics/Bad.yaml": "title: M\n",
        },
    )
    assert [line.split(":")[0] for line in found] == [
        "playbooks/metrics/Bad.yaml",
        "playbooks/personas/a.yaml",
        "playbooks/personas/a.yaml",
        "playbooks/personas/a.yaml",
        "playbooks/personas/b.yaml",
        "playbooks/personas/b.yaml",
        "playbooks/personas/b.yaml",
    ]


def test_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    found = problems(tmp_path, {"personas/sally.yaml": PERSONA}, max_file_size=10)
    assert found == [
        "playbooks/personas/sally.yaml:1:1: file: is 71 bytes, over the limit of 10; split it, "
        "or raise the plugin's max_file_size option"
    ]


def test_non_utf8_bytes_are_located(tmp_path: Path) -> None:
    path = tmp_path / "playbooks/personas/sally.yaml"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"title: Sally\nsummary: caf\xe9\n")
    result = load_playbook(tmp_path / "playbooks", project_dir=tmp_path)
    assert [str(d) for d in result.diagnostics] == [
        "playbooks/personas/sally.yaml:2:13: encoding: is not valid UTF-8 (byte 0xe9); "
        "save the file as UTF-8"
    ]


def test_a_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "playbooks/personas/sally.yaml"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xef\xbb\xbf" + PERSONA.encode())
    assert load_playbook(tmp_path / "playbooks", project_dir=tmp_path).diagnostics == []


def test_symlink_outside_the_playbooks_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.yaml"
    outside.write_text(PERSONA)
    folder = tmp_path / "playbooks/personas"
    folder.mkdir(parents=True)
    (folder / "sally.yaml").symlink_to(outside)
    result = load_playbook(tmp_path / "playbooks", project_dir=tmp_path)
    assert [str(d) for d in result.diagnostics] == [
        "playbooks/personas/sally.yaml:1:1: file: is a link to a file outside the playbooks "
        "folder; refusing to read it"
    ]


LINK_OUT = (
    ":1:1: file: is a link that leads outside the project (to {target}); nothing is read "
    "through it: move what it points to into the project, or remove the link"
)


def outside_and_project(tmp_path: Path) -> tuple[Path, Path]:
    """A folder outside the project holding a collection of personas, and the project."""
    outside = tmp_path / "outside"
    write(
        outside,
        {
            "personas/_index.md": "Secret intro.\n",
            "personas/eve.yaml": PERSONA.replace("Sally", "Eve"),
            "personas/_kind.yaml": "label: Secret\n",
        },
    )
    root = tmp_path / "project"
    (root / "playbooks").mkdir(parents=True)
    return outside, root


def test_a_linked_folder_that_leads_outside_the_project_is_not_read(tmp_path: Path) -> None:
    outside, root = outside_and_project(tmp_path)
    (root / "playbooks/personas").symlink_to(outside / "personas")
    result = load_playbook(root / "playbooks", project_dir=root)
    assert [str(d) for d in result.diagnostics] == [
        "playbooks/personas" + LINK_OUT.format(target="../outside/personas")
    ]
    assert result.playbook.entities == {}
    assert result.playbook.intros == {}
    # The kind file behind it is not applied either.
    assert result.playbook.kinds.by_name["persona"].singular != "Secret"


@pytest.mark.parametrize("name", ["eve.yaml", "_index.md"])
def test_a_linked_file_that_leads_outside_the_project_is_not_read(
    tmp_path: Path, name: str
) -> None:
    outside, root = outside_and_project(tmp_path)
    (root / "playbooks/personas").mkdir()
    (root / "playbooks/personas" / name).symlink_to(outside / "personas" / name)
    result = load_playbook(root / "playbooks", project_dir=root)
    assert [str(d) for d in result.diagnostics] == [
        f"playbooks/personas/{name}" + LINK_OUT.format(target=f"../outside/personas/{name}")
    ]
    assert result.playbook.entities == {}
    assert result.playbook.intros == {}


def test_a_linked_kind_file_that_leads_outside_the_project_is_not_read(tmp_path: Path) -> None:
    outside, root = outside_and_project(tmp_path)
    (root / "playbooks/personas").mkdir()
    (root / "playbooks/personas/_kind.yaml").symlink_to(outside / "personas/_kind.yaml")
    result = load_playbook(root / "playbooks", project_dir=root)
    assert [str(d) for d in result.diagnostics] == [
        "playbooks/personas/_kind.yaml" + LINK_OUT.format(target="../outside/personas/_kind.yaml")
    ]
    assert result.playbook.kinds.by_name["persona"].singular != "Secret"


def test_a_linked_playbooks_folder_that_leads_outside_the_project_is_not_read(
    tmp_path: Path,
) -> None:
    outside, root = outside_and_project(tmp_path)
    (root / "playbooks").rmdir()
    (root / "playbooks").symlink_to(outside)
    result = load_playbook(root / "playbooks", project_dir=root)
    assert [str(d) for d in result.diagnostics] == [
        "playbooks" + LINK_OUT.format(target="../outside")
    ]
    assert result.playbook.entities == {}


def test_a_link_through_a_folder_inside_the_project_is_read(tmp_path: Path) -> None:
    root = tmp_path / "project"
    write(root, {"shared/personas/sally.yaml": PERSONA, "shared/personas/_index.md": "Hi.\n"})
    (root / "playbooks").mkdir()
    (root / "playbooks/personas").symlink_to(root / "shared/personas")
    result = load_playbook(root / "playbooks", project_dir=root)
    assert result.diagnostics == []
    assert list(result.playbook.entities) == [("persona", "sally")]
    assert result.playbook.intros == {"persona": "Hi.\n"}


def test_messages_shown_from_elsewhere_still_refuse_links_out_of_the_project(
    tmp_path: Path,
) -> None:
    # Messages relative to a folder above the project do not widen what may be read.
    outside, root = outside_and_project(tmp_path)
    (root / "playbooks/personas").symlink_to(outside / "personas")
    result = load_playbook(root / "playbooks", project_dir=tmp_path, root_dir=root)
    assert [str(d) for d in result.diagnostics] == [
        "project/playbooks/personas" + LINK_OUT.format(target="../outside/personas")
    ]
    assert result.playbook.entities == {}


def test_missing_playbooks_folder_is_an_error(tmp_path: Path) -> None:
    result = load_playbook(tmp_path / "nowhere", project_dir=tmp_path)
    assert [str(d) for d in result.diagnostics] == [
        "nowhere:1:1: playbooks_dir: the playbooks folder does not exist; create it or set "
        "the plugin's playbooks_dir option"
    ]


def test_numbers_keep_their_spelling_where_text_is_expected(tmp_path: Path) -> None:
    # Found by the fuzzer: `stage: 00` is a YAML integer, and "0" named another stage.
    files = {
        "stages/00.yaml": "title: S\nsummary: s\norder: 1\n",
        "plays/p.yaml": "title: P\nsummary: s\nwhy: w\nhow: [a]\nstage: 00\npeople: 2.50\n",
    }
    write(tmp_path, {f"playbooks/{path}": text for path, text in files.items()})
    result = load_playbook(tmp_path / "playbooks", project_dir=tmp_path)
    play = result.playbook.get("play", "p")
    assert play is not None
    assert (play.data.stage, play.data.people) == ("00", "2.50")  # type: ignore[attr-defined]


def test_yes_and_no_stay_text_but_still_mean_true_and_false_in_boolean_fields(
    tmp_path: Path,
) -> None:
    # Found by the fuzzer: a metric called `no` was read as false (YAML 1.1's "Norway problem").
    files = {
        "metrics/no.yaml": "title: No\nsummary: s\n",
        "plays/p.yaml": "title: P\nsummary: s\nwhy: w\nhow: [a]\nmetrics: [no]\n",
        "channels/c.yaml": "title: C\nsummary: s\nonline: yes\n",
    }
    write(tmp_path, {f"playbooks/{path}": text for path, text in files.items()})
    result = load_playbook(tmp_path / "playbooks", project_dir=tmp_path)
    assert result.diagnostics == []
    play, channel = result.playbook.get("play", "p"), result.playbook.get("channel", "c")
    assert play is not None and channel is not None
    assert play.data.metrics == ("no",)  # type: ignore[attr-defined]
    assert channel.data.online is True  # type: ignore[attr-defined]


def test_a_list_whose_only_item_is_bad_reports_the_item_not_the_length(tmp_path: Path) -> None:
    strategy = (
        "title: S\nsummary: s\nhorizon: 1y\nobjectives:\n"
        "  - statement: x\n    metric: m\n    target: 1\n    deadline: [1]\n"
    )
    assert problems(tmp_path, {"strategies/s.yaml": strategy}) == [
        "playbooks/strategies/s.yaml:8:15: objectives[0].deadline: expected a date "
        "(YYYY-MM-DD) or text"
    ]


def test_a_cache_reuses_unchanged_files_and_rereads_changed_ones(tmp_path: Path) -> None:
    from mkdocs_playbook.load.loader import LoadCache

    write(tmp_path, {"playbooks/personas/a.yaml": PERSONA, "playbooks/personas/b.yaml": PERSONA})
    cache = LoadCache()
    first = load_playbook(tmp_path / "playbooks", project_dir=tmp_path, cache=cache).playbook
    write(tmp_path, {"playbooks/personas/b.yaml": PERSONA.replace("Sally", "Bea")})
    second = load_playbook(tmp_path / "playbooks", project_dir=tmp_path, cache=cache).playbook
    assert second.get("persona", "a") is first.get("persona", "a")
    changed = second.get("persona", "b")
    assert changed is not None and changed.data.title == "Bea"
    write(tmp_path, {"playbooks/personas/b.yaml": "title: [broken]\n"})
    third = load_playbook(tmp_path / "playbooks", project_dir=tmp_path, cache=cache)
    assert third.playbook.get("persona", "b") is None
    assert "title" in [d.field for d in third.diagnostics]
