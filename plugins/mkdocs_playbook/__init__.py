"""mkdocs-playbook: structured YAML strategy playbooks as a cross-linked MkDocs Material site.

The public API is `__all__`: a project found and checked as `playbook validate` checks it,
a playbook folder loaded and resolved, the `Pipeline` from YAML files to Markdown pages, the
options, and the located problems they report. Everything else is internal. The names are
imported when first used, so that importing the package (as the MkDocs plugin does on a build
the cache answers) loads none of the core.
"""

import importlib as _importlib
import typing as _typing

__version__ = "0.2.0"

if _typing.TYPE_CHECKING:
    from .diagnostics import Diagnostic, DiagnosticError, Severity
    from .entities import Entity, Playbook
    from .load.loader import LoadResult, load_playbook
    from .options import PlaybookOptions
    from .pipeline import Pipeline
    from .plan import SitePlan, SiteSettings
    from .project import Project, find_project
    from .resolve.checked import Checked, check_playbook
    from .validation import ProjectCheck, check_project

_HOMES = {
    "Checked": "resolve.checked",
    "Diagnostic": "diagnostics",
    "DiagnosticError": "diagnostics",
    "Entity": "entities",
    "LoadResult": "load.loader",
    "Pipeline": "pipeline",
    "Playbook": "entities",
    "PlaybookOptions": "options",
    "Project": "project",
    "ProjectCheck": "validation",
    "Severity": "diagnostics",
    "SitePlan": "plan",
    "SiteSettings": "plan",
    "check_playbook": "resolve.checked",
    "check_project": "validation",
    "find_project": "project",
    "load_playbook": "load.loader",
}
"""Each public name, by the module that defines it."""

__all__ = [
    "Checked",
    "Diagnostic",
    "DiagnosticError",
    "Entity",
    "LoadResult",
    "Pipeline",
    "Playbook",
    "PlaybookOptions",
    "Project",
    "ProjectCheck",
    "Severity",
    "SitePlan",
    "SiteSettings",
    "check_playbook",
    "check_project",
    "find_project",
    "load_playbook",
]


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
