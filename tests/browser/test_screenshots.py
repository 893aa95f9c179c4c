"""A screenshot of each page type, for the README.

With UPDATE_SCREENSHOTS=1 they are written to docs/screenshots/<type>.png; otherwise to
pytest's temporary folder, so a normal run proves they can be taken and changes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import ViewportSize

from .conftest import Browsing, Site
from .support import KINDS, REPO, VIEWPORT, entities

# A full-page shot stops here: past it, long index pages make huge, unreadable images.
MAX_HEIGHT = 2400

SHOTS = {"home": "", "index": "personas/"}
SHOTS |= {singular: entities(folder)[0].path for folder, singular in KINDS.items()}
SHOTS |= {"which-do-i-need": "which-do-i-need/", "coverage": "authors/coverage/"}
# The pages a newcomer meets first, the same ones as in the before/after shots of the
# reader-first work: the three-way comparison, the first persona and the first stage.
SHOTS |= {
    "comparison": "comparisons/social-marketing-vs-smm-vs-management/",
    "persona": "personas/social-smoker-sally/",
    "stage": "stages/understand-audience/",
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        target = REPO / "docs" / "screenshots"
        target.mkdir(parents=True, exist_ok=True)
        return target
    return tmp_path_factory.mktemp("screenshots")


def settle(shared: Browsing) -> None:
    """Fonts loaded, so the picture is the one a reader sees."""
    shared.page.evaluate("document.fonts.ready.then(() => true)")


# On a phone too: the pages a newcomer meets first.
PHONE: ViewportSize = {"width": 390, "height": 844}
PHONE_SHOTS = {name: SHOTS[name] for name in ("home", "comparison", "persona", "stage")} | {
    "comparison": "comparisons/social-marketing-vs-smm-vs-management/"
}


@pytest.mark.parametrize(("name", "path"), PHONE_SHOTS.items(), ids=PHONE_SHOTS.keys())
def test_screenshot_on_a_phone(
    new_browsing: Callable[..., Browsing], site: Site, folder: Path, name: str, path: str
) -> None:
    browsing = new_browsing(viewport=PHONE, is_mobile=True, has_touch=True)
    page = browsing.open(site / path)
    settle(browsing)
    height = page.evaluate("document.documentElement.scrollHeight")
    target = folder / f"{name}-390.png"
    page.screenshot(
        path=target,
        full_page=True,
        clip={"x": 0, "y": 0, "width": PHONE["width"], "height": min(height, MAX_HEIGHT)},
        animations="disabled",
        caret="hide",
    )
    assert target.stat().st_size > 10_000


@pytest.mark.parametrize(("name", "path"), SHOTS.items(), ids=SHOTS.keys())
def test_screenshot(shared: Browsing, site: Site, folder: Path, name: str, path: str) -> None:
    assert (site.directory / path / "index.html").is_file(), f"/{path} is not in the site"
    page = shared.open(site / path)
    settle(shared)
    height = page.evaluate("document.documentElement.scrollHeight")
    target = folder / f"{name}.png"
    page.screenshot(
        path=target,
        full_page=True,
        clip={"x": 0, "y": 0, "width": VIEWPORT["width"], "height": min(height, MAX_HEIGHT)},
        animations="disabled",
        caret="hide",
    )
    assert target.stat().st_size > 10_000


def test_screenshot_print(shared: Browsing, site: Site, folder: Path) -> None:
    """A campaign as it prints: no header, no nav."""
    page = shared.open(site / entities("campaigns")[0].path)
    page.emulate_media(media="print")
    try:
        settle(shared)
        height = page.evaluate("document.documentElement.scrollHeight")
        page.screenshot(
            path=folder / "campaign-print.png",
            full_page=True,
            clip={"x": 0, "y": 0, "width": VIEWPORT["width"], "height": min(height, MAX_HEIGHT)},
        )
    finally:
        page.emulate_media(media="screen")
