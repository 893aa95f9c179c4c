"""Kinds v3 in the browser: facets that filter an index (state in the URL), checklists a
reader can tick (kept in this browser), and code that scrolls sideways on a phone.

The site is the incident-response fixture: runbooks with an enum of labelled severities, a
service ref, steps with commands, and a checklist.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from .conftest import Browsing, Site

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def incidents(incident_site: Site) -> str:
    """The incident-response fixture, built with --strict and served; its root URL."""
    return incident_site.url


def shown_titles(page: Page) -> list[str]:
    return [
        card.locator("strong a").first.inner_text()
        for card in page.locator("li.playbook-card").all()
        if card.is_visible()
    ]


def tick(page: Page, index: int) -> None:
    """Click a checklist's box where a reader sees it: Material draws it before its label."""
    box = (
        page.locator(".playbook-checklist .task-list-indicator")
        .nth(index)
        .evaluate(
            """span => {
            const r = span.getBoundingClientRect(), b = getComputedStyle(span, "::before");
            return [r.x + parseFloat(b.left) + parseFloat(b.width) / 2,
                    r.y + parseFloat(b.top) + parseFloat(b.height) / 2];
        }"""
        )
    )
    page.mouse.click(box[0], box[1])


def facet(page: Page, label: str) -> None:
    page.locator("button.playbook-filter__facet", has_text=label).click()


def test_facets_widen_within_and_narrow_across_with_the_state_in_the_url(
    incidents: str, browsing: Browsing
) -> None:
    page = browsing.open(incidents + "runbooks/")
    assert shown_titles(page) == ["Fail over the primary database", "Flush the cache"]
    facet(page, "Critical")
    assert shown_titles(page) == ["Fail over the primary database"]
    assert parse_qs(urlsplit(page.url).query) == {"severity": ["sev1"]}
    facet(page, "Minor")  # within one facet: either
    assert shown_titles(page) == ["Fail over the primary database", "Flush the cache"]
    facet(page, "Postgres")  # across facets: both
    assert len(shown_titles(page)) == 2
    expect(page.locator(".playbook-filter__count")).to_have_text("Showing 2 of 2")
    # A linked filtered index opens filtered.
    page = browsing.open(incidents + "runbooks/?severity=sev3")
    assert shown_titles(page) == ["Flush the cache"]
    expect(page.locator("button.playbook-filter__facet", has_text="Minor")).to_have_attribute(
        "aria-pressed", "true"
    )
    browsing.monitor.assert_clean()


def test_a_checklist_keeps_its_ticks_in_this_browser_until_cleared(
    incidents: str, browsing: Browsing
) -> None:
    page = browsing.open(incidents + "runbooks/db-failover/")
    boxes = page.locator(".playbook-checklist input[type=checkbox]")
    expect(boxes).to_have_count(2)
    assert all(box.is_enabled() and not box.is_checked() for box in boxes.all())
    tick(page, 1)
    assert [box.is_checked() for box in boxes.all()] == [False, True]
    page = browsing.open(incidents + "runbooks/db-failover/")
    assert [box.is_checked() for box in boxes.all()] == [False, True]
    # Another page keeps its own ticks.
    page = browsing.open(incidents + "runbooks/cache-flush/")
    page = browsing.open(incidents + "runbooks/db-failover/")
    page.get_by_role("button", name="Clear ticks").click()
    assert [box.is_checked() for box in boxes.all()] == [False, False]
    page = browsing.open(incidents + "runbooks/db-failover/")
    assert [box.is_checked() for box in boxes.all()] == [False, False]
    browsing.monitor.assert_clean()


def test_without_javascript_every_card_shows_and_boxes_show_unticked(
    incidents: str, new_browsing: Callable[..., Browsing]
) -> None:
    browsing = new_browsing(java_script_enabled=False)
    page = browsing.open(incidents + "runbooks/?severity=sev1")
    assert shown_titles(page) == ["Fail over the primary database", "Flush the cache"]
    expect(page.locator("form.playbook-filter")).to_be_hidden()
    page = browsing.open(incidents + "runbooks/db-failover/")
    boxes = page.locator(".playbook-checklist input[type=checkbox]").all()
    assert boxes and all(not box.is_checked() for box in boxes)


def test_a_long_command_scrolls_sideways_on_a_phone_with_a_copy_button(
    incidents: str, new_browsing: Callable[..., Browsing]
) -> None:
    browsing = new_browsing(viewport=PHONE)
    page = browsing.open(incidents + "runbooks/db-failover/")
    block = page.locator(".playbook-code", has_text="pgctl promote").first
    lines = block.locator("code").evaluate(
        """code => {
            const range = document.createRange();
            range.selectNodeContents(code);
            return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
        }"""
    )
    assert lines == 1, "the command wraps instead of scrolling"
    overflow = block.locator("pre > code").evaluate("c => c.scrollWidth > c.clientWidth")
    assert overflow, "the command is not wider than the phone: the test shows nothing"
    expect(block.locator("button.md-code__button[data-md-type=copy]")).to_have_count(1)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the page itself scrolls sideways"
