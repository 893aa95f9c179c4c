"""The plugin's config class for MkDocs, made from the options' one declaration
(`..options.PlaybookOptions`), in its order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mkdocs.config import base

from ..options import Check, OptionError, PlaybookOptions


class _Declared(base.BaseConfigOption[Any]):
    """An option as `PlaybookOptions` declares it: its default, and its check, whose message
    MkDocs shows after the option's name."""

    def __init__(self, default: object, check: Check) -> None:
        super().__init__()
        self.default = default
        self.check = check

    def run_validation(self, value: object) -> object:
        if value is None:  # Not set, or set to nothing: the default, as MkDocs' own options do.
            return self.default
        try:
            return self.check(value)
        except OptionError as error:
            raise base.ValidationError(str(error)) from None


if TYPE_CHECKING:

    class PlaybookConfig(base.Config, PlaybookOptions):
        """Options of the `playbook` plugin: the type checker sees `PlaybookOptions`' fields."""

else:
    # Made from the declaration, in its order. `enabled` is MkDocs' own: with no `enabled`
    # option here, MkDocs 1.6 (`config_options.Plugins.load_plugin`) takes it out of the
    # plugin's options first and, when it is false, does not load the plugin at all.
    PlaybookConfig = type(
        "PlaybookConfig",
        (base.Config,),
        {
            "__doc__": "Options of the `playbook` plugin, made from `PlaybookOptions`.",
            "__module__": __name__,
            **{
                name: _Declared(default, check)
                for name, default, check, _ in PlaybookOptions.declared()
            },
        },
    )
