"""Fixtures of the browser tests: the shipped site, built and served; Chromium; monitored pages.

The shipped site is built twice per session, in parallel, each with the `site_url` of where
it is served: once at the root of a static server, once under /playbook/ of another. Beside
them the test fixture is built as another team's site, with no theme_overrides of its own,
and two playbooks of another domain, incident response, of their own kinds only.
Chromium is Debian's (/usr/bin/chromium), driven by Playwright; nothing is downloaded.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from .support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    FIXTURE,
    HERE,
    INCIDENT_KINDS,
    INCIDENTS,
    REPO,
    VIEWPORT,
    Monitor,
    StaticServer,
)

SUBPATH = "/playbook/"
AUTHOR_PATHS = ("authors/", "for-authors/")
"""Pages for the people who write the playbook, not for its readers."""
INCIDENTS_CONFIG = """\
site_name: Incident response
theme:
  name: material
  font: false
plugins:
  - search
  - playbook:
      builtin_kinds: none
"""
"""A team's own playbook: Material with the system fonts, none of the packaged kinds."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM} is missing: run tests/browser/install-deps.sh (apt's chromium)"
    )
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(skip)


@dataclass(frozen=True)
class Site:
    """A built site and the server that serves it."""

    directory: Path
    url: str  # the site's root URL, ending in "/"

    def __truediv__(self, path: str) -> str:
        return self.url + path.lstrip("/")

    def page_paths(self) -> list[str]:
        """The path, under the site root, of every page (every index.html) of the site."""
        return sorted(
            ""
            if html.parent == self.directory
            else html.parent.relative_to(self.directory).as_posix() + "/"
            for html in self.directory.rglob("index.html")
        )

    def page_types(self) -> dict[str, str]:
        """One page of each type a reader meets, by name -> path, found in the built site.

        Home; "Which do I need?" if it is built; and for each kind (a folder with an
        index.html and a sub-folder per entity) its index and its largest entity page, the
        one that shows the most of the kind's fields. Nothing is known of the kinds
        beforehand, so a playbook of any domain is covered. Author pages (AUTHOR_PATHS) are
        not a reader's.
        """
        types = {"home": ""}
        if (self.directory / "which-do-i-need" / "index.html").is_file():
            types["which-do-i-need"] = "which-do-i-need/"
        for folder in sorted(p for p in self.directory.iterdir() if p.is_dir()):
            path = folder.name + "/"
            if path in AUTHOR_PATHS or not (folder / "index.html").is_file():
                continue
            pages = sorted(folder.glob("*/index.html"))
            if pages:
                largest = max(pages, key=lambda html: html.stat().st_size)
                types[f"index-{folder.name}"] = path
                types[f"entity-{folder.name}"] = f"{path}{largest.parent.name}/"
        return types


def _build(config_file: Path, site_dir: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file)]
    return subprocess.Popen(
        [*command, "-d", str(site_dir)],
        cwd=config_file.parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _project_at(project: Path, site_url: str) -> Path:
    """A project folder whose mkdocs.yml INHERITs the repository's and sets `site_url`.

    The shipped mkdocs.yml names the published address, where the 404 page would load its
    assets from; a test serves the site on loopback, so it builds it for that address.

    MkDocs resolves relative paths (docs_dir, theme.custom_dir, the plugin's
    playbooks_dir) against the folder of the config file it was given, not the inherited
    one, so the folder links to the repository's top-level entries; `playbooks` and `docs`
    are copied, since the plugin reads nothing through a link that leads out of the project.
    """
    project.mkdir(parents=True)
    for entry in REPO.iterdir():
        if entry.name.startswith(".") or entry.name in ("mkdocs.yml", "site"):
            continue
        if entry.name in ("playbooks", "docs"):
            shutil.copytree(entry, project / entry.name)
        else:
            (project / entry.name).symlink_to(entry)
    config = project / "mkdocs.yml"
    config.write_text(f"INHERIT: {REPO / 'mkdocs.yml'}\nsite_url: {site_url}\n", encoding="utf-8")
    return config


def _fixture_project(project: Path) -> Path:
    """The test fixture as another team's site: Material, the plugin, no custom_dir."""
    shutil.copytree(FIXTURE, project)
    config = project / "mkdocs.yml"
    config.write_text(
        "site_name: Riverside Reading Playbook\ntheme:\n  name: material\n"
        "plugins:\n  - search\n  - playbook\n",
        encoding="utf-8",
    )
    return config


@pytest.fixture(scope="session")
def _sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, Site, Site]]:
    work = tmp_path_factory.mktemp("browser-sites")
    root_dir, sub_www, fixture_dir = work / "site", work / "www", work / "fixture-site"
    root_server, sub_server = StaticServer(root_dir), StaticServer(sub_www)
    fixture_server = StaticServer(fixture_dir)
    sub_url = sub_server.origin + SUBPATH
    try:
        builds = [
            _build(_project_at(work / "root-project", root_server.origin + "/"), root_dir),
            _build(_project_at(work / "project", sub_url), sub_www / SUBPATH.strip("/")),
            _build(_fixture_project(work / "fixture"), fixture_dir),
        ]
        outputs = [build.communicate(timeout=300)[0] for build in builds]
        for build, output in zip(builds, outputs, strict=True):
            assert build.returncode == 0, f"mkdocs build --strict failed:\n{output}"
        for server in (root_server, sub_server, fixture_server):
            server.start()
        yield (
            Site(root_dir, root_server.origin + "/"),
            Site(sub_www / SUBPATH.strip("/"), sub_url),
            Site(fixture_dir, fixture_server.origin + "/"),
        )
    finally:
        for server in (root_server, sub_server, fixture_server):
            server.stop()


