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
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

import jinja2

from .. import reads
from ..diagnostics import Diagnostic, DiagnosticError
from ..entities import Entity, Playbook, kind_index_path
from ..kinds.models import Kind
from ..kinds.spec import SINGLE_VALUE_TYPES, FieldSpec, PageTemplates, yes_or_no
from ..model import EntityBase, subject_keys
from ..options import DEFAULTS
from ..plan import SITE_DEFAULTS, EditUrl, authors_dir
from ..resolve.refs import (
    FieldRef as FieldRefLike,
)
from ..resolve.refs import (
    Links,
    RefError,
    Target,
    field_refs,
    inline_ref,
    parse_ref,
    resolve_target,
    target_of,
)
from ..resolve.relations import RelatedIndex
from .front_matter import front_matter
from .layout import is_table, page_sections
from .markup import (
    Link,
    attribute_text,
    code_block,
    code_element,
    code_span,
    code_spans_as_elements,
    escape_text,
    make_untrusted_markdown_safe,
    rewrite_links,
)


class PageCache(Protocol):
    """What `Renderer.render_site` renders through: `incremental.RenderCache`, which keeps
    the pages of the last render and renders again only those an edit touches."""

    def render(self, renderer: Renderer) -> dict[str, str]:
        """Every page ``renderer`` makes."""
        ...


