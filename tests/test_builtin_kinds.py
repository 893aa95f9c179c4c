"""`builtin_kinds`: a playbook has all ten packaged kinds, none of them, or some; a kind left
out exists nowhere. And no power is reserved to the ten: an own kind file may use every key
the packaged ones use."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mkdocs_playbook.authoring.guide import render_authoring_guide
from mkdocs_playbook.cli import main
from mkdocs_playbook.diagnostics import did_you_mean
from mkdocs_playbook.kinds.registry import builtin_kinds, selected_builtin_kinds
from mkdocs_playbook.load.loader import load_playbook
from mkdocs_playbook.options import PlaybookOptions
from mkdocs_playbook.pipeline import SiteSettings
from mkdocs_playbook.project import find_project
from mkdocs_playbook.render.pages import Renderer
from mkdocs_playbook.resolve.refs import resolve_refs

from .conftest import FIXTURES, run_mkdocs, write

INCIDENT_RESPONSE = FIXTURES / "incident-kinds"

BUILTIN_WORDS = re.compile(
    r"\b(?:"
    + "|".join(
        re.escape(word)
        for kind in builtin_kinds()
        for word in {
            kind.name,
            kind.collection,
            kind.singular.lower(),
            kind.plural.lower(),
        }
    )
    + r")\b",
    re.IGNORECASE,
)
"""The names, labels and folders of the ten packaged kinds."""


def validate(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", str(root), *args])
    return result.exit_code, result.output


def copy_fixture(tmp_path: Path) -> Path:
    root = tmp_path / "incident-response"
    shutil.copytree(INCIDENT_RESPONSE, root)
    return root


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.site
def test_a_playbook_without_builtin_kinds_shows_no_trace_of_them(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    result = run_mkdocs(root, "build", "--strict")
    assert result.returncode == 0, result.stderr
    site = root / "site"
    found = {}
    for path in sorted(site.rglob("*")):
        if path.is_dir() or "assets" in path.relative_to(site).parts or path.suffix == ".gz":
            continue
        text = path.read_text(encoding="utf-8")
        text = visible_text(text) if path.suffix == ".html" else text
        words = sorted(set(m.group(0).lower() for m in BUILTIN_WORDS.finditer(text)))
        if words:
            found[path.relative_to(site).as_posix()] = words
    assert found == {}
    assert sorted(p.name for p in (site / "schemas").iterdir()) == [
        "_kind.schema.json",
        "role.schema.json",
        "runbook.schema.json",
        "service.schema.json",
        "severity.schema.json",
        "yaml-schemas.json",
    ]
    # A coverage page that a kind of the playbook's own declares, in its own words.
    coverage = visible_text((site / "authors" / "coverage" / "index.html").read_text("utf-8"))
    assert (
        "Which runbooks reach each service, for each role and each severity. Each cell counts "
        "them: open a count to see what it is made of. A gap is a cell that nothing reaches. "
        "Services by role Runbooks reaching each service, for each role Service Database "
        "administrator Incident commander DNS gap gap Postgres 1 Fail over the database "
        "(runbook) gap Redis gap 1 Restart the cache (runbook) Services by severity Runbooks "
        "reaching each service, for each severity Severity DNS Postgres Redis 1. SEV1 gap 1 "
        "Fail over the database (runbook) gap 2. SEV2 gap gap 1 Restart the cache (runbook)"
    ) in coverage
    # `flow`: each severity's page draws them all, in order, numbered by their rank.
    sev2 = visible_text((site / "severities" / "sev2" / "index.html").read_text("utf-8"))
    assert "Respond within: 30 minutes 1. SEV1 2. SEV2 ← Previous: SEV1" in sev2
    # `group_by`: the runbooks' index groups them by severity, in the severities' order.
    runbooks = visible_text((site / "runbooks" / "index.html").read_text("utf-8"))
    assert runbooks.index("SEV1") < runbooks.index("Fail over the database")
    assert runbooks.index("SEV2") < runbooks.index("Restart the cache")
    # `example`: the authoring guide shows the runbook's own example.
    guide = visible_text((site / "authors" / "authoring-guide" / "index.html").read_text("utf-8"))
    assert "Example, playbooks/runbooks/restart-the-cache.yaml :" in guide
    # Its messages are real ones, of mistakes in its own kinds' files.
    assert "A field name is misspelt" in guide and "did you mean 'tags'?" in guide
    health = visible_text((site / "authors" / "health" / "index.html").read_text("utf-8"))
    assert "Services without a runbook (1)" in health
    assert "DNS · playbooks/services/dns.yaml:1 : no runbook covers it" in health


def test_a_builtin_folder_is_an_unknown_folder_when_its_kind_is_left_out(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    write(
        root / "playbooks",
        {
            "personas/sally.yaml": "title: Sally\nsummary: A smoker.\n",
            "roles/sally.yaml": "title: Sally\nsummary: On call.\nduties: [Answer]\n"
            "related: [persona:sally]\n",
        },
    )
    code, output = validate(root)
    assert code == 1
    assert output.splitlines()[:2] == [
        "playbooks/personas:1:1: collection: 'personas' is not a collection folder; the "
        "folders are: roles, runbooks, services, severities; to make it a kind of its own, "
        "add personas/_kind.yaml",
        "playbooks/roles/sally.yaml:4:11: related[0]: 'persona' in 'persona:sally' is not a "
        "kind; the kinds are: role, runbook, service, severity",
    ]


def test_playbook_new_knows_only_the_kinds_the_playbook_has(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    result = CliRunner().invoke(main, ["new", "persona", "sally", "--project", str(root)])
    assert result.exit_code == 2
    assert "'persona' is not a kind; the kinds are: role, runbook, service, severity" in (
        result.output
    )


def test_a_name_that_is_not_a_builtin_kind_is_an_error_in_mkdocs_yml(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace(
            "builtin_kinds: none", "builtin_kinds: [metric, personna]"
        )
    )
    code, output = validate(root)
    assert code == 1
    assert output.splitlines()[0] == (
        "mkdocs.yml:7:31: plugins.playbook.builtin_kinds: 'personna' is not a built-in kind; "
        "did you mean 'persona'?"
    )


def test_a_builtin_kind_loses_the_fields_that_name_a_kind_left_out() -> None:
    kinds = selected_builtin_kinds(("persona", "metric"))
    assert [kind.name for kind in kinds] == ["persona", "metric"]
    persona = kinds.by_name["persona"].spec
    assert persona.field("channels") is None
    assert persona.site_pages == ()
    assert persona.health is None  # counted only through campaigns, which it does not have
    assert persona.template is None  # its own template shows the channels
    assert kinds.by_name["metric"].spec == builtin_kinds().by_name["metric"].spec


def test_all_is_the_default_and_keeps_every_builtin_kind() -> None:
    assert PlaybookOptions().builtin_kinds == "all"
    assert selected_builtin_kinds("all") is builtin_kinds()
    assert list(selected_builtin_kinds("none")) == []
    assert PlaybookOptions.from_config({"builtin_kinds": ["stage"]}).builtin_kinds == ("stage",)


def test_the_incident_response_playbook_loads_without_problems() -> None:
    result = load_playbook(
        INCIDENT_RESPONSE / "playbooks",
        project_dir=INCIDENT_RESPONSE,
        builtins=selected_builtin_kinds("none"),
    )
    assert result.diagnostics == []
    assert sorted(kind.name for kind in result.playbook.kinds) == [
        "role",
        "runbook",
        "service",
        "severity",
    ]


# -- no power reserved to the ten ---------------------------------------------------------


def kinds_of(tmp_path: Path, files: dict[str, str]) -> tuple[int, str]:
    root = copy_fixture(tmp_path)
    write(root / "playbooks", files)
    return validate(root)


def test_an_own_kind_may_declare_a_health_check_flow_compares_and_an_example(
    tmp_path: Path,
) -> None:
    result = load_playbook(
        INCIDENT_RESPONSE / "playbooks",
        project_dir=INCIDENT_RESPONSE,
        builtins=selected_builtin_kinds("none"),
    )
    kinds = result.playbook.kinds.by_name
    assert kinds["service"].spec.health is not None
    assert kinds["service"].spec.health.via == ("runbook.services",)
    assert kinds["runbook"].spec.example is not None
    assert kinds["runbook"].spec.group_by == "severity"
    assert kinds["severity"].spec.unique == ("rank",)
    code, output = kinds_of(
        tmp_path,
        {
            "reviews/_kind.yaml": """\
                name: review
                flow: true
                compares: runbooks
                fields:
                  runbooks: {type: refs, kind: runbook, min_items: 2}
                """,
            "reviews/two.yaml": "title: Two\nsummary: Both.\n"
            "runbooks: [fail-over-the-database, restart-the-cache]\n",
        },
    )
    assert (code, output.splitlines()[-1]) == (0, "Checked 10 entities and 1 page: no problems.")


def test_an_own_flow_kind_s_index_is_its_flow_each_step_a_card_linked_once() -> None:
    result = load_playbook(
        INCIDENT_RESPONSE / "playbooks",
        project_dir=INCIDENT_RESPONSE,
        builtins=selected_builtin_kinds("none"),
    )
    links, _ = resolve_refs(result.playbook)
    renderer = Renderer(result.playbook, links)
    markdown = renderer.render_kind_index(result.playbook.kinds.by_name["severity"])
    assert [line for line in markdown.splitlines() if line.startswith("## ")] == ["## The flow"]
    # Numbered by the kind's `order_by` (rank), in order, each with its summary.
    assert re.findall(r"\*\*(\d)\. \[(SEV\d)\]\((sev\d)\.md", markdown) == [
        ("1", "SEV1", "sev1"),
        ("2", "SEV2", "sev2"),
    ]
    for severity in ("sev1", "sev2"):
        assert markdown.count(f"]({severity}.md") + markdown.count(f'"{severity}/"') == 1
    assert "A critical service is down for everyone." in markdown


def test_the_keys_of_the_packaged_kinds_are_checked_in_an_own_kind_file(tmp_path: Path) -> None:
    code, output = kinds_of(
        tmp_path,
        {
            "reviews/_kind.yaml": """\
                name: review
                flow: sometimes
                compares: owner
                fields:
                  owner: {type: text}
                health: {title: Unreviewed, message: nobody reviewed it, via: [runbok.services]}
                example: {id: first}
                site_pages:
                  - {page: coverage.md, coverage: {through: [runbook], columns: [{kind: rol}]}}
                  - {page: about.md}
                """,
        },
    )
    assert code == 1
    assert output.splitlines()[:-1] == [
        "playbooks/reviews/_kind.yaml:2:7: flow: expected true or false (or yes or no), got "
        "'sometimes'",
        "playbooks/reviews/_kind.yaml:3:11: compares: 'owner' is a text field; name a refs "
        "field, the subjects compared",
        "playbooks/reviews/_kind.yaml:6:9: health: needs 'explanation'",
        "playbooks/reviews/_kind.yaml:6:64: health.via[0]: 'runbok' is not a kind; did you "
        "mean 'runbook'?",
        "playbooks/reviews/_kind.yaml:7:10: example: needs 'yaml'",
        "playbooks/reviews/_kind.yaml:9:73: site_pages[0].coverage.columns[0].kind: 'rol' is "
        "not a kind; did you mean 'role'?",
        "playbooks/reviews/_kind.yaml:10:12: site_pages[1].page: 'about.md' is not a site "
        "page; the site pages are: coverage.md, which-do-i-need.md",
        "playbooks/reviews/_kind.yaml:1:1: kind: the kind 'review' is left out of the build "
        "until the problems above are fixed",
    ]


def test_the_schema_map_never_gives_a_kind_file_an_entity_schema(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    result = CliRunner().invoke(main, ["schema", "--project", str(root)])
    assert result.exit_code == 0, result.output
    mapping = json.loads((root / "schemas" / "yaml-schemas.json").read_text("utf-8"))
    assert mapping["schemas/_kind.schema.json"] == ["playbooks/*/_kind.yaml"]
    assert mapping["schemas/role.schema.json"] == [
        "playbooks/roles/[!_]*.yaml",
        "playbooks/roles/[!_]*.yml",
    ]


# -- errors in kind files -----------------------------------------------------------------


def test_a_broken_kind_file_gives_its_own_errors_then_one_line_naming_each_referring_file(
    tmp_path: Path,
) -> None:
    root = copy_fixture(tmp_path)
    kind_file = root / "playbooks/severities/_kind.yaml"
    kind_file.write_text(
        kind_file.read_text("utf-8").replace("{type: text, required: true", "{type: string")
        + "  level: {type: enum}\n",
        encoding="utf-8",
    )
    write(root, {"docs/levels.md": "# Levels\n\nThe worst is [](severity:sev1).\n"})
    code, output = validate(root)
    assert code == 1
    assert output.splitlines() == [
        "playbooks/severities/_kind.yaml:10:26: fields.respond_within.type: 'string' is not a "
        "field type; write 'text' (one string)",
        "playbooks/severities/_kind.yaml:11:10: fields.level: an enum needs its values: add "
        "'values: [a, b, ...]'",
        "playbooks/severities/_kind.yaml:1:1: kind: the kind 'severity' is left out of the build "
        "until the problems above are fixed; refs to it are not checked until then, in "
        "playbooks/runbooks/fail-over-the-database.yaml, "
        "playbooks/runbooks/restart-the-cache.yaml",
        "Checked 7 entities and 2 pages: 3 errors.",
    ]


def test_a_kind_file_takes_yes_and_no_as_entity_files_do(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    write(
        root / "playbooks",
        {
            "roles/_kind.yaml": "name: role\nflow: yes\nfields:\n"
            "  duties: {type: list, item: markdown, required: yes}\n"
            "  pager: {type: text, required: no}\n",
        },
    )
    code, output = validate(root, "--strict")
    assert (code, output) == (0, "Checked 9 entities and 1 page: no problems.\n")
    result = load_playbook(
        root / "playbooks", project_dir=root, builtins=selected_builtin_kinds("none")
    )
    role = result.playbook.kinds.by_name["role"].spec
    assert role.flow is True
    assert [(f.name, f.required) for f in role.fields] == [("duties", True), ("pager", False)]


def test_a_fairly_close_word_that_starts_otherwise_gets_no_suggestion() -> None:
    units = ["hours", "days", "weeks", "months"]
    assert did_you_mean("minutes", units) == ""
    assert did_you_mean("mnths", units) == "; did you mean 'months'?"
    assert did_you_mean("SEV1", ["sev1", "sev2"]) == "; did you mean 'sev1'?"
    assert did_you_mean("due", ["dew", "title"]) == "; did you mean 'dew'?"


def test_unique_keys_from_all_keys_when_missing_and_min_items_work_in_an_own_kind(
    tmp_path: Path,
) -> None:
    code, output = kinds_of(
        tmp_path,
        {
            "severities/sev3.yaml": "title: SEV3\nsummary: Minor.\nrank: 2\n"
            "respond_within: a day\n",
            "reviews/_kind.yaml": """\
                name: review
                compares: runbooks
                fields:
                  runbooks: {type: refs, kind: runbook, min_items: 2, required: true}
                  verdicts:
                    type: mapping
                    keys_from: runbooks
                    all_keys: true
                    required: true
                    when_missing: give a verdict for each runbook compared
                """,
            "reviews/both.yaml": "title: Both\nsummary: s.\n"
            "runbooks: [fail-over-the-database, restart-the-cache]\n"
            "verdicts: {fail-over-the-database: Good.}\n",
            "reviews/one.yaml": "title: One\nsummary: s.\nrunbooks: [restart-the-cache]\n",
        },
    )
    assert code == 1
    assert output.splitlines() == [
        "playbooks/reviews/both.yaml:4:11: verdicts: misses the runbook 'restart-the-cache'; "
        "add 'restart-the-cache: ...'",
        "playbooks/reviews/one.yaml:1:1: verdicts: give a verdict for each runbook compared",
        "playbooks/reviews/one.yaml:3:11: runbooks: needs at least 2 items",
        "playbooks/severities/sev2.yaml:3:7: rank: rank 2 is also used by "
        "playbooks/severities/sev3.yaml; give every severity its own rank",
        "playbooks/severities/sev3.yaml:3:7: rank: rank 2 is also used by "
        "playbooks/severities/sev2.yaml; give every severity its own rank",
        "Checked 12 entities and 1 page: 5 errors.",
    ]


def test_a_coverage_page_shows_its_own_words_as_text_not_markup(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    kind_file = root / "playbooks/services/_kind.yaml"
    kind_file.write_text(
        kind_file.read_text("utf-8")
        .replace(
            "      through: [runbook]\n",
            "      through: [runbook]\n"
            "      title: <b>Cover</b>\n"
            "      intro: <script>alert(1)</script> What *reaches* what.\n",
        )
        .replace(
            "        - {kind: role}\n",
            "        - {kind: role, heading: '<img src=x onerror=alert(1)>', "
            "caption: '<i>c</i>', note: '<u>n</u>'}\n",
        ),
        encoding="utf-8",
    )
    result = load_playbook(
        root / "playbooks", project_dir=root, builtins=selected_builtin_kinds("none")
    )
    assert result.diagnostics == []
    links, _ = resolve_refs(result.playbook)
    page = Renderer(result.playbook, links).render_extra_page("authors/coverage.md")
    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    assert "<i>" not in page and "<u>" not in page
    assert "# &lt;b&gt;Cover&lt;/b&gt;\n" in page
    assert "What *reaches* what." in page
    assert "## &lt;img src=x onerror=alert\\(1\\)&gt;\n" in page
    assert "<caption>&lt;i&gt;c&lt;/i&gt;</caption>" in page


# -- refs in docs/, and messages in the playbook's own words ------------------------------


def without_quotes(text: str) -> str:
    """Text without what it quotes of the author's input ('persona:sally')."""
    return re.sub(r"'[^'\n]*'", "''", text)


