"""What a reader does on the site, step by step, in Chromium."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from .conftest import Browsing, Site
from .support import entities, heading, url_path

CARD_LINKS = "article li.playbook-card a, article .grid.cards li a"


def sidebar_link(page: Page, text: str) -> Locator:
    return page.locator(".md-sidebar--primary a.md-nav__link").filter(
        has_text=re.compile(rf"^\s*{re.escape(text)}\s*$")
    )


def test_home_to_a_comparison_through_the_nav(browsing: Browsing, site: Site) -> None:
    page = browsing.open(site.url)
    sidebar_link(page, "Comparisons").first.click()
    expect(page).to_have_url(site / "comparisons/")
    assert heading(page) == "Comparisons"

    titles = {e.path: e.title for e in entities("comparisons")}
    card = page.locator(CARD_LINKS).first
    card_text = " ".join(card.inner_text().split())
    card.click()
    browsing.monitor.wait_idle(page)
    path = url_path(page.url).lstrip("/")
    assert path in titles, f"the first card led to /{path}, not to a comparison"
    assert heading(page) == titles[path] == card_text
    expect(page.locator("article table").first).to_be_visible()
    browsing.monitor.assert_no_local_failures()


def test_search_a_persona_by_name_and_open_it(browsing: Browsing, site: Site) -> None:
    page = browsing.open(site.url)
    # Material reads keystrokes once its search worker has loaded the index.
    expect(page.locator(".md-search-result__meta")).not_to_contain_text("Initializing")
    search = page.locator(".md-search__input")
    search.click()
    search.press_sequentially("Sally", delay=20)
    result = page.locator(".md-search-result__link").filter(has_text="Social Smoker Sally")
    expect(result.first).to_be_visible()
    result.first.click()
    expect(page).to_have_url(re.compile(r"/personas/social-smoker-sally/"))
    assert heading(page) == "Social Smoker Sally"
    browsing.monitor.assert_no_local_failures()


BACKLINKS = "article .playbook-related a"


def test_follow_a_backlink(browsing: Browsing, site: Site) -> None:
    persona = "personas/social-smoker-sally/"
    page = browsing.open(site / persona)
    expect(page.locator("h2#related")).to_be_visible()
    # Links past the Related block's cap wait in a closed "N more" fold: a reader sees
    # (and follows) the others first.
    links = [
        link
        for link in page.locator(BACKLINKS).all()
        if not re.match(r"[a-z]+:|#", link.get_attribute("href") or "#") and link.is_visible()
    ]
    assert links, "no links in 'Related'"
    link = links[-1]
    title = " ".join(link.inner_text().split())
    link.click()
    browsing.monitor.wait_idle(page)
    assert url_path(page.url) != "/" + persona
    assert heading(page) == title
    # The page we landed on refers to the persona: that is why it was listed.
    hrefs = page.locator("article a").evaluate_all("links => links.map(a => a.href)")
    assert site / persona in hrefs, f"{page.url} does not link to {persona}"
    browsing.monitor.assert_no_local_failures()


def test_walk_the_stages_next_and_previous(browsing: Browsing, site: Site) -> None:
    stages = sorted(entities("stages"), key=lambda e: e.data["order"])
    titles = [stage.title for stage in stages]
    page = browsing.open(site / "stages/")
    page.locator(CARD_LINKS).filter(has_text=titles[0]).first.click()
    browsing.monitor.wait_idle(page)

    seen = [heading(page)]
    expect(page.locator("a.playbook-previous")).to_have_count(0)
    while page.locator("a.playbook-next").count():
        page.locator("a.playbook-next").click()
        browsing.monitor.wait_idle(page)
        seen.append(heading(page))
        assert len(seen) <= len(titles), f"next goes past the last stage: {seen}"
    assert seen == titles

    back = [heading(page)]
    while page.locator("a.playbook-previous").count():
        page.locator("a.playbook-previous").click()
        browsing.monitor.wait_idle(page)
        back.append(heading(page))
        assert len(back) <= len(titles), f"previous goes past the first stage: {back}"
    assert back == titles[::-1]
    assert url_path(page.url) == "/" + stages[0].path
    browsing.monitor.assert_no_local_failures()


def test_print_a_campaign_without_the_nav(browsing: Browsing, site: Site) -> None:
    campaign = entities("campaigns")[0]
    page = browsing.open(site / campaign.path)
    expect(page.locator(".md-sidebar--primary")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()
    expect(page.locator(".md-header")).to_be_hidden()
    expect(page.locator("article h1")).to_be_visible()


def test_printed_links_show_their_address(browsing: Browsing, site: Site) -> None:
    campaign = entities("campaigns")[0]
    page = browsing.open(site / campaign.path)
    page.emulate_media(media="print")
    # The strategy link in "At a glance": on paper it carries its absolute address.
    link = page.locator("article a[href*='strategies/']").first
    printed = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert printed == f'" <{site.url}strategies/' + printed.split("/strategies/", 1)[1]
    assert printed.endswith('/>"')
    page.emulate_media(media="screen")
    assert link.evaluate("a => getComputedStyle(a, '::after').content") in ("none", "normal")


def test_the_site_works_under_a_subpath(browsing: Browsing, subpath_site: Site) -> None:
    page = browsing.open(subpath_site.url)
    expect(page.locator("link[rel=canonical]")).to_have_attribute("href", subpath_site.url)
    expect(page.locator(".md-sidebar--primary")).to_be_visible()
    sidebar_link(page, "Personas").first.click()
    expect(page).to_have_url(subpath_site / "personas/")
    card = page.locator(CARD_LINKS).first
    title = " ".join(card.inner_text().split())
    card.click()
    browsing.monitor.wait_idle(page)
    assert url_path(page.url).startswith("/playbook/personas/")
    assert heading(page) == title

    stylesheets = page.evaluate(
        """() => [...document.styleSheets]
            .filter(sheet => sheet.href && sheet.href.startsWith(location.origin))
            .map(sheet => [sheet.href, sheet.cssRules.length])"""
    )
    assert stylesheets, "no stylesheet from the site was applied"
    for href, rules in stylesheets:
        assert url_path(href).startswith("/playbook/"), href
        assert rules > 0, f"{href} is empty"
    # Material's stylesheet is applied: the header is a fixed bar, not a plain block.
    assert page.locator(".md-header").evaluate("e => getComputedStyle(e).position") == "sticky"
    browsing.monitor.assert_no_local_failures()
