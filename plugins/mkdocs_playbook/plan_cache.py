"""The plan cache: what a build of the playbook made, kept in the store (`cache`) for the next.

Four namespaces of the store, each a plain value by a key that hashes what it depends on:
- `site`: a build's `SitePlan` (every generated page and where it goes), by the hash of
  all the plan is made from (`inputs_key`): a build whose inputs are all as before takes
  its plan from here without loading the playbook;
- `render` and `render-plan`: what the last render noted of the pages it rendered
  (`render.incremental.RenderCache.state`), and the key of the plan that holds their texts,
  so that a process's first render renders only the pages an edit touches;
- `docs`: a hand-written page with its inline refs made links, and the warnings its refs
  gave, by the plan it was rewritten against and its own Markdown;
- `links`: the links found in one entity file's Markdown texts, by those texts, so that a
  build after an edit parses only the edited file's texts for links; and `links-used`, the
  keys of those a plan's check read, by the plan's key, so that a build that takes the plan
  as it is keeps them too.

Nothing here knows an engine: the engine hands in its settings as plain values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypedDict, TypeVar

from pydantic_core import core_schema as schema

from .cache import TEXT, Shape, Store, digest, folder_files, stable_repr
from .links import containing_folder
from .options import PlaybookOptions
from .plan import PLAN_JSON, SitePlan, SiteSettings

State = TypeVar("State")


class DocsPage(TypedDict):
    """A hand-written page's Markdown with its refs rewritten, and the warnings they gave."""

    markdown: str
    warnings: list[str]


DOCS_PAGE: Shape[DocsPage] = Shape(
    schema.typed_dict_schema(
        {
            "markdown": schema.typed_dict_field(schema.str_schema()),
            "warnings": schema.typed_dict_field(schema.list_schema(schema.str_schema())),
        }
    )
)
"""The shape a stored `DocsPage` must have to be read."""


FoundLink = tuple[str, str, bool, int]
"""A link found in a Markdown text: its text, its target, whether it is an image, and the
offset it starts at (`render.markup.Link`)."""

FOUND_LINKS: Shape[list[list[FoundLink]]] = Shape(
    schema.list_schema(
        schema.list_schema(
            schema.tuple_schema(
                [
                    schema.str_schema(),
                    schema.str_schema(),
                    schema.bool_schema(),
                    schema.int_schema(),
                ]
            )
        )
    )
)
"""The shape stored links must have to be read: for each text, its links."""

KEYS: Shape[list[str]] = Shape(schema.list_schema(schema.str_schema()))
"""The shape of a stored list of keys."""


class Notes(Protocol[State]):
    """What a render noted (`render.incremental.RenderCache`), as the plan cache keeps it."""

    @property
    def empty(self) -> bool: ...

    def state(self) -> State | None: ...

    def restore(self, state: State, texts: Mapping[str, str]) -> None: ...


@dataclass
class PlanCache:
    """A project's plans, render notes and rewritten docs pages in one store."""

    store: Store
    project_dir: Path
    versions: str
    """The versions of everything whose code shapes a page (part of every key)."""
    _links_used: set[str] = field(default_factory=set, init=False, repr=False)
    """The keys of the links the check since the last plan was kept read (`found_links`)."""

    def inputs_key(
        self,
        options: PlaybookOptions,
        settings: SiteSettings,
        edit: Iterable[object],
        folders: Iterable[Path],
    ) -> str:
        """A hash of everything the plan is made from: the options, the site's settings, its
        edit links, and every file of the playbook and template ``folders`` (a link as where
        it points; nothing read through one that leaves the project)."""
        return digest(
            self.versions,
            stable_repr(asdict(options)),
            stable_repr({k: v for k, v in asdict(settings).items() if k != "edit_url"}),
            stable_repr(list(edit)),
            str(self.project_dir),
            *(
                part
                for folder in folders
                for part in (
                    *folder_files(folder, inside=containing_folder(folder, self.project_dir)),
                    "\0",
                )
            ),
        )

    def plan(self, key: str) -> SitePlan | None:
        """The plan stored under ``key``; with it, keep what the last render noted and its
        pages' texts for the next edit."""
        stored = self.store.get("site", key, PLAN_JSON)
        if stored is None:
            return None
        for links_key in self.store.get("links-used", key, KEYS) or ():
            self.store.touch("links", links_key)
        self.store.touch("render", self._notes_key())
        noted = self.store.get("render-plan", self._notes_key(), TEXT)
        if noted is not None:
            self.store.touch("site", noted)
        return SitePlan.from_json(stored)

    def put_plan(self, key: str, plan: SitePlan) -> None:
        self.store.put("site", key, plan.to_json())
        used, self._links_used = sorted(self._links_used), set()
        self.store.put("links-used", key, used)

    def keep_notes(self, notes: Notes[Any], plan_key: str) -> None:
        """Put what the last render noted in the store, for the next process, with the key
        of the plan that holds its pages' texts (a build that takes another plan from the
        cache keeps that one without reading the notes)."""
        state = notes.state()
        if state is None:
            return
        self.store.put("render", self._notes_key(), state)
        self.store.put("render-plan", self._notes_key(), plan_key)

    def restore_notes(self, notes: Notes[State], shape: Shape[State]) -> None:
        """Hand a process's first render what the last build's render noted (a value of
        ``shape``), with the texts of its pages (from that build's plan), so that it renders
        only the pages whose reads answer otherwise now."""
        if not notes.empty:
            return
        state = self.store.get("render", self._notes_key(), shape)
        plan_key = self.store.get("render-plan", self._notes_key(), TEXT)
        if state is None or plan_key is None:
            return
        plan = self.store.get("site", plan_key, PLAN_JSON)
        if plan is not None:
            notes.restore(state, plan["pages"])

    def docs_page(self, key: str) -> DocsPage | None:
        """A hand-written page's Markdown with its refs made links, and its refs' warnings."""
        return self.store.get("docs", key, DOCS_PAGE)

    def put_docs_page(self, key: str, page: DocsPage) -> None:
        self.store.put("docs", key, page)

    def found_links(self, texts: Sequence[str]) -> list[list[FoundLink]] | None:
        """The links found in each of ``texts`` (one file's Markdown fields, in order), if
        the store holds them; stored links that cannot be these texts' are a miss."""
        key = _links_key(self.versions, texts)
        self._links_used.add(key)
        found = self.store.get("links", key, FOUND_LINKS)
        if found is None or len(found) != len(texts):
            return None
        for text, links in zip(texts, found, strict=True):
            if any(not 0 <= offset < len(text) for _, _, _, offset in links):
                return None
        return found

    def put_found_links(self, texts: Sequence[str], found: list[list[FoundLink]]) -> None:
        self.store.put("links", _links_key(self.versions, texts), found)

    def keep_links(self, texts: Sequence[str]) -> None:
        """Keep the stored links of ``texts`` with the next plan, as `found_links` does, for
        texts whose links this process holds already."""
        self._links_used.add(_links_key(self.versions, texts))

    def _notes_key(self) -> str:
        """Where the store keeps what the last render of this project noted."""
        return digest("render notes", self.versions, str(self.project_dir))


def _links_key(versions: str, texts: Sequence[str]) -> str:
    return digest("links", versions, *texts)


def docs_key(plan_key: str, src_uri: str, path: str, markdown: str) -> str:
    """The key of a hand-written page rewritten against the plan of ``plan_key``."""
    return digest(plan_key, src_uri, path, markdown)
