"""The plugin under both engines that run it: MkDocs 1.6 and ProperDocs, its fork.

ProperDocs reads `properdocs.yml` (or `mkdocs.yml`), finds plugins in its own entry-point
group and logs under its own name. The same project must give the same site under either,
apart from the generator tag, and every engine-specific path of the plugin must work.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from mkdocs_playbook.cli import main

from .conftest import EVERYTHING, MKDOCS_YML, REPO, run_mkdocs

Project = Callable[..., Path]
ENGINES = ("mkdocs", "properdocs")
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def run_engine(
    engine: str, project: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `mkdocs ARGS` or `properdocs ARGS` in a project folder."""
    if engine == "mkdocs":
        return run_mkdocs(project, *args, env=env)
    return subprocess.run(
        [sys.executable, "-m", "properdocs", *args],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000", **(env or {})},
        timeout=300,
        check=False,
    )


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of a built site, the generator tag blanked."""
    return {
        path.relative_to(site).as_posix(): GENERATOR.sub(b"<generator>", path.read_bytes())
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def build_both(root: Path, tmp_path: Path) -> dict[str, dict[str, bytes]]:
    """Build ``root`` strictly with each engine into its own folder; return both sites."""
    sites = {}
    for engine in ENGINES:
        site = tmp_path / f"site-{engine}"
        result = run_engine(engine, root, "build", "--strict", "--site-dir", str(site))
        assert result.returncode == 0, f"{engine}: {result.stderr}"
        assert "Traceback" not in result.stderr
        sites[engine] = site_files(site)
    return sites


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """The shipped site, built by each engine."""
    return build_both(REPO, tmp_path_factory.mktemp("shipped"))


@pytest.mark.site
def test_the_shipped_site_is_the_same_under_both_engines(
    shipped: dict[str, dict[str, bytes]],
) -> None:
    assert shipped["mkdocs"].keys() == shipped["properdocs"].keys()
    different = [
        name for name in shipped["mkdocs"] if shipped["mkdocs"][name] != shipped["properdocs"][name]
    ]
    assert different == []
    assert len(shipped["mkdocs"]) > 100


@pytest.mark.site
def test_the_shipped_site_has_addresses_in_its_sitemap(
    shipped: dict[str, dict[str, bytes]],
) -> None:
    sitemap = shipped["mkdocs"]["sitemap.xml"].decode()
    assert "<loc>https://mkdocs-playbook.github.io/mkdocs-playbook/</loc>" in sitemap
    assert "<loc>https://mkdocs-playbook.github.io/mkdocs-playbook/authors/start/</loc>" in sitemap
    home = shipped["mkdocs"]["index.html"].decode()
    assert 'href="https://github.com/mkdocs-playbook/mkdocs-playbook"' in home
    # The repository link makes Material's script ask GitHub's API only with this mark.
    assert 'data-md-component="source"' not in home


@pytest.mark.site
def test_the_fixture_is_the_same_under_both_engines(everything_built: Path, tmp_path: Path) -> None:
    # The session's build is MkDocs'; ProperDocs builds a copy of the same project.
    root = tmp_path / "project"
    shutil.copytree(everything_built, root, ignore=shutil.ignore_patterns("site", ".cache"))
    result = run_engine("properdocs", root, "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    sites = {
        "mkdocs": site_files(everything_built / "site"),
        "properdocs": site_files(root / "site"),
    }
    assert sites["mkdocs"] == sites["properdocs"]
    assert "personas/busy-parent/index.html" in sites["mkdocs"]


def test_properdocs_finds_the_plugin_in_its_own_entry_point_group() -> None:
    from importlib.metadata import entry_points

    (playbook,) = [e for e in entry_points(group="properdocs.plugins") if e.name == "playbook"]
    assert playbook.value == "mkdocs_playbook.engine.plugin:PlaybookPlugin"


@pytest.mark.site
def test_properdocs_builds_a_project_configured_in_properdocs_yml(project: Project) -> None:
    root = project(fixture=EVERYTHING)
    (root / "mkdocs.yml").rename(root / "properdocs.yml")
    result = run_engine("properdocs", root, "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert (root / "site/personas/busy-parent/index.html").is_file()


def validate(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", str(path)], catch_exceptions=False)
    return result.exit_code, result.stdout


def test_validate_reads_properdocs_yml(project: Project) -> None:
    root = project(
        {"content/personas/sally.yaml": "title: Sally\nsummary: S.\nmotivators: [M]\n"},
        mkdocs_yml="",
    )
    (root / "mkdocs.yml").unlink()
    (root / "properdocs.yml").write_text(
        MKDOCS_YML.replace("  - playbook\n", "  - playbook:\n      playbooks_dir: content\n")
    )
    code, out = validate(root)
    assert code == 1
    assert out == "content/personas/sally.yaml:1:1: barriers: is required; add 'barriers:'\n"


def test_validate_reads_settings_a_config_inherits(project: Project) -> None:
    root = project(
        {
            "content/personas/sally.yaml": "title: Sally\nsummary: S.\nmotivators: [M]\n",
            "config/base.yml": """\
                site_name: Base
                theme: {name: material}
                plugins:
                  - playbook:
                      playbooks_dir: content
                """,
        },
        mkdocs_yml="INHERIT: config/base.yml\nsite_name: Child\n",
    )
    code, out = validate(root)
    assert code == 1
    assert out == "content/personas/sally.yaml:1:1: barriers: is required; add 'barriers:'\n"


def test_validate_names_a_missing_inherited_config(project: Project) -> None:
    root = project(mkdocs_yml="site_name: T\nINHERIT: nowhere.yml\n")
    code, out = validate(root)
    assert code == 1
    assert out == (
        "mkdocs.yml:1:1: INHERIT: the file 'nowhere.yml' does not exist; fix the path (it is "
        "relative to this file)\n"
    )


SERVE_TWICE = """
import json, logging, sys
from pathlib import Path
if sys.argv[1] == "properdocs":
    import properdocs.replacement  # what `properdocs` does first: `mkdocs.*` is ProperDocs
