"""Every page of the built site loads in Chromium with no error and no request off loopback."""

from __future__ import annotations

from collections import defaultdict

import pytest

from .conftest import Browsing, Site

# Pages loaded side by side, in tabs of one context: the walk is bound by the CPU, and a
# few tabs keep both cores busy while each waits on its scripts.
TABS = 3
# The shipped site, and a playbook of another domain (incident response, its own kinds) built
# with the system fonts. (incident_kinds_site keeps Material's default Google Fonts.)
MIN_PAGES = {"site": 20, "incident_site": 7}


@pytest.mark.parametrize("site_name", MIN_PAGES)
def test_every_page_loads_cleanly(
    browsing: Browsing, request: pytest.FixtureRequest, site_name: str
) -> None:
    site: Site = request.getfixturevalue(site_name)
    paths = site.page_paths()
    assert len(paths) > MIN_PAGES[site_name], f"the site has only {len(paths)} pages"
    tabs = [browsing.page] + [browsing.context.new_page() for _ in range(TABS - 1)]
    for start in range(0, len(paths), TABS):
        batch = list(zip(tabs, paths[start : start + TABS], strict=False))
        for tab, path in batch:
            tab.goto(site / path, wait_until="commit")
        for tab, _ in batch:
            browsing.monitor.wait_idle(tab)

    where: dict[str, list[str]] = defaultdict(list)
    for problem in browsing.monitor.take():
        text = problem.text.replace(site.url.rstrip("/"), "")
        where[f"{problem.what}: {text}"].append(problem.page)

    def line(problem: str, pages: list[str]) -> str:
        sample = ", ".join(pages[:3]) + (f" and {len(pages) - 3} more" if len(pages) > 3 else "")
        return f"{problem}\n    on {len(pages)} page(s): {sample}"

    assert not where, f"{len(where)} problem(s) over {len(paths)} pages:\n" + "\n".join(
        line(problem, pages) for problem, pages in sorted(where.items())
    )
