"""The package is layered: each module imports only from its own layer and the ones below,
and no import cycle runs through it, imports under `TYPE_CHECKING` and inside functions
included. The engine-free core (everything outside `engine`) works without MkDocs."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import mkdocs_playbook

PACKAGE = "mkdocs_playbook"
ROOT = Path(mkdocs_playbook.__file__).parent

LAYERS: list[tuple[str, tuple[str, ...]]] = [
    # Leaves: problems and their places, the options, the read notes, the cache's store, and
    # the site plan (data the engine loads alone, without the core, for a warm build).
    ("base", ("diagnostics", "options", "reads", "cache", "plan", "links")),
    # What a YAML file and a Markdown field may hold: the field types, positions, the strict
    # YAML reader and the Markdown dialect (its links).
    ("model", ("model", "load.yamlsource", "render.markup", "render.site_setup")),
    # Kind files, and the pydantic model and `Kind` made of each.
    ("kinds", ("kinds",)),
    # Entities and the `Playbook` they form.
    ("entities", ("entities",)),
    ("load", ("load",)),
    ("resolve", ("resolve",)),
    ("render", ("render",)),
    # The pages for authors beside the playbook: the guide, the JSON Schemas, health.
    ("authoring", ("authoring",)),
    # The phases wired once, and a project's settings read from its config file.
    ("pipeline", ("pipeline", "project", "validation")),
    # The public API: what `mkdocs_playbook` itself exports.
    ("api", ("",)),
    # The command line and what only it runs: export, reports, `init` and `new`.
    ("commands", ("cli", "export", "report", "authoring.init", "authoring.scaffold")),
    # The MkDocs adapter.
    ("engine", ("engine",)),
]
"""The layers, lowest first, each with the modules and packages in it (relative to the
package; the longest entry that names a module or one of its packages places it)."""


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    where: str  # path:line

    def __str__(self) -> str:
        return f"{self.where}: {short(self.source)} imports {short(self.target)}"


def short(module: str) -> str:
    return module.removeprefix(PACKAGE + ".") if module != PACKAGE else PACKAGE


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name, with its file."""
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = [PACKAGE, *path.relative_to(ROOT).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(known: dict[str, Path]) -> list[Import]:
    """Every import of a package module by another: at the top, in functions, for types."""
    found = []
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    module = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    module = node.module or ""
                targets = [
                    f"{module}.{alias.name}" if f"{module}.{alias.name}" in known else module
                    for alias in node.names
                ]
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute | ast.Name)
                and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                targets = [node.args[0].value]
            shown = path.relative_to(ROOT.parent) if path.is_relative_to(ROOT) else path
            where = f"{shown}:{getattr(node, 'lineno', 0)}"
            for target in targets:
                while target not in known and "." in target:
                    target = target.rpartition(".")[0]
                if target in known and target != name:
                    found.append(Import(name, target, where))
    return found


def layer_of(module: str) -> int:
    relative = "" if module == PACKAGE else module.removeprefix(PACKAGE + ".")
    best: tuple[int, int] | None = None
    for index, (_, entries) in enumerate(LAYERS):
        for entry in entries:
            if relative == entry or (entry and relative.startswith(entry + ".")):
                length = len(entry.split("."))
                if best is None or length > best[0]:
                    best = (length, index)
    assert best is not None, f"{module} is in no layer: add it to LAYERS"
    return best[1]


def test_every_layer_entry_names_a_module_or_package() -> None:
    known = {short(name) for name in modules()} | {""}
    for _, entries in LAYERS:
        for entry in entries:
            assert entry in known, f"LAYERS names {entry!r}, which is not a module"


def test_no_module_imports_from_a_layer_above_its_own() -> None:
    known = modules()
    upward = [
        f"{found} ({LAYERS[layer_of(found.source)][0]} may not import"
        f" {LAYERS[layer_of(found.target)][0]})"
        for found in imports(known)
        if layer_of(found.target) > layer_of(found.source)
    ]
    assert not upward, "Imports up the layers:\n" + "\n".join(upward)


def test_no_import_cycle() -> None:
    known = modules()
    edges: dict[str, list[Import]] = {name: [] for name in known}
    for found in imports(known):
        edges[found.source].append(found)
    cycles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[Import] = []

    def visit(module: str) -> None:
        state[module] = 1
        for found in edges[module]:
            if state.get(found.target) == 1:
                start = next(i for i, step in enumerate(path) if step.source == found.target)
                cycle = [*path[start:], found]
                if {str(step) for step in cycle} not in [{str(s) for s in c} for c in cycles]:
                    cycles.append(cycle)
            elif found.target not in state:
                path.append(found)
                visit(found.target)
                path.pop()
        state[module] = 2

    for module in known:
        if module not in state:
            visit(module)
    shown = ["\n".join(f"  {step}" for step in cycle) for cycle in cycles]
    assert not cycles, "Import cycles:\n" + "\n\n".join(shown)


def test_the_checks_see_imports_in_functions_for_types_and_by_name(tmp_path: Path) -> None:
    module = tmp_path / "lazy.py"
    module.write_text(
        "import importlib\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from ..pipeline import Pipeline\n"
        "def later():\n"
        "    from .. import cli\n"
        "    from ..engine.plugin import PlaybookPlugin\n"
        "    return importlib.import_module('mkdocs_playbook.export')\n",
        encoding="utf-8",
    )
    known = modules() | {f"{PACKAGE}.render.lazy": module}
    found = [str(i) for i in imports(known) if i.source == f"{PACKAGE}.render.lazy"]
    assert found == [
        f"{module}:4: render.lazy imports pipeline",
        f"{module}:6: render.lazy imports cli",
        f"{module}:7: render.lazy imports engine.plugin",
        f"{module}:8: render.lazy imports export",
    ]


def test_every_module_but_the_engine_adapter_imports_without_mkdocs() -> None:
    modules = [
        info.name
        for info in pkgutil.walk_packages(mkdocs_playbook.__path__, "mkdocs_playbook.")
        if not info.name.startswith("mkdocs_playbook.engine")
    ]
    for phase in ("kinds.registry", "load.loader", "resolve.refs", "render.pages", "pipeline"):
        assert f"mkdocs_playbook.{phase}" in modules
    # MkDocs and Material blocked: any import of them raises ImportError.
    code = (
        "import sys\n"
        "for name in ('mkdocs', 'material'):\n"
        "    sys.modules[name] = None\n"
        f"for module in {modules!r}:\n"
        "    __import__(module)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
