"""`mkdocs serve` on loopback: a bad edit shows located errors and a good edit recovers."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .conftest import EVERYTHING

pytestmark = pytest.mark.site

Project = Callable[..., Path]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def wait_for(url: str, condition: Callable[[int, str], bool], seconds: float = 60) -> str:
    """Poll ``url`` (bounded) until ``condition(status, body)`` holds."""
    deadline = time.monotonic() + seconds
    status, body = 0, ""
    while time.monotonic() < deadline:
        status, body = fetch(url)
        if condition(status, body):
            return body
        time.sleep(0.3)
    raise AssertionError(f"gave up on {url}: last status {status}")


@pytest.fixture
def server(project: Project) -> Iterator[tuple[Path, str, subprocess.Popen[str]]]:
    root = project(fixture=EVERYTHING)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield root, f"http://127.0.0.1:{port}/", process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_bad_edit_shows_errors_and_good_edit_recovers(
    server: tuple[Path, str, subprocess.Popen[str]],
) -> None:
    root, base, process = server
    page = base + "personas/busy-parent/"
    wait_for(page, lambda status, body: status == 200 and "Busy parent" in body)

    path = root / "playbooks/personas/busy-parent.yaml"
    good = path.read_text(encoding="utf-8")
    path.write_text("title: [broken]\n" + good.split("\n", 1)[1], encoding="utf-8")
    body = wait_for(base, lambda status, body: "playbook-errors" in body)
    assert "playbooks/personas/busy-parent.yaml:1:8: title: expected text, got a list" in body
    assert process.poll() is None, "the server died on a bad edit"
    # While the error stands, the last good page stays up behind the overlay: no 404.
    status, body = fetch(page)
    assert status == 200 and "Busy parent" in body and "playbook-errors" in body
    status, body = fetch(base + "no-such-page/")
    assert status == 404 and "playbook-errors" in body

    path.write_text(good, encoding="utf-8")
    wait_for(page, lambda status, body: status == 200 and "playbook-errors" not in body)
    assert process.poll() is None

    process.terminate()
    output, _ = process.communicate(timeout=10)
    assert "playbooks/personas/busy-parent.yaml:1:8: title: expected text, got a list" in output
    assert "Traceback" not in output
    # The site was never rebuilt with the error: the server showed it over the last good
    # pages, and the fix rebuilt only what changed since then (nothing).
    broken_at = output.index("expected text, got a list")
    assert "Rebuilt 0 changed playbook pages" in output[broken_at:], output[broken_at:]
    assert "Building documentation" not in output[broken_at:], output[broken_at:]


def test_a_broken_ref_in_a_docs_page_shows_over_the_served_pages_until_fixed(
    server: tuple[Path, str, subprocess.Popen[str]],
) -> None:
    root, base, process = server
    wait_for(base, lambda status, body: status == 200)
    page = root / "docs/on-call.md"
    page.write_text("# On call\n\nAsk [her](persona:busy-parnet).\n", encoding="utf-8")
    body = wait_for(base, lambda status, body: "playbook-warnings" in body)
    assert (
        "docs/on-call.md:3:1: link: unknown persona &#x27;busy-parnet&#x27;; did you mean "
        "&#x27;busy-parent&#x27;?"
    ) in body
    assert "playbook-errors" not in body, "a warning does not stop the build"
    status, body = fetch(base + "on-call/")
    assert status == 200 and "playbook-warnings" in body

    page.write_text("# On call\n\nAsk [her](persona:busy-parent).\n", encoding="utf-8")
    wait_for(base, lambda status, body: status == 200 and "playbook-warnings" not in body)
    assert process.poll() is None

    process.terminate()
    output, _ = process.communicate(timeout=10)
    assert "Traceback" not in output
