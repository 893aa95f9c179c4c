"""A generated page's YAML front matter: written by the renderer, read back by the plugin.

Apart from the renderer, so that a build the cache answers reads its pages' metadata
without loading the code that renders them.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

import yaml


def front_matter(values: dict[str, Any]) -> str:
    """A YAML front matter block of these values, titles and tags HTML-escaped."""
    # MkDocs and themes print the title and tags into HTML without escaping them.
    escaped = {
        key: [html.escape(str(v)) for v in value]
        if isinstance(value, list | tuple)
        else html.escape(str(value))
        for key, value in values.items()
    }
    # JSON values are valid YAML, and far cheaper to write than yaml.safe_dump.
    lines = [f"{key}: {json.dumps(escaped[key], ensure_ascii=False)}" for key in sorted(escaped)]
    return "---\n" + "\n".join(lines) + "\n---\n"


_YAML_SPECIAL = re.compile(f"[\x85\u2028\u2029]|{yaml.reader.Reader.NON_PRINTABLE.pattern}")
"""Characters YAML reads as line breaks, or refuses: a header with one is left to YAML."""


def read_front_matter(text: str) -> tuple[dict[str, Any], str] | None:
    """The metadata and the Markdown of a page `front_matter` began, as an engine reads
    them from its YAML front matter (the body without the blank lines that open it); or
    ``None`` when the page has none, or one this did not write."""
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 3)
    if end < 0:
        return None
    header = text[4:end] if end > 3 else ""
    if _YAML_SPECIAL.search(header):
        return None  # YAML would fold or refuse these: let the engine read them its way.
    meta: dict[str, Any] = {}
    for line in header.split("\n") if header else []:
        key, separator, value = line.partition(": ")
        if not separator:
            return None
        try:
            meta[key] = json.loads(value)
        except ValueError:
            return None
    return meta, text[end + 5 :].lstrip("\n")
