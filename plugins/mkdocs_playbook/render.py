"""Render a resolved playbook into Markdown pages through Jinja templates.

Templates are files (`templates/*.md.jinja`); a file of the same name in an override folder
(by default `theme_overrides/playbook/`) replaces the packaged one.
"""

from __future__ import annotations

import datetime
import html
import posixpath
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
import yaml

from .markup import Link, escape_text, make_untrusted_markdown_safe, rewrite_links
from .model import (
    KIND_BY_NAME,
    KINDS,
    Comparison,
    Entity,
    Kind,
    Playbook,
    kind_index_path,
)
from .refs import Links, RefError, Target, inline_ref, parse_ref, resolve_target, target_of

EditUrl = Callable[[str], str | None]
"""Given a source path relative to the project, its edit URL (or None)."""


class Renderer:
    """Turns entities and kinds into Markdown pages, links relative to each page."""

    def __init__(
        self,
        playbook: Playbook,
        links: Links,
        *,
        override_dirs: Sequence[Path] = (),
        edit_url: EditUrl | None = None,
        show_tags: bool = True,
    ) -> None:
        self.playbook = playbook
        self.links = links
        self.edit_url = edit_url or (lambda _path: None)
        self.show_tags = show_tags
        """Whether pages list their tags (not needed where Material's tags plugin does it)."""
        self.env = _environment(override_dirs)
        self._comparisons = _comparisons_by_subject(playbook)

    # -- pages ---------------------------------------------------------------------------

    def render_site(self) -> dict[str, str]:
        """Every page the playbook makes, by docs-relative path, in a stable order."""
        pages: dict[str, str] = {}
        for kind in self.kinds_with_pages():
            pages[kind_index_path(kind)] = self.render_kind_index(kind)
            for entity in self.playbook.of_kind(kind):
                pages[entity.page_path] = self.render_entity_page(entity)
        return pages

    def page_paths(self) -> list[str]:
        """The docs-relative paths of every page `render_site` makes, without rendering."""
        return [
            path
            for kind in self.kinds_with_pages()
            for path in [kind_index_path(kind), *(e.page_path for e in self.playbook.of_kind(kind))]
        ]

    def kinds_with_pages(self) -> list[Kind]:
        """Kinds that get an index page: those in use and those compared as a whole."""
        compared = {t.id for t in self._comparisons if t.is_whole_kind}
        in_use = {kind.name for kind in self.playbook.kinds_in_use()}
        return [kind for kind in KINDS if kind.name in in_use | compared]

    def render_entity_page(self, entity: Entity) -> str:
        """The Markdown page of one entity."""
        template = self.env.get_template(f"{entity.kind.name}.md.jinja")
        return template.render(
            **self._context(entity.page_path),
            entity=entity,
            kind=entity.kind,
            e=entity.data,
            target=target_of(entity),
            edit_url=self.edit_url(entity.path),
        )

    def render_kind_index(self, kind: Kind) -> str:
        """The Markdown index page of one kind: introduction, comparisons and cards."""
        template = self.env.get_template("index.md.jinja")
        return template.render(
            **self._context(kind_index_path(kind)),
            kind=kind,
            entities=self.playbook.of_kind(kind),
            intro=self.playbook.intros.get(kind.name),
            target=Target("kind", kind.name),
        )

    def rewrite_page_refs(self, markdown: str, page_path: str) -> str:
        """Turn inline refs of a hand-written page into links (its HTML is trusted)."""
        return rewrite_links(markdown, lambda link: self._inline_link(link, page_path))

    # -- helpers the templates call ---------------------------------------------------------

    def _context(self, page_path: str) -> dict[str, Any]:
        def url(target_page: str) -> str:
            return posixpath.relpath(target_page, posixpath.dirname(page_path) or ".")

        def link_to(item: Entity | Kind, label: str | None = None) -> str:
            if isinstance(item, Kind):
                return f"[{escape_text(label or item.plural)}]({url(kind_index_path(item))})"
            return f"[{escape_text(label or item.data.title)}]({url(item.page_path)})"

        def ref(value: str, fixed_kind: str | None = None) -> str:
            found = self.lookup(value, fixed_kind)
            return link_to(found) if found is not None else escape_text(value)

        def md(text: str | None) -> str:
            if not text:
                return ""
            linked = rewrite_links(text, lambda link: self._inline_link(link, page_path))
            return make_untrusted_markdown_safe(linked).strip()

        def md_cell(text: str | None) -> str:
            rendered = md(text)
            rendered = re.sub(r"\n\s*\n", "<br><br>", rendered)
            return rendered.replace("\n", " ").replace("|", "\\|")

        return {
            "page_path": page_path,
            "show_tags": self.show_tags,
            "url": url,
            "link": link_to,
            "ref": ref,
            "md": md,
            "md_cell": md_cell,
            "lookup": self.lookup,
            "backlinks": self.links.grouped,
            "comparisons_of": lambda target: self._comparisons.get(target, []),
            "subject_columns": self.subject_columns,
            "stages": self.playbook.of_kind(KIND_BY_NAME["stage"]),
            "KIND_BY_NAME": KIND_BY_NAME,
            "source_url": _source_url,
        }

    def lookup(self, value: str, fixed_kind: str | None = None) -> Entity | Kind | None:
        """The entity or kind a ref names, or None when it does not resolve."""
        try:
            return resolve_target(self.playbook, parse_ref(value, fixed_kind))
        except RefError:
            return None

    def subject_columns(
        self, comparison: Comparison
    ) -> list[tuple[str, Entity | Kind | None, str]]:
        """Each subject of a comparison: its key in `values`, what it names, and the raw ref."""
        return [
            (key, self.lookup(subject), subject)
            for key, subject in zip(comparison.subject_keys(), comparison.subjects, strict=True)
        ]

    def _inline_link(self, link: Link, page_path: str) -> str | None:
        try:
            target = inline_ref(link.target)
        except RefError:
            return escape_text(link.text or link.target)
        if target is None:
            return None
        found = resolve_target(self.playbook, target)
        if found is None:
            return escape_text(link.text or target.id)
        label = link.text or escape_text(
            found.plural if isinstance(found, Kind) else found.data.title
        )
        page = kind_index_path(found) if isinstance(found, Kind) else found.page_path
        return f"[{label}]({posixpath.relpath(page, posixpath.dirname(page_path) or '.')})"


