"""`playbook init`: a new playbook project that builds straight away, without MkDocs.

It writes the config with Material and every feature the pages rely on, a home page, the
example playbook (one entity of each kind, every ref resolving), a pre-commit hook, a
GitHub Pages workflow and a `.gitignore`. It never overwrites a file: if any file it would
write is there already, it writes none.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..diagnostics import Diagnostic, display_path
from ..kinds.registry import builtin_kinds
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

_PLAIN_TITLE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 .'-]{0,79}$")


class InitError(Exception):
    """A project that cannot be written: some of its files are there already."""

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
    # Material writes site_name into pages as HTML: a folder name that is not plain text
    # gets a plain title instead.
    title = title if _PLAIN_TITLE.match(title) else "Our playbook"
    values = {
        # A JSON string is a YAML string, quoted as needed.
        "@SITE_NAME@": json.dumps(title),
        "@TITLE@": title,
        "@VERSION@": __version__,
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

    Raises `InitError`, having written nothing, when any of those files exists already.
    Messages show paths relative to ``display_dir`` (by default the current folder).
    """
    base = display_dir or Path.cwd()
    files = project_files(root.resolve().name, blank=blank)
    existing = [root / f.path for f in files if (root / f.path).exists()]
    if existing:
        raise InitError(
            [
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
        )
    written = []
    for file in files:
        path = root / file.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(file.text, encoding="utf-8")
        written.append(path)
    return written


def _title(folder_name: str) -> str:
    """A site title from a folder name: `my-playbook` -> `My playbook`."""
    words = folder_name.replace("-", " ").replace("_", " ").strip()
    return (words[:1].upper() + words[1:]) if words else "Playbook"
