"""Every row of the bad-input matrix gives its exact, located message, and the docs agree."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from mkdocs_playbook.diagnostics import Diagnostic
from mkdocs_playbook.load.loader import load_playbook
from mkdocs_playbook.options import DEFAULTS
from mkdocs_playbook.pipeline import Pipeline
from mkdocs_playbook.resolve.refs import check_page_refs, resolve_refs

from .bad_inputs import BASE, CASES, Case
from .conftest import REPO

DOCS_PAGE = REPO / "docs/authors/bad-inputs.md"


def diagnose(root: Path, builtin_kinds: tuple[str, ...] | None = None) -> list[Diagnostic]:
    """Everything the plugin reports for a project, in the order it reports it."""
    # As a build loads it: against the paths and the page templates of the site.
    options = DEFAULTS if builtin_kinds is None else replace(DEFAULTS, builtin_kinds=builtin_kinds)
    pipeline = Pipeline(options, project_dir=root, docs_dir=root / "docs", display=str)
    site = pipeline.site_paths()
    result = load_playbook(
        root / "playbooks", project_dir=root, site=site, builtins=pipeline.builtins
    )
    _, diagnostics = resolve_refs(result.playbook)
    found = result.diagnostics + diagnostics
    for page in sorted((root / "docs").glob("*.md")):
        relative = page.relative_to(root).as_posix()
        found += check_page_refs(result.playbook, page.read_text(encoding="utf-8"), relative)
    return found


def materialise(root: Path, case: Case) -> None:
    for relative, content in {**BASE, **case.files}.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    for link, target in case.links.items():
        (root / link).parent.mkdir(parents=True, exist_ok=True)
        (root / link).symlink_to(root / target)


def test_the_matrix_has_at_least_35_cases_in_every_group() -> None:
    assert len(CASES) >= 35
    groups = {case.group for case in CASES}
    assert groups == {
        "YAML",
        "Unsafe YAML",
        "Schema",
        "Ids and files",
        "Kind files",
        "Refs",
        "Rules",
    }


@pytest.mark.parametrize("case", CASES, ids=[c.input for c in CASES])
def test_bad_input_gives_its_exact_message(tmp_path: Path, case: Case) -> None:
    # A folder of its own, so that a case can put files next to the project.
    root = tmp_path / "project"
    materialise(root, case)
    found = diagnose(root, case.builtin_kinds)
    messages = [str(d) for d in found]
    assert case.sees in messages
    match = next(d for d in found if str(d) == case.sees)
    assert match.is_error is not case.warning


def render_table() -> str:
    """The matrix as the Markdown page published in the docs."""
    lines = [
        "# What authors see when input is bad",
        "",
        "Every row is a test (`tests/bad_inputs.py`): the input on the left gives exactly the",
        "line on the right. Errors stop the build; warnings stop it only under `--strict`.",
        "",
        "| group | input | what the author sees | severity |",
        "| --- | --- | --- | --- |",
    ]
    for case in CASES:
        seen = case.sees.replace("|", "\\|").replace("`", "'")
        kind = "warning" if case.warning else "error"
        lines.append(f"| {case.group} | {case.input} | `{seen}` | {kind} |")
    return "\n".join(lines) + "\n"


def test_docs_table_matches_the_matrix() -> None:
    if os.environ.get("UPDATE_GOLDEN") == "1":
        DOCS_PAGE.write_text(render_table(), encoding="utf-8")
    assert DOCS_PAGE.read_text(encoding="utf-8") == render_table(), "UPDATE_GOLDEN=1"
