"""The page budget (docs/publish.md): what a reader's browser fetches for one page.

A page weighs its HTML and the stylesheets, scripts and images it names, gzipped as a
host serves them. With search, add Material's search worker and the search index it
fetches on every page load. No reader page is over 100 KB without search, nor over
200 KB with it, on the shipped site, the test fixture and two playbooks of another domain
(incident response). The weight of each page type is printed (pytest -s shows it).
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from .conftest import Site

BUDGET_KB = 100
BUDGET_WITH_SEARCH_KB = 200
SITES = ("site", "fixture_site", "incident_site", "incident_kinds_site")
MIN_PAGES = {"site": 10, "fixture_site": 10, "incident_site": 7, "incident_kinds_site": 10}

_ASSET = re.compile(
    r'<(?:script|img)\b[^>]*\bsrc="([^"]+)"|<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"'
)
_CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)


def _gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


def weigh(site: Path, html: Path) -> tuple[int, int]:
    """Bytes gzipped of one page without search, and of its search worker and index."""
    text = html.read_text(encoding="utf-8")
    base = "/" + html.parent.relative_to(site).as_posix().strip(".") + "/"
    names = {a or b for a, b in _ASSET.findall(text)}
    search = 0
    config = _CONFIG.search(text)
    if config and json.loads(config.group(1)).get("search"):
        names.add(json.loads(config.group(1))["search"])
        search = _gzipped(site / "search" / "search_index.json")
    total = _gzipped(html)
    for name in names:
        parts = urlsplit(urljoin(base.replace("//", "/"), name))
        if parts.scheme or parts.netloc:
            continue  # nothing leaves the site (test_every_page checks it)
        file = site / parts.path.lstrip("/")
        if file.is_file():
            total += _gzipped(file)
    return total, search


@pytest.mark.parametrize("site_name", SITES)
def test_every_reader_page_keeps_the_page_budget(
    request: pytest.FixtureRequest, site_name: str
) -> None:
    site: Site = request.getfixturevalue(site_name)
    pages = sorted(site.directory.rglob("index.html"))
    assert len(pages) > MIN_PAGES[site_name]
    over: list[str] = []
    weights = []
    for html in pages:
        page, search = weigh(site.directory, html)
        path = "/" + html.parent.relative_to(site.directory).as_posix().strip(".")
        weights.append((page + search, page, path))
        if page > BUDGET_KB * 1024:
            over.append(f"{path}: {page / 1024:.0f} KB gzipped without search")
        if page + search > BUDGET_WITH_SEARCH_KB * 1024:
            over.append(f"{path}: {(page + search) / 1024:.0f} KB gzipped with search")
    heaviest = max(weights)
    print(f"\nheaviest: {heaviest[2]} {heaviest[1] / 1024:.0f} KB, {heaviest[0] / 1024:.0f} KB")
    print("page type: KB gzipped without search, with search")
    for name, path in site.page_types().items():
        page, search = weigh(site.directory, site.directory / path / "index.html")
        print(f"  {name} /{path}: {page / 1024:.1f} KB, {(page + search) / 1024:.1f} KB")
    assert not over, "over the page budget:\n" + "\n".join(over)