class Renderer:
    """Turns entities and kinds into Markdown pages, links relative to each page."""

    def __init__(
        self,
        playbook: Playbook,
        links: Links,
        *,
        override_dirs: Sequence[Path] = (),
        edit_url: EditUrl | None = None,
        show_tags: bool = SITE_DEFAULTS.show_tags,
        icons: bool = SITE_DEFAULTS.icons,
        snippets: bool = SITE_DEFAULTS.snippets,
        use_directory_urls: bool = SITE_DEFAULTS.use_directory_urls,
        extra_pages: bool = DEFAULTS.extra_pages,
    ) -> None:
        self.playbook = playbook
        self.links = links
        self._edit_url = edit_url or (lambda _path: None)
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
        self.authors_dir = authors_dir(kind.collection for kind in playbook.kinds)
        """The folder of the pages for authors: `authors/`, unless a kind takes it."""
        self._site_pages = _site_pages(playbook, self.authors_dir)
        self._entity_links: dict[tuple[str, Entity, str | None], str] = {}
        """Each link to an entity by the folder of the page it is on: pages link to the
        same entities over and over (the "Related" block, refs in fields)."""

    # -- pages ---------------------------------------------------------------------------

    def render_site(self, cache: PageCache | None = None) -> dict[str, str]:
        """Every page the playbook makes, by docs-relative path, in a stable order; with a
        ``cache`` of the last render, only the pages that read something that changed.

        Raises `TemplateProblem` when a template (packaged or overridden) fails.
        """
        try:
            if cache is not None:
                return cache.render(self)
            return {path: make() for path, make in self.page_makers().items()}
        except jinja2.TemplateError as error:
            raise TemplateProblem.from_jinja(error) from None

    def page_makers(self) -> dict[str, Callable[[], str]]:
        """Every page the playbook makes, by docs-relative path, each with what renders it."""
        pages: dict[str, Callable[[], str]] = {}
        for kind in self.kinds_with_pages():
            pages[kind_index_path(kind)] = functools.partial(self.render_kind_index, kind)
            for entity in self.playbook.of_kind(kind):
                pages[entity.page_path] = functools.partial(self.render_entity_page, entity)
        for path in self.extra_page_paths():
            pages[path] = functools.partial(self.render_extra_page, path)
        return pages

    def shared_inputs(self) -> tuple[Hashable, ...]:
        """What every page may read beyond the playbook's entities: the templates (as the
        environment finds them), the kinds and the site's settings. A change renders all."""
        loader = self.env.loader
        assert loader is not None
        templates = []
        for name in self.env.list_templates():
            try:
                templates.append((name, *loader.get_source(self.env, name)[:2]))
            except UnicodeDecodeError:
                continue  # Not a template (an image, a `.DS_Store`): no page can use it.
        return (
            tuple(templates),
            self.playbook.kinds.kinds,
            self.show_tags,
            self.icons,
            self.snippets,
            self.use_directory_urls,
            self.extra_pages,
        )

    def edit_url(self, path: str) -> str | None:
        """The edit URL of a source file, relative to the project (or None)."""
        reads.note(("edit url", path))
        return self._edit_url(path)

    def extra_page_paths(self, audience: str | None = None) -> list[str]:
        """The generated pages beyond entities and kinds that this playbook has content for;
        with ``audience``, only those for `readers` or for `authors` (as the kind declares)."""
        if not self.extra_pages:
            return []
        return [
            path
            for path, (_, declared) in self._site_pages.items()
            if audience is None or declared.get("for", "readers") == audience
        ]

    def render_extra_page(self, path: str) -> str:
        """A page a kind declares for the whole site: "Which do I need?", the coverage page."""
        kind, declared = self._site_pages[path]
        template = self.env.get_template(site_page_template(declared["page"]))
        return template.render(
            **self._context(path),
            coverage=coverage(self.playbook, kind, declared.get("coverage", {})),
            comparisons=self.playbook.of_kind(kind),
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
        return [kind for kind in self.playbook.kinds if kind.name in in_use | compared]

    def render_entity_page(self, entity: Entity) -> str:
        """The Markdown page of one entity."""
        template = self.env.get_template(entity_template(entity.kind))
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
        template = self.env.get_template(INDEX_TEMPLATE)
        return template.render(
            **self._context(kind_index_path(kind)),
            kind=kind,
            entities=self.playbook.of_kind(kind),
            intro=self.intro(kind),
            target=Target("kind", kind.name),
        )

    def intro(self, kind: Kind) -> str | None:
        """The introduction of a kind's index page (its `_index.md`), if it has one."""
        reads.note(("intro", kind.name))
        return self.playbook.intros.get(kind.name)

    def rewrite_page_refs(self, markdown: str, page_path: str) -> str:
        """Turn inline refs of a hand-written page into links (its HTML is trusted)."""
        return rewrite_links(markdown, lambda link: self._inline_link(link, page_path))

    # -- helpers the templates call ---------------------------------------------------------

    def _context(self, page_path: str) -> dict[str, Any]:
        def url(target_page: str) -> str:
            return relative_link(page_path, target_page)

        def html_url(target_page: str) -> str:
            # Inside diagrams MkDocs does not rewrite links, so give the final URL.
            return relative_url(self._page_url(page_path), self._page_url(target_page))

        def icon(item: Entity | Kind) -> str:
            kind = item if isinstance(item, Kind) else item.kind
            if not self.icons:
                return ""
            return f':{kind.icon}:{{ title="{attribute_text(kind.singular)}" }} '

        folder = page_path.rpartition("/")[0]
        entity_links = self._entity_links

        def link_to(item: Entity | Kind, label: str | None = None) -> str:
            if isinstance(item, Kind):
                text = escape_text(label or item.plural)
                hint = _link_title(f"All {item.plural.lower()}")
                return f'[{text}]({url(kind_index_path(item))} "{hint}")'
            # Pages of one folder link to an entity alike (see `relative_link`).
            key = (folder, item, label)
            link = entity_links.get(key)
            if link is not None:
                reads.note(item)  # made from its title and summary for an earlier page
            else:
                hint = _link_title(item.data.summary)
                text = escape_text(label or item.data.title)
                link = entity_links[key] = f'[{text}]({url(item.page_path)} "{hint}")'
            return link

        def link_list(items: Sequence[Entity | Kind]) -> str:
            # One call for a list of links, not two calls a link from the template's loop.
            return ", ".join(icon(item) + link_to(item) for item in items)

        def ref(value: str, fixed_kind: str | None = None) -> str:
            found = self.lookup(value, fixed_kind)
            return link_to(found) if found is not None else escape_text(value)

        def md(text: str | None) -> str:
            if not text:
                return ""
            return make_untrusted_markdown_safe(
                text, lambda link: self._inline_link(link, page_path), snippets=self.snippets
            ).strip()

        def ref_text(link: Link) -> str | None:
            # An inline ref as its label alone: for summaries of text linked elsewhere.
            rewritten = self._inline_link(link, page_path)
            if rewritten is None or not rewritten.startswith("["):
                return rewritten
            return rewritten[1 : rewritten.rindex("](")]

        def md_cell_unlinked(text: str | None) -> str:
            # A table cell whose refs are named, not linked (the comparison page links them).
            if not text:
                return ""
            rendered = make_untrusted_markdown_safe(text, ref_text, snippets=self.snippets)
            rendered = re.sub(r"\n\s*\n", "<br><br>", code_spans_as_elements(rendered.strip()))
            return rendered.replace("\n", " ").replace("|", "\\|")

        def md_in_html(text: str | None) -> str:
            # Inside an HTML block that md_in_html parses, a code span's raw HTML would be
            # read as HTML: write code spans as elements there (see `code_element`).
            return code_spans_as_elements(md(text))

        def md_cell(text: str | None) -> str:
            # Cells may sit in an HTML block that md_in_html parses: see `code_element`.
            rendered = code_spans_as_elements(md(text))
            rendered = re.sub(r"\n\s*\n", "<br><br>", rendered)
            return rendered.replace("\n", " ").replace("|", "\\|")

        def scalar(field: FieldSpec, value: Any) -> str:
            """One value shown by its field's type."""
            if field.type == "ref":
                return ref(value, field.kind)
            if field.type == "url":
                return f"[{escape_text(value)}]({_source_url(value)})"
            if field.type == "boolean":
                return "yes" if value else "no"
            if field.type == "markdown":
                return md_cell(value)
            if field.type == "duration":
                return _duration(value)
            if field.type == "enum":
                return escape_text(field.label_of(value))
            if field.type == "code":
                return code_element(value)  # in a table cell or a card: inline code
            if field.type in ("date", "date_or_text"):
                return escape_text(_display_date(value))
            return escape_text(str(value))

        def facts(
            fields: Sequence[tuple[FieldSpec, Any]], title: str = ""
        ) -> list[tuple[str, str]]:
            # An image among them (a sub-field's) shows as the image; its alt text is by
            # default the title of the entity that shows it.
            return [
                (
                    escape_text(field.heading),
                    image(field, value, title or field.heading)
                    if field.type == "image"
                    else scalar(field, value),
                )
                for field, value in fields
            ]

        def record_facts(field: FieldSpec, record: Any, title: str = "") -> list[tuple[str, str]]:
            return facts(
                [
                    (sub, value)
                    for sub in field.fields
                    if (value := getattr(record, sub.name, None)) not in (None, "", ())
                ],
                title,
            )

        def code(field: FieldSpec, value: str) -> str:
            return code_block(value, field.language, snippets=self.snippets)

        def image(field: FieldSpec, value: Any, title: str) -> str:
            src = value if isinstance(value, str) else value.src
            alt = title if isinstance(value, str) else value.alt or title
            # Pages of a kind are in its collection folder, where its images are copied.
            return f"![{escape_text(alt)}]({_source_url(src)}){{ .playbook-image }}"

        def card_fields(entity: Entity) -> tuple[str, list[tuple[str, str]]]:
            """What a card shows under its title and summary, as the kind's `card` lists
            it: its picture (an image field), and each other value beside its label."""
            picture, pairs = "", []
            for name in entity.kind.spec.card:
                field = _field_of(entity.kind, name)
                value = getattr(entity.data, name, None)
                if value in (None, "", (), {}):
                    continue
                if field.type == "image":
                    picture = picture or image(field, value, entity.data.title)
                else:
                    pairs.append((escape_text(field.heading), card_value(field, value)))
            return picture, pairs

        def card_value(field: FieldSpec, value: Any) -> str:
            if field.type == "refs":
                return ", ".join(ref(item, field.kind) for item in value)
            if field.type == "list":
                return ", ".join(list_item(field, item) for item in value)
            if field.type in SINGLE_VALUE_TYPES:
                return scalar(field, value)
            return escape_text(str(len(value))) if isinstance(value, tuple) else ""

        def list_item(field: FieldSpec, value: Any) -> str:
            if field.item == "markdown":
                return md(value)
            return scalar(field.item_spec or FieldSpec(field.name, field.item or "text"), value)

        def cell(field: FieldSpec, value: Any) -> str:
            if value in (None, ""):
                return ""
            return scalar(field, value).replace("|", "\\|")

        return {
            "page_path": page_path,
            "sections": page_sections,
            "is_table": is_table,
            "facts": facts,
            "record_facts": record_facts,
            "list_item": list_item,
            "scalar": scalar,
            "card_fields": card_fields,
            "facets_of": self.facets_of,
            "facet_json": lambda e: html.escape(json.dumps(self.facet_values(e)), quote=True),
            "single_value_types": SINGLE_VALUE_TYPES,
            "code": code,
            "image": image,
            "cell": cell,
            "position": self.position,
            "index_groups": self.index_groups,
            "pager": self.pager,
            "show_tags": self.show_tags,
            "icon": icon,
            "html_url": html_url,
            "neighbours": self.neighbours,
            "referrers": self.referrers,
            "differing": differing_dimensions,
            "tags_of": telling_tags,
            "tags_json": lambda tags: html.escape(json.dumps(list(tags)), quote=True),
            "card_text": lambda e: html.escape(
                f"{e.data.title} {e.data.summary}".lower(), quote=True
            ),
            "url": url,
            "link": link_to,
            "link_list": link_list,
            "ref": ref,
            "md": md,
            "md_cell": md_cell,
            "md_cell_unlinked": md_cell_unlinked,
            "md_in_html": md_in_html,
            "lookup": self.lookup,
            "backlinks": self.links.grouped,
            "related": self.related_index.groups,
            "comparisons_of": self.comparisons_of,
            "subject_columns": self.subject_columns,
            "flow": _KindList(self.playbook, self._flow_kind),
            "flow_of": self.flow_of,
            "flow_number": flow_number,
            "siblings": self.siblings,
            "source_url": _source_url,
        }

    def lookup(self, value: str, fixed_kind: str | None = None) -> Entity | Kind | None:
        """The entity or kind a ref names, or None when it does not resolve."""
        try:
            return resolve_target(
                self.playbook, parse_ref(value, fixed_kind, self.playbook.kinds.names)
            )
        except RefError:
            return None

    def subject_columns(
        self, comparison: EntityBase
    ) -> list[tuple[str, Entity | Kind | None, str]]:
        """Each subject of a comparison: its key in `values`, what it names, and the raw ref."""
        subjects = tuple(getattr(comparison, "subjects", ()))
        return [
            (key, self.lookup(subject), subject)
            for key, subject in zip(subject_keys(subjects), subjects, strict=True)
        ]

    def comparisons_of(self, target: Target) -> list[Entity]:
        """The comparisons that name a target (an entity or a whole kind) as a subject."""
        reads.note(("compared in", target.kind, target.id))
        return self._comparisons.get(target, [])

    def flow_of(self, kind: Kind) -> Sequence[Entity]:
        """The steps a page of ``kind`` draws as its flow: its own kind's entities, in order,
        when its kind file sets `flow: true` (a playbook may have several flow kinds)."""
        return _KindList(self.playbook, kind if kind.spec.flow else None)

    @functools.cached_property
    def _flow_kind(self) -> Kind | None:
        """The kind whose pages draw the whole flow (`flow: true` in its kind file), if any."""
        return next((k for k in self.playbook.kinds if k.spec.flow), None)

    def index_groups(self, kind: Kind) -> list[tuple[Entity | str | None, list[Entity]]]:
        """A kind's entities grouped by its `group_by` field, those without a value last;
        one group of all when the kind has none. Each group is headed by the target of a
        ref (in the target kind's order) or by an enum value's label (in the enum's)."""
        entities = self.playbook.of_kind(kind)
        field = kind.spec.field(kind.spec.group_by) if kind.spec.group_by else None
        if field is None:
            return [(None, entities)]
        if field.type == "enum":
            by_value: dict[str | None, list[Entity]] = {}
            for entity in entities:
                value = getattr(entity.data, field.name, None)
                by_value.setdefault(value if value in field.values else None, []).append(entity)
            ordered: list[tuple[Entity | str | None, list[Entity]]] = [
                (field.label_of(value), by_value[value])
                for value in field.values
                if value in by_value
            ]
            return ordered + ([(None, by_value[None])] if None in by_value else [])
        groups: dict[Entity | None, list[Entity]] = {}
        for entity in entities:
            value = getattr(entity.data, field.name, None)
            target = self.lookup(value, field.kind) if value else None
            groups.setdefault(target if isinstance(target, Entity) else None, []).append(entity)
        heads = self.playbook.of_kind(self.playbook.kinds.by_name[field.kind or ""])
        return [(head, groups[head]) for head in heads if head in groups] + (
            [(None, groups[None])] if None in groups else []
        )

    def facet_values(self, entity: Entity) -> dict[str, list[str]]:
        """The values a card has for each facet of its kind: what the filter matches."""
        found: dict[str, list[str]] = {}
        for name in entity.kind.spec.facets:
            field = _field_of(entity.kind, name)
            found[name] = list(dict.fromkeys(key for key, _ in self._facet_choices(field, entity)))
        return found

    def facets_of(self, kind: Kind) -> list[tuple[FieldSpec, list[tuple[str, str, int]]]]:
        """Each facet of a kind's index: its field and its values, each with its label and
        the number of cards that have it; an enum's in the kind's order, others by count."""
        entities = self.playbook.of_kind(kind)
        facets = []
        for name in kind.spec.facets:
            field = _field_of(kind, name)
            counts: dict[str, int] = {}
            labels: dict[str, str] = {}
            for entity in entities:
                for key, label in dict(self._facet_choices(field, entity)).items():
                    counts[key] = counts.get(key, 0) + 1
                    labels[key] = label
            item = field.item_spec if field.type == "list" else field
            if item is not None and item.type == "enum":
                keys = [v for v in item.values if v in counts]
            elif field.type == "boolean":
                keys = [v for v in ("yes", "no") if v in counts]
            else:
                keys = sorted(counts, key=lambda k: (-counts[k], labels[k].casefold(), k))
            facets.append((field, [(key, labels[key], counts[key]) for key in keys]))
        return facets

    def _facet_choices(self, field: FieldSpec, entity: Entity) -> list[tuple[str, str]]:
        """The facet values of one entity's field, each with its label."""
        value = getattr(entity.data, field.name, None)
        if value is None:
            return []
        if field.type == "boolean":
            return [("yes", "yes") if value else ("no", "no")]
        values = value if isinstance(value, tuple) else (value,)
        choices = []
        for item in values:
            if field.type in ("ref", "refs"):
                found = self.lookup(item, field.kind)
                if isinstance(found, Entity):
                    choices.append((found.ref, found.data.title))
                continue
            spec = field.item_spec if field.type == "list" else field
            label = spec.label_of(item) if spec is not None else str(item)
            choices.append((str(item), label))
        return choices

    def position(self, entity: Entity) -> tuple[int, int] | None:
        """`(3, 13)`: where the entity stands in its kind, when the kind is numbered by an
        integer `order_by` field."""
        order_by = entity.kind.spec.field(entity.kind.spec.order_by)
        if order_by is None or order_by.type != "integer":
            return None
        index, entities = self.siblings(entity)
        return index + 1, len(entities)

    def pager(self, entity: Entity) -> tuple[Entity | None, Entity | None]:
        """The previous and next entity of a described kind, in its reading order."""
        if not entity.kind.spec.described:
            return None, None
        index, entities = self.siblings(entity)
        before = entities[index - 1] if index > 0 else None
        after = entities[index + 1] if index + 1 < len(entities) else None
        return before, after

    def siblings(self, entity: Entity) -> tuple[int, list[Entity]]:
        """The entity's place among its kind in reading order, and the whole kind."""
        return self._places[entity], self.playbook.of_kind(entity.kind)

    @functools.cached_property
    def _places(self) -> dict[Entity, int]:
        # Every page asks for its place: index the kinds once, not a list scan per page.
        # (A page notes its kind's order through `siblings`.)
        with reads.unnoted():
            return {
                entity: index
                for kind in self.playbook.kinds
                for index, entity in enumerate(self.playbook.of_kind(kind))
            }

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

    def referrers(self, entity: Entity, kind_name: str, field_name: str) -> list[Entity]:
        """The entities of a kind whose top-level ref field names this entity, in order."""
        reads.note(("referrers", kind_name, field_name, entity.ref))
        return self.referrers_of(entity.ref, kind_name, field_name)

    def referrers_of(self, ref: str, kind_name: str, field_name: str) -> list[Entity]:
        """`referrers` by the entity's ref, noting nothing."""
        index = self._referrers.get((kind_name, field_name))
        if index is None:
            # Made once for all pages from every entity of the kind: each page notes the
            # answer it gets (`referrers`), not what made it.
            with reads.unnoted():
                index = self._referrers[(kind_name, field_name)] = self._index_referrers(
                    kind_name, field_name
                )
        return index.get(ref, [])

    @functools.cached_property
    def related_index(self) -> RelatedIndex:
        """What each entity links to, for the "Related" blocks."""
        with reads.unnoted():
            return RelatedIndex(self.playbook, self.links)

    @functools.cached_property
    def _referrers(self) -> dict[tuple[str, str], dict[str, list[Entity]]]:
        return {}

    def _index_referrers(self, kind_name: str, field_name: str) -> dict[str, list[Entity]]:
        found: dict[str, list[Entity]] = {}
        kind = self.playbook.kinds.get(kind_name)
        spec = kind.spec.field(field_name) if kind else None
        if kind is None or spec is None:
            return found
        for source in self.playbook.of_kind(kind):
            value = getattr(source.data, field_name, None)
            for ref in value if isinstance(value, tuple) else [value] if value else []:
                target = self.lookup(ref, spec.kind)
                if isinstance(target, Entity):
                    found.setdefault(target.ref, []).append(source)
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
            target = inline_ref(link.target, self.playbook.kinds.names)
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


class _KindList(Sequence[Entity]):
    """A kind's entities in reading order, asked for only when a page looks at them.

    Every page's context has the first flow kind's entities (`flow`), and each flow kind's
    through `flow_of`, but only the pages that show them depend on them.
    """

    def __init__(self, playbook: Playbook, kind: Kind | None) -> None:
        self._playbook = playbook
        self._kind = kind

    def _entities(self) -> list[Entity]:
        return self._playbook.of_kind(self._kind) if self._kind else []

    def __getitem__(self, index: Any) -> Any:
        return self._entities()[index]

    def __len__(self) -> int:
        return len(self._entities())

    def __iter__(self) -> Iterator[Entity]:
        return iter(self._entities())


def _field_of(kind: Kind, name: str) -> FieldSpec:
    field = kind.spec.field(name)
    assert field is not None, name  # the kind file's check names only its fields
    return field


GENERIC_TEMPLATE = "generic.md.jinja"
INDEX_TEMPLATE = "index.md.jinja"
"""The page template of kinds that have none of their own: it follows the kind's `layout`."""


def entity_template(kind: Kind) -> str:
    """The template of a kind's entity pages: the one its kind file names, or the generic one."""
    return kind.spec.template or GENERIC_TEMPLATE


def site_page_template(path: str) -> str:
    """The template of a page a kind declares for the whole site: `coverage.md.jinja`."""
    return path.replace(".md", ".md.jinja")


def declared_site_pages(kinds: Iterable[Kind], folder: str) -> list[str]:
    """Where every page the kinds declare for the whole site goes, whether or not a playbook
    has them, with the pages for authors in their ``folder``."""
    return [site_page_path(declared, folder) for kind in kinds for declared in kind.spec.site_pages]


def site_page_path(declared: Mapping[str, Any], folder: str) -> str:
    """Where a page a kind declares goes: a page `for: authors` in the ``folder`` of the
    pages for authors (`authors/`)."""
    page = str(declared["page"])
    return f"{folder}/{page}" if declared.get("for") == "authors" else page


def entity_page_templates(override_dirs: Sequence[Path], kinds: Iterable[Kind]) -> PageTemplates:
    """The page templates the site finds, as a kind's `template` may name them: those that
    make an entity page, and those of the kind index and of the site pages. Partials
    (`_macros.md.jinja`) are neither."""
    env = _environment(tuple(str(folder) for folder in override_dirs))
    declared = [page["page"] for kind in kinds for page in kind.spec.site_pages]
    others = {INDEX_TEMPLATE, *(site_page_template(p) for p in declared)}
    pages = {
        name
        for name in env.list_templates(extensions=None)
        if name.endswith(".md.jinja") and "/" not in name and not name.startswith("_")
    }
    return PageTemplates(frozenset(pages - others), frozenset(others))


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


def relative_link(from_page: str, to_page: str) -> str:
    """The Markdown link from one docs page to another (`a/b.md` → `c/d.md`: `../c/d.md`)."""
    # posixpath.relpath is correct but slow, and pages ask for thousands of links.
    from_dir = from_page.rpartition("/")[0]
    to_dir, _, name = to_page.rpartition("/")
    if from_dir == to_dir:
        return name
    return "../" * (from_dir.count("/") + 1) + to_page if from_dir else to_page


def relative_url(from_url: str, to_url: str) -> str:
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


@functools.lru_cache(maxsize=1 << 14)
def _link_title(text: str) -> str:
    """Text for a link's tooltip: one line, no quote that would end the title."""
    # Cached: every link to an entity, on any page, has its summary for a title.
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


def differing_dimensions(comparison: Any) -> set[int]:
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
class CoverageTable:
    """One heatmap of a coverage page: the rows kind's entities crossed with a column kind's."""

    kind: Kind
    """The column kind (the stages, the channels)."""
    heading: str
    caption: str
    note: str
    corner: str
    """The label of what the table's rows are."""
    rows_first: bool
    """Whether the rows kind's entities are the rows (else the table is turned round)."""
    rows: list[Entity]
    columns: list[Entity]
    cells: dict[tuple[str, str], list[Entity]]
    """(row kind's id, column kind's id) → what reaches that pair."""
    numbered_by: str | None
    """The integer field that numbers the column kind's entities (the stages' order)."""

    @property
    def numbered(self) -> bool:
        """Whether the column kind's entities, across the top, show their place in the flow."""
        return self.numbered_by is not None and self.rows_first


@dataclass(frozen=True)
class Coverage:
    """What reaches each entity of a kind (the personas), for each entity of other kinds."""

    title: str
    intro: str
    tables: list[CoverageTable]


def coverage(playbook: Playbook, rows_kind: Kind, declared: Mapping[str, Any]) -> Coverage:
    """Cross a kind's entities (the personas) with the kinds a coverage declaration names.

    ``declared`` comes from the rows kind's file: `through` names the kinds whose entities
    reach a row by a top-level ref (campaigns, strategies); each of `columns` names a kind
    those entities refer to (stages, channels), and `also_via` a kind whose entities they
    name and that names the column in turn (the plays of a stage). A column may set its
    `heading`, `caption` and `note`, `transpose` (the rows kind across the top) and
    `only_used` (leave out the column kind's entities nothing reaches); the declaration may
    set the page's `title` and `intro`.
    """
    columns = declared.get("columns", [])
    kinds = playbook.kinds
    tables: list[dict[tuple[str, str], list[Entity]]] = [{} for _ in columns]
    through = list(declared.get("through", ()))
    names = kinds.names

    def resolve(ref: FieldRefLike) -> Entity | None:
        try:
            found = resolve_target(playbook, parse_ref(ref.value, ref.kind, names))
        except RefError:
            return None
        return found if isinstance(found, Entity) else None

    typed: dict[Entity, list[tuple[bool, Entity]]] = {}

    def typed_refs(entity: Entity) -> list[tuple[bool, Entity]]:
        """What the entity's typed ref fields name, each with whether the field is top-level;
        a "see also" to any kind reaches nobody. Walked once per entity."""
        if entity not in typed:
            typed[entity] = [
                (len([p for p in ref.path if isinstance(p, str)]) == 1, target)
                for ref in field_refs(entity)
                if ref.kind is not None and (target := resolve(ref)) is not None
            ]
        return typed[entity]

    def refs_to(entity: Entity, kind_name: str, top_level: bool = False) -> list[Entity]:
        found = [
            target
            for at_top, target in typed_refs(entity)
            if (at_top or not top_level) and target.kind.name == kind_name
        ]
        return list(dict.fromkeys(found))

    for entity in playbook:
        if entity.kind.name not in through:
            continue
        reached = refs_to(entity, rows_kind.name, top_level=True)
        for column, table in zip(columns, tables, strict=True):
            cells = [(c, entity) for c in refs_to(entity, column["kind"])]
            via = column.get("also_via")
            if via:
                cells += [
                    (c, item)
                    for item in refs_to(entity, via, top_level=True)
                    for c in refs_to(item, column["kind"], top_level=True)
                ]
            for row in reached:
                for target, item in cells:
                    cell = table.setdefault((row.id, target.id), [])
                    if item not in cell:
                        cell.append(item)
    for table in tables:
        for cell in table.values():
            cell.sort(key=lambda e: (e.kind.name, e.data.title.casefold(), e.id))
    rows = playbook.of_kind(rows_kind)
    made = []
    reaching = " and ".join(k.plural.lower() for k in kinds_named_in(kinds, through))
    for column, found in zip(columns, tables, strict=True):
        kind = kinds.by_name[column["kind"]]
        entities = playbook.of_kind(kind)
        if yes_or_no(column.get("only_used", False)):
            used = {column_id for _, column_id in found}
            entities = [e for e in entities if e.id in used]
        turned = bool(yes_or_no(column.get("transpose", False)))
        order = kind.spec.field(kind.spec.order_by)
        made.append(
            CoverageTable(
                kind=kind,
                heading=column.get("heading") or f"{rows_kind.plural} by {kind.singular.lower()}",
                caption=column.get("caption")
                or f"{reaching[:1].upper()}{reaching[1:]} reaching each "
                f"{rows_kind.singular.lower()}, for each {kind.singular.lower()}",
                note=column.get("note", ""),
                corner=kind.singular if turned else rows_kind.singular,
                rows_first=not turned,
                rows=entities if turned else rows,
                columns=rows if turned else entities,
                cells=found,
                numbered_by=order.name if order is not None and order.type == "integer" else None,
            )
        )
    intro = declared.get("intro") or (
        f"Which {reaching} reach each {rows_kind.singular.lower()}, for each "
        + " and each ".join(t.kind.singular.lower() for t in made)
        + ". Each cell counts them: open a count to see what it is made of. A gap is a cell "
        "that nothing reaches."
    )
    return Coverage(declared.get("title") or "Coverage", intro.rstrip("\n"), made)


def flow_number(entity: Entity, position: int) -> object:
    """The number of a step of a flow: its integer `order_by` field (a stage's `order`), or
    else its position in the flow."""
    order = entity.kind.spec.field(entity.kind.spec.order_by)
    if order is not None and order.type == "integer":
        return getattr(entity.data, order.name)
    return position


def kinds_named_in(kinds: Iterable[Kind], names: Iterable[str]) -> list[Kind]:
    """The kinds of those names, in the order the names come."""
    by_name = {kind.name: kind for kind in kinds}
    return [by_name[name] for name in names if name in by_name]


def _site_pages(playbook: Playbook, folder: str) -> dict[str, tuple[Kind, Mapping[str, Any]]]:
    """The site-wide pages the kinds declare and this playbook has content for, in order,
    with the pages for authors in their ``folder``."""
    pages: dict[str, tuple[Kind, Mapping[str, Any]]] = {}
    for kind in playbook.kinds:
        entities = playbook.of_kind(kind)
        for declared in kind.spec.site_pages:
            needs_field = declared.get("needs_field") or ()
            fields = [needs_field] if isinstance(needs_field, str) else list(needs_field)
            needs = [playbook.kinds.get(name) for name in declared.get("needs_kinds", ())]
            if not entities or not all(n is not None and playbook.of_kind(n) for n in needs):
                continue
            if fields and not any(getattr(e.data, f, None) for e in entities for f in fields):
                continue
            pages[site_page_path(declared, folder)] = (kind, declared)
    return pages


def telling_tags(entities: Sequence[Entity]) -> list[str]:
    """The tags of these entities that tell some apart: a tag every one of several carries
    (every persona tagged `persona`) filters nothing."""
    counts: dict[str, int] = {}
    for entity in entities:
        for tag in dict.fromkeys(entity.data.tags):
            counts[tag] = counts.get(tag, 0) + 1
    return sorted(t for t, n in counts.items() if n < len(entities) or len(entities) == 1)


def _comparisons_by_subject(playbook: Playbook) -> dict[Target, list[Entity]]:
    found: dict[Target, list[Entity]] = {}
    for entity in (
        e for kind in playbook.kinds if kind.spec.compares for e in playbook.of_kind(kind)
    ):
        for subject in getattr(entity.data, entity.kind.spec.compares or "", ()):
            try:
                found.setdefault(parse_ref(subject, None, playbook.kinds.names), []).append(entity)
            except RefError:
                continue
    return found


def _source_url(url: str) -> str:
    # Parentheses and blanks would end a Markdown link target early.
    return quote(url, safe="/:?#[]@!$&'*+,;=%-._~")


# -- the Jinja environment ------------------------------------------------------------------


def _duration(value: object) -> str:
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
    loaders.append(jinja2.PackageLoader("mkdocs_playbook", "render/templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=False,  # the output is Markdown; text is escaped by the `text` filter
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["text"] = lambda value: escape_text(str(value))
    env.filters["display_date"] = _display_date
    env.filters["duration"] = _duration
    env.filters["quoted"] = _link_title
    env.filters["tag_code"] = _tag_code
    env.filters["code"] = code_span
    env.filters["attribute"] = attribute_text
    env.filters["front_matter"] = front_matter
    return env
