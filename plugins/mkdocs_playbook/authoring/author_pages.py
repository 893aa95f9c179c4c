"""Pages for authors beside the playbook: the authoring guide, its JSON Schemas, health, and
the hub that lists every page for authors.

One function, so the plugin and `playbook export` publish the same files. The pages go
under `authors/` (the JSON Schemas stay under `schemas/`, where editors find them), with the
hand-written pages a site puts in `docs/authors/`: the engine keeps them all out of the
reader's nav and search index, and a link at the foot of every page opens the hub. When a
kind takes the collection `authors`, that folder is `for-authors/` (`plan.authors_dir`).
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import Diagnostic
from ..entities import Playbook
from ..kinds.registry import KindRegistry
from ..links import read_docs_pages
from ..plan import EditUrl, authors_hub
from ..render.markup import escape_text
from ..render.pages import site_page_path
from ..resolve.refs import Links
from .guide import render_authoring_guide
from .health import checks_in_order, content_health, render_health_page
from .schema import (
    KIND_SCHEMA_FILE,
    SCHEMA_DIR,
    SCHEMA_MAP_FILE,
    published_schemas,
    schema_file_name,
)

GUIDE_NAME = "authoring-guide.md"
HEALTH_NAME = "health.md"
HUB_TITLE = "For authors"
DESCRIPTIONS = {
    GUIDE_NAME: "Every field of every kind: its type, whether it is required, and an example.",
    HEALTH_NAME: "What to look at: refs that do not resolve, and entities nothing links to.",
}
"""The hub's line on each page the plugin itself makes for authors, by its file name."""


def guide_page(folder: str) -> str:
    """The authoring guide's path, in the ``folder`` of the pages for authors."""
    return f"{folder}/{GUIDE_NAME}"


def health_page(folder: str) -> str:
    """The health page's path, in the ``folder`` of the pages for authors."""
    return f"{folder}/{HEALTH_NAME}"


