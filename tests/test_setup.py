"""A project set up wrong fails with what is missing and how to add it, not a quiet bad site."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from mkdocs_playbook.cli import main

from .conftest import EVERYTHING, run_mkdocs

Project = Callable[..., Path]


@pytest.mark.site
def test_a_theme_other_than_material_stops_the_build_saying_how_to_fix_it(
    project: Project,
) -> None:
    root = project(
        fixture=EVERYTHING, mkdocs_yml="site_name: T\nplugins:\n  - playbook\ntheme: readthedocs\n"
    )
    result = run_mkdocs(root, "build")
    assert result.returncode == 1
    assert (
        "mkdocs.yml:4:1: theme: the playbook's pages need Material for MkDocs, not readthedocs: "
        "set `theme: {name: material}` (Material is installed with the plugin)" in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not (root / "site").exists()


@pytest.mark.site
def test_no_theme_at_all_is_named_too(project: Project) -> None:
    root = project(fixture=EVERYTHING, mkdocs_yml="site_name: T\nplugins:\n  - playbook\n")
    result = run_mkdocs(root, "build")
    assert result.returncode == 1
    assert (
        "mkdocs.yml:1:1: theme: the playbook's pages need Material for MkDocs, not mkdocs"
        in result.stderr
    )


@pytest.mark.site
def test_a_missing_home_page_is_a_warning_that_fails_strict_builds(project: Project) -> None:
    root = project(fixture=EVERYTHING)
    (root / "docs/index.md").unlink()
    message = (
        "mkdocs.yml:1:1: docs_dir: 'docs/index.md' is missing, so the site has no home page and "
        "its root is a 404: write one with a title and a line on what the playbook is for"
    )
    relaxed = run_mkdocs(root, "build")
    assert relaxed.returncode == 0
    assert message in relaxed.stderr
    strict = run_mkdocs(root, "build", "--strict")
    assert strict.returncode == 1
    assert message in strict.stderr


@pytest.mark.site
def test_a_readme_is_a_home_page_too(project: Project) -> None:
    root = project(fixture=EVERYTHING)
    (root / "docs/index.md").rename(root / "docs/README.md")
    result = run_mkdocs(root, "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert (root / "site/index.html").is_file()


@pytest.mark.site
def test_a_missing_docs_folder_is_named_by_validate_with_the_fix(project: Project) -> None:
    root = project(fixture=EVERYTHING)
    shutil.rmtree(root / "docs")
    result = CliRunner().invoke(main, ["validate", str(root)], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stdout == (
        "mkdocs.yml:1:1: docs_dir: the folder 'docs' does not exist; it holds the hand-written "
        "pages: create it with an index.md, the home page (`playbook init` writes a project "
        "that builds)\n"
    )
    # MkDocs checks the folder before any plugin runs; its own message names it.
    built = run_mkdocs(root, "build")
    assert built.returncode == 1
    assert "Config value 'docs_dir'" in built.stderr
    assert "isn't an existing directory" in built.stderr


def test_validate_places_a_missing_docs_dir_at_its_setting(project: Project) -> None:
    root = project(
        fixture=EVERYTHING, mkdocs_yml="site_name: T\ntheme: material\ndocs_dir: pages\n"
    )
    result = CliRunner().invoke(main, ["validate", str(root)], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stdout.startswith("mkdocs.yml:3:1: docs_dir: the folder 'pages' does not exist")
