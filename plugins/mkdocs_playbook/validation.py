"""Check a whole project the way a build would, without building: playbook, refs, docs pages."""

from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import Diagnostic, sorted_diagnostics
from .links import docs_files, docs_links_out, docs_pages
from .pipeline import Checked
from .project import Project, setup_problems

__all__ = ["ProjectCheck", "check_project", "docs_files", "docs_pages"]


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
    return ProjectCheck(
        checked.playbook,
        checked.links,
        sorted_diagnostics(diagnostics),
        pages=checked.docs_pages,
    )
