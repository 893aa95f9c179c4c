"""Shared helpers: write playbooks into temp dirs and build them with MkDocs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
EVERYTHING = FIXTURES / "everything"
REPO = Path(__file__).parent.parent

MKDOCS_YML = """\
site_name: Test playbook
theme:
  name: material
plugins:
  - search
  - playbook
"""


@pytest.fixture(autouse=True, scope="session")
def cache_key_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The user's cache folder, where the build cache's key is kept: one for the session,
    so that tests neither read nor write the real one (builds in subprocesses inherit it)."""
    folder = tmp_path_factory.mktemp("xdg-cache")
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    yield folder
    if before is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = before


def write(root: Path, files: dict[str, str]) -> Path:
    """Write ``{relative path: text}`` under root (text is dedented)."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def run_mkdocs(
    project: Path, *args: str, env: dict[str, str] | None = None, code: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real `mkdocs` command line in a project folder (or ``code`` that runs it)."""
    env = {
        **os.environ,
        "SOURCE_DATE_EPOCH": "1700000000",
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, *(["-c", code] if code else ["-m", "mkdocs"]), *args],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


@pytest.fixture
def project(tmp_path: Path) -> Callable[..., Path]:
    """A factory of project folders: a copy of a fixture, or given files, plus mkdocs.yml."""

    def make(
        files: dict[str, str] | None = None,
        *,
        fixture: Path | None = None,
        mkdocs_yml: str = MKDOCS_YML,
        name: str = "project",
    ) -> Path:
        root = tmp_path / name
        if fixture is not None:
            shutil.copytree(fixture, root)
        root.mkdir(exist_ok=True)
        (root / "docs").mkdir(exist_ok=True)
        (root / "playbooks").mkdir(exist_ok=True)
        # A home page, as every real project has one: without it the plugin warns.
        home = {} if (root / "docs/index.md").exists() else {"docs/index.md": "# Home\n"}
        write(root, {"mkdocs.yml": mkdocs_yml, **home, **(files or {})})
        return root

    return make
