"""The icons a kind may name: those Material for MkDocs bundles, found without importing it.

The core must not import MkDocs or Material, so the icon folder is found through the
installed distribution's files (`material/templates/.icons/<set>/<name>.svg`). Where
Material is not installed, only the form of a name is checked.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
from importlib import metadata
from pathlib import Path

from ..diagnostics import did_you_mean

ICON_RE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*(?:/[a-z0-9]+(?:[-_][a-z0-9]+)*)+$")
"""`set/name` (`material/target`, `fontawesome/solid/heart`): lowercase letters, digits,
hyphens and underscores, in two or more parts, as Material's icon files are named."""
ICON_EXAMPLE = "material/target"
ICONS_PAGE = "https://squidfunk.github.io/mkdocs-material/reference/icons-emojis/"
_DISTRIBUTION = "mkdocs-material"
_ICONS_FOLDER = "material/templates/.icons"


@functools.cache
def bundled_icons_folder() -> Path | None:
    """Material's icon folder, or None when Material is not installed."""
    try:
        distribution = metadata.distribution(_DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return None
    folder = Path(str(distribution.locate_file(_ICONS_FOLDER)))
    return folder if folder.is_dir() else None


def icon_problem(icon: str, folder: Path | None) -> str | None:
    """What is wrong with an icon name, or None; ``folder`` holds the icons (None: the name's
    form alone is checked)."""
    if not ICON_RE.match(icon):
        return (
            f"'{icon}' is not an icon name: write a Material icon as set/name, such as "
            f"'{ICON_EXAMPLE}', in lowercase letters, digits, hyphens and underscores"
        )
    if folder is None or (folder / f"{icon}.svg").is_file():
        return None
    icon_set, _, _ = icon.rpartition("/")
    if not (folder / icon_set).is_dir():
        sets = _sets(folder)
        return f"'{icon_set}' is not a set of Material's icons" + (
            did_you_mean(icon_set, sets) or "; the sets are: " + ", ".join(sets)
        )
    # Compared by the name alone: the set, the same in all, would make anything look close.
    names = sorted(name.removesuffix(".svg") for name in _names(folder / icon_set))
    close = difflib.get_close_matches(icon.rpartition("/")[2], names, n=1, cutoff=0.6)
    return f"'{icon}' is not one of Material's icons" + (
        f"; did you mean '{icon_set}/{close[0]}'?" if close else f"; find one at {ICONS_PAGE}"
    )


def _sets(folder: Path) -> list[str]:
    found = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        if any(name.endswith(".svg") for name in files) and Path(root) != folder:
            found.append(Path(root).relative_to(folder).as_posix())
    return found


def _names(folder: Path) -> list[str]:
    try:
        return [name for name in os.listdir(folder) if name.endswith(".svg")]
    except OSError:
        return []