from mkdocs.commands.build import build
from mkdocs.config import load_config

messages = []
class Keep(logging.Handler):
    def emit(self, record):
        messages.append(record.getMessage())
for name in ("mkdocs", "properdocs"):
    logging.getLogger(name).addHandler(Keep(logging.WARNING))

def config():
    loaded = load_config(config_file="mkdocs.yml", site_dir="site")
    loaded.site_url = "http://127.0.0.1:8000/"
    return loaded

first = config()
first.plugins.on_startup(command="serve", dirty=False)
build(first, serve_url="http://127.0.0.1:8000/")
before = list(messages)
messages.clear()
path = Path("playbooks/stages/review.yaml")
path.write_text(path.read_text().replace("summary: ", "summary: Edited. ", 1))
build(config(), serve_url="http://127.0.0.1:8000/")
print(json.dumps({"first": before, "second": messages, "engine": type(first).__module__}))
"""


@pytest.mark.site
@pytest.mark.parametrize("engine", ENGINES)
def test_a_page_warning_repeats_on_every_serve_rebuild_under_each_engine(
    project: Project, engine: str
) -> None:
    root = project(fixture=EVERYTHING)
    persona = root / "playbooks/personas/busy-parent.yaml"
    persona.write_text(
        persona.read_text().replace("  Drawn from", "  See [the old page](gone.md).", 1)
    )
    result = subprocess.run(
        [sys.executable, "-c", SERVE_TWICE, engine],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["engine"].startswith(engine)
    warning = "Doc file 'personas/busy-parent.md' contains a link 'gone.md'"
    assert [m for m in report["first"] if warning in m], report["first"]
    # The page did not change, but its HTML is not reused: the warning is not lost.
    assert [m for m in report["second"] if warning in m], report["second"]
