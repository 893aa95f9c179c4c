"""`playbook init`: a new playbook project that builds straight away, without MkDocs.

It writes the config with Material and every feature the pages rely on, a home page, the
example playbook (one entity of each kind, every ref resolving), a pre-commit hook, a
GitHub Pages workflow and a `.gitignore`. It never overwrites a file: if any file it would
write is there already, it writes none.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..diagnostics import Diagnostic, display_path
from ..kinds.registry import builtin_kinds
from ..links import shown_link
from ..options import DEFAULTS
from .examples import examples

TEMPLATE_DIR = Path(__file__).parent / "project_template"

TEMPLATE_FILES: dict[str, str] = {
    "mkdocs.yml": "mkdocs.yml",
    "requirements.txt": "requirements.txt",
    "docs/index.md": "docs/index.md",
    "overrides/README.md": "overrides/README.md",
    "overrides/partials/source.html": "overrides/partials/source.html",
    # Packaged without their leading dot: a wheel's data files should not be hidden ones.
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
    "gitignore": ".gitignore",
    "github/workflows/pages.yml": ".github/workflows/pages.yml",
}
"""Template file -> where it goes in the new project."""
BLANK_DIR = TEMPLATE_DIR / "blank"
"""What a blank project has instead of the example playbook: its own home page and one
kind of its own, with an example entity."""
BLANK_FILES = (
    "docs/index.md",
    f"{DEFAULTS.playbooks_dir}/runbooks/_kind.yaml",
    f"{DEFAULTS.playbooks_dir}/runbooks/restart-a-service.yaml",
)
BLANK_OPTION = "      builtin_kinds: none  # no packaged kinds: only the playbook's own\n"

_MARKDOWN_SPECIALS = frozenset("\\`*_{}[]<>&#|:~^=!$")
"""What Markdown (and the extensions a site may add) could read as syntax in a heading."""


class InitError(Exception):
    """A project that cannot be written: some of its files are there already, or a link
    would take them elsewhere."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(str(d) for d in diagnostics))
        self.diagnostics = diagnostics


@dataclass(frozen=True)
class NewFile:
    """One file of a new project: where it goes, relative to the project, and its text."""

    path: str
    text: str


def project_files(folder_name: str, *, blank: bool = False) -> list[NewFile]:
    """Every file of a new project whose folder has this name, in the order they are listed.

    A ``blank`` project has none of the packaged kinds (`builtin_kinds: none`) and one kind
    of its own, with a `_kind.yaml` and an example.
    """
    title = _title(folder_name)
    values = {
        # The name as typed: the YAML emitter quotes it (the plugin escapes it in pages),
        # and the home page's heading spells its specials as character references.
        "@SITE_NAME@": yaml_text(title),
        "@TITLE@": markdown_text(title),
    }
    files = []
    for source, target in TEMPLATE_FILES.items():
        folder = BLANK_DIR if blank and source in BLANK_FILES else TEMPLATE_DIR
        text = (folder / source).read_text(encoding="utf-8")
        for placeholder, value in values.items():
            text = text.replace(placeholder, value)
        if blank and source == "mkdocs.yml":
            text = text.replace(
                "      playbooks_dir: playbooks\n",
                "      playbooks_dir: playbooks\n" + BLANK_OPTION,
            )
        files.append(NewFile(target, text))
    if blank:
        files += [
            NewFile(path, (BLANK_DIR / path).read_text(encoding="utf-8"))
            for path in BLANK_FILES
            if path.startswith(DEFAULTS.playbooks_dir + "/")
        ]
        return files
    files += [
        NewFile(f"{DEFAULTS.playbooks_dir}/{e.path}", e.yaml) for e in examples(builtin_kinds())
    ]
    return files


def init_project(root: Path, display_dir: Path | None = None, *, blank: bool = False) -> list[Path]:
    """Write a new project into ``root`` (made if missing); return the files written.

    Raises `InitError`, having written nothing, when any of those files exists already, or
    when a link on the way to one leads outside ``root`` or nowhere.
    Messages show paths relative to ``display_dir`` (by default the current folder).
    """
    base = display_dir or Path.cwd()
    files = project_files(root.resolve().name, blank=blank)
    problems = _link_problems(root, [f.path for f in files], base)
    linked = {path for path, _ in problems}
    existing = [
        root / f.path
        for f in files
        if not any(_is_under(root / f.path, link) for link in linked) and (root / f.path).exists()
    ]
    diagnostics = [diagnostic for _, diagnostic in problems] + [
        Diagnostic(
            display_path(path, base),
            1,
            1,
            "file",
            "already exists; playbook init overwrites nothing: move it away or "
            "choose another folder",
        )
        for path in existing
    ]
    if diagnostics:
        raise InitError(diagnostics)
    written = []
    for file in files:
        path = root / file.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(file.text, encoding="utf-8")
        written.append(path)
    return written


def _link_problems(root: Path, paths: list[str], base: Path) -> list[tuple[Path, Diagnostic]]:
    """Each link on the way to a file of the new project that leads outside ``root``, or to
    nothing: writing through it would put a file somewhere else."""
    real_root = root.resolve()
    problems: dict[Path, Diagnostic] = {}
    if root.is_symlink() and not root.exists():
        # The folder itself would be made where the link leads.
        problems[root] = Diagnostic(
            shown_link(root, lambda folder: display_path(folder, base)),
            1,
            1,
            "file",
            f"is a link to {os.readlink(root)}, which does not exist; playbook init writes "
            "nothing through a link: remove it, or choose another folder",
        )
        return list(problems.items())
    for relative in paths:
        path = root
        for part in Path(relative).parts:
            path = path / part
            if path in problems or not path.is_symlink():
                continue
            real = path.resolve()
            target = Path(os.path.relpath(real, real_root)).as_posix()
            shown = shown_link(path, lambda folder: display_path(folder, base))
            if not _is_under(real, real_root):
                message = f"is a link that leads outside the folder (to {target})"
            elif not path.exists():
                message = f"is a link to {target}, which does not exist"
            else:
                continue
            problems[path] = Diagnostic(
                shown,
                1,
                1,
                "file",
                f"{message}; playbook init writes nothing through a link: remove it, or "
                "choose another folder",
            )
    return list(problems.items())


def _is_under(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def yaml_text(text: str) -> str:
    """``text`` as one double-quoted YAML scalar, written by PyYAML's own emitter."""
    dumped = yaml.safe_dump(text, default_style='"', allow_unicode=True, width=sys.maxsize)
    return dumped.removesuffix("\n").removesuffix("\n...")


def markdown_text(text: str) -> str:
    """``text`` for a Markdown heading: what Markdown would read as syntax is written as a
    character reference, so it shows as typed."""
    return "".join(f"&#{ord(c)};" if c in _MARKDOWN_SPECIALS else c for c in text)


def _title(folder_name: str) -> str:
    """A site title from a folder name: `my-playbook` -> `My playbook`."""
    # Runs of white space (line breaks too) are one space, as HTML shows them.
    words = " ".join(folder_name.replace("-", " ").replace("_", " ").split())
    return (words[:1].upper() + words[1:]) if words else "Playbook"