def test_a_broken_ref_in_a_docs_page_is_on_the_health_page_in_its_own_section(
    tmp_path: Path,
) -> None:
    root = copy_fixture(tmp_path)
    write(root, {"docs/on-call.md": "# On call\n\nFirst page [the DBA](role:dbaa).\n"})
    project = find_project(root)
    pipeline = project.pipeline()
    checked = pipeline.check()
    assert [str(d) for d in checked.diagnostics] == [
        "docs/on-call.md:3:1: link: unknown role 'dbaa'; did you mean 'dba'?"
    ]
    _, pages = pipeline.render(checked, SiteSettings())
    health = pages["authors/health.md"]
    assert (
        "## Refs in hand-written pages (1)\n\n"
        "Inline refs in the pages of the docs folder that lead nowhere. Fix the ref, or "
        "create the entity it names. A ref to a kind the playbook does not have stops "
        "`mkdocs build`; an unknown entity stops `mkdocs build --strict`.\n\n"
        "- `docs/on-call.md:3` · `link`: unknown role 'dbaa'; did you mean 'dba'?\n"
    ) in health
    assert "## Warnings" not in health
    assert BUILTIN_WORDS.search(health) is None


@pytest.mark.site
def test_a_build_shows_a_broken_docs_ref_on_the_health_page_and_says_it_once(
    tmp_path: Path,
) -> None:
    root = copy_fixture(tmp_path)
    write(root, {"docs/on-call.md": "# On call\n\nFirst page [the DBA](role:dbaa).\n"})
    result = run_mkdocs(root, "build")
    assert result.returncode == 0, result.stderr
    message = "docs/on-call.md:3:1: link: unknown role 'dbaa'; did you mean 'dba'?"
    assert result.stderr.count(message) == 1, result.stderr
    health = visible_text((root / "site/authors/health/index.html").read_text("utf-8"))
    assert "Refs in hand-written pages (1)" in health
    assert "docs/on-call.md:3 · link : unknown role 'dbaa'; did you mean 'dba'?" in health
    strict = run_mkdocs(root, "build", "--strict")
    assert strict.returncode == 1
    assert message in strict.stderr
    # The build cache keys the plan by the docs pages too: the fix takes the section away.
    write(root, {"docs/on-call.md": "# On call\n\nFirst page [the DBA](role:dba).\n"})
    fixed = run_mkdocs(root, "build", "--strict")
    assert fixed.returncode == 0, fixed.stderr
    health = visible_text((root / "site/authors/health/index.html").read_text("utf-8"))
    assert "Refs in hand-written pages" not in health


