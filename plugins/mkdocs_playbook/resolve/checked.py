"""A playbook folder loaded, validated and resolved: what a build, `playbook validate` and the
authoring guide's examples all check first."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, sorted_diagnostics
from ..entities import Playbook
from ..kinds.registry import KindRegistry
from ..load.loader import LoadCache, SitePaths, load_playbook
from .refs import Links, resolve_refs

if TYPE_CHECKING:
    from ..plan_cache import PlanCache


@dataclass
class Checked:
    """The playbook loaded, validated and resolved, with every problem found, in file order."""

    playbook: Playbook
    links: Links
    diagnostics: list[Diagnostic] = field(default_factory=list)
    docs_pages: int = 0
    """How many hand-written pages of the docs folder were checked with it."""

    @property
    def errors(self) -> list[Diagnostic]:
        """The problems that stop a build."""
        return [d for d in self.diagnostics if d.is_error]


def check_playbook(
    playbooks_dir: Path,
    *,
    project_dir: Path,
    max_file_size: int,
    cache: LoadCache | None = None,
    site: SitePaths | None = None,
    root_dir: Path | None = None,
    builtins: KindRegistry | None = None,
    kept_links: PlanCache | None = None,
) -> Checked:
    """Load and validate every file, then resolve every ref and gather the backlinks (with
    ``kept_links``, the links found in unchanged files' Markdown are read from the store)."""
    result = load_playbook(
        playbooks_dir,
        project_dir=project_dir,
        max_file_size=max_file_size,
        cache=cache,
        site=site,
        root_dir=root_dir,
        builtins=builtins,
    )
    links, ref_diagnostics = resolve_refs(result.playbook, kept_links)
    return Checked(result.playbook, links, sorted_diagnostics(result.diagnostics + ref_diagnostics))
