"""The "Related" block at the end of an entity page: what links here, and its "See also".

A reader reaches the authored content first; the generated links come last. A relation that
a ref field declares is always shown, on both pages, under its label or inverse, even where
the page's own text links to the same entity: it says how the two are related, which a link
in the text does not. Only inline refs ("Mentioned in") are left out where the page links
to that entity already. A page that refers to this one in several ways is listed once,
under its first declared relation, and one named in "See also" is not listed again as
"Related from" or "Mentioned in".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .. import reads
from ..entities import Entity, Playbook
from ..kinds.models import Kind
from .refs import MENTIONED_IN, Links, RefError, Target, parse_ref, resolve_target, target_of

SEE_ALSO = "See also"
"""The group of targets the entity names in `related`."""
RELATED_FROM = "Related from"
"""The backlink relation of `related` (see model.py): naming a target there is not a link
in the page's content, so those targets stay in the "See also" group."""
SHOWN_PER_GROUP = 6
"""Links a group shows before the rest fold away behind a disclosure."""

Linkable = Entity | Kind


@dataclass(frozen=True)
class RelatedGroup:
    """One relation and the pages under it: the first few shown, the rest folded away."""

    label: str
    shown: tuple[Linkable, ...]
    more: tuple[Linkable, ...]


class RelatedIndex:
    """What each entity links to, from the backlinks the refs already gathered."""

    def __init__(self, playbook: Playbook, links: Links) -> None:
        self.playbook = playbook
        self.links = links
        self._content: dict[str, set[Target]] = {}
        # Built once from the backlinks, so the block costs no parsing per page.
        for target, backlinks in links.backlinks.items():
            for backlink in backlinks:
                if backlink.relation != RELATED_FROM:
                    self._content.setdefault(backlink.source.ref, set()).add(target)
        self._targets: dict[Entity, Target] = {}

    def linked_from_content(self, ref: str) -> frozenset[Target]:
        """What the entity of that ref links to from its fields and text (not "see also")."""
        # Made from every entity's backlinks at once: the page notes the answer it gets.
        reads.note(("content links", ref))
        return frozenset(self._content.get(ref, ()))

    def _target(self, entity: Entity) -> Target:
        # Every page compares its backlinks' targets: make each entity's target once.
        target = self._targets.get(entity)
        if target is None:
            target = self._targets[entity] = target_of(entity)
        return target

    def groups(self, entity: Entity, on_page: Iterable[Entity] = ()) -> list[RelatedGroup]:
        """The "Related" groups of an entity page, "See also" first, mentions last.

        ``on_page``: entities the page's layout links to already (the stage flow); like the
        page's own links, they leave out only mentions.
        """
        target = self._target(entity)
        see_also = [
            t for t in dict.fromkeys(_see_also(entity, self.playbook.kinds.names)) if t != target
        ]
        groups = [_group(self.playbook, SEE_ALSO, see_also)]
        backlinks = self.links.of(target)
        if not backlinks:
            return [group for group in groups if group.shown]
        # A page that refers here in several ways goes under the relation its author wrote
        # first (a campaign names its personas before its messages), declared before weak;
        # a mention only where the page does not link to that entity already.
        linked = {*self.linked_from_content(entity.ref), *map(self._target, on_page)}
        weak = (RELATED_FROM, MENTIONED_IN)
        home: dict[Target, str] = {}
        for backlink in backlinks:
            source = self._target(backlink.source)
            if source == target or (backlink.relation in weak and source in see_also):
                continue
            if backlink.relation == MENTIONED_IN and source in linked:
                continue
            if source not in home or (home[source] in weak and backlink.relation not in weak):
                home[source] = backlink.relation
        for relation, sources in self.links.grouped(target):
            targets = [t for s in sources if home.get(t := self._target(s)) == relation]
            groups.append(_group(self.playbook, relation, targets))
        return [group for group in groups if group.shown]


def _group(playbook: Playbook, label: str, targets: list[Target]) -> RelatedGroup:
    found = [item for t in targets if (item := resolve_target(playbook, t)) is not None]
    return RelatedGroup(label, tuple(found[:SHOWN_PER_GROUP]), tuple(found[SHOWN_PER_GROUP:]))


def _see_also(entity: Entity, kinds: frozenset[str]) -> list[Target]:
    """The targets of `related`, in the order the author wrote them."""
    targets = []
    for value in entity.data.related:
        try:
            targets.append(parse_ref(value, None, kinds))
        except RefError:
            continue  # reported by the refs check; a page shows what resolves
    return targets
