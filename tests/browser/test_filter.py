"""Filtering a kind index page by tag and text, with the state in the URL (issue 8).

The contract: on every kind index page a `form.playbook-filter`, `hidden` until its script
runs, holds `input.playbook-filter__text[name=q]`, one `button.playbook-filter__tag` per
tag (`data-tag`, `aria-pressed`) and `p.playbook-filter__count`. Cards are
`li.playbook-card` with `data-tags` (a JSON array). Tags combine with AND; text matches
title or summary, ignoring case. Non-matching cards get `hidden`; the URL becomes
`?tag=A&tag=B&text=TEXT` (history.replaceState), and opening such a URL applies the filter.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from urllib.parse import parse_qs, urlencode, urlsplit

from playwright.sync_api import Page, expect

from .conftest import Browsing, Site
from .support import Entity, entities, url_path

FORM = "form.playbook-filter"
CARDS = "li.playbook-card"


def matching(people: list[Entity], tags: list[str] | None = None, text: str = "") -> list[Entity]:
    return [
        e
        for e in people
        if all(tag in e.tags for tag in tags or [])
        and text.lower() in f"{e.title}\n{e.summary}".lower()
    ]


def card_id(href: str) -> str:
    """The entity id of a card's link (`../personas/<id>/` or `<id>/`)."""
    return href.split("#")[0].rstrip("/").rsplit("/", 1)[-1]


def visible_cards(page: Page, people: list[Entity]) -> set[str]:
    """The ids of the cards a reader can see, checking each against `hidden`."""
    shown = set()
    for card in page.locator(CARDS).all():
        href = card.locator("a").first.get_attribute("href") or ""
        found = [e.id for e in people if card_id(href) == e.id]
        assert len(found) == 1, f"card with link {href!r} is not one persona"
        hidden = card.get_attribute("hidden") is not None
        assert card.is_visible() is not hidden, f"{found[0]}: `hidden` is {hidden} but it shows"
        if not hidden:
            shown.add(found[0])
    return shown


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def expect_state(page: Page, people: list[Entity], tags: list[str], text: str) -> None:
    wanted = ({"tag": sorted(tags)} if tags else {}) | ({"text": [text]} if text else {})
    for _ in range(200):  # the URL is written last; allow a debounced filter 5 s
        if {key: sorted(values) for key, values in query(page).items()} == wanted:
            break
        page.wait_for_timeout(25)
    expected = {e.id for e in matching(people, tags, text)}
    assert visible_cards(page, people) == expected
    expect(page.locator(".playbook-filter__count")).to_contain_text(str(len(expected)))
    state = query(page)
    assert sorted(state.get("tag", [])) == sorted(tags)
    if text:
        assert state.get("text") == [text]
    else:
        assert "text" not in state
    for button in page.locator(".playbook-filter__tag").all():
        pressed = "true" if button.get_attribute("data-tag") in tags else "false"
        expect(button).to_have_attribute("aria-pressed", pressed)


def pick_tags(people: list[Entity]) -> tuple[str, str]:
    """A tag on some personas but not all, then one that narrows those further."""
    counts = Counter(tag for e in people for tag in e.tags)
    candidates = sorted(
        (tag for tag, n in counts.items() if 1 < n < len(people)),
        key=lambda tag: (abs(counts[tag] - len(people) / 2), tag),
    )
    for first in candidates:
        subset = matching(people, [first])
        inner = Counter(tag for e in subset for tag in e.tags)
        narrowing = sorted(tag for tag, n in inner.items() if n < len(subset))
        if narrowing:
            return first, narrowing[0]
    raise AssertionError("the shipped personas have no two tags to filter by")


def test_filter_personas_by_tag_and_text(browsing: Browsing, site: Site) -> None:
    people = entities("personas")
    first, second = pick_tags(people)
    page = browsing.open(site / "personas/")
    expect(page.locator(FORM)).to_be_visible()
    assert page.locator(CARDS).count() == len(people)
    expect_state(page, people, [], "")

    page.locator(f".playbook-filter__tag[data-tag='{first}']").click()
    expect_state(page, people, [first], "")

    page.locator(f".playbook-filter__tag[data-tag='{second}']").click()
    expect_state(page, people, [first, second], "")

    page.locator(f".playbook-filter__tag[data-tag='{second}']").click()
    expect_state(page, people, [first], "")

    # Text matches title and summary, whatever the case.
    word = max(matching(people, [first])[0].title.split(), key=len)
    page.locator(".playbook-filter__text").fill(word.upper())
    expect_state(page, people, [first], word.upper())
    assert url_path(page.url) == "/personas/"

    browsing.monitor.assert_no_local_failures()


def test_a_filtered_url_opens_filtered(browsing: Browsing, site: Site) -> None:
    people = entities("personas")
    first, second = pick_tags(people)
    text = max(matching(people, [first])[0].title.split(), key=len).lower()
    page = browsing.open(
        site / f"personas/?{urlencode({'tag': [first, second], 'text': text}, doseq=True)}"
    )
    expect(page.locator(".playbook-filter__text")).to_have_value(text)
    # Material's search opens on a URL with `q`; a shared filter must not open it.
    assert not page.locator("input[data-md-toggle=search]").is_checked()
    expect_state(page, people, [first, second], text)

    page = browsing.open(site / f"personas/?tag={first}")
    expect_state(page, people, [first], "")


def test_cards_carry_their_tags(browsing: Browsing, site: Site) -> None:
    for folder in ("personas", "channels"):
        page = browsing.open(site / f"{folder}/")
        expect(page.locator(FORM)).to_be_visible()
        tags = {e.id: sorted(e.tags) for e in entities(folder)}
        found = {}
        for card in page.locator(CARDS).all():
            href = card.locator("a").first.get_attribute("href") or ""
            found[card_id(href)] = sorted(json.loads(card.get_attribute("data-tags") or "null"))
        assert found == tags
        buttons = page.locator(".playbook-filter__tag")
        # A tag every entity of the kind carries tells none apart: it is no filter.
        every = set.intersection(*(set(values) for values in tags.values()))
        assert sorted(b.get_attribute("data-tag") or "" for b in buttons.all()) == sorted(
            {tag for values in tags.values() for tag in values} - every
        )


def test_a_grouped_index_hides_the_groups_the_filter_empties(
    browsing: Browsing, site: Site
) -> None:
    plays = entities("plays")
    target = plays[0]
    word = max(target.title.split(), key=len).lower()
    page = browsing.open(site / f"plays/?text={word}")
    expected = {e.id for e in matching(plays, [], word)}
    expect(page.locator(".playbook-filter__count")).to_contain_text(
        f"Showing {len(expected)} of {len(plays)}"
    )
    groups = page.locator(".playbook-group")
    assert groups.count() > 1
    for group in groups.all():
        shown = [c for c in group.locator(CARDS).all() if c.is_visible()]
        assert group.is_visible() is bool(shown)


def test_without_javascript_every_card_shows(
    new_browsing: Callable[..., Browsing], site: Site
) -> None:
    browsing = new_browsing(java_script_enabled=False)
    people = entities("personas")
    page = browsing.open(site / f"personas/?tag={pick_tags(people)[0]}")
    expect(page.locator(CARDS)).to_have_count(len(people))
    for card in page.locator(CARDS).all():
        expect(card).to_be_visible()
    expect(page.locator(FORM)).to_have_count(1)
    expect(page.locator(FORM)).to_be_hidden()
