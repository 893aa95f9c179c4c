"""The inline refs in the hand-written pages of the docs folder.

A build checks them with the playbook, before MkDocs reads a page, so that a broken ref in
`docs/` is on the health page, in the serve overlay and in `playbook validate` alike.
Nothing is read through a link that leads outside the project (`links`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic
from ..entities import Playbook
from ..links import docs_files, docs_pages, read_docs_pages
from .refs import check_page_refs

__all__ = ["DocsCheck", "check_docs_pages", "docs_files", "docs_pages", "read_docs_pages"]


@dataclass
class DocsCheck:
    """What checking the docs pages found: how many were read, and their problems."""

    pages: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)


def check_docs_pages(
    playbook: Playbook,
    docs_dir: Path,
    root: Path,
    display: Callable[[Path], str],
    *,
    excluded: Callable[[str], bool] | None = None,
) -> DocsCheck:
    """Check the inline refs of every Markdown page of ``docs_dir`` against the playbook,
    but those the site leaves out (``excluded``, by docs path).

    A page whose links lead outside the project ``root`` is not read (the links are
    reported where the docs folder is judged); a page that cannot be read is an error."""
    found = DocsCheck()
    for src_uri, path, text in read_docs_pages(docs_dir, root):
        if excluded is not None and excluded(src_uri):
            continue
        found.pages += 1
        shown = display(path)
        if isinstance(text, OSError | UnicodeDecodeError):
            found.diagnostics.append(Diagnostic(shown, 1, 1, "file", f"cannot be read: {text}"))
            continue
        found.diagnostics += check_page_refs(playbook, text, shown)
    return found
