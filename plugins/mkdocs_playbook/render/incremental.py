"""Render again only the pages an edit touches: each page keeps what it read last time.

While a page renders, the data objects note what it reads (see `reads`): the entities whose
fields it read, the kinds whose lists it asked for, the backlinks, the lookups (those that
found nothing too: a new file can make them resolve). The next render asks each of those
reads again; a page is rendered again when one of its reads answers otherwise now, and
taken as it was when none does. The templates, the kinds and the site's settings are read
by every page: a change to any of them renders every page.

What a render noted can outlive its process: `RenderCache.state` gives it as JSON values
(every answer in a plain form: an entity as its file's path and content hash), and
`RenderCache.restore` hands it, with the pages' texts, to the next process's first render.
So a build after one edit renders the pages the edit touches, not the whole site.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from pydantic_core import core_schema as schema

from .. import reads
from ..cache import Shape, Unstable, digest, stable_json
from ..entities import Entity, entity_content
from ..kinds.models import Kind
from ..resolve.refs import Target

if TYPE_CHECKING:
    from .pages import Renderer


class RenderState(TypedDict):
    """What a render noted, as JSON values (`RenderCache.state`)."""

    shared: str
    reads: list[list[str]]
    answers: list[Any]
    pages: dict[str, list[int]]


RENDER_STATE: Shape[RenderState] = Shape(
    schema.typed_dict_schema(
        {
            "shared": schema.typed_dict_field(schema.str_schema()),
            "reads": schema.typed_dict_field(
                schema.list_schema(schema.list_schema(schema.str_schema()))
            ),
            "answers": schema.typed_dict_field(schema.list_schema(schema.any_schema())),
            "pages": schema.typed_dict_field(
                schema.dict_schema(schema.str_schema(), schema.list_schema(schema.int_schema()))
            ),
        }
    )
)
"""The shape a stored state must have to be read (`_take` checks the rest: that its
indexes and reads are ones this code knows)."""


class RenderCache:
    """The pages of the last render and what each read, kept across serve rebuilds."""

    def __init__(self) -> None:
        self._shared: tuple[Hashable, ...] | None = None
        self._pages: dict[str, tuple[str, frozenset[Hashable]]] = {}
        self._answers: dict[Hashable, object] = {}
        self.rendered: list[str] = []
        """The pages the last render rendered (the others it took from the one before)."""
        self._restored: tuple[Mapping[str, Any], Mapping[str, str]] | None = None

    @property
    def page_count(self) -> int:
        """How many pages the last render made."""
        return len(self._pages)

    @property
    def empty(self) -> bool:
        """Whether it holds no render yet (nor one restored)."""
        return self._shared is None and self._restored is None

    def render(self, renderer: Renderer) -> dict[str, str]:
        """Every page `renderer` makes, rendering only those whose reads answer otherwise now.

        Raises what the templates raise; the cache is then as it was.
        """
        shared = renderer.shared_inputs()
        if self._restored is not None:
            state, texts = self._restored
            self._restored = None
            self._take(state, texts, shared)
        if shared != self._shared:
            self._pages, self._answers = {}, {}
        try:
            answers = {read: answer(renderer, read) for read in self._answers}
        except ValueError:  # A read this code does not know: notes it did not write.
            self._pages, self._answers, answers = {}, {}, {}
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

    # -- across processes ----------------------------------------------------------------

    def state(self) -> RenderState | None:
        """What the last render noted, as JSON values (without the pages' texts, which the
        caller keeps); ``None`` if there is no render, or an answer has no plain form."""
        if self._shared is None:
            return None
        try:
            keys: dict[Hashable, int] = {}
            table: list[list[str]] = []
            answers: list[Any] = []
            for read, now in self._answers.items():
                key = _portable(read)
                if key not in keys:
                    keys[key] = len(table)
                    table.append(list(key))  # type: ignore[call-overload]
                    answers.append(plain(now))
            pages = {
                path: sorted(keys[_portable(read)] for read in page_reads)
                for path, (_, page_reads) in self._pages.items()
            }
            return {
                "shared": shared_digest(self._shared),
                "reads": table,
                "answers": answers,
                "pages": pages,
            }
        except (Unstable, TypeError, KeyError):
            return None

    def restore(self, state: Mapping[str, Any], texts: Mapping[str, str]) -> None:
        """Start from a render of another process: what `state` gave, with the pages' texts
        by path. The next `render` takes it if the templates, kinds and settings are the
        same, and checks every read against the playbook it renders."""
        self._restored = (state, texts)

    def _take(
        self, state: Mapping[str, Any], texts: Mapping[str, str], shared: tuple[Hashable, ...]
    ) -> None:
        try:
            if state.get("shared") != shared_digest(shared):
                return
            table = [tuple(read) for read in state["reads"]]
            answers: dict[Hashable, object] = {
                read: _Stored(value) for read, value in zip(table, state["answers"], strict=True)
            }
            pages = {
                path: (texts[path], frozenset(table[i] for i in indexes))
                for path, indexes in state["pages"].items()
            }
        except (Unstable, TypeError, KeyError, IndexError, ValueError, AttributeError):
            return  # Not a state this code wrote: render everything, as without one.
        self._shared, self._pages, self._answers = shared, pages, answers


@dataclass(frozen=True)
class _Stored:
    """An answer read back from another process: its plain form (see `plain`)."""

    value: Any


def _portable(read: Hashable) -> Hashable:
    """A read as another process can ask it: an entity by its kind and id (see `answer`)."""
    return ("entity", read.kind.name, read.id) if isinstance(read, Entity) else read


def plain(value: object) -> Any:
    """An answer as JSON values: an entity as its file's path and content hash, a target as
    its kind and id, tuples as lists and sets as sorted lists. Raises TypeError for anything
    else."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, Entity):
        if not value.source_hash:
            raise TypeError("an entity without a content hash")
        with reads.unnoted():
            return ["entity", value.path, value.source_hash]
    if isinstance(value, Target):
        return [value.kind, value.id]
    if isinstance(value, (tuple, list)):
        return [plain(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted((plain(item) for item in value), key=stable_json)
    raise TypeError(f"no plain form for {type(value).__name__}")


def shared_digest(shared: tuple[Hashable, ...]) -> str:
    """A hash of what every page reads, the same in every process for the same inputs.

    Raises `Unstable` if some part has no stable description."""
    return digest(stable_json(shared, describe=_kind_spec))


def _kind_spec(value: Any) -> Any:
    # A kind is what its kind file says; its model is made from that.
    return value.spec if isinstance(value, Kind) else None


def answer(renderer: Renderer, read: Hashable) -> object:
    """What a noted read answers in this render, as a value to compare with another's."""
    playbook, links = renderer.playbook, renderer.links
    if isinstance(read, Entity):
        # Noted as the object it read (cheapest while rendering); asked again by kind and
        # id, whichever object has them now.
        return playbook.entities.get((read.kind.name, read.id))
    match read:
        case ("entity", str(kind), str(ident)):  # An entity read of another process.
            return playbook.entities.get((kind, ident))
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
        case ("compared in", str(kind), str(ident)):
            return tuple(e.ref for e in renderer.comparisons_of(Target(kind, ident)))
    raise ValueError(f"no answer for the read {read!r}")  # a read noted but not known here


def same(before: object, now: object) -> bool:
    """Whether a read answers now as it did: an entity by what a page may read of it."""
    if isinstance(before, _Stored):
        try:
            return bool(before.value == plain(now))
        except TypeError:
            return False
    if isinstance(before, Entity) and isinstance(now, Entity):
        return before is now or entity_content(before) == entity_content(now)
    return before == now
