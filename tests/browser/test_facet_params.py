"""Facets on fields named like the filter's own URL parameters: `q` and `tag`.

A facet's parameter is its field's name, but the tags have `tag`, and the text has `q`, which
Material's search also reads: it opens its dialog on any page whose URL has `q`. Both are
valid field names, so a facet on such a field is `facet-q` or `facet-tag` in the URL (no
field name has a "-"), and the filter's own parameters and every other facet keep theirs.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from .conftest import Browsing
from .support import StaticServer

FILES = {
    "mkdocs.yml": """\
site_name: Facet names
theme:
  name: material
  font: false
plugins:
  - search
  - playbook:
      builtin_kinds: none
""",
    "docs/index.md": "# Facet names\n\nNotes to filter.\n",
    # Facets on fields named like both of the filter's own parameters.
    "playbooks/notes/_kind.yaml": """\
name: note
fields:
  q:
    type: enum
    values: {a: Alpha, b: Beta}
  tag:
    type: enum
    values: [red, green]
facets: [q, tag]
""",
    "playbooks/notes/one.yaml": """\
title: One apple
summary: The first note.
q: a
tag: red
tags: [urgent]
""",
    "playbooks/notes/two.yaml": """\
title: Two bananas
summary: The second note.
q: b
tag: green
tags: [later]
""",
    "playbooks/notes/three.yaml": """\
title: Three cherries
summary: The third note.
q: a
tag: green
tags: [urgent]
""",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The notes, built with --strict and served; the site's root URL."""
    root = tmp_path_factory.mktemp("facet-names")
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    server = StaticServer(Path(root / "site")).start()
    try:
        yield server.origin + "/"
    finally:
        server.stop()


def shown_titles(page: Page) -> list[str]:
    return [
        card.locator("strong a").first.inner_text()
        for card in page.locator("li.playbook-card").all()
        if card.is_visible()
    ]


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def facet(page: Page, label: str) -> None:
    page.locator("button.playbook-filter__facet", has_text=label).click()


def pressed(page: Page, selector: str) -> list[str]:
    return [
        button.inner_text().split(" ")[0]
        for button in page.locator(selector).all()
        if button.get_attribute("aria-pressed") == "true"
    ]


def search_is_open(page: Page) -> bool:
    """Whether Material's search dialog is open (its toggle is checked)."""
    return page.locator("input[data-md-toggle=search]").is_checked()


def test_facets_on_fields_named_q_and_tag_have_their_own_parameters(
    site: str, browsing: Browsing
) -> None:
    page = browsing.open(site + "notes/")
    facet(page, "Alpha")
    facet(page, "green")
    assert shown_titles(page) == ["Three cherries"]
    assert query(page) == {"facet-q": ["a"], "facet-tag": ["green"]}
    # The tags and the text keep their parameters beside them.
    page.locator("button.playbook-filter__tag", has_text="urgent").click()
    page.locator(".playbook-filter__text").fill("cherr")
    assert shown_titles(page) == ["Three cherries"]
    assert query(page) == {
        "facet-q": ["a"],
        "facet-tag": ["green"],
        "tag": ["urgent"],
        "text": ["cherr"],
    }
    # Choices within the `q` facet still widen.
    facet(page, "Beta")
    page.locator(".playbook-filter__text").fill("")
    page.locator("button.playbook-filter__tag", has_text="urgent").click()
    assert shown_titles(page) == ["Three cherries", "Two bananas"]
    assert query(page) == {"facet-q": ["a", "b"], "facet-tag": ["green"]}
    browsing.monitor.assert_clean()


def test_a_linked_filtered_index_opens_filtered_and_without_the_search_dialog(
    site: str, browsing: Browsing
) -> None:
    page = browsing.open(site + "notes/?facet-q=b&facet-tag=green&tag=later")
    assert shown_titles(page) == ["Two bananas"]
    assert pressed(page, "button.playbook-filter__facet") == ["Beta", "green"]
    assert pressed(page, "button.playbook-filter__tag") == ["later"]
    expect(page.locator(".playbook-filter__text")).to_have_value("")
    assert not search_is_open(page)
    # `tag` is the tags' parameter, not the facet's.
    page = browsing.open(site + "notes/?tag=urgent")
    assert shown_titles(page) == ["One apple", "Three cherries"]
    assert pressed(page, "button.playbook-filter__facet") == []
    assert pressed(page, "button.playbook-filter__tag") == ["urgent"]
    browsing.monitor.assert_clean()
