"""The `playbook` command: validate, scaffold, describe and export a playbook without MkDocs."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import click

from . import __version__
from .authoring.init import InitError, init_project
from .authoring.scaffold import ScaffoldError, new_entity
from .authoring.schema import SCHEMA_DIR, SCHEMA_MAP_FILE, schema_base_url, write_schemas
from .diagnostics import Diagnostic, did_you_mean, display_path
from .export import ExportError, export_site
from .kinds.registry import KindRegistry
from .load.loader import load_kinds
from .project import Project, ProjectError, find_project
from .report import FORMATS, format_diagnostics, summary
from .validation import check_project

_PROJECT_OPTION = click.option(
    "--project",
    "project_path",
    default=".",
    show_default=True,
    type=click.Path(exists=True, path_type=Path),
    help="The project folder (the one holding mkdocs.yml or properdocs.yml).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="playbook")
def main() -> None:
    """Check, start, describe and export a playbook of structured YAML."""


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--blank",
    is_flag=True,
    help="A playbook of its own kinds only (builtin_kinds: none), with one example kind.",
)
def init(directory: Path, blank: bool) -> None:
    """Start a playbook project in DIRECTORY (default: here) that builds straight away.

    It writes mkdocs.yml (Material and the playbook plugin), docs/index.md, an example
    playbook whose refs all resolve, a pre-commit hook, a GitHub Pages workflow and a
    .gitignore, and lists them. It overwrites nothing: if any of them exists, it writes none.
    With --blank, the playbook has none of the packaged kinds and one kind of its own.
    """
    try:
        written = init_project(directory, blank=blank)
    except InitError as error:
        click.echo(format_diagnostics(error.diagnostics, "text"), nl=False, err=True)
        click.echo("Nothing was written.", err=True)
        raise SystemExit(1) from None
    base = Path.cwd()
    for path in written:
        click.echo(display_path(path, base))
    where = "" if directory.resolve() == base.resolve() else f"cd {directory} && "
    click.echo(
        f"Wrote {len(written)} files. Next: {where}mkdocs serve, and open http://127.0.0.1:8000",
        err=True,
    )


@main.command()
@click.argument("path", default=".", type=click.Path(exists=True, path_type=Path))
@click.option("--strict", is_flag=True, help="Fail on warnings too, as `mkdocs build --strict`.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text: one `path:line:col: field: message` line each; json; github: annotations.",
)
def validate(path: Path, strict: bool, output_format: str) -> None:
    """Check the playbook and the refs in docs/ without building the site.

    PATH is the project folder (holding mkdocs.yml or properdocs.yml) or the playbook
    folder. Exits with 1 when there are errors (or, with --strict, warnings), else 0.
    """
    try:
        project = find_project(path)
    except ProjectError as error:
        # A broken mkdocs.yml is reported like any other problem, in the chosen format.
        click.echo(format_diagnostics([error.diagnostic], output_format), nl=False)
        click.echo("The project's configuration cannot be read.", err=True)
        raise SystemExit(1) from None
    check = check_project(project)
    click.echo(format_diagnostics(check.diagnostics, output_format), nl=False)
    click.echo(
        summary(
            errors=len(check.errors),
            warnings=len(check.warnings),
            entities=check.entity_files,
            pages=check.pages,
            strict=strict,
        ),
        err=True,
    )
    if check.failed(strict):
        raise SystemExit(1)


@main.command()
@click.argument("kind")
@click.argument("ident", metavar="ID")
@_PROJECT_OPTION
def new(kind: str, ident: str, project_path: Path) -> None:
    """Write playbooks/<folder>/ID.yaml: a commented template of every field of KIND."""
    project = _project(project_path)
    kinds = _kinds(project)
    found = kinds.get(kind)
    if found is None:
        names = [k.name for k in kinds]
        raise click.BadParameter(
            f"'{kind}' is not a kind"
            + (did_you_mean(kind, names) or f"; the kinds are: {', '.join(names)}"),
            param_hint="KIND",
        )
    try:
        path = new_entity(project, found, ident)
    except ScaffoldError as error:
        _fail(error.diagnostic)
    click.echo(project.display(path))
    click.echo("Fill in the required fields, then run `playbook validate`.", err=True)
    if not (project.root / SCHEMA_DIR).is_dir():
        click.echo(
            "Run `playbook schema` to write the schema its first line points to, "
            "for completion in your editor.",
            err=True,
        )


@main.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=f"Where to write them. Default: {SCHEMA_DIR}/ in the project.",
)
@_PROJECT_OPTION
def schema(out: Path | None, project_path: Path) -> None:
    """Write a JSON Schema per kind and an editor schema map (yaml-schemas.json)."""
    project = _project(project_path)
    out_dir = out if out is not None else project.root / SCHEMA_DIR
    base_url = schema_base_url(project.site_url)
    written = write_schemas(
        _kinds(project),
        out_dir,
        project_dir=project.root,
        playbooks_dir=project.playbooks_dir,
        base_url=base_url,
    )
    for path in written:
        click.echo(project.display(path))
    click.echo(
        f"Wrote {len(written) - 1} schemas and {SCHEMA_MAP_FILE} (use it as the YAML "
        "language server's yaml.schemas setting).",
        err=True,
    )


@main.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@_PROJECT_OPTION
def export(out: Path, project_path: Path) -> None:
    """Write the whole site as Markdown, with an mkdocs.yml that needs no playbook plugin."""
    project = _project(project_path)
    check = check_project(project)
    click.echo(format_diagnostics(check.diagnostics, "text"), nl=False)
    if check.errors:
        click.echo(
            f"The playbook has {len(check.errors)} error(s) (listed above); nothing was exported.",
            err=True,
        )
        raise SystemExit(1)
    try:
        result = export_site(project, check, out)
    except ExportError as error:
        _fail(error.diagnostic)
    config = project.display(out / "mkdocs.yml")
    click.echo(
        f"Exported {result.generated_pages} generated and {result.handwritten_pages} "
        f"hand-written pages to {project.display(out)}; build it with "
        f"`mkdocs build --strict -f {config}` or `zensical build --strict -f {config}`.",
        err=True,
    )


def _kinds(project: Project) -> KindRegistry:
    """The project's kinds; a kind file with problems stops the command with them listed."""
    pipeline = project.pipeline()
    kinds, problems = load_kinds(
        project.playbooks_dir,
        project_dir=project.display_base,
        max_file_size=project.max_file_size,
        site=pipeline.site_paths(),
        root_dir=project.root,
        builtins=pipeline.builtins,
    )
    problems = pipeline.option_problems() + problems
    if problems:
        click.echo(format_diagnostics(problems, "text"), nl=False, err=True)
        raise SystemExit(1)
    return kinds


def _project(path: Path, output_format: str = "text") -> Project:
    try:
        return find_project(path)
    except ProjectError as error:
        _fail(error.diagnostic, output_format)


def _fail(diagnostic: Diagnostic, output_format: str = "text") -> NoReturn:
    click.echo(
        format_diagnostics([diagnostic], output_format), nl=False, err=output_format == "text"
    )
    raise SystemExit(1)