@pytest.mark.site
def test_a_docs_page_that_mkdocs_leaves_out_has_its_refs_left_alone(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "exclude_docs: drafts/\n", encoding="utf-8")
    write(root, {"docs/drafts/later.md": "# Later\n\nPage [the DBA](role:dbaa).\n"})
    result = run_mkdocs(root, "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert "dbaa" not in result.stderr


def test_a_docs_ref_to_a_kind_left_out_is_an_error_naming_the_kinds(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    write(
        root,
        {"docs/people.md": "# People\n\nAsk [Sally](persona:sally).\n\nSee [](kind:persona).\n"},
    )
    code, output = validate(root)
    assert code == 1
    assert output.splitlines() == [
        "docs/people.md:3:1: link: 'persona' in 'persona:sally' is not a kind; the kinds "
        "are: role, runbook, service, severity",
        "docs/people.md:5:1: link: 'kind:persona' names no kind; the kinds are: role, "
        "runbook, service, severity",
        "Checked 9 entities and 2 pages: 2 errors.",
    ]


def test_a_markdown_field_ref_to_a_kind_left_out_is_an_error(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    write(
        root / "playbooks",
        {
            "roles/scribe.yaml": "title: Scribe\nsummary: s.\nduties: [Write]\n"
            "body: |\n  Works with [Sally](persona:sally).\n"
        },
    )
    code, output = validate(root)
    assert code == 1
    assert output.splitlines()[0] == (
        "playbooks/roles/scribe.yaml:5:3: body: 'persona' in 'persona:sally' is not a kind; "
        "the kinds are: role, runbook, service, severity"
    )


def test_every_message_of_a_playbook_without_builtin_kinds_is_in_its_own_words(
    tmp_path: Path,
) -> None:
    root = copy_fixture(tmp_path)
    write(
        root,
        {
            "playbooks/stray.yaml": "title: Stray\nsummary: s.\n",
            "playbooks/roles/scribe.yaml": "title: Scribe\nsummary: s.\nduties: [Write]\n"
            "related: [dba]\n",
            "playbooks/services/_kind.yaml": "name: service\ngroup_by: tier\nfields:\n"
            "  tier: {type: text}\n",
            "docs/people.md": "# People\n\nAsk [Sally](persona:sally), [all](kind:persona) "
            "and [the DBA](role:dbaa).\n",
        },
    )
    code, output = validate(root)
    assert code == 1
    lines = output.splitlines()
    assert (
        "playbooks/stray.yaml:1:1: collection: files belong in a collection folder such as "
        "roles/; move it there, or start its name with '_' to leave it out"
    ) in lines
    assert (
        "playbooks/roles/scribe.yaml:4:11: related[0]: 'dba' needs its kind here: write it "
        "as kind:id, e.g. role:dba"
    ) in lines
    assert (
        "playbooks/services/_kind.yaml:2:11: group_by: 'tier' is a text field; group by a "
        "field of type enum, or of type ref with a kind"
    ) in lines
    assert len(lines) >= 6, output
    assert BUILTIN_WORDS.findall(without_quotes(output)) == []


def test_the_guide_of_a_playbook_without_builtin_kinds_shows_messages_of_its_own_kinds(
    tmp_path: Path,
) -> None:
    result = load_playbook(
        INCIDENT_RESPONSE / "playbooks",
        project_dir=INCIDENT_RESPONSE,
        builtins=selected_builtin_kinds("none"),
    )
    guide = render_authoring_guide(result.playbook.kinds)
    messages = guide[guide.index("## Messages you may meet") : guide.index("## Tools that help")]
    assert "### A field name is misspelt" in messages
    assert (
        "playbooks/runbooks/restart-the-cache.yaml:9:1: tagz: unknown field 'tagz'; did you "
        "mean 'tags'?"
    ) in messages
    assert "unknown runbook 'restart-the-cach'; did you mean 'restart-the-cache'?" in messages
    assert "'runbooks' in 'runbooks:restart-the-cache' is not a kind; did you mean 'runbook'?" in (
        messages
    )
    assert "### A required field is missing" in messages
    assert BUILTIN_WORDS.findall(without_quotes(guide)) == []


def health_of(tmp_path: Path, files: dict[str, str]) -> str:
    root = tmp_path / "project"
    write(
        root,
        {
            "mkdocs.yml": "site_name: S\nplugins:\n  - playbook:\n"
            "      builtin_kinds: [metric]\n      health_page: true\n",
            "playbooks/metrics/reach.yaml": "title: Reach\nsummary: People reached.\n",
            **files,
        },
    )
    pipeline = find_project(root).pipeline()
    checked = pipeline.check()
    assert checked.diagnostics == []
    _, pages = pipeline.render(checked, SiteSettings())
    return pages["authors/health.md"]


def test_a_kept_kind_s_health_check_names_only_the_relations_that_remain(
    tmp_path: Path,
) -> None:
    health = health_of(
        tmp_path,
        {
            "playbooks/drills/_kind.yaml": "name: drill\nfields:\n"
            "  measures: {type: refs, kind: metric}\n",
            "playbooks/drills/fire.yaml": "title: Fire\nsummary: s.\n",
        },
    )
    section = health[health.index("## Metrics nothing measures (1)") :]
    assert section.startswith(
        "## Metrics nothing measures (1)\n\n"
        "Metrics that nothing names in the measures of a drill.\n\n"
        "- [Reach]("
    )
    assert section.endswith(
        " · `playbooks/metrics/reach.yaml:1`: nothing refers to it; name it in the measures "
        "of a drill\n"
    )
    assert OTHER_THAN_METRIC.search(health) is None


OTHER_THAN_METRIC = re.compile(r"objective|KPI|disciplin|strateg|campaign|\bplays?\b", re.I)


def test_a_kept_kind_s_health_check_that_nothing_can_pass_is_left_out(tmp_path: Path) -> None:
    health = health_of(tmp_path, {})
    assert "Metrics nothing measures" not in health
    assert OTHER_THAN_METRIC.search(health) is None
