"""Shared helpers: write playbooks into temp dirs and build them with MkDocs.

`make check` leaves out the tests marked `site`, `browser`, `dist` and `slow` (see the
markers in pyproject.toml). A test that builds or serves a whole site, in a subprocess or in
this one, fails unless it is marked `site` (or `browser`, `dist`): the marking cannot drift.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Generator, Iterator, Sequence
from pathlib import Path
from typing import Any

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


# -- builds only in tests marked for them ---------------------------------------------------

BUILD_MARKS = frozenset({"site", "browser", "dist"})
"""The marks of tests that may build a whole site (or a wheel, which builds the package)."""

ENGINES = frozenset({"mkdocs", "properdocs", "zensical"})
IN_PROCESS = ("mkdocs.commands.build", "mkdocs.commands.serve", "mkdocs.__main__")
"""Modules whose `build`, `serve` or command line build a whole site in this process."""

_running: pytest.Item | None = None


def what_it_builds(args: Sequence[str]) -> str | None:
    """The mark a command line needs, if it builds a site (`site`) or the package (`dist`)."""
    words = [os.fspath(arg) for arg in args]
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else ""
        if Path(word).name in ENGINES or word.endswith("benchmarks/run.py"):
            return "site"
        if word == "-m" and following.partition(".")[0] in ENGINES:
            return "site"
        if word == "-m" and following in ("build", "twine"):
            return "dist"
        if word == "-c" and any(name in following for name in (*IN_PROCESS, "properdocs")):
            return "site"
    return None


def _refuse_unmarked(needed: str, what: str) -> None:
    item = _running
    if item is None or any(item.get_closest_marker(mark) for mark in BUILD_MARKS):
        return
    pytest.fail(
        f"{item.nodeid} runs {what}: mark it @pytest.mark.{needed} (or its module with"
        f" `pytestmark = pytest.mark.{needed}`), so that `make check` leaves it out",
        pytrace=False,
    )


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "subprocess.Popen" and _running is not None:
        _executable, command, _cwd, _env = args
        words = [command] if isinstance(command, str | bytes | os.PathLike) else list(command)
        needed = what_it_builds([w.decode() if isinstance(w, bytes) else w for w in words])
        if needed:
            _refuse_unmarked(needed, " ".join(map(str, words))[:120])


def _guarded(function: Callable[..., Any], name: str) -> Callable[..., Any]:
    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _refuse_unmarked("site", name)
        return function(*args, **kwargs)

    return guarded


def pytest_configure(config: pytest.Config) -> None:
    # Before the test modules are imported, so that `from ... import build` gets the guard.
    import mkdocs.commands.build
    import mkdocs.commands.serve

    for module in (mkdocs.commands.build, mkdocs.commands.serve):
        name = module.__name__.rpartition(".")[2]
        original = getattr(module, name)
        if not hasattr(original, "__wrapped__"):
            setattr(module, name, _guarded(original, f"{module.__name__}.{name}"))
    sys.addaudithook(_audit)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, object, object]:
    # The set-up of module- and session-scoped fixtures runs inside the first test using them.
    global _running
    _running = item
    try:
        return (yield)
    finally:
        _running = None


# -- writing and building projects ------------------------------------------------------------


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


def build_fixture_site(tmp_path_factory: pytest.TempPathFactory, fixture: Path) -> Path:
    """A copy of a fixture project under the test config, built with --strict: its site."""
    root = tmp_path_factory.mktemp(fixture.name)
    shutil.copytree(fixture, root, dirs_exist_ok=True)
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    result = run_mkdocs(root, "build", "--strict")
    assert result.returncode == 0, result.stderr
    return root / "site"


def fixture_renderer(fixture: Path) -> Any:
    """The renderer of a fixture project's playbook, which must load and resolve cleanly."""
    from mkdocs_playbook.load.loader import load_playbook
    from mkdocs_playbook.render.pages import Renderer
    from mkdocs_playbook.resolve.refs import resolve_refs

    result = load_playbook(fixture / "playbooks", project_dir=fixture)
    assert result.diagnostics == []
    links, problems = resolve_refs(result.playbook)
    assert problems == []
    return Renderer(result.playbook, links)


@pytest.fixture(scope="session")
def everything_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture playbook as `project(fixture=EVERYTHING)` makes it, built once a session
    with --strict. Read it, or copy it before changing it."""
    root = tmp_path_factory.mktemp("everything-built") / "project"
    shutil.copytree(EVERYTHING, root)
    write(root, {"mkdocs.yml": MKDOCS_YML})
    result = run_mkdocs(root, "build", "--strict")
    assert result.returncode == 0, result.stderr
    return root


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


def page(site: Path, path: str) -> str:
    """The HTML of a built site's page, by its URL path (`runbooks/db-failover`)."""
    return (site / path / "index.html").read_text(encoding="utf-8")


def text_of(html: str) -> str:
    """HTML without its tags, whitespace folded (entities left as written)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
