"""The public API is `mkdocs_playbook.__all__`, pinned here; everything else is internal."""

from __future__ import annotations

import importlib
import subprocess
import sys
import types

import pytest

import mkdocs_playbook

PUBLIC = [
    "Checked",
    "Diagnostic",
    "DiagnosticError",
    "Entity",
    "LoadResult",
    "Pipeline",
    "Playbook",
    "PlaybookOptions",
    "Project",
    "ProjectCheck",
    "Severity",
    "SitePlan",
    "SiteSettings",
    "check_playbook",
    "check_project",
    "find_project",
    "load_playbook",
]


def test_the_public_api_is_exactly_these_names() -> None:
    assert mkdocs_playbook.__all__ == PUBLIC


@pytest.mark.parametrize("name", PUBLIC)
def test_each_public_name_imports_and_is_the_object_its_module_defines(name: str) -> None:
    value = getattr(mkdocs_playbook, name)
    home = importlib.import_module(value.__module__)
    assert value.__module__.startswith("mkdocs_playbook.")
    assert getattr(home, name) is value
    namespace: dict[str, object] = {}
    exec(f"from mkdocs_playbook import {name}", namespace)
    assert namespace[name] is value


def test_nothing_else_is_reachable_through_the_top_level() -> None:
    for name in PUBLIC:
        getattr(mkdocs_playbook, name)
    public = {
        name
        for name in dir(mkdocs_playbook)
        if not name.startswith("_")
        and not isinstance(getattr(mkdocs_playbook, name), types.ModuleType)
    }
    assert public == set(PUBLIC)
    for internal in ("load_kinds", "Renderer", "resolve_refs", "KindRegistry", "DEFAULTS"):
        with pytest.raises(AttributeError, match=f"has no attribute '{internal}'"):
            getattr(mkdocs_playbook, internal)


def test_importing_the_package_loads_none_of_the_core() -> None:
    # The plugin's module is in the package: a build the cache answers must not pay for the
    # models, the loader or pydantic just to import it.
    code = (
        "import sys, mkdocs_playbook\n"
        "print(sorted(m for m in sys.modules if m.startswith(('mkdocs_playbook', 'pydantic'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['mkdocs_playbook']"
