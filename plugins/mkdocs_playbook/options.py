"""The `playbook` plugin's options, declared once: each one's name, type, default, what it
does and how a written value is checked.

The MkDocs config class is made from these fields, in this order (`engine/plugin.py`); the
command line and the export read the same options from mkdocs.yml through
`PlaybookOptions.from_config`, with the same checks. `enabled` is not one of them: MkDocs
(1.6) reads it for every plugin and, when it is false, does not load the plugin at all.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

NavMode = Literal["kinds", "entities", "off"]
NAV_MODES: tuple[NavMode, ...] = ("kinds", "entities", "off")
BuiltinKinds = str | tuple[str, ...]
"""`all`, `none`, or the names of the built-in kinds a playbook has."""
ALL_KINDS = "all"
NO_KINDS = "none"


class OptionError(ValueError):
    """A value an option cannot take; the message says what is wrong (as MkDocs words it)."""


Check = Callable[[object], object]
"""Takes a value as a config file writes it; returns it as the option holds it, or raises
`OptionError`."""


def as_written(nav: object) -> object:
    """A `nav` value as its author wrote it: mkdocs.yml's YAML (1.1) reads `off` as false."""
    return "off" if nav is False else nav


def _of_type(kind: type, *, optional: bool = False) -> Check:
    def check(value: object) -> object:
        if optional and value is None:
            return None
        if not isinstance(value, kind):
            raise OptionError(f"Expected type: {kind} but received: {type(value)}")
        return value

    return check


def _nav_mode(value: object) -> object:
    value = as_written(value)
    if value not in NAV_MODES:
        raise OptionError(f"Expected one of: {NAV_MODES} but received: {value!r}")
    return value


def _kind_selection(value: object) -> object:
    if value in (ALL_KINDS, NO_KINDS):
        return value
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise OptionError(
        f"Expected 'all', 'none' or a list of built-in kind names such as [persona, metric] "
        f"but received: {value!r}"
    )


def _process_count(value: object) -> object:
    count = _of_type(int)(value)
    if isinstance(count, int) and count < 0:
        raise OptionError(
            f"{count} is not a number of processes: write 0 for one per processor, "
            "1 to convert pages in MkDocs' own process, or more"
        )
    return count


def _about(check: Check, doc: str) -> dict[str, Any]:
    return {"check": check, "doc": doc}


@dataclass(frozen=True)
class PlaybookOptions:
    """Every option of the plugin, with its default."""

    playbooks_dir: str = field(
        default="playbooks",
        metadata=_about(
            _of_type(str), "The folder of the playbook's YAML, relative to mkdocs.yml."
        ),
    )
    builtin_kinds: BuiltinKinds = field(
        default=ALL_KINDS,
        metadata=_about(
            _kind_selection,
            "Which of the packaged kinds (persona, strategy, play...) the playbook has: `all`, "
            "`none` (a playbook of its own kinds only), or a list of their names. A kind left "
            "out does not exist for the playbook: its folder is an unknown folder, and its "
            "name appears in no page, schema or message.",
        ),
    )
    nav: NavMode = field(
        default="kinds",
        metadata=_about(
            _nav_mode,
            "`kinds`: one nav section per kind, leading to its index page (entity pages are "
            "reached from the index, search and backlinks; the build stays linear). `entities`: "
            "each section also lists every entity page (for small playbooks: the nav then grows "
            "with the square of the page count). `off`: leave the nav to mkdocs.yml.",
        ),
    )
    templates_dir: str | None = field(
        default=None,
        metadata=_about(
            _of_type(str, optional=True),
            "A folder of page templates that override the packaged ones, relative to mkdocs.yml; "
            "by default `<theme.custom_dir>/playbook` when the theme has a `custom_dir`.",
        ),
    )
    max_file_size: int = field(
        default=1024 * 1024,
        metadata=_about(
            _of_type(int),
            "The largest YAML file, in bytes, that is read: a playbook entity is a page, not a "
            "dataset.",
        ),
    )
    authoring_guide: bool = field(
        default=True,
        metadata=_about(
            _of_type(bool),
            "Make an authoring guide page, generated from the content model's own field "
            "descriptions, and publish a JSON Schema per kind under `schemas/` for editors.",
        ),
    )
    health_page: bool | None = field(
        default=None,
        metadata=_about(
            _of_type(bool, optional=True),
            "Make a content health page listing unresolved refs, orphan entities and what the "
            "kinds' health checks find; by default on under `mkdocs serve` only.",
        ),
    )
    extra_pages: bool = field(
        default=True,
        metadata=_about(
            _of_type(bool), 'Make the site pages the kinds declare ("Which do I need?", coverage).'
        ),
    )
    cache: bool = field(
        default=True,
        metadata=_about(
            _of_type(bool),
            "Keep each build's results (converted pages, search entries, page output) in "
            "`cache_dir` and reuse what did not change.",
        ),
    )
    cache_dir: str = field(
        default=".cache/playbook",
        metadata=_about(_of_type(str), "The folder of the build cache, relative to mkdocs.yml."),
    )
    workers: int = field(
        default=0,
        metadata=_about(
            _process_count,
            "How many processes convert the generated pages' Markdown at once (with the cache on, "
            "on Linux): 0 for one per processor the build may use, within its CPU quota (at most "
            "8), 1 for none besides MkDocs'.",
        ),
    )

    @classmethod
    def declared(cls) -> Iterator[tuple[str, object, Check, str]]:
        """Each option's name, default, check and description, in declaration order."""
        for option in dataclasses.fields(cls):
            yield option.name, option.default, option.metadata["check"], option.metadata["doc"]

    @classmethod
    def from_config(cls, values: Mapping[str, Any]) -> PlaybookOptions:
        """The options as a config file writes them. A value its check refuses keeps its
        default here: MkDocs reports it when it loads the config."""
        found: dict[str, Any] = {}
        for name, _, check, _ in cls.declared():
            if values.get(name) is None:
                continue
            try:
                found[name] = check(values[name])
            except OptionError:
                continue
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