@pytest.fixture(scope="session")
def site(_sites: tuple[Site, Site, Site]) -> Site:
    """The shipped site, served at the root of http://127.0.0.1:<port>/."""
    return _sites[0]


@pytest.fixture(scope="session")
def subpath_site(_sites: tuple[Site, Site, Site]) -> Site:
    """The shipped site built with `site_url: http://127.0.0.1:<port>/playbook/`, served there."""
    return _sites[1]


@pytest.fixture(scope="session")
def fixture_site(_sites: tuple[Site, Site, Site]) -> Site:
    """The test fixture built as another team's site would be: no theme_overrides."""
    return _sites[2]


def _served(
    tmp_path_factory: pytest.TempPathFactory, fixture: Path, config: str | None
) -> Iterator[Site]:
    """A fixture project, with `config` as its mkdocs.yml if given, built and served."""
    project = tmp_path_factory.mktemp(fixture.name) / "project"
    shutil.copytree(fixture, project)
    if config is not None:
        (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    site_dir = project / "site"
    build = _build(project / "mkdocs.yml", site_dir)
    output = build.communicate(timeout=300)[0]
    assert build.returncode == 0, f"mkdocs build --strict failed:\n{output}"
    server = StaticServer(site_dir).start()
    try:
        yield Site(site_dir, server.origin + "/")
    finally:
        server.stop()


@pytest.fixture(scope="session")
def incident_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The incident-response fixture built as its team would build it (INCIDENTS_CONFIG)."""
    yield from _served(tmp_path_factory, INCIDENTS, INCIDENTS_CONFIG)


@pytest.fixture(scope="session")
def incident_kinds_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The incident-kinds fixture built with its own mkdocs.yml."""
    yield from _served(tmp_path_factory, INCIDENT_KINDS, None)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Browsing:
    """A fresh browser context with one page, and what went wrong in it."""

    context: BrowserContext
    page: Page
    monitor: Monitor

    def open(self, url: str) -> Page:
        """Go to a URL and wait until its page has settled."""
        self.page.goto(url)
        self.monitor.wait_idle(self.page)
        return self.page


@pytest.fixture
def new_browsing(browser: Browser) -> Iterator[Callable[..., Browsing]]:
    """Make fresh monitored contexts (options as for Browser.new_context); closed after."""
    opened: list[BrowserContext] = []

    def make(**options: Any) -> Browsing:
        context = browser.new_context(**{"viewport": VIEWPORT, **options})
        context.set_default_timeout(10_000)
        opened.append(context)
        monitor = Monitor().attach(context)
        return Browsing(context, context.new_page(), monitor)

    yield make
    for context in opened:
        context.close()


@pytest.fixture
def browsing(new_browsing: Callable[..., Browsing]) -> Browsing:
    """A fresh monitored context with one page at 1280x900."""
    return new_browsing()


@pytest.fixture
def page(browsing: Browsing) -> Page:
    return browsing.page


@pytest.fixture
def monitor(browsing: Browsing) -> Monitor:
    """What went wrong on `page`: console errors, uncaught errors, failed requests."""
    return browsing.monitor


@pytest.fixture(scope="module")
def shared(browser: Browser) -> Iterator[Browsing]:
    """One browser context per test module, for tests that only read pages."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(10_000)
    yield Browsing(context, context.new_page(), Monitor().attach(context))
    context.close()