def author_pages(
    playbook: Playbook,
    links: Links,
    diagnostics: Iterable[Diagnostic],
    *,
    site_url: str | None,
    playbooks_dir: str,
    guide: bool,
    health: bool,
    folder: str,
    edit_url: EditUrl | None = None,
    docs_dir: str | None = None,
    site_pages: Mapping[str, str] | None = None,
    handwritten: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The author-facing files, by docs-relative path: Markdown pages and schema JSON. The
    hub lists the pages the kinds declare for authors (``site_pages``, rendered already),
    the guide, health, and the site's own pages in their ``folder`` (``handwritten``).
    Problems in the pages of ``docs_dir`` (as messages show it) have their own section of
    the health page."""
    pages: dict[str, str] = {}
    guide_path, health_path = guide_page(folder), health_page(folder)
    if guide:
        pages[guide_path] = render_authoring_guide(playbook.kinds)
        pages.update(published_schemas(playbook.kinds, site_url, playbooks_dir))
    if health:
        items = content_health(playbook, links, diagnostics, docs_dir=docs_dir)
        pages[health_path] = render_health_page(
            items, checks_in_order(playbook), page_path=health_path, edit_url=edit_url
        )
    generated = {**(site_pages or {})}
    generated.update({path: pages[path] for path in (guide_path, health_path) if path in pages})
    described = {
        **{f"{folder}/{name}": text for name, text in DESCRIPTIONS.items()},
        **declared_descriptions(playbook, folder),
    }
    pages[authors_hub(folder)] = render_authors_hub(generated, handwritten or {}, described, folder)
    return pages


def author_page_paths(pages: Iterable[str], declared: Iterable[str], folder: str) -> list[str]:
    """Of generated files, the pages for authors (in their ``folder``): the hub first, then
    those the kinds declare for authors (``declared``), the guide and health."""
    present = set(pages)
    order = (authors_hub(folder), *declared, guide_page(folder), health_page(folder))
    return [path for path in order if path in present]


def author_files(kinds: KindRegistry, *, guide: bool, health: bool, folder: str) -> list[str]:
    """The paths `author_pages` writes with these options, without writing them."""
    files = [authors_hub(folder)]
    if guide:
        files.append(guide_page(folder))
        files += [f"{SCHEMA_DIR}/{schema_file_name(kind)}" for kind in kinds]
        files.append(f"{SCHEMA_DIR}/{KIND_SCHEMA_FILE}")
        files.append(f"{SCHEMA_DIR}/{SCHEMA_MAP_FILE}")
    if health:
        files.append(health_page(folder))
    return files


def declared_descriptions(playbook: Playbook, folder: str) -> dict[str, str]:
    """The hub's line on each coverage page a kind declares for authors: its tables'
    headings ("Personas by stage; Channels by persona")."""
    found: dict[str, str] = {}
    for kind in playbook.kinds:
        for declared in kind.spec.site_pages:
            columns = (declared.get("coverage") or {}).get("columns") or []
            headings = [c["heading"] for c in columns if isinstance(c, dict) and c.get("heading")]
            if declared.get("for") == "authors" and headings:
                found[site_page_path(declared, folder)] = "; ".join(
                    map(escape_text, map(str, headings))
                )
    return found


# -- the hub -------------------------------------------------------------------------------


def handwritten_author_pages(docs_dir: Path, root: Path, folder: str) -> dict[str, str]:
    """The Markdown pages a site writes in the ``folder`` of the pages for authors
    (`docs/authors/`; not the hub's own path), by docs-relative path, with their text: those
    MkDocs reads, none read through a link that leads outside the project ``root``, and
    none that cannot be read (MkDocs reports those itself)."""
    hub = authors_hub(folder)
    return {
        src_uri: text
        for src_uri, _, text in read_docs_pages(docs_dir, root, under=folder)
        if src_uri != hub and isinstance(text, str)
    }


def render_authors_hub(
    generated: Mapping[str, str],
    handwritten: Mapping[str, str],
    described: Mapping[str, str],
    folder: str,
) -> str:
    """The page that lists every page for authors (in their ``folder``), one line each: its
    title, linked, and what it is for (the page's `description`, or its first sentence)."""
    lines = [
        "---",
        f'title: "{HUB_TITLE}"',
        'search: {"exclude": true}',
        "---",
        "",
        f"# {HUB_TITLE}",
        "",
        "Pages for the people who write this playbook. They stay out of the reader's "
        "navigation and search; the link at the foot of every page leads here.",
    ]
    if generated:
        lines += ["", "## Made from the playbook", ""]
        lines += [
            _line(path, text, described.get(path), folder) for path, text in generated.items()
        ]
    if handwritten:
        lines += ["", "## Written for this site", ""]
        lines += [_line(path, text, None, folder) for path, text in sorted(handwritten.items())]
    if not generated and not handwritten:
        lines += ["", f"There are none yet: pages under `docs/{folder}/` are listed here."]
    return "\n".join(lines) + "\n"


_HEADING_RE = re.compile(r"^#[ \t]+(.*?)(?:[ \t]+\{[^}]*\})?(?:[ \t]+#+)?[ \t]*$")
_FENCE_RE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_SENTENCE_RE = re.compile(r"(.+?[.!?])(?=\s|$)")
_NOT_A_PARAGRAPH = ("#", "|", "<", "-", "*", "+", ">", "`", "~", "!", "[", "{", ":", "=")


def _line(path: str, text: str, description: str | None, folder: str) -> str:
    meta, body = _split_front_matter(text)
    title, after = _title(body)
    shown = (
        escape_text(html.unescape(str(meta["title"])))
        if isinstance(meta.get("title"), str)
        else title or escape_text(_title_from_name(path))
    )
    if isinstance(meta.get("description"), str):
        description = escape_text(str(meta["description"]))
    elif description is None:
        description = _first_sentence(after)
    link = posixpath.relpath(path, folder)
    return f"- [{shown}]({link})" + (f": {description}" if description else "")


def _split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---", 3)
    if end < 0:
        return {}, text
    try:
        meta = yaml.safe_load(text[4:end])
    except yaml.YAMLError:
        meta = None
    body = text[end + 4 :].partition("\n")[2]
    return (meta if isinstance(meta, dict) else {}), body


def _title(body: str) -> tuple[str | None, list[str]]:
    """A page's first level-one heading, as Markdown, and the lines after it."""
    lines = body.splitlines()
    fence = None
    for index, line in enumerate(lines):
        opened = _FENCE_RE.match(line)
        if opened and (fence is None or opened.group(1).startswith(fence)):
            fence = None if fence else opened.group(1)[:3]
            continue
        heading = _HEADING_RE.match(line) if fence is None else None
        if heading and heading.group(1).strip():
            return heading.group(1).strip(), lines[index + 1 :]
    return None, lines


def _first_sentence(lines: list[str]) -> str | None:
    """The first sentence of the paragraph that opens a page, its links made their text;
    none when the page opens with something else or the sentence is long."""
    paragraph: list[str] = []
    for line in lines:
        if not line.strip():
            if paragraph:
                break
            continue
        if not paragraph and line.lstrip().startswith(_NOT_A_PARAGRAPH):
            return None
        paragraph.append(line.strip())
    found = _SENTENCE_RE.match(_LINK_RE.sub(r"\1", " ".join(paragraph)))
    sentence = found.group(1) if found else None
    if sentence is None or len(sentence) > 160 or sentence.count("`") % 2:
        return None
    return sentence


def _title_from_name(path: str) -> str:
    """The title MkDocs gives a page without one, from its file name."""
    name = posixpath.splitext(posixpath.basename(path))[0].replace("-", " ").replace("_", " ")
    return name.capitalize() if name.lower() == name else name
