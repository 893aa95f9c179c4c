"""Smoke test of the benchmark harness (issue 5): generator and runner end to end at N=20.

Nothing here is timed: machines are noisy. The point is that `make bench` cannot rot.
"""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from mkdocs_playbook.load.loader import load_playbook
from mkdocs_playbook.render.markup import find_links
from mkdocs_playbook.resolve.refs import field_refs, inline_ref, markdown_fields, resolve_refs

from .conftest import REPO

BENCHMARKS = REPO / "benchmarks"
N = 20


def benchmark_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmarks_generate", BENCHMARKS / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_the_profile_names_functions_that_exist(monkeypatch: pytest.MonkeyPatch) -> None:
    """A moved module would read as 0 s in the profile's table: each named one must exist."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location("benchmarks_run", BENCHMARKS / "run.py")
    assert spec is not None and spec.loader is not None
    run = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, run)
    spec.loader.exec_module(run)
    named = [("", run.PROFILED_PLUGIN, "on_pre_build"), *run.PROFILED_CORE]
    for _, path, function in named:
        source = REPO / "plugins" / path
        assert source.is_file(), path
        defined = {
            node.name
            for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
            if isinstance(node, ast.FunctionDef)
        }
        assert function in defined, f"{path} defines no {function}"


def test_generator_is_deterministic(tmp_path: Path) -> None:
    generate = benchmark_generator().generate
    generate(tmp_path / "a", N, seed=0)
    generate(tmp_path / "b", N, seed=0)
    generate(tmp_path / "c", N, seed=1)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a") != _files(tmp_path / "c")


def test_generated_playbook_is_valid_and_has_the_realistic_shape(tmp_path: Path) -> None:
    counts = benchmark_generator().generate(tmp_path, N, seed=0)
    assert sum(counts.values()) == N

    result = load_playbook(tmp_path / "playbooks", project_dir=tmp_path)
    assert [str(d) for d in result.diagnostics] == []
    playbook = result.playbook
    _, diagnostics = resolve_refs(playbook)
    assert [str(d) for d in diagnostics] == []
    assert len({kind for kind, _ in playbook.entities}) == 10
    assert len(playbook.entities) == N

    for entity in playbook:
        in_fields = sum(1 for _ in field_refs(entity))
        inline = sum(
            1
            for _, text in markdown_fields(entity)
            for link in find_links(text)
            if inline_ref(link.target, playbook.kinds.names) is not None
        )
        assert inline >= 1, entity.ref
        assert 3 <= in_fields + inline <= 10, entity.ref
        assert entity.data.body is not None
        assert len(entity.data.body.split()) >= 200, entity.ref
        data = entity.data
        if entity.kind.name == "comparison":
            assert len(data.subjects) == 3
            assert len(data.dimensions) == 6
        if entity.kind.name == "campaign":
            assert data.stages and data.kpis and all(plan.plan for plan in data.stages)
    orders = Counter(e.data.order for e in playbook if e.kind.name == "stage")
    assert max(orders.values()) == 1


@pytest.mark.site
@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_runner_end_to_end(tmp_path: Path, engine: str) -> None:
    output = tmp_path / "RESULTS.md"
    done = subprocess.run(
        [
            sys.executable,
            str(BENCHMARKS / "run.py"),
            "--engine",
            engine,
            "--sizes",
            str(N),
            "--repeat",
            "1",
            "--rebuild-size",
            str(N),
            "--profile-size",
            str(N),
            "--peer-timeout",
            "300",
            "--serve-edits",
            "1",
            # Hugo is installed from the package index at bench time: no network in tests.
            "--no-hugo",
            "--output",
            str(output),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    text = output.read_text(encoding="utf-8")
    assert text.strip() in done.stdout  # printed too
    assert f"- Engine: {engine} " in text
    headings = (
        "## Builds",
        "## Peak memory and output",
        "## Targets (issues 5 and 14)",
        "## Profile",
    )
    for heading in headings:
        assert heading in text
    build_rows = [line for line in text.splitlines() if line.startswith(f"| {N} |")]
    assert len(build_rows) == 3  # builds, phases, memory
    assert "stopped at the cap" not in build_rows[0]
    # A changed YAML file must show in the serve-style rebuild: never a stale page.
    assert "edited page fresh after rebuild | yes / yes |" in text


@pytest.mark.slow
def test_render_edit_benchmark_renders_what_a_fresh_render_does(tmp_path: Path) -> None:
    benchmark_generator().generate(tmp_path, 200, seed=0)
    spec = importlib.util.spec_from_file_location("render_edit", BENCHMARKS / "render_edit.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    lines: list[str] = []
    module.measure(tmp_path, log=lines.append)
    assert len(lines) == 4
    for line in lines[1:]:
        assert "same as a fresh render: yes" in line, line
