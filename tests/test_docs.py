"""The README and docs a newcomer follows: every step works as written, no link leaves.

The README's quick start is run, command by command, against the installed wheel in
`test_wheel.py`; here its example file is added to a new project, which must still build.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from mkdocs_playbook import __version__
from mkdocs_playbook.cli import main
from mkdocs_playbook.kinds.registry import builtin_kinds

from .conftest import REPO, run_mkdocs

README = REPO / "README.md"
DOCS = sorted([*(REPO / "docs").glob("*.md"), *(REPO / "docs/authors").glob("*.md")])
TEMPLATE = REPO / "plugins/mkdocs_playbook/authoring/project_template"


def code_blocks(text: str, language: str) -> list[str]:
    """The fenced code blocks of a language in Markdown, dedented as they are shown."""
    blocks = re.findall(rf"^( *)```{language}\n(.*?)^\1```", text, flags=re.M | re.S)
    return [re.sub(rf"(?m)^{indent}", "", body) for indent, body in blocks]


def readme_quick_start() -> list[str]:
    """The commands of the README's "Start your own playbook" block, one per line."""
    section = README.read_text().split("## Start your own playbook", 1)[1]
    return code_blocks(section, "sh")[0].splitlines()


def test_the_readme_opens_with_make_serve_and_make_test() -> None:
    first = code_blocks(README.read_text(), "sh")[0].splitlines()
    assert [line.split()[:2] for line in first] == [["make", "serve"], ["make", "test"]]


def test_the_readme_quick_start_is_the_sequence_the_wheel_test_runs() -> None:
    assert readme_quick_start() == [
        "git clone https://github.com/mkdocs-playbook/mkdocs-playbook",
        "python3 -m venv .venv && . .venv/bin/activate",
        "pip install ./mkdocs-playbook",
        "playbook init my-playbook",
        "cd my-playbook",
        "mkdocs serve",
    ]


@pytest.mark.site
def test_the_readme_example_entity_builds_in_a_new_project(tmp_path: Path) -> None:
    root = tmp_path / "my-playbook"
    assert CliRunner().invoke(main, ["init", str(root)]).exit_code == 0
    section = README.read_text().split("## Start your own playbook", 1)[1]
    example = code_blocks(section, "yaml")[0]
    first_line, _ = example.split("\n", 1)
    path = first_line.removeprefix("# ")
    assert path.startswith("playbooks/personas/")
    (root / path).write_text(example)
    result = CliRunner().invoke(main, ["validate", "--strict", str(root)])
    assert result.exit_code == 0, result.output
    built = run_mkdocs(root, "build", "--strict")
    assert built.returncode == 0, built.stderr
    page = (root / "site/personas/weekend-walker-wes/index.html").read_text()
    assert 'href="../../campaigns/smoke-free-nights-out/"' in page


@pytest.mark.parametrize("path", [README, *DOCS], ids=lambda p: p.name)
def test_no_link_leaves_the_repository_for_the_contract(path: Path) -> None:
    text = path.read_text()
    assert "../shared" not in text
    assert "CONTENT_MODEL.md" not in text


def snippets_rev(text: str) -> list[str]:
    return re.findall(
        r"repo: https://github.com/mkdocs-playbook/mkdocs-playbook\n\s+rev: (\S+)", text
    )


def test_no_pre_commit_snippet_names_a_tag_but_this_version_s() -> None:
    revs = [
        rev
        for path in [README, *DOCS, TEMPLATE / "pre-commit-config.yaml"]
        for rev in snippets_rev(path.read_text())
    ]
    assert set(revs) <= {f"v{__version__}"}
    # The README and the project `playbook init` writes use a local hook: no tag at all.
    assert snippets_rev(README.read_text()) == []
    assert "rev:" not in (TEMPLATE / "pre-commit-config.yaml").read_text()


def test_the_pages_for_authors_are_under_authors_and_in_no_nav() -> None:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text().replace("!!python/name:", ""))
    listed = json.dumps(config["nav"])
    for page in ("start.md", "content-model.md", "publish.md", "platform.md"):
        assert (REPO / "docs/authors" / page).is_file()
        assert page not in listed
    assert "For authors" not in listed


def test_the_content_model_page_names_every_kind_and_its_folder() -> None:
    text = (REPO / "docs/authors/content-model.md").read_text()
    for kind in builtin_kinds():
        assert f"`{kind.collection}/`" in text
        assert f"`{kind.name}`" in text
    assert "## Your own kinds" in text
