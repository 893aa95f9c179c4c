"""What the page being rendered reads: the entities, kind lists, backlinks and lookups.

The data objects note each read here (an entity's fields, `Playbook.of_kind`, `Links.grouped`,
…), not the templates: an override template reaches the same objects, so its reads are
noted too. A later render compares what each noted read answers now with what it answered
then, and renders again only the pages that read something that changed.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from contextlib import contextmanager

current: set[Hashable] | None = None
"""The reads of the page being rendered; ``None`` when no page is (nothing is noted)."""


def note(read: Hashable) -> None:
    """Note a read of the page being rendered: an `Entity` (its fields) or a query's key."""
    if current is not None:
        current.add(read)


@contextmanager
def reading() -> Iterator[set[Hashable]]:
    """Note every read made inside the block, into the set it gives."""
    global current
    outer, current = current, set()
    try:
        yield current
    finally:
        found, current = current, outer
        if outer is not None:
            outer.update(found)  # a page rendered inside another page: both read it


@contextmanager
def unnoted() -> Iterator[None]:
    """Note nothing inside the block: work shared by many pages, whose answers the pages
    note themselves when they ask for them."""
    global current
    outer, current = current, None
    try:
        yield
    finally:
        current = outer
