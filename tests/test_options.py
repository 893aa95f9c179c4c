"""The plugin's options are declared once, in options.py: MkDocs' config class is made from
that declaration, and the command line reads mkdocs.yml with the same checks."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from mkdocs.config import load_config

from mkdocs_playbook.engine.plugin import PlaybookConfig, PlaybookPlugin
from mkdocs_playbook.options import DEFAULTS, PlaybookOptions

from .conftest import write

DECLARED = [option.name for option in dataclasses.fields(PlaybookOptions)]


def test_the_mkdocs_config_class_is_the_declaration_in_its_order() -> None:
    plugin = PlaybookPlugin()
    assert plugin.config_class is PlaybookConfig
    assert plugin.load_config({}) == ([], [])
    assert list(plugin.config) == DECLARED
    assert len(DECLARED) == 11
    for name, default, check, doc in PlaybookOptions.declared():
        assert default == getattr(DEFAULTS, name), name
        assert callable(check), name
        assert doc.endswith("."), name


def test_enabled_is_left_to_mkdocs_which_then_does_not_load_the_plugin(tmp_path: Path) -> None:
    # MkDocs 1.6 takes `enabled` out of a plugin's options when the plugin declares none.
    assert "enabled" not in DECLARED
    write(
        tmp_path,
        {
            "docs/index.md": "# Home\n",
            "mkdocs.yml": "site_name: T\nplugins:\n- search\n- playbook:\n    enabled: false\n",
        },
    )
    config = load_config(str(tmp_path / "mkdocs.yml"))
    assert list(config.plugins) == ["search"]


def test_a_plugin_with_no_options_has_the_declared_defaults() -> None:
    plugin = PlaybookPlugin()
    assert plugin.load_config({}) == ([], [])
    assert PlaybookOptions(**dict(plugin.config)) == DEFAULTS


GOOD = [
    ("playbooks_dir", "content"),
    ("nav", False),  # mkdocs.yml's YAML reads `off` as false
    ("nav", "entities"),
    ("templates_dir", ""),
    ("max_file_size", 10),
    ("health_page", True),
    ("workers", 3),
    ("builtin_kinds", "none"),
    ("builtin_kinds", ["persona", "metric"]),
]
BAD = [
    (
        "builtin_kinds",
        "some",
        "Expected 'all', 'none' or a list of built-in kind names such as [persona, metric] "
        "but received: 'some'",
    ),
    ("playbooks_dir", 3, "Expected type: <class 'str'> but received: <class 'int'>"),
    ("nav", "pages", "Expected one of: ('kinds', 'entities', 'off') but received: 'pages'"),
    ("templates_dir", ["a"], "Expected type: <class 'str'> but received: <class 'list'>"),
    ("cache", "yes", "Expected type: <class 'bool'> but received: <class 'str'>"),
    ("cache", 1, "Expected type: <class 'bool'> but received: <class 'int'>"),
    (
        "workers",
        -1,
        "-1 is not a number of processes: write 0 for one per processor, 1 to convert pages"
        " in MkDocs' own process, or more",
    ),
]


@pytest.mark.parametrize(("name", "value"), GOOD)
def test_a_value_mkdocs_takes_the_command_line_takes_too(name: str, value: object) -> None:
    plugin = PlaybookPlugin()
    assert plugin.load_config({name: value}) == ([], [])
    assert getattr(PlaybookOptions.from_config({name: value}), name) == plugin.config[name]


@pytest.mark.parametrize(("name", "value", "message"), BAD)
def test_a_value_mkdocs_refuses_keeps_its_default_on_the_command_line(
    name: str, value: object, message: str
) -> None:
    errors, _ = PlaybookPlugin().load_config({name: value})
    assert [(key, str(error)) for key, error in errors] == [(name, message)]
    assert PlaybookOptions.from_config({name: value}) == DEFAULTS
