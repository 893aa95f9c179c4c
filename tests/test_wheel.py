"""The package as a user gets it: the built wheel, installed into a fresh environment.

Built offline from a copy of the sources (no build isolation: the build tools are dev
dependencies), checked as a package index checks it, then installed with no index into a
new venv whose only other packages are the project's own dependencies, shared read-only.
There `playbook init demo` must give a project that both engines build strictly.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from email.message import Message
from email.parser import Parser
from pathlib import Path

import pytest

from mkdocs_playbook import __version__

from .conftest import REPO
from .test_docs import readme_quick_start

pytestmark = pytest.mark.dist

NAME = "mkdocs_playbook"
WHEEL = f"{NAME}-{__version__}-py3-none-any.whl"
SDIST = f"{NAME}-{__version__}.tar.gz"


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run a command; fail the test with its output if it fails; return its stdout."""
    done = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist, and the wheel built from it, of a clean copy of the sources."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPO / name, source / name)
    shutil.copytree(
        REPO / "plugins",
        source / "plugins",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
    )
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), "."], source)
    assert sorted(p.name for p in out.iterdir()) == sorted([SDIST, WHEEL])
    return out


def metadata(wheel: Path) -> Message:
    """The wheel's METADATA, parsed as the email-style headers it is."""
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(f"{NAME}-{__version__}.dist-info/METADATA").decode()
    return Parser().parsestr(text)


def test_the_wheel_and_sdist_pass_the_package_index_checks(dist: Path) -> None:
    out = run(
        [sys.executable, "-m", "twine", "check", "--strict", str(dist / WHEEL), str(dist / SDIST)],
        dist,
    )
    assert out.count("PASSED") == 2


def test_the_wheel_metadata_is_ready_to_publish(dist: Path) -> None:
    meta = metadata(dist / WHEEL)
    assert meta["Name"] == "mkdocs-playbook"
    assert meta["Version"] == __version__
    assert meta["License-Expression"] == "MIT"
    assert meta.get_all("License-File") == ["LICENSE"]
    assert meta["License"] is None  # the deprecated free-text field
    classifiers = meta.get_all("Classifier") or []
    assert "Framework :: MkDocs" in classifiers
    assert not [c for c in classifiers if c.startswith("License ::")]  # the SPDX field says it
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL") or [])
    assert urls["Source"] == "https://github.com/mkdocs-playbook/mkdocs-playbook"
    assert set(urls) == {"Homepage", "Documentation", "Source", "Issues", "Changelog"}
    # Dev tools are a dependency group, not an extra users could install.
    assert meta.get_all("Provides-Extra") is None
    requires = " ".join(meta.get_all("Requires-Dist") or [])
    for tool in ("pytest", "ruff", "mypy", "properdocs", "zensical"):
        assert tool not in requires
    assert meta["Description-Content-Type"] == "text/markdown"


def test_the_readme_on_the_package_index_has_no_relative_links(dist: Path) -> None:
    description = metadata(dist / WHEEL).get_payload()
    assert isinstance(description, str)
    targets = re.findall(r"\]\(([^)\s]*)\)", description)
    assert targets, "the README has links"
    relative = [t for t in targets if not t.startswith(("https://", "http://127.0.0.1", "#"))]
    # Refs such as (persona:id) are examples of the authoring syntax, not links.
    assert [t for t in relative if not re.match(r"^[a-z-]+:[a-z0-9-]+$", t)] == []


def test_the_wheel_ships_the_licences_the_templates_and_both_entry_points(dist: Path) -> None:
    with zipfile.ZipFile(dist / WHEEL) as archive:
        names = set(archive.namelist())
        entry_points = archive.read(f"{NAME}-{__version__}.dist-info/entry_points.txt").decode()
    info = f"{NAME}-{__version__}.dist-info"
    assert f"{info}/licenses/LICENSE" in names
    assert f"{NAME}/render/assets/playbook.js" in names
    assert not [name for name in names if "mermaid" in name]
    assert f"{NAME}/authoring/project_template/github/workflows/pages.yml" in names
    assert f"{NAME}/render/templates/persona.md.jinja" in names
    assert f"{NAME}/kinds/builtin/09-play.yaml" in names
    for group in ("mkdocs.plugins", "properdocs.plugins"):
        assert (
            f"[{group}]\nplaybook = mkdocs_playbook.engine.plugin:PlaybookPlugin\n" in entry_points
        )
    assert "[console_scripts]\nplaybook = mkdocs_playbook.cli:main\n" in entry_points


@pytest.fixture(scope="module")
def fresh(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new venv with the wheel installed and, shared from ours, its dependencies only."""
    venv = tmp_path_factory.mktemp("venv") / "fresh"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], venv.parent)
    python = venv / "bin" / "python"
    site = Path(
        run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], venv
        ).strip()
    )
    # Our packages, minus this project's editable install and every .pth hook.
    shared = tmp_path_factory.mktemp("shared")
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if entry.name.startswith((NAME, "__editable__", "__pycache__")) or entry.suffix == ".pth":
            continue
        (shared / entry.name).symlink_to(entry)
    (site / "shared-dependencies.pth").write_text(f"{shared}\n")
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(dist / WHEEL),
        ],
        venv,
    )
    return venv


def fresh_env(venv: Path) -> dict[str, str]:
    """The environment of a shell in which the fresh venv is activated."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["SOURCE_DATE_EPOCH"] = "1700000000"
    return env


def test_the_installed_package_is_the_wheel_not_the_sources(fresh: Path) -> None:
    where = run(
        [str(fresh / "bin/python"), "-c", f"import {NAME}; print({NAME}.__file__)"],
        fresh,
        fresh_env(fresh),
    )
    assert Path(where.strip()).is_relative_to(fresh)
    version = run([str(fresh / "bin/playbook"), "--version"], fresh, fresh_env(fresh))
    assert version == f"playbook, version {__version__}\n"


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_the_readme_quick_start_works_from_the_installed_wheel(
    fresh: Path, tmp_path: Path, engine: str
) -> None:
    """Each command of the README's quick start, in a shell where the wheel is installed."""
    env = fresh_env(fresh)
    cwd = tmp_path
    for line in readme_quick_start():
        if line.startswith(("git clone", "python3 -m venv", "pip install")):
            continue  # the fresh venv, with the wheel installed offline, stands for these
        command = line.split()
        if command[0] == "cd":
            cwd = cwd / command[1]
            continue
        if command[:2] == ["mkdocs", "serve"]:
            # A server never ends; a strict build checks the same pages. Each engine is the
            # shared one, run by the fresh venv's interpreter.
            command = [str(fresh / "bin/python"), "-m", engine, "build", "--strict"]
        out = run(command, cwd, env)
        if command[:2] == ["playbook", "init"]:
            assert f"{command[2]}/mkdocs.yml" in out.splitlines()
    assert cwd.name == "my-playbook"
    assert (cwd / "site/personas/social-smoker-sally/index.html").is_file()
    assert (cwd / "site/assets/playbook/playbook.js").is_file()
    assert not (cwd / "site/assets/playbook/vendor").exists()
