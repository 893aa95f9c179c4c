"""`playbook init`: a new project that builds straight away, and overwrites nothing."""

from __future__ import annotations

import html
import os
import re
import shlex
import subprocess
import sys
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
    # The build cache is kept with its key, which lives outside the project.
    (cache,) = [step for step in build if step.get("uses") == "actions/cache@v4"]
    assert cache["with"]["path"].split() == [".cache/playbook", "~/.cache/mkdocs-playbook"]
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert [step["uses"] for step in deploy["steps"]] == ["actions/deploy-pages@v4"]


HOOK = {
    "repo": "local",
    "hooks": [
        {
            "id": "playbook-validate",
            "name": "Validate the playbook",
            "entry": "playbook validate --strict",
            "language": "system",
            "pass_filenames": False,
            "files": r"^(playbooks/|docs/.*\.md$|(mkdocs|properdocs)\.ya?ml$)",
        }
    ],
}
"""The pre-commit hook a new project gets: the `playbook` command it has, no release."""


def test_the_new_project_s_hook_is_local_strict_and_names_no_release(demo: Path) -> None:
    text = (demo / ".pre-commit-config.yaml").read_text()
    assert yaml.safe_load(text) == {"repos": [HOOK]}
    assert "rev:" not in text
    assert __version__ not in text
    files = re.compile(HOOK["hooks"][0]["files"])
    for changed in ["playbooks/personas/sally.yaml", "docs/index.md", "mkdocs.yml"]:
        assert files.search(changed), changed
    for unrelated in ["README.md", "site/index.html", "docs/logo.png", ".gitignore"]:
        assert not files.search(unrelated), unrelated
    # The hook this repository offers runs the same command on the same files.
    (offered,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert (offered["id"], offered["files"]) == ("playbook-validate", HOOK["hooks"][0]["files"])


def test_the_readme_offers_the_hook_the_new_project_gets() -> None:
    section = (REPO / "README.md").read_text().split("## The `playbook` command", 1)[1]
    (snippet,) = re.findall(r"```yaml\n(.*?)```", section.split("##", 1)[0], flags=re.S)
    assert yaml.safe_load(snippet) == {"repos": [HOOK]}


def test_the_new_project_s_requirements_name_no_unreleased_version(demo: Path) -> None:
    text = (demo / "requirements.txt").read_text()
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert lines == ["mkdocs-playbook"]
    assert __version__ not in text
    # The comment says how to install the plugin until it is on an index.
    assert "`python -m pip wheel . -w dist --no-deps`" in text
    assert "../mkdocs-playbook" in text


BROKEN_HOME = (
    "docs/index.md:27:1: link: unknown persona 'nobody'; create personas/nobody.yaml or fix "
    "the ref\n"
)


def hook_command(project: Path, *, drop: str = "") -> subprocess.CompletedProcess[str]:
    """The new project's pre-commit hook's command, run as pre-commit runs a system hook:
    its entry, in the project, with the `playbook` of this environment on the PATH; less
    the argument ``drop``."""
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    (hook,) = config["repos"][0]["hooks"]
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return subprocess.run(
        [word for word in shlex.split(hook["entry"]) if word != drop],
        cwd=project,
        env={**os.environ, "PATH": path},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_hook_passes_on_the_new_project_and_fails_on_a_warning(demo: Path) -> None:
    fresh = hook_command(demo)
    assert (fresh.returncode, fresh.stdout) == (0, ""), fresh.stderr
    assert fresh.stderr == "Checked 10 entities and 1 page: no problems.\n"
    # An unknown ref in a docs page is a warning: only --strict fails on it.
    with (demo / "docs/index.md").open("a") as home:
        home.write("\nSee [Nobody](persona:nobody).\n")
    broken = hook_command(demo)
    assert broken.returncode == 1
    assert broken.stdout == BROKEN_HOME
    assert broken.stderr == "Checked 10 entities and 1 page: 1 warning.\n"
    # Without the flag the same warning would pass.
    assert hook_command(demo, drop="--strict").returncode == 0


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


NASTY_NAME = 'Tom & Jerry\'s "plays" <img src=x onerror=alert(1)> *now* #1: {x}'


@pytest.mark.site
def test_a_name_with_html_and_yaml_specials_is_kept_as_typed_and_shown_escaped(
    tmp_path: Path,
) -> None:
    root = tmp_path / NASTY_NAME
    result = CliRunner().invoke(main, ["init", str(root)], catch_exceptions=False)
    assert result.exit_code == 0
    config_text = (root / "mkdocs.yml").read_text()
    # Quoted by the YAML emitter, so the name reads back exactly.
    assert (
        'site_name: "Tom & Jerry\'s \\"plays\\" <img src=x onerror=alert(1)> *now* #1: {x}"\n'
        in config_text
    )
    config = yaml.safe_load(config_text.replace("!!python/name:", ""))
    assert config["site_name"] == NASTY_NAME
    heading = (root / "docs/index.md").read_text().splitlines()[0]
    assert heading == (
        '# Tom &#38; Jerry\'s "plays" &#60;img src&#61;x onerror&#61;alert(1)&#62; '
        "&#42;now&#42; &#35;1&#58; &#123;x&#125;"
    )
    built = run_mkdocs(root, "build", "--strict")
    assert built.returncode == 0, built.stderr
    home = (root / "site/index.html").read_text()
    assert "<img src=x" not in home and "<em>" not in home
    shown = "Tom &amp; Jerry&#39;s &#34;plays&#34; &lt;img src=x onerror=alert(1)&gt; *now* #1: {x}"
    assert f"<title>{shown}</title>" in home
    # Escaped once, also where Material's template escapes the name itself.
    assert f'title="{shown}"' in home
    assert "&amp;amp;" not in home
    (heading,) = re.findall(r"<h1 id=\"[^\"]*\">([^<]*)<a class=\"headerlink\"", home)
    assert html.unescape(heading) == NASTY_NAME


@pytest.mark.site
def test_a_name_with_markup_stays_inert_in_an_export_built_without_the_plugin(
    tmp_path: Path,
) -> None:
    root = tmp_path / NASTY_NAME
    assert CliRunner().invoke(main, ["init", str(root)], catch_exceptions=False).exit_code == 0
    out = tmp_path / "export"
    exported = CliRunner().invoke(
        main, ["export", str(out), "--project", str(root)], catch_exceptions=False
    )
    assert exported.exit_code == 0, exported.output
    built = run_mkdocs(out, "build", "--strict")
    assert built.returncode == 0, built.stderr
    home = (out / "site/index.html").read_text()
    assert "<img src=x" not in home
    shown = "Tom & Jerry's &quot;plays&quot; &lt;img src=x onerror=alert(1)&gt; *now* #1: {x}"
    assert f"<title>{shown}</title>" in home
    (title,) = re.findall(r"<title>([^<]*)</title>", home)
    assert html.unescape(title) == NASTY_NAME


@pytest.mark.site
def test_a_folder_name_that_is_not_plain_text_is_kept_as_typed(tmp_path: Path) -> None:
    root = tmp_path / 'we say "hi" <b>'
    result = CliRunner().invoke(main, ["init", str(root)], catch_exceptions=False)
    assert result.exit_code == 0
    config = yaml.safe_load((root / "mkdocs.yml").read_text().replace("!!python/name:", ""))
    assert config["site_name"] == 'We say "hi" <b>'
    assert (root / "docs/index.md").read_text().startswith('# We say "hi" &#60;b&#62;\n')
    built = run_mkdocs(root, "build", "--strict")
    assert built.returncode == 0, built.stderr
    assert "<b>" not in (root / "site/index.html").read_text()


@pytest.mark.parametrize(
    ("link", "target", "sees"),
    [
        (
            ".gitignore",
            "../gone",
            "mine/.gitignore:1:1: file: is a link that leads outside the folder (to ../gone); "
            "playbook init writes nothing through a link: remove it, or choose another folder",
        ),
        (
            ".gitignore",
            "gone",
            "mine/.gitignore:1:1: file: is a link to gone, which does not exist; playbook "
            "init writes nothing through a link: remove it, or choose another folder",
        ),
        (
            "docs",
            "../elsewhere",
            "mine/docs:1:1: file: is a link that leads outside the folder (to ../elsewhere); "
            "playbook init writes nothing through a link: remove it, or choose another folder",
        ),
        (
            "playbooks/personas",
            "../../elsewhere",
            "mine/playbooks/personas:1:1: file: is a link that leads outside the folder (to "
            "../elsewhere); playbook init writes nothing through a link: remove it, or choose "
            "another folder",
        ),
    ],
)
def test_init_writes_nothing_through_a_link_that_leaves_the_folder_or_leads_nowhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, link: str, target: str, sees: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    root = tmp_path / "mine"
    (root / link).parent.mkdir(parents=True, exist_ok=True)
    (root / link).symlink_to(target)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = CliRunner().invoke(main, ["init", "mine"], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"{sees}\nNothing was written.\n"
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_init_writes_through_a_link_that_stays_in_the_folder(tmp_path: Path) -> None:
    root = tmp_path / "mine"
    (root / "pages").mkdir(parents=True)
    (root / "docs").symlink_to("pages")
    result = CliRunner().invoke(main, ["init", str(root)], catch_exceptions=False)
    assert result.exit_code == 0
    assert (root / "pages/index.md").is_file()


def test_init_refuses_a_folder_that_is_a_link_to_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine").symlink_to("gone")
    result = CliRunner().invoke(main, ["init", "mine"], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stderr == (
        "mine:1:1: file: is a link to gone, which does not exist; playbook init writes "
        "nothing through a link: remove it, or choose another folder\nNothing was written.\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]


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