def _comparisons_by_subject(playbook: Playbook) -> dict[Target, list[Entity]]:
    found: dict[Target, list[Entity]] = {}
    for entity in playbook.of_kind(KIND_BY_NAME["comparison"]):
        assert isinstance(entity.data, Comparison)
        for subject in entity.data.subjects:
            try:
                found.setdefault(parse_ref(subject, None), []).append(entity)
            except RefError:
                continue
    return found


def _source_url(url: str) -> str:
    # Parentheses and blanks would end a Markdown link target early.
    return quote(url, safe="/:?#[]@!$&'*+,;=%-._~")


# -- the Jinja environment ------------------------------------------------------------------


def _front_matter(values: dict[str, Any]) -> str:
    # MkDocs and themes print the title and tags into HTML without escaping them.
    escaped = {
        key: [html.escape(str(v)) for v in value]
        if isinstance(value, list | tuple)
        else html.escape(str(value))
        for key, value in values.items()
    }
    dumped = yaml.safe_dump(escaped, sort_keys=True, allow_unicode=True, width=1000)
    return f"---\n{dumped}---\n"


def _mermaid_label(text: str) -> str:
    """Text made safe inside a quoted Mermaid label: no quotes, markup or line breaks."""
    replacements = {'"': "#quot;", "<": "#lt;", ">": "#gt;", "`": "#96;", "#": "#35;"}
    escaped = "".join(replacements.get(char, char) for char in text)
    return re.sub(r"\s+", " ", escaped).strip()


def _play_time(value: object) -> str:
    if isinstance(value, str):
        return escape_text(value)
    low, high, unit = (getattr(value, name) for name in ("min", "max", "unit"))
    span = f"{low:g}" if low == high else f"{low:g} to {high:g}"
    return f"{span} {unit}"


def _tag_code(tag: str) -> str:
    # A code span shows the tag literally; a backtick inside would end it early.
    return "`" + tag.replace("`", "'") + "`"


def _display_date(value: object) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _environment(override_dirs: Sequence[Path]) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader([str(d) for d in override_dirs])]
    loaders.append(jinja2.PackageLoader("mkdocs_playbook", "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=False,  # the output is Markdown; text is escaped by the `text` filter
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["text"] = lambda value: escape_text(str(value))
    env.filters["mermaid_label"] = _mermaid_label
    env.filters["display_date"] = _display_date
    env.filters["play_time"] = _play_time
    env.filters["tag_code"] = _tag_code
    env.filters["front_matter"] = _front_matter
    return env
