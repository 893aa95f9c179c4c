"""`playbook export`: the site as plain Markdown that plain MkDocs builds, strictly."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from mkdocs_playbook.cli import main
from mkdocs_playbook.project import ConfigLoader

from .conftest import EVERYTHING, REPO, run_mkdocs

Project = Callable[..., Path]


def export(project_dir: Path, out: Path) -> Result:
    """Run `playbook export OUT --project PROJECT`."""
    return CliRunner().invoke(
        main, ["export", str(out), "--project", str(project_dir)], catch_exceptions=False
    )


def exported_config(out: Path) -> dict[str, object]:
    """The exported mkdocs.yml, read as MkDocs would (tags kept)."""
    config = yaml.load((out / "mkdocs.yml").read_text(), Loader=ConfigLoader)
    assert isinstance(config, dict)
    return config


@pytest.fixture
def everything_export(project: Project, tmp_path: Path) -> Path:
    """The fixture of every kind and field, exported."""
    out = tmp_path / "export"
    result = export(project(fixture=EVERYTHING), out)
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.site
def test_export_builds_with_plain_mkdocs_in_strict_mode(everything_export: Path) -> None:
    built = run_mkdocs(everything_export, "build", "--strict")
    assert built.returncode == 0, built.stderr
    persona = (everything_export / "site" / "personas" / "busy-parent" / "index.html").read_text()
    assert "I would come more often if it fitted around pickup time" in persona
    assert 'href="../../campaigns/summer-reading-challenge/"' in persona


@pytest.mark.site
def test_an_export_keeps_the_pages_for_authors_out_of_search(
    project: Project, tmp_path: Path
) -> None:
    root = project(
        {
            "docs/authors/style.md": "---\ntitle: House style\nsearch:\n  boost: 2\n---\n\n"
            "# House style\n\nWrite short sentences.\n",
            "docs/authors/plain.md": "# Plain\n\nNo front matter here.\n",
        },
        fixture=EVERYTHING,
    )
    out = tmp_path / "export"
    assert export(root, out).exit_code == 0
    # The hand-written page keeps its own keys beside the one the export adds.
    assert (
        (out / "docs/authors/style.md")
        .read_text()
        .startswith(
            "---\ntitle: House style\nsearch:\n  boost: 2\n  exclude: true\n---\n\n# House style"
        )
    )
    built = run_mkdocs(out, "build", "--strict")
    assert built.returncode == 0, built.stderr
    index = json.loads((out / "site/search/search_index.json").read_text())
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert "personas/busy-parent/" in locations
    assert [place for place in locations if place.startswith("authors/")] == []
    assert "House style" in (out / "site/authors/style/index.html").read_text()


def test_exported_config_has_a_nav_the_extensions_and_no_playbook_plugin(
    everything_export: Path,
) -> None:
    config = exported_config(everything_export)
    assert config["plugins"] == ["search"]
    assert config["docs_dir"] == "docs"
    nav = config["nav"]
    assert isinstance(nav, list)
    assert nav[0] == "index.md"
    assert {"Personas": ["personas/index.md"]} in nav
    assert {"Case studies": ["case-studies/index.md"]} in nav
    extensions = config["markdown_extensions"]
    assert isinstance(extensions, list)
    names = [e if isinstance(e, str) else next(iter(e)) for e in extensions]
    for name in ["tables", "attr_list", "md_in_html", "pymdownx.superfences"]:
        assert name in names
    # The plugin draws its maps in HTML: it adds no diagram fence, and no script for one.
    assert "pymdownx.superfences" in extensions
    assert config["extra_javascript"] == ["assets/playbook/playbook.js"]


def test_export_of_a_kind_that_takes_authors_leaves_for_authors_out_of_the_nav(
    project: Project, tmp_path: Path
) -> None:
    root = project(
        {
            "playbooks/authors/_kind.yaml": "name: author\nlabel: Author\nplural: Authors\n",
            "playbooks/authors/ada.yaml": "title: Ada\nsummary: Wrote.\n",
            "docs/for-authors/style.md": "# House style\n",
        },
        fixture=EVERYTHING,
    )
    out = tmp_path / "export"
    result = export(root, out)
    assert result.exit_code == 0, result.output
    config = exported_config(out)
    patterns = str(config["not_in_nav"]).splitlines()
    assert patterns[0] == "/for-authors/"
    assert "/authors/*.md" in patterns
    nav = config["nav"]
    assert isinstance(nav, list)
    assert {"Authors": ["authors/index.md"]} in nav
    assert "for-authors/style.md" not in str(nav)
    hub = (out / "docs/for-authors/index.md").read_text(encoding="utf-8")
    assert "- [House style](style.md)" in hub
    assert (out / "docs/authors/ada.md").is_file()


def test_export_has_every_generated_page_and_hand_written_refs_as_links(
    everything_export: Path,
) -> None:
    docs = everything_export / "docs"
    assert (docs / "personas" / "busy-parent.md").is_file()
    assert (docs / "stages" / "index.md").is_file()
    assert not (docs / "plays" / "_draft-idea.md").exists()
    index = (docs / "index.md").read_text()
    assert "[the long plan](strategies/reading-for-all.md)" in index
    assert "[Retired reader](personas/retired-reader.md)" in index
    assert "persona:" not in index


def test_exported_config_already_has_what_the_plugin_would_add(everything_export: Path) -> None:
    from mkdocs.config import load_config

    from mkdocs_playbook.engine.plugin import PlaybookPlugin

    config = load_config(config_file=str(everything_export / "mkdocs.yml"))
    before = (
        list(config.markdown_extensions),
        [str(p) for p in config.extra_css],
        [str(p) for p in config.extra_javascript],
    )
    PlaybookPlugin().on_config(config)
    after = (
        list(config.markdown_extensions),
        [str(p) for p in config.extra_css],
        [str(p) for p in config.extra_javascript],
    )
    assert after == before
    assert "custom_fences" not in config.mdx_configs.get("pymdownx.superfences", {})


@pytest.mark.site
def test_export_of_the_shipped_playbook_builds_strictly(tmp_path: Path) -> None:
    out = tmp_path / "shipped"
    result = export(REPO, out)
    assert result.exit_code == 0, result.output
    config = exported_config(out)
    theme = config["theme"]
    assert isinstance(theme, dict) and theme["custom_dir"] == "theme_overrides"
    # The page templates of the custom_dir are the plugin's, not the theme's.
    assert not (out / "theme_overrides" / "playbook").exists()
    assert config["plugins"] == ["search", "tags"]
    built = run_mkdocs(out, "build", "--strict")
    assert built.returncode == 0, built.stderr


@pytest.mark.site
def test_export_lists_entity_pages_in_the_nav_when_the_plugin_does(
    project: Project, tmp_path: Path
) -> None:
    root = project(
        fixture=EVERYTHING,
        mkdocs_yml="""\
            site_name: T
            theme: {name: mkdocs}
            nav:
              - Home: index.md
            plugins:
              - playbook:
                  nav: entities
            """,
    )
    out = tmp_path / "export"
    assert export(root, out).exit_code == 0
    nav = exported_config(out)["nav"]
    assert isinstance(nav, list)
    assert nav[0] == {"Home": "index.md"}
    assert {
        "Metrics": [
            "metrics/index.md",
            "metrics/books-borrowed.md",
            "metrics/library-card-signups.md",
            "metrics/newsletter-opens.md",
        ]
    } in nav
    built = run_mkdocs(out, "build", "--strict")
    assert built.returncode == 0, built.stderr


def test_export_refuses_a_folder_that_is_not_empty(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "busy"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = export(project(fixture=EVERYTHING), out)
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"{out}:1:1: export: the folder is not empty; choose a new or empty folder\n"
    )
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


def test_export_refuses_a_folder_inside_the_docs(project: Project) -> None:
    root = project(fixture=EVERYTHING)
    result = export(root, root / "docs" / "export")
    assert result.exit_code == 1
    assert result.stderr.endswith("export: is inside the docs folder; choose a folder outside it\n")


def test_export_refuses_a_playbook_with_errors_and_writes_nothing(
    project: Project, tmp_path: Path
) -> None:
    root = project({"playbooks/campaigns/push.yaml": "title: Push\nsummary: A push.\n"})
    out = tmp_path / "export"
    result = export(root, out)
    assert result.exit_code == 1
    assert result.stdout == (
        "playbooks/campaigns/push.yaml:1:1: strategy: is missing: every campaign runs under a "
        "strategy; add 'strategy: <strategy id>'\n"
    )
    assert not out.exists()


@pytest.mark.site
def test_export_of_the_shipped_playbook_builds_with_zensical(tmp_path: Path) -> None:
    """Zensical runs no MkDocs plugin: the export is how it builds a playbook."""
    pytest.importorskip("zensical", reason="Zensical installs only where its wheel exists")
    out = tmp_path / "shipped"
    result = export(REPO, out)
    assert result.exit_code == 0, result.output
    assert f"or `zensical build --strict -f {out / 'mkdocs.yml'}`." in result.stderr
    # Material 9's search form in Zensical's header breaks it; its source partial fits both.
    assert not (out / "theme_overrides/partials/search.html").exists()
    assert (out / "theme_overrides/partials/source.html").is_file()
    built = subprocess.run(
        [sys.executable, "-m", "zensical", "build", "--strict"],
        cwd=out,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    home = (out / "site/index.html").read_text()
    assert 'class="md-search__button"' in home
    assert "md-search__form" not in home
    assert 'data-md-component="source"' not in home
    persona = (out / "site/personas/brand-detractor/index.html").read_text()
    assert 'href="../../channels/' in persona


@pytest.mark.site
def test_export_of_a_new_project_publishes_no_readme_of_its_overrides(tmp_path: Path) -> None:
    root = tmp_path / "new"
    assert CliRunner().invoke(main, ["init", str(root)]).exit_code == 0
    out = tmp_path / "export"
    assert export(root, out).exit_code == 0
    assert (out / "overrides/partials/source.html").is_file()
    assert not (out / "overrides/README.md").exists()
    built = run_mkdocs(out, "build", "--strict")
    assert built.returncode == 0, built.stderr
