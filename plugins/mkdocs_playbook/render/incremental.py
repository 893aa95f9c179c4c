"""Render again only the pages an edit touches: each page keeps what it read last time.

While a page renders, the data objects note what it reads (see `reads`): the entities whose
fields it read, the kinds whose lists it asked for, the backlinks, the lookups (those that
found nothing too: a new file can make them resolve). The next render asks each of those
reads again; a page is rendered again when one of its reads answers otherwise now, and
taken as it was when none does. The templates, the kinds and the site's settings are read
by every page: a change to any of them renders every page.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

from .. import reads
from ..model import Entity, entity_content
from ..resolve.refs import Target

if TYPE_CHECKING:
    from .pages import Renderer


class RenderCache:
    """The pages of the last render and what each read, kept across serve rebuilds."""

    def __init__(self) -> None:
        self._shared: tuple[Hashable, ...] | None = None
        self._pages: dict[str, tuple[str, frozenset[Hashable]]] = {}
        self._answers: dict[Hashable, object] = {}
        self.rendered: list[str] = []
        """The pages the last render rendered (the others it took from the one before)."""

    def render(self, renderer: Renderer) -> dict[str, str]:
        """Every page `renderer` makes, rendering only those whose reads answer otherwise now.

        Raises what the templates raise; the cache is then as it was.
        """
        shared = renderer.shared_inputs()
        if shared != self._shared:
            self._pages, self._answers = {}, {}
        answers = {read: answer(renderer, read) for read in self._answers}
        changed = {read for read, now in answers.items() if not same(self._answers[read], now)}
        pages: dict[str, tuple[str, frozenset[Hashable]]] = {}
        rendered: list[str] = []
        for path, make in renderer.page_makers().items():
            last = self._pages.get(path)
            if last is not None and changed.isdisjoint(last[1]):
                pages[path] = last
                continue
            with reads.reading() as found:
                text = make()
            pages[path] = (text, frozenset(found))
            rendered.append(path)
        for path in rendered:
            for read in pages[path][1]:
                if read not in answers:
                    answers[read] = answer(renderer, read)
        kept = set().union(*(page_reads for _, page_reads in pages.values()))
        self._shared, self._pages, self.rendered = shared, pages, rendered
        self._answers = {read: now for read, now in answers.items() if read in kept}
        return {path: text for path, (text, _) in pages.items()}


def answer(renderer: Renderer, read: Hashable) -> object:
    """What a noted read answers in this render, as a value to compare with another's."""
    playbook, links = renderer.playbook, renderer.links
    if isinstance(read, Entity):
        # Noted as the object it read (cheapest while rendering); asked again by kind and
        # id, whichever object has them now.
        return playbook.entities.get((read.kind.name, read.id))
    match read:
        case ("get", str(kind), str(ident)):
            return (kind, ident) in playbook.entities
        case ("kind", str(name)):
            found = playbook.kinds.get(name)
            return tuple(e.id for e in playbook.of_kind(found)) if found else ()
        case ("all",):
            return tuple(e.ref for e in playbook)
        case ("backlinks", str(kind), str(ident)):
            backlinks = links.backlinks.get(Target(kind, ident), [])
            return tuple((b.relation, b.source.ref) for b in backlinks)
        case ("content links", str(ref)):
            return renderer.related_index.linked_from_content(ref)
        case ("intro", str(name)):
            return playbook.intros.get(name)
        case ("edit url", str(path)):
            return renderer.edit_url(path)
        case ("referrers", str(kind), str(field), str(ref)):
            return tuple(e.ref for e in renderer.referrers_of(ref, kind, field))
        case ("comparisons", str(kind), str(ident)):
            return tuple(e.ref for e in renderer.comparisons_of(Target(kind, ident)))
    raise ValueError(f"no answer for the read {read!r}")  # a read noted but not known here


def same(before: object, now: object) -> bool:
    """Whether a read answers now as it did: an entity by what a page may read of it."""
    if isinstance(before, Entity) and isinstance(now, Entity):
        return before is now or entity_content(before) == entity_content(now)
    return before == now
