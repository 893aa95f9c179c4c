"""The site's nav with the playbook's pages: MkDocs' nav objects made from the plain-data
nav plan the core gives (`plan.nav_plan`, which the export writes into mkdocs.yml too)."""

from __future__ import annotations

import html
import itertools
from typing import Any

from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from ..plan import AUTHORS_SECTION, NavSection, SitePlan, for_authors, nav_plan


def playbook_nav(nav: Navigation, site: SitePlan, mode: str, files: Files, own: bool) -> Navigation:
    """``nav`` with one section per kind; entity pages hang under it without widening the
    nav. ``own``: whether mkdocs.yml writes the nav (else MkDocs made it of every page,
    and the generated ones come back as the plan places them)."""
    items = nav.items if own else _drop_generated(nav.items, set(site.pages))
    plan = nav_plan(site, mode, {page.file.src_uri for page in _pages(items)})
    # Reader pages ("Which do I need?") come right after the home page.
    at = 1 if items and isinstance(items[0], Page) else 0
    for path in plan.readers:
        page = page_of(files, path)
        if page is not None:
            items.insert(at, page)
            at += 1
    for kind in plan.placed:
        # Placed by mkdocs.yml: its entity pages hang under the index's section.
        index = page_of(files, kind.index)
        if index is None:
            continue
        section = _section_of(index, kind, items)
        for page in [p for path in kind.entities if (p := page_of(files, path))]:
            page.parent = section
    for group in plan.sections:
        index = page_of(files, group.listed[0])
        if index is None:
            continue
        listed = [page for path in group.listed if (page := page_of(files, path))]
        section = Section(group.title, list(listed))
        items.append(section)
        for page in [*listed, *(p for path in group.hung if (p := page_of(files, path)))]:
            page.parent = section
    pages = _pages(items)
    for previous, following in itertools.pairwise(pages):
        previous.next_page, following.previous_page = following, previous
    if pages:
        pages[0].previous_page = None
        pages[-1].next_page = None
    return Navigation(items, pages)


def leave_search_if_for_authors(page: Page, folder: str) -> None:
    """Keep a page for authors (in their ``folder``, `authors/`, or in a nav section titled
    "For authors" at any depth) out of the search index: a reader searching for "persona"
    is after the personas, not the guide to writing one."""
    if for_authors(page.file.src_uri, folder) or _in_authors_section(page):
        search = page.meta.get("search")
        page.meta["search"] = {**(search if isinstance(search, dict) else {}), "exclude": True}


def _in_authors_section(page: Page) -> bool:
    parent = page.parent
    while parent is not None:
        if isinstance(parent, Section) and parent.title == AUTHORS_SECTION:
            return True
        parent = parent.parent
    return False


def page_of(files: Files, src_uri: str) -> Page | None:
    file = files.get_file_from_path(src_uri)
    return file.page if file is not None else None


def _section_of(index: Page, kind: NavSection, items: list[Any]) -> Section:
    """The section of a kind whose index page mkdocs.yml places: the section the index
    opens (`- Runbooks: [runbooks/index.md]`, or the index listed first in a section).
    Placed as a page (`- runbooks/index.md`, `- Runbooks: runbooks/index.md`, at the top
    or among a section's pages), it gets a section of its own in its place, titled as the
    nav titles it (or by the kind), as the plugin makes the sections it adds: its entity
    pages then show the breadcrumb to it, and the nav marks it as the current section."""
    parent = index.parent
    opens = isinstance(parent, Section) and parent.children[:1] == [index]
    if isinstance(parent, Section) and opens and (index.title is None or len(parent.children) == 1):
        return parent
    # A page's title before MkDocs reads it is the one the nav gives it, if any.
    section = Section(index.title or html.escape(kind.title), [index])
    siblings = parent.children if isinstance(parent, Section) else items
    siblings[siblings.index(index)] = section
    section.parent = parent
    index.parent = section
    return section


def _pages(items: list[Any]) -> list[Page]:
    found: list[Page] = []
    for item in items:
        if isinstance(item, Page):
            found.append(item)
        elif isinstance(item, Section):
            found.extend(_pages(item.children))
    return found


def _drop_generated(items: list[Any], generated: set[str]) -> list[Any]:
    """The automatic nav without our pages, which come back as one section per kind."""
    kept: list[Any] = []
    for item in items:
        if isinstance(item, Page) and item.file.src_uri in generated:
            continue
        if isinstance(item, Section):
            item.children = _drop_generated(item.children, generated)
            if not item.children:
                continue
        kept.append(item)
    return kept
