"""Images of `image` fields: files beside an entity's YAML or in its collection's `_assets/`.

An image field may be one of the kind's own fields or a sub-field of a record, of a list's
items or of steps; the same rules hold for each.

An image is checked where it is named (`file:line:col`), and each one found is handed to the
site as a file to copy, at the same place under the collection's pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

from ..diagnostics import Diagnostic
from ..entities import Entity
from ..kinds.spec import FieldSpec
from ..model import FieldPath, format_field_path

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")
ASSETS_DIR = "_assets"
"""The folder of a collection that holds images (and is not read for entities)."""
_URL_RE = re.compile(r"^([a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


def is_image_file(name: str) -> bool:
    """Whether a file in a collection folder is an image an entity may show."""
    return name.lower().endswith(IMAGE_SUFFIXES)


def image_src(value: object) -> str | None:
    """The `src` of an image field's value (`{src, alt}` or the src alone)."""
    if isinstance(value, str):
        return value
    src = getattr(value, "src", None)
    return src if isinstance(src, str) else None


def image_fields(entity: Entity) -> Iterable[tuple[FieldPath, str]]:
    """Each image an entity names, with the path of its `src` in the file: in the kind's
    own fields, and in the sub-fields of its records, list items and steps."""
    return _images(entity.kind.spec.fields, entity.data, ())


def _images(
    specs: Iterable[FieldSpec], data: object, at: FieldPath
) -> Iterator[tuple[FieldPath, str]]:
    for spec in specs:
        value = getattr(data, spec.name, None)
        if value is None:
            continue
        path = (*at, spec.name)
        if spec.type == "image":
            src = image_src(value)
            if src is not None:
                yield (path if isinstance(value, str) else (*path, "src")), src
        elif spec.fields and isinstance(value, tuple | list):  # a list of mappings, or steps
            for index, item in enumerate(value):
                yield from _images(spec.fields, item, (*path, index))
        elif spec.fields:  # a record
            yield from _images(spec.fields, value, path)


def check_images(
    entities: Iterable[Entity], playbooks_dir: Path
) -> tuple[dict[str, Path], list[Diagnostic]]:
    """Every image the entities name, by its docs-relative path on the site, and a located
    problem for each one that is missing, of another type, a URL, or outside its folder."""
    found: dict[str, Path] = {}
    problems: list[Diagnostic] = []
    for entity in entities:
        folder = playbooks_dir / entity.kind.collection
        for path, src in image_fields(entity):
            problem = _problem(folder, src)
            if problem is None:
                relative = PurePosixPath(src.replace("\\", "/"))
                found[f"{entity.kind.collection}/{relative.as_posix()}"] = folder / relative
                continue
            where = entity.position_of(path)
            problems.append(
                Diagnostic(entity.path, where.line, where.column, format_field_path(path), problem)
            )
    return found, problems


def _problem(folder: Path, src: str) -> str | None:
    where = (
        "an image is a file in the collection folder or in its _assets/ folder, such as "
        "'_assets/cover.png'"
    )
    if _URL_RE.match(src):
        return f"'{src}' is a URL; {where}: save the image there and name it"
    relative = PurePosixPath(src.replace("\\", "/"))
    if relative.is_absolute() or ".." in relative.parts or "." in relative.parts:
        return f"'{src}' leaves the collection folder; {where}"
    if len(relative.parts) > 1 and relative.parts[0] != ASSETS_DIR:
        return f"'{src}' is in a folder other than _assets/; {where}"
    if not is_image_file(relative.name):
        return (
            f"'{src}' is not an image file the site shows; use a "
            + ", ".join(IMAGE_SUFFIXES)
            + " file (SVG is not accepted: it can carry scripts)"
        )
    path = folder / relative
    real_folder = folder.resolve()
    try:
        path.resolve().relative_to(real_folder)
    except ValueError:
        return f"'{src}' leaves the collection folder (through a link); {where}"
    if not path.is_file():
        return f"'{src}' does not exist in {folder.name}/; add the file or fix the path"
    return None
