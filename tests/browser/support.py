"""Helpers for the browser tests: the static server, the page monitor, the shipped playbook."""

from __future__ import annotations

import functools
import http.server
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from playwright.sync_api import (
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    Response,
    ViewportSize,
    WebError,
)

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
FIXTURE = REPO / "tests" / "fixtures" / "everything"
# A playbook of another domain: its own kinds only, with the field types of content model v3.
INCIDENTS = REPO / "tests" / "fixtures" / "incident-response"
# The same domain as its team's mkdocs.yml builds it: no packaged kinds, an index grouped by
# a field, a flow kind (previous/next), author pages (coverage, health).
INCIDENT_KINDS = REPO / "tests" / "fixtures" / "incident-kinds"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# None: the repository link is kept without Material's request to GitHub's API for its star
# and fork counts (theme_overrides/partials/source.html).
ALLOWED_EXTERNAL_HOSTS: set[str] = set()

# The ten kinds: folder under playbooks/ (and URL segment) -> singular name.
KINDS = {
    "strategies": "strategy",
    "campaigns": "campaign",
    "personas": "persona",
    "comparisons": "comparison",
    "plays": "play",
    "stages": "stage",
    "metrics": "metric",
    "channels": "channel",
    "case-studies": "case-study",
    "disciplines": "discipline",
}


# -- the shipped playbook --------------------------------------------------------------------


@dataclass(frozen=True)
class Entity:
    folder: str
    id: str
    data: dict[str, Any]

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.id}/"

    @property
    def title(self) -> str:
        return str(self.data["title"])

    @property
    def summary(self) -> str:
        return str(self.data.get("summary") or "")

    @property
    def tags(self) -> list[str]:
        return [str(tag) for tag in self.data.get("tags") or []]


def entities(folder: str) -> list[Entity]:
    """The entities of one kind in the shipped playbook, sorted by id."""
    found = []
    for path in sorted((REPO / "playbooks" / folder).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found.append(Entity(folder, path.stem, data))
    return found


# -- the static server -----------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012 - the base class declares it as a plain dict
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
        ".svg": "image/svg+xml",
    }

    def end_headers(self) -> None:
        # Like a real host: assets are cached, so each page does not parse them anew.
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # The browser drops connections it no longer needs when it navigates away.
        pass


class StaticServer:
    """http.server over a folder on 127.0.0.1, on a free port, in a thread."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self.server = _QuietServer(("127.0.0.1", 0), handler)
        self.port = self.server.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.started = False

    def start(self) -> StaticServer:
        self.thread.start()
        self.started = True
        with socket.create_connection(("127.0.0.1", self.port), timeout=5):
            pass
        return self

    def stop(self) -> None:
        if self.started:
            self.server.shutdown()
            self.thread.join(timeout=5)
        self.server.server_close()


# -- watching a page -------------------------------------------------------------------------


def _host(url: str) -> str:
    return urlsplit(url).hostname or ""


def _is_local(url: str) -> bool:
    return urlsplit(url).scheme not in ("http", "https") or _host(url) in LOCAL_HOSTS


@dataclass(frozen=True)
class Problem:
    what: str  # "console error", "uncaught error", "failed request", "request left loopback"
    page: str  # the path of the page it happened on
    text: str

    def __str__(self) -> str:
        return f"{self.page}: {self.what}: {self.text}"


@dataclass
class Monitor:
    """Records, for a browser context, what went wrong on its pages.

    Requests that leave loopback are blocked (the tests never depend on the network) and
    recorded, except those to ALLOWED_EXTERNAL_HOSTS, which are blocked silently.
    """

    found: list[Problem] = field(default_factory=list)
    inflight: int = 0
    last_activity: float = field(default_factory=time.monotonic)

    def attach(self, context: BrowserContext) -> Monitor:
        context.route(lambda url: not _is_local(url), lambda route: route.abort())
        context.on("console", self._on_console)
        context.on("weberror", self._on_weberror)
        context.on("request", self._on_request)
        context.on("requestfinished", self._on_request_done)
        context.on("requestfailed", self._on_request_failed)
        context.on("response", self._on_response)
        return self

    # events

    def _add(self, what: str, page: Page | None, text: str) -> None:
        self.found.append(Problem(what, _path(page.url) if page else "?", text))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        if message.text.startswith("Failed to load resource"):
            return  # the request itself is recorded, with its URL
        self._add("console error", message.page, message.text)

    def _on_weberror(self, error: WebError) -> None:
        self._add("uncaught error", error.page, str(error.error))

    def _on_request(self, request: Request) -> None:
        self.inflight += 1
        self.last_activity = time.monotonic()
        if not _is_local(request.url) and _host(request.url) not in ALLOWED_EXTERNAL_HOSTS:
            self._add("request left loopback", _page_of(request), request.url)

    def _on_request_done(self, request: Request) -> None:
        self.inflight -= 1
        self.last_activity = time.monotonic()

    def _on_request_failed(self, request: Request) -> None:
        self._on_request_done(request)
        # A navigation aborts the requests of the page it leaves; a missing file shows up
        # as a 4xx response instead.
        if _is_local(request.url) and request.failure != "net::ERR_ABORTED":
            self._add("failed request", _page_of(request), f"{request.url}: {request.failure}")

    def _on_response(self, response: Response) -> None:
        if _is_local(response.url) and response.status >= 400:
            page = _page_of(response.request)
            self._add("failed request", page, f"{response.url}: HTTP {response.status}")

    # use

    def wait_idle(self, page: Page, quiet_ms: int = 150, timeout_s: float = 15) -> None:
        """Wait for the load event, then until no request has been in flight for quiet_ms."""
        page.wait_for_load_state("load")
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            quiet = (time.monotonic() - self.last_activity) * 1000
            if self.inflight <= 0 and quiet >= quiet_ms:
                return
            page.wait_for_timeout(25)
        raise AssertionError(f"{page.url}: still loading after {timeout_s}s")

    def take(self) -> list[Problem]:
        """The problems so far, and forget them."""
        found, self.found = self.found, []
        return found

    def assert_no_local_failures(self) -> None:
        failed = [str(p) for p in self.found if p.what == "failed request"]
        assert not failed, "failed requests:\n" + "\n".join(failed)

    def assert_clean(self) -> None:
        assert not self.found, "\n".join(str(p) for p in self.found)


def _page_of(request: Request) -> Page | None:
    try:
        return request.frame.page
    except Exception:  # a service or web worker's request has no frame
        return None


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# -- reading pages ---------------------------------------------------------------------------


def heading(page: Page) -> str:
    """The text of the page's h1, without the permalink sign."""
    text = page.locator("article h1").first.evaluate(
        """h1 => {
            const copy = h1.cloneNode(true);
            copy.querySelectorAll('.headerlink').forEach(a => a.remove());
            return copy.textContent;
        }"""
    )
    return " ".join(str(text).split())


def url_path(url: str) -> str:
    return urlsplit(url).path
