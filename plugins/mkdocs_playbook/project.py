"""Find a project's folders and the `playbook` plugin's options, reading the config without MkDocs.

The command line must work where MkDocs is not importable or its config would not load, so
the config (`mkdocs.yml`, or ProperDocs' `properdocs.yml`, merged over the files it
`INHERIT`s) is read with a safe YAML loader that keeps the tags MkDocs understands
(`!!python/name:...`, `!ENV`, `!relative`) as values instead of failing on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, DiagnosticError, default_display_dir, display_path, key_line
from .kinds.registry import KIND_FILE, builtin_kinds
from .load.loader import LoadCache
from .options import DEFAULTS, PlaybookOptions
from .pipeline import Pipeline
from .render.incremental import RenderCache

CONFIG_FILES = ("properdocs.yml", "properdocs.yaml", "mkdocs.yml", "mkdocs.yaml")
"""Config file names in the order ProperDocs looks for them; MkDocs knows the last two."""
INHERIT_KEY = "INHERIT"
MAX_INHERIT_DEPTH = 10
PLUGIN_NAME = "playbook"
DEFAULT_DOCS_DIR = "docs"


@dataclass(frozen=True)
class Tagged:
    """A YAML value with a tag we keep but do not interpret, e.g. `!!python/name:x`."""

    tag: str
    value: Any


class ProjectError(DiagnosticError):
    """A project that cannot be read: its config is broken or an option is wrong."""


@dataclass(frozen=True)
class Project:
    """A playbook project: where the config, the playbook and the docs are."""

    root: Path
    """The folder of the config file (absolute)."""
    playbooks_dir: Path
    docs_dir: Path
    config_file: Path | None = None
    config: dict[str, Any] = field(default_factory=dict)
    """The config as read, inherited settings merged in, tags kept as `Tagged` values."""
    options: PlaybookOptions = DEFAULTS
    """The `playbook` plugin's options as the config sets them."""
    display_dir: Path | None = None
    """The folder messages show paths relative to; the project folder when None."""

    @property
    def max_file_size(self) -> int:
        """The largest YAML file that is read, as the plugin option sets it."""
        return self.options.max_file_size

    @property
    def nav_mode(self) -> str:
        """The plugin's `nav` option: kinds, entities or off."""
        return self.options.nav

    @property
    def template_dirs(self) -> list[Path]:
        """Folders whose page templates override the packaged ones, as the plugin finds them."""
        return self.options.template_dirs(self.root, self.custom_dir)

    def pipeline(
        self, load_cache: LoadCache | None = None, render_cache: RenderCache | None = None
    ) -> Pipeline:
        """The phases of this project, as a build runs them: the one place a `Pipeline` is
        made, for the command line, the export and the plugin alike. The caches keep what
        the last run read and rendered, for a run that follows it in the same process."""
        return Pipeline(
            self.options,
            project_dir=self.root,
            docs_dir=self.docs_dir,
            display=self.display,
            playbooks_dir=self.playbooks_dir,
            override_dirs=self.template_dirs,
            load_cache=load_cache,
            render_cache=render_cache,
            config_file=self.config_file,
        )

    @property
    def custom_dir(self) -> Path | None:
        """The theme's `custom_dir`, if it has one."""
        theme = self.config.get("theme")
        custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
        return self.root / custom_dir if isinstance(custom_dir, str) else None

    @property
    def site_url(self) -> str | None:
        """The site's URL from the config, if set."""
        value = self.config.get("site_url")
        return value if isinstance(value, str) and value else None

    @property
    def display_base(self) -> Path:
        """The folder messages show paths relative to."""
        return self.display_dir or self.root

    def display(self, path: Path) -> str:
        """A path as messages show it."""
        return display_path(path, self.display_base)


def setup_problems(project: Project) -> list[Diagnostic]:
    """What a build would stop on before the plugin runs: a config whose docs folder is missing.

    The engine checks `docs_dir` first and its message does not say what the folder is for.
    """
    if project.config_file is None or project.docs_dir.is_dir():
        return []
    return [
        Diagnostic(
            project.display(project.config_file),
            key_line(project.config_file, "docs_dir"),
            1,
            "docs_dir",
            f"the folder '{project.display(project.docs_dir)}' does not exist; it holds the "
            "hand-written pages: create it with an index.md, the home page (`playbook init` "
            "writes a project that builds)",
        )
    ]


def find_project(path: Path, display_dir: Path | None = None) -> Project:
    """The project at ``path``: a folder with a config file, a playbook folder, or a config file
    (`properdocs.yml` first, then `mkdocs.yml`, as ProperDocs looks for them).

    Messages show paths relative to ``display_dir`` (by default `default_display_dir`).
    """
    path = path.resolve()
    project = _find(path)
    shown = display_dir or default_display_dir(project.root)
    return replace(project, display_dir=shown)


def _find(path: Path) -> Project:
    if path.is_file():
        return _from_config(path)
    for name in CONFIG_FILES:
        if (path / name).is_file():
            return _from_config(path / name)
    if _looks_like_playbook(path):
        # Given the playbook folder itself: its parent is the project.
        parent = path.parent
        config_file = next((parent / n for n in CONFIG_FILES if (parent / n).is_file()), None)
        base = _from_config(config_file) if config_file else _bare(parent)
        return replace(base, playbooks_dir=path)
    return _bare(path)


