"""`playbook init`: a new project that builds straight away, and overwrites nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from mkdocs_playbook import __version__
from mkdocs_playbook.cli import main

from .conftest import REPO, run_mkdocs
from .test_engines import run_engine

FILES = [
    "mkdocs.yml",
    "requirements.txt",
    "docs/index.md",
    "overrides/README.md",
    "overrides/partials/source.html",
    ".pre-commit-config.yaml",
    ".gitignore",
    ".github/workflows/pages.yml",
    "playbooks/disciplines/social-marketing.yaml",
    "playbooks/comparisons/strategy-vs-campaign.yaml",
    "playbooks/personas/social-smoker-sally.yaml",
    "playbooks/strategies/quit-smoking.yaml",
    "playbooks/campaigns/smoke-free-nights-out.yaml",
    "playbooks/stages/understand-the-audience.yaml",
    "playbooks/metrics/people-taking-action.yaml",
    "playbooks/channels/facebook.yaml",
    "playbooks/case-studies/pub-quiz-pilot.yaml",
    "playbooks/plays/respond-to-every-comment.yaml",
]


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """A project written by `playbook init demo`."""
    root = tmp_path / "demo"
    result = CliRunner().invoke(main, ["init", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root


def test_init_writes_the_project_and_lists_every_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["init", "my-playbook"], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [f"my-playbook/{name}" for name in FILES]
    assert result.stderr == (
        "Wrote 18 files. Next: cd my-playbook && mkdocs serve, and open http://127.0.0.1:8000\n"
    )
    written = sorted(
        p.relative_to(tmp_path / "my-playbook").as_posix()
        for p in (tmp_path / "my-playbook").rglob("*")
        if p.is_file()
    )
    assert written == sorted(FILES)
    config = yaml.safe_load(
        (tmp_path / "my-playbook/mkdocs.yml").read_text().replace("!!python/name:", "")
    )
    assert config["site_name"] == "My playbook"
    assert (tmp_path / "my-playbook/docs/index.md").read_text().startswith("# My playbook\n")


@pytest.mark.site
@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_the_new_project_builds_strictly_under_each_engine(demo: Path, engine: str) -> None:
    result = run_engine(engine, demo, "build", "--strict")
    assert result.returncode == 0, result.stderr
    home = (demo / "site/index.html").read_text()
    # Every ref of the home page resolved to its entity's page.
    assert 'href="strategies/quit-smoking/"' in home
    assert 'href="campaigns/smoke-free-nights-out/"' in home
    assert "](" not in home
    assert (demo / "site/plays/respond-to-every-comment/index.html").is_file()


def test_the_new_project_validates_strictly(demo: Path) -> None:
    result = CliRunner().invoke(main, ["validate", "--strict", str(demo)], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "Checked 10 entities and 1 page: no problems.\n"


def test_the_new_project_uses_material_with_the_features_its_pages_rely_on(demo: Path) -> None:
    config = yaml.safe_load((demo / "mkdocs.yml").read_text().replace("!!python/name:", ""))
    assert config["theme"]["name"] == "material"
    assert config["theme"]["font"] is False
    assert {"navigation.indexes", "content.action.edit", "content.tabs.link"} <= set(
        config["theme"]["features"]
    )
    assert config["plugins"][:2] == ["search", "tags"]


@pytest.mark.site
def test_the_new_project_makes_no_request_to_github_for_repository_facts(demo: Path) -> None:
    config = demo / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "# repo_url: https://github.com/<owner>/<repository>",
            "repo_url: https://github.com/example/playbook",
        )
    )
    result = run_mkdocs(demo, "build", "--strict")
    assert result.returncode == 0, result.stderr
    home = (demo / "site/index.html").read_text()
    assert 'href="https://github.com/example/playbook"' in home
    # Material's script fetches star and fork counts for this component only.
    assert 'data-md-component="source"' not in home


def test_the_workflow_builds_strictly_with_a_pinned_date_and_deploys_to_pages(demo: Path) -> None:
    workflow = yaml.safe_load((demo / ".github/workflows/pages.yml").read_text())
    build = workflow["jobs"]["build"]["steps"]
    commands = "\n".join(step.get("run", "") for step in build)
    assert "pip install -r requirements.txt" in commands
    assert "mkdocs build --strict" in commands
    assert 'export SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)"' in commands
    assert {"uses": "actions/upload-pages-artifact@v3", "with": {"path": "site"}} in build
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert [step["uses"] for step in deploy["steps"]] == ["actions/deploy-pages@v4"]


def test_the_new_project_pins_this_version_for_the_build_and_the_hook(demo: Path) -> None:
    assert f"mkdocs-playbook=={__version__}\n" in (demo / "requirements.txt").read_text()
    hooks = yaml.safe_load((demo / ".pre-commit-config.yaml").read_text())
    (repo,) = hooks["repos"]
    assert repo["rev"] == f"v{__version__}"
    assert repo["hooks"] == [{"id": "playbook-validate"}]
    offered = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert [hook["id"] for hook in offered] == ["playbook-validate"]


def test_init_refuses_to_overwrite_and_then_writes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "mine"
    (root / "docs").mkdir(parents=True)
    (root / "docs/index.md").write_text("# Mine\n")
    (root / ".gitignore").write_text("keep\n")
    runner = CliRunner()
    result = runner.invoke(main, ["init", str(root)], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert [line.split(":")[0].rsplit("/", 2)[-2:] for line in lines[:-1]] == [
        ["docs", "index.md"],
        ["mine", ".gitignore"],
    ]
    assert lines[0].endswith(
        "docs/index.md:1:1: file: already exists; playbook init overwrites nothing: move it "
        "away or choose another folder"
    )
    assert lines[-1] == "Nothing was written."
    assert sorted(p.name for p in root.rglob("*")) == [".gitignore", "docs", "index.md"]
    assert (root / "docs/index.md").read_text() == "# Mine\n"


def test_init_adds_to_a_folder_that_has_other_files(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "README.md").write_text("# Our repo\n")
    result = CliRunner().invoke(main, ["init", str(root)], catch_exceptions=False)
    assert result.exit_code == 0
    assert (root / "README.md").read_text() == "# Our repo\n"
    assert (root / "mkdocs.yml").is_file()


@pytest.mark.site
def test_a_folder_name_that_is_not_plain_text_gives_a_plain_title(tmp_path: Path) -> None:
    root = tmp_path / 'we say "hi" <b>'
    result = CliRunner().invoke(main, ["init", str(root)], catch_exceptions=False)
    assert result.exit_code == 0
    config = yaml.safe_load((root / "mkdocs.yml").read_text().replace("!!python/name:", ""))
    assert config["site_name"] == "Our playbook"
    assert (root / "docs/index.md").read_text().startswith("# Our playbook\n")
    built = run_mkdocs(root, "build", "--strict")
    assert built.returncode == 0, built.stderr
    assert "<b>" not in (root / "site/index.html").read_text()


BLANK_FILES = [
    *FILES[:8],
    "playbooks/runbooks/_kind.yaml",
    "playbooks/runbooks/restart-a-service.yaml",
]


@pytest.fixture
def blank(tmp_path: Path) -> Path:
    """A project written by `playbook init --blank blank`."""
    root = tmp_path / "blank"
    result = CliRunner().invoke(main, ["init", "--blank", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"{root}/{name}" for name in BLANK_FILES]
    return root


def test_a_blank_project_has_no_packaged_kinds_and_one_of_its_own(blank: Path) -> None:
    config = yaml.safe_load((blank / "mkdocs.yml").read_text().replace("!!python/name:", ""))
    assert config["plugins"][2] == {
        "playbook": {"playbooks_dir": "playbooks", "builtin_kinds": "none", "nav": "kinds"}
    }
    result = CliRunner().invoke(main, ["validate", "--strict", str(blank)], catch_exceptions=False)
    assert (result.exit_code, result.stderr) == (0, "Checked 1 entity and 1 page: no problems.\n")
    result = CliRunner().invoke(main, ["new", "persona", "sally", "--project", str(blank)])
    assert "'persona' is not a kind; the kinds are: runbook" in result.output


@pytest.mark.site
def test_a_blank_project_builds_strictly(blank: Path) -> None:
    result = run_mkdocs(blank, "build", "--strict")
    assert result.returncode == 0, result.stderr
    home = (blank / "site/index.html").read_text()
    assert 'href="runbooks/restart-a-service/"' in home
    assert (blank / "site/runbooks/index.html").is_file()
    assert not (blank / "site/personas").exists()
