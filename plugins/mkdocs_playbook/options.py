"""The `playbook` plugin's options and their defaults: the one object every front end reads.

The MkDocs plugin takes its option defaults from here, and the command line and the export
read the same options from mkdocs.yml through `PlaybookOptions.from_config`, so a default
is written once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

NavMode = Literal["kinds", "entities", "off"]
NAV_MODES: tuple[NavMode, ...] = ("kinds", "entities", "off")
DEFAULT_MAX_FILE_SIZE = 1024 * 1024
"""Files larger than this (in bytes) are refused: a playbook entity is a page, not a dataset."""


def as_written(nav: object) -> object:
    """A `nav` value as its author wrote it: mkdocs.yml's YAML (1.1) reads `off` as false."""
    return "off" if nav is False else nav


@dataclass(frozen=True)
class PlaybookOptions:
    """Every option of the plugin, with its default."""

    playbooks_dir: str = "playbooks"
    """The folder of the playbook's YAML, relative to mkdocs.yml."""
    nav: NavMode = "kinds"
    """`kinds`: one nav section per kind, leading to its index page; `entities`: each section
    also lists every entity page; `off`: leave the nav to mkdocs.yml."""
    templates_dir: str | None = None
    """A folder of page templates that override the packaged ones, relative to mkdocs.yml;
    by default `<theme.custom_dir>/playbook` when the theme has a `custom_dir`."""
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    """The largest YAML file, in bytes, that is read."""
    authoring_guide: bool = True
    """Make the authoring guide page and publish a JSON Schema per kind under `schemas/`."""
    health_page: bool | None = None
    """Make the content health page; by default on under `mkdocs serve` only."""
    extra_pages: bool = True
    """Make the site pages the kinds declare ("Which do I need?", coverage)."""
    cache: bool = True
    """Keep the results of each build (converted pages, search entries, page output) in
    `cache_dir`, so the next build makes again only what changed."""
    cache_dir: str = ".cache/playbook"
    """The folder of the build cache, relative to mkdocs.yml."""
    workers: int = 0
    """How many processes convert the generated pages' Markdown at once (with the cache on,
    on Linux): 0 for one per processor the build may use, within its CPU quota (at most 8), 1
    to convert in MkDocs' own process."""

    @classmethod
    def from_config(cls, values: Mapping[str, Any]) -> PlaybookOptions:
        """The options as a config file writes them. A value of the wrong type keeps its
        default here: MkDocs reports it when it loads the config."""
        found: dict[str, Any] = {}
        for option in dataclasses.fields(cls):
            value = values.get(option.name)
            if value is None:
                continue
            default = option.default
            if option.name == "nav":
                value = as_written(value)
                ok = value in NAV_MODES
            elif option.name in ("templates_dir", "playbooks_dir", "cache_dir"):
                ok = isinstance(value, str) and bool(value)
            elif option.name == "health_page" or isinstance(default, bool):
                ok = isinstance(value, bool)
            else:
                ok = isinstance(value, int) and not isinstance(value, bool)
            if ok:
                found[option.name] = value
        return cls(**found)

    def template_dirs(self, root: Path, custom_dir: Path | None) -> list[Path]:
        """Folders whose page templates override the packaged ones, first match wins."""
        if self.templates_dir:
            return [root / self.templates_dir]
        return [custom_dir / "playbook"] if custom_dir else []

    def wants_health_page(self, serving: bool) -> bool:
        """Whether to make the health page: as set, or under `mkdocs serve` by default."""
        return self.health_page if self.health_page is not None else serving


DEFAULTS = PlaybookOptions()
