"""Every page type as a reader sees it, on a phone (390x844) and a desktop (1280x800).

Every page type found in the built site, on the shipped site, on the test fixture built with
no theme_overrides of its own (as another team's site would be) and on two playbooks of
another domain (incident response, of their own kinds only): no sideways page scroll,
diagram labels at reading size, no table rows hidden in an inner scroll box, no link target
more than twice in an article outside its "Related" block nor twice in one of that block's
groups, and axe with no serious or critical finding. The generated "Related" block takes
at most 40% of a persona, play, metric or stage page.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize

from .conftest import Browsing, Site
from .support import AXE_JS, KINDS, Monitor

WIDTHS: dict[str, ViewportSize] = {
    "390": {"width": 390, "height": 844},
    "1280": {"width": 1280, "height": 800},
}
SITES = ("site", "fixture_site", "incident_site", "incident_kinds_site")
MIN_LABEL_PX = 11
MAX_RELATED_SHARE = 0.40
SHARE_KINDS = ("personas", "plays", "metrics", "stages")
RELATED_SITES = ("site", "fixture_site")
"""The sites with those kinds."""
MARKETING_TYPES = {
    "home",
    "which-do-i-need",
    "entity-personas",
    "entity-stages",
    "entity-comparisons",
}
# The page types each site must have: the check below would pass on a site it cannot find.
EXPECTED_TYPES = {
    "site": MARKETING_TYPES,
    "fixture_site": MARKETING_TYPES,
    "incident_site": {
        "home",
        "index-roles",
        "entity-roles",
        "index-runbooks",
        "entity-runbooks",
        "index-services",
        "entity-services",
    },
    "incident_kinds_site": {
        "home",
        "index-runbooks",  # grouped by severity
        "entity-runbooks",
        "index-severities",  # a flow
        "entity-severities",
        "entity-services",
        "entity-roles",
    },
}
DRAWS_DIAGRAMS = ("site", "fixture_site", "incident_kinds_site")
"""The sites with a diagram (a flow, a strategy's map): incident_site has none."""


def page_types(site: Site) -> dict[str, str]:
    """One page of each type in a built site (Site.page_types): found in it, of any domain."""
    return site.page_types()


@pytest.fixture(scope="module", params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def reader(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Browsing]:
    """One browser context per width, shared by the module's tests."""
    context = browser.new_context(viewport=WIDTHS[request.param])
    context.set_default_timeout(10_000)
    yield Browsing(context, context.new_page(), Monitor().attach(context))
    context.close()


# Pages are read side by side in tabs of one context: each waits on its scripts, and a
# few tabs keep both cores busy (as in test_every_page).
TABS = 3


def visit(reader: Browsing, paths: list[str], site: Site) -> Iterator[tuple[str, Page]]:
    """Each path opened, settled (scripts run), a few tabs at a time."""
    tabs = [reader.page] + [reader.context.new_page() for _ in range(TABS - 1)]
    try:
        for start in range(0, len(paths), TABS):
            batch = list(zip(tabs, paths[start : start + TABS], strict=False))
            for tab, path in batch:
                tab.goto(site / path, wait_until="commit")
            for tab, path in batch:
                reader.monitor.wait_idle(tab)
                yield path, tab
    finally:
        for tab in tabs[1:]:
            tab.close()


MEASURE = """(articleRules) => {
    const article = document.querySelector("article");
    const visible = el => el.checkVisibility();
    const problems = [];

    // 1. The page itself never scrolls sideways.
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) {
        problems.push(`the page is ${root.scrollWidth}px wide in a ${root.clientWidth}px window`);
    }

    // 2. Diagrams are HTML drawn at build time (the stage flow, the strategy's map), with
    //    no script: labels at text size, every node inside the article column, in view
    //    without scrolling a box, and every node but the map's root and groups a link.
    const sizes = [];
    const text = parseFloat(getComputedStyle(article).fontSize);
    const column = article.getBoundingClientRect();
    const nodes = article.querySelectorAll(".playbook-flow li, .playbook-map__node");
    for (const node of nodes) {
        if (!visible(node)) continue;
        const px = parseFloat(getComputedStyle(node).fontSize);
        const label = node.textContent.trim();
        sizes.push([px, label]);
        if (px < text - 0.5) problems.push(`diagram label "${label}" is ${px.toFixed(1)}px`);
        const box = node.getBoundingClientRect();
        if (box.left < column.left - 1 || box.right > column.right + 1) {
            problems.push(`diagram node "${label}" is outside the article column`);
        }
        const linked = node.matches("a[href]") || node.querySelector("a[href]") ||
            node.matches(".playbook-map__node--root, .playbook-map__node--group") ||
            node.getAttribute("aria-current");
        if (!linked) problems.push(`diagram node "${label}" is not a link`);
        // The arrow before a step (drawn with ::before) stays in the column too, also
        // before a step that starts a wrapped row.
        const arrow = getComputedStyle(node, "::before");
        if (arrow.content !== "none" && arrow.position === "absolute" &&
                box.left + parseFloat(arrow.left) < column.left - 1) {
            problems.push(`the arrow before "${label}" is outside the article column`);
        }
    }
    for (const [px, label] of sizes) {
        if (px < %(min_label)s) problems.push(`diagram label "${label}" is ${px.toFixed(1)}px`);
    }
    if (document.querySelector(".mermaid, script[src*=mermaid]")) {
        problems.push("the page carries a diagram script");
    }

    // 3. No table row hidden behind an inner scroll box.
    for (const table of article.querySelectorAll("table")) {
        if (!visible(table)) continue;
        for (let box = table.parentElement; box && box !== article; box = box.parentElement) {
            if (box.scrollHeight > box.clientHeight + 2 &&
                    ["auto", "scroll", "hidden"].includes(getComputedStyle(box).overflowY)) {
                problems.push(`a table scrolls inside ${box.className || box.tagName}: ` +
                    `${box.clientHeight}px of ${box.scrollHeight}px shown`);
            }
        }
    }

    // 4. No link target more than twice among the links a reader sees, in an article
    //    (not on an index of cards or the coverage heatmap, which are lists of links,
    //    nor in a map, a figure whose every node is a link, as Mermaid's nodes were).
    //    The generated "Related" block comes after, and names each target once in each of
    //    its groups: a relation a ref field declares is shown there even where the page's
    //    own text links the same entity (content model v3).
    const counts = new Map();
    const inGroups = new Map();
    for (const link of article.querySelectorAll("a[href]")) {
        if (link.classList.contains("headerlink") || link.closest(".md-content__button")) continue;
        if (link.closest(".playbook-map")) continue;
        if (link.getAttribute("href").startsWith("#") || !visible(link)) continue;
        const target = link.href.split("#")[0];
        const group = link.closest(".playbook-related li");
        if (group) {
            const seen = inGroups.get(group) || new Map();
            seen.set(target, (seen.get(target) || 0) + 1);
            inGroups.set(group, seen);
            continue;
        }
        counts.set(target, (counts.get(target) || 0) + 1);
    }
    for (const [target, count] of counts) {
        if (count > 2 && articleRules) problems.push(`${count} links to ${target}`);
    }
    for (const seen of inGroups.values()) {
        for (const [target, count] of seen) {
            if (count > 1 && articleRules) {
                problems.push(`${count} links to ${target} in one group of Related`);
            }
        }
    }
    return {problems, diagrams: sizes.length};
}""".replace("%(min_label)s", str(MIN_LABEL_PX))

RUN_AXE = """async () => {
    const results = await axe.run(document, {resultTypes: ["violations"]});
    return results.violations
        .filter(v => v.impact === "serious" || v.impact === "critical")
        .map(v => `${v.id} [${v.impact}] x${v.nodes.length}: ${v.help}: ` +
            v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
}"""


@pytest.mark.parametrize("site_name", SITES)
def test_every_page_type_reads_well(
    reader: Browsing, request: pytest.FixtureRequest, site_name: str
) -> None:
    assert AXE_JS.is_file(), f"{AXE_JS} is missing: run tests/browser/install-deps.sh"
    site: Site = request.getfixturevalue(site_name)
    types = page_types(site)
    assert EXPECTED_TYPES[site_name] <= set(types), types
    # Every kind the ten packaged ones would have found, found in the site itself.
    packaged = {f"index-{folder}" for folder in KINDS if (site.directory / folder).is_dir()}
    assert packaged <= set(types), types
    found: list[str] = []
    drawn = 0
    names = {path: name for name, path in types.items()}
    for path, page in visit(reader, list(names), site):
        name = names[path]
        is_article = not name.startswith("index-")
        result: dict[str, Any] = page.evaluate(MEASURE, is_article)
        drawn += result["diagrams"]
        page.add_script_tag(path=AXE_JS)
        found += [f"/{path} ({name}): {p}" for p in result["problems"]]
        found += [f"/{path} ({name}): axe {v}" for v in page.evaluate(RUN_AXE)]
    if site_name in DRAWS_DIAGRAMS:
        assert drawn, "no diagram was measured: the label check tested nothing"
    assert not found, f"{len(found)} problem(s):\n" + "\n".join(found)


RELATED_SHARE = """() => {
    const article = document.querySelector("article");
    const heading = article.querySelector("h2#related");
    const block = article.querySelector(".playbook-related");
    if (!heading || !block) return 0;
    const top = heading.getBoundingClientRect().top;
    const bottom = block.getBoundingClientRect().bottom;
    return (bottom - top) / article.getBoundingClientRect().height;
}"""


@pytest.mark.parametrize("site_name", RELATED_SITES)
def test_related_links_take_at_most_forty_percent_of_a_page(
    reader: Browsing, request: pytest.FixtureRequest, site_name: str
) -> None:
    site: Site = request.getfixturevalue(site_name)
    paths = [
        html.parent.relative_to(site.directory).as_posix() + "/"
        for folder in SHARE_KINDS
        for html in sorted((site.directory / folder).glob("*/index.html"))
    ]
    shares = [(page.evaluate(RELATED_SHARE), path) for path, page in visit(reader, paths, site)]
    assert len(shares) >= len(SHARE_KINDS), shares
    assert any(share > 0 for share, _ in shares), "no page has a Related block"
    worst = max(shares)
    print(f"\nlargest Related share: {worst[0]:.0%} on /{worst[1]}")
    too_big = [f"/{path}: {share:.0%}" for share, path in shares if share > MAX_RELATED_SHARE]
    assert not too_big, "Related takes more than 40% of:\n" + "\n".join(too_big)
