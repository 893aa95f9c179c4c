"""Check a whole project the way a build would, without building: playbook, refs, docs pages."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .author_pages import author_files
from .diagnostics import Diagnostic, sorted_diagnostics
from .loader import load_playbook
from .model import Playbook
from .project import Project, setup_problems
from .refs import Links, check_page_refs, resolve_refs
from .render import Renderer


@dataclass
class ProjectCheck:
    """What checking a project found: the resolved playbook and every problem."""

    playbook: Playbook
    links: Links
    diagnostics: list[Diagnostic] = field(default_factory=list)
    pages: int = 0
    """How many hand-written docs pages were checked."""

    @property
    def errors(self) -> list[Diagnostic]:
        """Problems that fail a build."""
        return [d for d in self.diagnostics if d.is_error]

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
    """Load, validate and resolve the playbook, and check the refs of the docs pages."""
    result = load_playbook(
        project.playbooks_dir,
        project_dir=project.display_base,
        max_file_size=project.max_file_size,
    )
    links, ref_diagnostics = resolve_refs(result.playbook)
    diagnostics = setup_problems(project) + result.diagnostics + ref_diagnostics
    generated = generated_pages(project, result.playbook, links)
    diagnostics += page_clashes(generated, project.docs_dir, project.display)
    pages = 0
    for _, path in docs_pages(project.docs_dir):
        pages += 1
        shown = project.display(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            diagnostics.append(Diagnostic(shown, 1, 1, "file", f"cannot be read: {error}"))
            continue
        diagnostics.extend(check_page_refs(result.playbook, text, shown))
    return ProjectCheck(result.playbook, links, sorted_diagnostics(diagnostics), pages)


def generated_pages(project: Project, playbook: Playbook, links: Links) -> list[str]:
    """The docs-relative paths of the files a build makes from the playbook."""
    options = project.options
    extra_pages = options.get("extra_pages", True) is not False
    pages = Renderer(playbook, links, extra_pages=extra_pages).page_paths()
    # The health page is on only under serve unless asked for; a build is what counts here.
    return pages + author_files(
        playbook.kinds,
        guide=options.get("authoring_guide", True) is not False,
        health=options.get("health_page") is True,
    )


def page_clashes(
    generated: Iterable[str], docs_dir: Path, display: Callable[[Path], str]
) -> list[Diagnostic]:
    """A problem for each hand-written file in the docs folder where a generated one goes."""
    return [
        Diagnostic(
            display(docs_dir / src_uri),
            1,
            1,
            "file",
            "the playbook generates this page; remove or rename the hand-written file",
        )
        for src_uri in generated
        if (docs_dir / src_uri).exists()
    ]


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