def _bare(root: Path) -> Project:
    return Project(
        root=root, playbooks_dir=root / DEFAULTS.playbooks_dir, docs_dir=root / DEFAULT_DOCS_DIR
    )


def _looks_like_playbook(path: Path) -> bool:
    collections = builtin_kinds().by_collection
    return (path.is_dir() and any((path / name).is_dir() for name in collections)) or any(
        path.glob(f"*/{KIND_FILE}")
    )


def _from_config(config_file: Path) -> Project:
    root = config_file.parent
    config = read_config(config_file)
    options = plugin_options(config, config_file)
    playbooks_dir = options.get("playbooks_dir", DEFAULTS.playbooks_dir)
    docs_dir = config.get("docs_dir", DEFAULT_DOCS_DIR)
    for name, value in (("playbooks_dir", playbooks_dir), ("docs_dir", docs_dir)):
        if not isinstance(value, str) or not value:
            raise ProjectError(
                Diagnostic(
                    _shown(config_file),
                    1,
                    1,
                    name if name == "docs_dir" else f"plugins.{PLUGIN_NAME}.{name}",
                    "expected a folder name such as 'playbooks'",
                )
            )
    return Project(
        root=root,
        playbooks_dir=root / playbooks_dir,
        docs_dir=root / docs_dir,
        config_file=config_file,
        config=config,
        options=PlaybookOptions.from_config(options),
    )


def read_config(config_file: Path, _depth: int = 0) -> dict[str, Any]:
    """A config as a mapping, merged over what it `INHERIT`s as MkDocs merges it; tags MkDocs
    would interpret are kept as `Tagged`."""
    config = _read_one(config_file)
    parent = config.pop(INHERIT_KEY, None)
    if parent is None:
        return config
    if not isinstance(parent, str) or not parent or _depth >= MAX_INHERIT_DEPTH:
        raise ProjectError(
            Diagnostic(
                _shown(config_file),
                1,
                1,
                INHERIT_KEY,
                "expected the path of a config file to inherit from, relative to this one, "
                f"at most {MAX_INHERIT_DEPTH} deep",
            )
        )
    parent_file = (config_file.parent / parent).resolve()
    if not parent_file.is_file():
        raise ProjectError(
            Diagnostic(
                _shown(config_file),
                1,
                1,
                INHERIT_KEY,
                f"the file '{parent}' does not exist; fix the path (it is relative to this file)",
            )
        )
    return _merged(read_config(parent_file, _depth + 1), config)


def _merged(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``override`` over ``base``: mappings merge key by key, anything else is replaced."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merged(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read_one(config_file: Path) -> dict[str, Any]:
    try:
        text = config_file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ProjectError(
            Diagnostic(_shown(config_file), 1, 1, "file", f"cannot be read: {error}")
        ) from None
    try:
        # The loader is ours and only builds plain values and `Tagged`: nothing is imported.
        value = yaml.load(text, Loader=ConfigLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ProjectError(
            Diagnostic(_shown(config_file), line, column, "yaml", f"{error.problem}; fix the YAML")
        ) from None
    except yaml.YAMLError as error:
        raise ProjectError(Diagnostic(_shown(config_file), 1, 1, "yaml", str(error))) from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ProjectError(
            Diagnostic(_shown(config_file), 1, 1, "yaml", "expected a mapping of settings")
        )
    return value


def plugin_options(config: dict[str, Any], config_file: Path) -> dict[str, Any]:
    """The options of the `playbook` plugin in a config (`{}` when it has none)."""
    plugins = config.get("plugins")
    entries: list[Any] = list(plugins.items()) if isinstance(plugins, dict) else []
    if isinstance(plugins, list):
        for item in plugins:
            if isinstance(item, dict):
                entries.extend(item.items())
            else:
                entries.append((item, None))
    for name, options in entries:
        if name != PLUGIN_NAME:
            continue
        if options is None:
            return {}
        if not isinstance(options, dict):
            raise ProjectError(
                Diagnostic(
                    _shown(config_file),
                    1,
                    1,
                    f"plugins.{PLUGIN_NAME}",
                    "expected a mapping of options",
                )
            )
        return options
    return {}


def _shown(config_file: Path) -> str:
    return display_path(config_file, default_display_dir(config_file.parent))


class ConfigLoader(yaml.SafeLoader):
    """A safe loader that keeps unknown tags as `Tagged` values."""


class ConfigDumper(yaml.SafeDumper):
    """A safe dumper that writes `Tagged` values back with their tags."""


def _construct_tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Tagged:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    elif isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
    else:  # pragma: no cover - PyYAML has no other node types
        value = None
    return Tagged(node.tag, value)


def _represent_tagged(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, "" if data.value is None else str(data.value))


ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)
ConfigLoader.add_multi_constructor("!", _construct_tagged)


def _represent_text(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    # Several lines read best as a block (`not_in_nav: |`), as people write them.
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


ConfigDumper.add_representer(Tagged, _represent_tagged)
ConfigDumper.add_representer(str, _represent_text)


def dump_config(config: dict[str, Any]) -> str:
    """A config as mkdocs.yml text, tags kept."""
    return yaml.dump(config, Dumper=ConfigDumper, sort_keys=False, allow_unicode=True, width=100)
