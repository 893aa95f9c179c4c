"""Render a resolved playbook into Markdown pages through Jinja templates.

Templates are files (`templates/*.md.jinja`); a file of the same name in an override folder
(by default `theme_overrides/playbook/`) replaces the packaged one.
"""

from __future__ import annotations

import datetime
import functools
import html
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2

from .diagnostics import Diagnostic, DiagnosticError
from .markup import (
    Link,
    code_element,
    code_spans_as_elements,
    escape_text,
    make_untrusted_markdown_safe,
    rewrite_links,
)
from .model import (
    KIND_BY_NAME,
    KINDS,
    Comparison,
    Entity,
    Kind,
    Playbook,
    kind_index_path,
)
from .refs import (
    Links,
    RefError,
    Target,
    field_refs,
    inline_ref,
    parse_ref,
    resolve_target,
    target_of,
)

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
        icons: bool = False,
        snippets: bool = False,
        use_directory_urls: bool = True,
        extra_pages: bool = True,
    ) -> None:
        self.playbook = playbook
        self.links = links
        self.edit_url = edit_url or (lambda _path: None)
        self.show_tags = show_tags
        """Whether pages list their tags (not needed where Material's tags plugin does it)."""
        self.icons = icons
        """Whether Material's icon shortcodes (`:material-account:`) are available."""
        self.snippets = snippets
        """Whether `pymdownx.snippets` is enabled: its lines in YAML text are then escaped."""
        self.use_directory_urls = use_directory_urls
        self.extra_pages = extra_pages
        """Whether to make the "Which do I need?" and coverage pages."""
        self.env = _environment(tuple(str(folder) for folder in override_dirs))
        self._comparisons = _comparisons_by_subject(playbook)

    # -- pages ---------------------------------------------------------------------------

    def render_site(self) -> dict[str, str]:
        """Every page the playbook makes, by docs-relative path, in a stable order.

        Raises `TemplateProblem` when a template (packaged or overridden) fails.
        """
        try:
            return self._render_site()
        except jinja2.TemplateError as error:
            raise TemplateProblem.from_jinja(error) from None

    def _render_site(self) -> dict[str, str]:
        pages: dict[str, str] = {}
        for kind in self.kinds_with_pages():
            pages[kind_index_path(kind)] = self.render_kind_index(kind)
            for entity in self.playbook.of_kind(kind):
                pages[entity.page_path] = self.render_entity_page(entity)
        for path in self.extra_page_paths():
            pages[path] = self.render_extra_page(path)
        return pages

    def extra_page_paths(self) -> list[str]:
        """The generated pages beyond entities and kinds that this playbook has content for."""
        if not self.extra_pages:
            return []
        paths = []
        if any(
            isinstance(e.data, Comparison) and e.data.choose_when
            for e in self.playbook.of_kind(KIND_BY_NAME["comparison"])
        ):
            paths.append(DECISION_PAGE)
        personas = self.playbook.of_kind(KIND_BY_NAME["persona"])
        if personas and self.playbook.of_kind(KIND_BY_NAME["stage"]):
            paths.append(COVERAGE_PAGE)
        return paths

    def render_extra_page(self, path: str) -> str:
        """The "Which do I need?" guide or the coverage page."""
        template = self.env.get_template(path.replace(".md", ".md.jinja"))
        return template.render(
            **self._context(path),
            coverage=coverage(self.playbook),
            comparisons=self.playbook.of_kind(KIND_BY_NAME["comparison"]),
        )

    def page_paths(self) -> list[str]:
        """The docs-relative paths of every page `render_site` makes, without rendering."""
        return [
            path
            for kind in self.kinds_with_pages()
            for path in [kind_index_path(kind), *(e.page_path for e in self.playbook.of_kind(kind))]
        ] + self.extra_page_paths()

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
            return relative_link(page_path, target_page)

        def html_url(target_page: str) -> str:
            # Inside diagrams MkDocs does not rewrite links, so give the final URL.
            return _relative_url(self._page_url(page_path), self._page_url(target_page))

        def icon(item: Entity | Kind) -> str:
            kind = item if isinstance(item, Kind) else item.kind
            return f':{kind.icon}:{{ title="{kind.singular}" }} ' if self.icons else ""

        def link_to(item: Entity | Kind, label: str | None = None) -> str:
            if isinstance(item, Kind):
                text = escape_text(label or item.plural)
                hint = f"All {item.plural.lower()}"
                return f'[{text}]({url(kind_index_path(item))} "{hint}")'
            hint = _link_title(item.data.summary)
            return f'[{escape_text(label or item.data.title)}]({url(item.page_path)} "{hint}")'

        def ref(value: str, fixed_kind: str | None = None) -> str:
            found = self.lookup(value, fixed_kind)
            return link_to(found) if found is not None else escape_text(value)

        def md(text: str | None) -> str:
            if not text:
                return ""
            return make_untrusted_markdown_safe(
                text, lambda link: self._inline_link(link, page_path), snippets=self.snippets
            ).strip()

        def md_cell(text: str | None) -> str:
            # Cells may sit in an HTML block that md_in_html parses: see `code_element`.
            rendered = code_spans_as_elements(md(text))
            rendered = re.sub(r"\n\s*\n", "<br><br>", rendered)
            return rendered.replace("\n", " ").replace("|", "\\|")

        return {
            "page_path": page_path,
            "show_tags": self.show_tags,
            "icon": icon,
            "html_url": html_url,
            "neighbours": self.neighbours,
            "campaigns_under": self.campaigns_under,
            "differing": differing_dimensions,
            "tags_of": lambda entities: sorted({t for e in entities for t in e.data.tags}),
            "tags_json": lambda tags: html.escape(json.dumps(list(tags)), quote=True),
            "card_text": lambda e: html.escape(
                f"{e.data.title} {e.data.summary}".lower(), quote=True
            ),
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

    def neighbours(self, entity: Entity, limit: int = 12) -> tuple[list[Entity], list[Entity]]:
        """What refers to the entity and what it refers to, at most ``limit`` in all."""
        incoming = list(
            dict.fromkeys(
                s for _, sources in self.links.grouped(target_of(entity)) for s in sources
            )
        )
        outgoing: dict[Entity, None] = {}
        for ref in field_refs(entity):
            found = self.lookup(ref.value, ref.kind)
            if isinstance(found, Entity) and found is not entity:
                outgoing[found] = None
        half = limit // 2
        take_in = min(len(incoming), max(half, limit - len(outgoing)))
        take_out = min(len(outgoing), limit - take_in)
        return incoming[:take_in], list(outgoing)[:take_out]

    def campaigns_under(self, strategy: Entity) -> list[Entity]:
        """The campaigns whose `strategy` is this strategy."""
        return self._campaigns_by_strategy.get(strategy.id, [])

    @functools.cached_property
    def _campaigns_by_strategy(self) -> dict[str, list[Entity]]:
        found: dict[str, list[Entity]] = {}
        for campaign in self.playbook.of_kind(KIND_BY_NAME["campaign"]):
            strategy = self.lookup(getattr(campaign.data, "strategy", ""), "strategy")
            if isinstance(strategy, Entity):
                found.setdefault(strategy.id, []).append(campaign)
        return found

    def _page_url(self, page_path: str) -> str:
        stem = page_path.removesuffix(".md")
        if not self.use_directory_urls:
            return stem + ".html"
        if stem == "index" or stem.endswith("/index"):
            return stem.removesuffix("index")
        return stem + "/"

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
        return f"[{label}]({relative_link(page_path, page)})"


class TemplateProblem(DiagnosticError):
    """A page template that could not be loaded or rendered, with where it failed."""

    @classmethod
    def from_jinja(cls, error: jinja2.TemplateError) -> TemplateProblem:
        """Name the template file and line, as far as Jinja knows them."""
        where = getattr(error, "filename", None) or getattr(error, "name", None) or "template"
        line = getattr(error, "lineno", None) or 1
        message = f"{error.message or type(error).__name__}; fix the template"
        return cls(Diagnostic(str(where), line, 1, "template", message))


DECISION_PAGE = "which-do-i-need.md"
COVERAGE_PAGE = "coverage.md"


def relative_link(from_page: str, to_page: str) -> str:
    """The Markdown link from one docs page to another (`a/b.md` → `c/d.md`: `../c/d.md`)."""
    # posixpath.relpath is correct but slow, and pages ask for thousands of links.
    from_dir = from_page.rpartition("/")[0]
    to_dir, _, name = to_page.rpartition("/")
    if from_dir == to_dir:
        return name
    return "../" * (from_dir.count("/") + 1) + to_page if from_dir else to_page


def _relative_url(from_url: str, to_url: str) -> str:
    """The link from one site URL (`personas/sally/`) to another, keeping directory slashes."""
    if from_url and not from_url.endswith("/"):
        head = from_url.rpartition("/")[0]
        from_url = head + "/" if head else ""
    base = from_url
    depth = base.count("/")
    common = 0
    for a, b in zip(base.split("/")[:-1], to_url.split("/"), strict=False):
        if a != b:
            break
        common += 1
    rest = "/".join(to_url.split("/")[common:])
    return "../" * (depth - common) + rest if depth - common or rest else "./"


def _link_title(text: str) -> str:
    """Text for a link's tooltip: one line, no quote that would end the title."""
    # Quotes of either kind would end the title for Python-Markdown's link parser; an
    # entity the author typed (`&amp;`) is escaped so that it shows as typed.
    title = re.sub(r"\s+", " ", html.escape(text, quote=False))
    # A pipe would split a table cell the link sits in; the entity shows it all the same.
    title = title.replace('"', "\u201d").replace("'", "\u2019").replace("|", "&#124;")
    title = title.replace("\\", "/").strip()
    # Python-Markdown counts parentheses across the whole link: unbalanced ones end it.
    if title.count("(") != title.count(")"):
        title = title.replace("(", "[").replace(")", "]")
    return title


def differing_dimensions(comparison: Comparison) -> set[int]:
    """The rows where the subjects' answers share the fewest words: about a third of them."""
    scores: list[tuple[float, int]] = []
    for index, dimension in enumerate(comparison.dimensions):
        words = [
            set(re.findall(r"[a-z0-9]+", value.lower())) for value in dimension.values.values()
        ]
        pairs = [(a, b) for i, a in enumerate(words) for b in words[i + 1 :] if a or b]
        if not pairs:
            continue
        overlap = sum(len(a & b) / len(a | b) for a, b in pairs) / len(pairs)
        scores.append((1 - overlap, index))
    if len(scores) < 3:
        return set()
    keep = max(1, len(scores) // 3)
    return {index for _, index in sorted(scores, key=lambda item: (-item[0], item[1]))[:keep]}


@dataclass(frozen=True)
class Coverage:
    """Which plays and campaigns reach each persona at each stage, and on each channel."""

    personas: list[Entity]
    stages: list[Entity]
    channels: list[Entity]
    by_stage: dict[tuple[str, str], list[Entity]]
    by_channel: dict[tuple[str, str], list[Entity]]

    @property
    def used_channels(self) -> list[Entity]:
        """Channels that reach at least one persona."""
        used = {channel for _, channel in self.by_channel}
        return [channel for channel in self.channels if channel.id in used]


def coverage(playbook: Playbook) -> Coverage:
    """Cross personas with stages and channels, through the campaigns and strategies."""
    personas = playbook.of_kind(KIND_BY_NAME["persona"])
    stages = playbook.of_kind(KIND_BY_NAME["stage"])
    channels = playbook.of_kind(KIND_BY_NAME["channel"])
    by_stage: dict[tuple[str, str], list[Entity]] = {}
    by_channel: dict[tuple[str, str], list[Entity]] = {}

    def add(table: dict[tuple[str, str], list[Entity]], key: tuple[str, str], item: Entity) -> None:
        cell = table.setdefault(key, [])
        if item not in cell:
            cell.append(item)

    def resolve(ref: str, kind: str) -> Entity | None:
        try:
            found = resolve_target(playbook, parse_ref(ref, kind))
        except RefError:
            return None
        return found if isinstance(found, Entity) else None

    def reached(entity: Entity) -> list[str]:
        data = entity.data
        refs = getattr(data, "personas", ()) or getattr(data, "audiences", ())
        return [p.id for ref in refs if (p := resolve(ref, "persona"))]

    for entity in playbook:
        if entity.kind.name not in ("campaign", "strategy"):
            continue
        data = entity.data
        plays = [p for ref in getattr(data, "plays", ()) if (p := resolve(ref, "play"))]
        planned = [s for plan in getattr(data, "stages", ()) if (s := resolve(plan.stage, "stage"))]
        channel_refs = [
            item if isinstance(item, str) else item.channel
            for item in getattr(data, "channels", ())
        ]
        used_channels = [c for ref in channel_refs if (c := resolve(ref, "channel"))]
        for persona in reached(entity):
            for stage in planned:
                add(by_stage, (persona, stage.id), entity)
            for play in plays:
                play_stage = resolve(getattr(play.data, "stage", None) or "", "stage")
                if play_stage is not None:
                    add(by_stage, (persona, play_stage.id), play)
            for channel in used_channels:
                add(by_channel, (persona, channel.id), entity)
    for cell in [*by_stage.values(), *by_channel.values()]:
        cell.sort(key=lambda e: (e.kind.name, e.data.title.casefold(), e.id))
    return Coverage(personas, stages, channels, by_stage, by_channel)


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
    # JSON values are valid YAML, and far cheaper to write than yaml.safe_dump.
    lines = [f"{key}: {json.dumps(escaped[key], ensure_ascii=False)}" for key in sorted(escaped)]
    return "---\n" + "\n".join(lines) + "\n---\n"


_MERMAID_CODES = str.maketrans({'"': "#quot;", "<": "#lt;", ">": "#gt;", "`": "#96;", "#": "#35;"})


def _mermaid_label(text: str) -> str:
    """Text made safe inside a quoted Mermaid label: no quotes, markup or line breaks."""
    return " ".join(text.translate(_MERMAID_CODES).split())


def _play_time(value: object) -> str:
    if isinstance(value, str):
        return escape_text(value)
    low, high, unit = (getattr(value, name) for name in ("min", "max", "unit"))
    span = f"{low:g}" if low == high else f"{low:g} to {high:g}"
    return f"{span} {unit}"


def _tag_code(tag: str) -> str:
    # Not a code span: cards sit in an HTML block that md_in_html parses (`code_element`).
    return code_element(tag)


def _display_date(value: object) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


@functools.lru_cache(maxsize=8)
def _environment(override_dirs: tuple[str, ...]) -> jinja2.Environment:
    # Shared across builds so templates compile once per `mkdocs serve`; Jinja's
    # auto_reload still notices an edited override template.
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(list(override_dirs))]
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
    env.filters["quoted"] = _link_title
    env.filters["tag_code"] = _tag_code
    env.filters["front_matter"] = _front_matter
    return env
