"""The site on a phone (390x844): the menu, the tables, the type size.

Every page type found in the built site, on the shipped site, on the test fixture built with
no theme_overrides of its own and on two playbooks of another domain (incident response).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, ViewportSize

from .conftest import Browsing, Site
from .support import Monitor
from .test_reader import page_types

PHONE: ViewportSize = {"width": 390, "height": 844}
SITES = ("site", "fixture_site", "incident_site", "incident_kinds_site")
HAS_TABLES = ("site", "fixture_site", "incident_site")
"""The sites with a table on a reader page: incident_kinds_site has none."""


@pytest.fixture(scope="module")
def phone(browser: Browser) -> Iterator[Browsing]:
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    context.set_default_timeout(10_000)
    yield Browsing(context, context.new_page(), Monitor().attach(context))
    context.close()


# Every top item of the drawer, and whether the reader can see and tap it: the element at
# the middle of its link is that link (no pane of a section slid over it).
DRAWER = """() => {
    const nav = document.querySelector("nav.md-nav--primary");
    const items = Array.from(nav.querySelectorAll(":scope > ul > li.md-nav__item"));
    return items.map(item => {
        const link = item.querySelector(
            ":scope > a.md-nav__link, :scope > .md-nav__container > a.md-nav__link, " +
            ":scope > label.md-nav__link");
        const box = link.getBoundingClientRect();
        const x = box.left + box.width / 2, y = box.top + box.height / 2;
        const hit = document.elementFromPoint(x, y);
        const inView = box.width > 0 && y > 0 && y < window.innerHeight;
        return {
            title: link.textContent.trim().replace(/\\s+/g, " "),
            shown: inView && !!hit && link.contains(hit),
            current: item.classList.contains("md-nav__item--active"),
            bold: parseInt(getComputedStyle(link).fontWeight) >= 700,
        };
    });
}"""


@pytest.mark.parametrize("site_name", SITES)
def test_the_phone_menu_shows_every_top_section_with_the_current_one_marked(
    phone: Browsing, request: pytest.FixtureRequest, site_name: str
) -> None:
    site: Site = request.getfixturevalue(site_name)
    types = page_types(site)  # reader pages: author pages sit in a section of their own
    problems: list[str] = []
    page = phone.page
    for name, path in types.items():
        page.goto(site / path)
        phone.monitor.wait_idle(page)
        page.locator('label.md-header__button[for="__drawer"]').click()
        page.wait_for_timeout(400)  # Material slides the drawer and its panes in
        items: list[dict[str, Any]] = page.evaluate(DRAWER)
        # Items lower down may be below the fold, behind the drawer's own scroll: the first
        # screenful must be the top sections, not one section's pane.
        hidden = [item["title"] for item in items[:6] if not item["shown"]]
        if hidden:
            problems.append(f"/{path} ({name}): not shown in the drawer: {hidden}")
        current = [item for item in items if item["current"]]
        if name != "home" and not current:
            problems.append(f"/{path} ({name}): no top section is marked current")
        for item in current:
            if not item["bold"] and item["shown"]:
                problems.append(f"/{path} ({name}): {item['title']!r} is current, not marked")
    assert not problems, "\n".join(problems)


# Every table a reader sees fits its box: none scrolls sideways, in the page or in an inner
# box, so no column is hidden.
TABLES = """() => {
    const problems = [];
    for (const table of document.querySelectorAll("article table")) {
        if (!table.checkVisibility()) continue;
        const name = (table.querySelector("th") || table).textContent.trim().slice(0, 30);
        for (let box = table; box && box.tagName !== "ARTICLE"; box = box.parentElement) {
            const scrolls = getComputedStyle(box).overflowX !== "visible";
            if (scrolls && box.scrollWidth > box.clientWidth + 1) {
                const shown = Math.round(100 * box.clientWidth / box.scrollWidth);
                problems.push(`table "${name}": ${box.className || box.tagName} shows ${shown}%`);
                break;
            }
        }
    }
    return problems;
}"""


@pytest.mark.parametrize("site_name", SITES)
def test_every_table_fits_a_phone(
    phone: Browsing, request: pytest.FixtureRequest, site_name: str
) -> None:
    site: Site = request.getfixturevalue(site_name)
    problems: list[str] = []
    measured = 0
    page = phone.page
    for name, path in page_types(site).items():
        page.goto(site / path)
        phone.monitor.wait_idle(page)
        measured += page.locator("article table").count()
        problems += [f"/{path} ({name}): {p}" for p in page.evaluate(TABLES)]
    if site_name in HAS_TABLES:
        assert measured, "no table was measured"
    assert not problems, "\n".join(problems)


# The answer at full size: a comparison's cells and its "Choose ... when" advice at the
# size of the body text, and its table inside the article column.
ANSWER = """() => {
    const article = document.querySelector("article");
    const body = parseFloat(getComputedStyle(article).fontSize);
    const problems = [];
    let measured = 0;
    const cells = article.querySelectorAll(
        ".playbook-comparison td, .admonition.playbook-choose p");
    for (const cell of cells) {
        if (!cell.checkVisibility() || !cell.textContent.trim()) continue;
        measured += 1;
        const px = parseFloat(getComputedStyle(cell).fontSize);
        if (px < body - 0.5) {
            const text = cell.textContent.trim().slice(0, 30);
            problems.push(`"${text}" is ${px}px, the body ${body}px`);
        }
    }
    for (const table of article.querySelectorAll(".playbook-comparison table")) {
        if (!table.checkVisibility()) continue;
        for (let box = table; box !== article; box = box.parentElement) {
            // A box that can scroll (Material's wrapper bleeds into the margin by design).
            const scrolls = getComputedStyle(box).overflowX !== "visible";
            if (scrolls && box.scrollWidth > box.clientWidth + 1) {
                problems.push(`the table is ${box.scrollWidth}px in ${box.clientWidth}px`);
                break;
            }
        }
    }
    return {problems, measured};
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_the_comparison_answer_is_at_body_size_and_fits(
    browser: Browser, site: Site, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        paths = sorted(p.parent.name for p in (site.directory / "comparisons").glob("*/index.html"))
        assert paths
        problems: list[str] = []
        measured = 0
        for name in paths:
            page.goto(site / f"comparisons/{name}/")
            page.wait_for_load_state("load")
            # The table's tab: on a phone the page opens on "one subject at a time".
            page.locator(".tabbed-labels label").first.click()
            result: dict[str, Any] = page.evaluate(ANSWER)
            measured += result["measured"]
            problems += [f"/comparisons/{name}/: {p}" for p in result["problems"]]
        assert measured, "no cell was measured"
        assert not problems, "\n".join(problems)
    finally:
        context.close()
