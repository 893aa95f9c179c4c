"""Check a whole project the way a build would, without building: playbook, refs, docs pages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, sorted_diagnostics
from .links import containing_folder, docs_links_out
from .pipeline import Checked
from .project import Project, setup_problems
from .resolve.refs import check_page_refs


@dataclass
class ProjectCheck(Checked):
    """What checking a project found: the resolved playbook, every problem, the pages read."""

    pages: int = 0
    """How many hand-written docs pages were checked."""

    @property
    def warnings(self) -> list[Diagnostic]:
        """Problems that fail a build only under `--strict`."""
        return [d for d in self.diagnostics if not d.is_error]

    @property
    def entity_files(self) -> int:
        """How many entity files were read, those with errors included."""
        return len(self.playbook.entities) + len(self.playbook.broken)

    def failed(self, strict: bool) -> bool:
        """Whether a build would fail: on errors, or on any problem under `--strict`."""
        return bool(self.errors or (strict and self.diagnostics))


def check_project(project: Project) -> ProjectCheck:
    """Check the project as a build would: set-up, playbook, refs, clashes, docs pages."""
    pipeline = project.pipeline()
    checked = pipeline.check(display_dir=project.display_base)
    diagnostics = setup_problems(project) + checked.diagnostics
    diagnostics += pipeline.clashes(pipeline.page_paths(checked))
    diagnostics += docs_links_out(project.docs_dir, project.root, project.display)
    real_root = containing_folder(project.docs_dir, project.root).resolve()
    pages = 0
    for _, path in docs_pages(project.docs_dir):
        if not path.resolve().is_relative_to(real_root):
            continue  # reported above: nothing is read through it
        pages += 1
        shown = project.display(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            diagnostics.append(Diagnostic(shown, 1, 1, "file", f"cannot be read: {error}"))
            continue
        diagnostics.extend(check_page_refs(checked.playbook, text, shown))
    return ProjectCheck(checked.playbook, checked.links, sorted_diagnostics(diagnostics), pages)


def docs_pages(docs_dir: Path) -> Iterator[tuple[str, Path]]:
    """Every Markdown page of the docs folder that MkDocs would build, with its docs path."""
    for src_uri, path in docs_files(docs_dir):
        if path.suffix == ".md":
            yield src_uri, path


def docs_files(docs_dir: Path) -> Iterator[tuple[str, Path]]:
    """Every file of the docs folder that MkDocs would read, with its docs-relative path."""
    if not docs_dir.is_dir():
        return
    for path in sorted(docs_dir.rglob("*")):
        src_uri = path.relative_to(docs_dir).as_posix()
        # MkDocs leaves out dot files and a top-level `templates/` folder by default.
        hidden = any(part.startswith(".") for part in src_uri.split("/"))
        if path.is_file() and not hidden and not src_uri.startswith("templates/"):
            yield src_uri, path
