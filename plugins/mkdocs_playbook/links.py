"""Links that lead outside the project: nothing is read or written through them.

A path is judged by where it leads with every link followed, so a linked folder, a linked
file and a chain of links are all caught; links that stay inside the project work. The
docs folder's pages are listed and read here too, none through a link that leads out.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

from .diagnostics import Diagnostic


def link_out_message(real: Path, project: Path) -> str:
    """What to say of a path whose links lead to ``real``, outside the ``project`` folder."""
    target = Path(os.path.relpath(real, project)).as_posix()
    return (
        f"is a link that leads outside the project (to {target}); nothing is read through "
        "it: move what it points to into the project, or remove the link"
    )


def links_leaving(folder: Path, root: Path) -> list[tuple[Path, Path]]:
    """Every path under ``folder`` (the folder too) that, its links followed, leads outside
    ``root``, with where it leads; links that stay inside are followed, once each."""
    real_root = containing_folder(folder, root).resolve()
    found: list[tuple[Path, Path]] = []
    seen: set[Path] = set()

    def visit(path: Path, real: Path | None = None) -> None:
        # A folder reached without a link is where its parent is: no need to resolve it.
        real = real or path.resolve()
        if not _inside(real, real_root):
            found.append((path, real))
            return
        if real in seen or not path.is_dir():
            return
        seen.add(real)
        for entry in _listing(path):
            if entry.is_symlink():
                visit(Path(entry.path))
            elif entry.is_dir():
                visit(Path(entry.path), real / entry.name)

    visit(folder)
    return found


def containing_folder(folder: Path, root: Path) -> Path:
    """The folder that nothing under ``folder`` may lead out of: the project ``root``, or
    the folder itself when the config puts it outside the project."""
    if _inside(Path(os.path.normpath(folder.absolute())), root.absolute()):
        return root
    return folder


def docs_links_out(docs_dir: Path, root: Path, display: Callable[[Path], str]) -> list[Diagnostic]:
    """A located error for each path of the docs folder whose links lead outside the
    project folder ``root``: nothing may be read through it."""
    real_root = containing_folder(docs_dir, root).resolve()
    return [
        Diagnostic(
            shown_link(path, display),
            1,
            1,
            "file",
            link_out_message(real, real_root),
        )
        for path, real in links_leaving(docs_dir, root)
    ]


def shown_link(path: Path, display: Callable[[Path], str]) -> str:
    """A link as messages show it: its own path, not where it leads."""
    folder = display(path.parent)
    return path.name if folder in ("", ".") else f"{folder}/{path.name}"


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def _listing(folder: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda entry: entry.name)
    except OSError:
        return []


def read_docs_pages(
    docs_dir: Path, root: Path, under: str = ""
) -> Iterator[tuple[str, Path, str | OSError | UnicodeDecodeError]]:
    """Every Markdown page of the docs folder (or of its sub-folder ``under``) that stays
    inside the project, with its docs path and its text (or why it cannot be read)."""
    real_root = containing_folder(docs_dir, root).resolve()
    for src_uri, path in docs_pages(docs_dir, under):
        if not path.resolve().is_relative_to(real_root):
            continue  # reported as a link out: nothing is read through it
        try:
            text: str | OSError | UnicodeDecodeError = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            text = error
        yield src_uri, path, text


def docs_pages(docs_dir: Path, under: str = "") -> Iterator[tuple[str, Path]]:
    """Every Markdown page of the docs folder (or of its sub-folder ``under``) that MkDocs
    would build, with its docs path."""
    for src_uri, path in docs_files(docs_dir, under):
        if path.suffix == ".md":
            yield src_uri, path


def docs_files(docs_dir: Path, under: str = "") -> Iterator[tuple[str, Path]]:
    """Every file of the docs folder (or of its sub-folder ``under``, a docs path) that
    MkDocs would read, with its docs-relative path. As MkDocs does, folders reached through
    links are walked too (each real folder once); whether a link leads out of the project
    is for `docs_links_out` and the readers."""
    start = docs_dir / under if under else docs_dir
    if not start.is_dir() or any(part.startswith(".") for part in under.split("/") if part):
        return
    found: list[tuple[str, Path]] = []
    seen: set[Path] = set()

    def walk(folder: Path, prefix: str) -> None:
        real = folder.resolve()
        if real in seen:
            return
        seen.add(real)
        for entry in _listing(folder):
            src_uri = prefix + entry.name
            # MkDocs leaves out dot files and a top-level `templates/` folder by default.
            if entry.name.startswith(".") or src_uri == "templates":
                continue
            path = Path(entry.path)
            if path.is_dir():
                walk(path, src_uri + "/")
            elif path.is_file():
                found.append((src_uri, path))

    walk(start, f"{under.strip('/')}/" if under else "")
    # In the order of their paths, part by part, as a sorted listing of Paths has them.
    yield from sorted(found, key=lambda item: item[0].split("/"))
