"""The edit loop of `mkdocs serve`, timed from outside as an author lives it.

`serve_loop(project, edit, ...)` starts `python -m mkdocs serve` on a free port in its own
process group, waits until the edited entity's page is served, then:

- edits: saves the YAML file with a new marker word in its `summary` and times from the
  save until an HTTP GET of the entity's page (polled every POLL seconds) returns HTML with
  the marker; several times, each with its own marker;
- recovery: saves the file broken (a YAML syntax error), waits until the page shows the
  plugin's error overlay (`id="playbook-errors"`), then saves it fixed with a new marker and
  times from that save until the page shows the marker without the overlay.

Whatever happens, the server is stopped (SIGINT to its process group, as Ctrl-C would;
SIGKILL if it does not stop) and then the file is put back as it was.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

POLL = 0.02
"""Seconds between two GETs of the page."""
OVERLAY = 'id="playbook-errors"'
SUMMARY = re.compile(r"^summary: ", re.MULTILINE)
BROKEN = "- a list item in the middle of a mapping: a YAML syntax error\n"


class ServeError(RuntimeError):
    """The server died, or a change never showed."""


@dataclass
class ServeResult:
    n: int
    edited: str
    url_path: str
    startup: float = 0.0
    """From starting the server process until the page is first served (a full build)."""
    edits: list[float] = field(default_factory=list)
    error_shown: float | None = None
    """From saving the broken file until the page shows the overlay."""
    recovery: float | None = None
    peak_rss: int = 0
    """The server process's peak resident set size (VmHWM), read before stopping it."""

    @property
    def edit(self) -> float | None:
        return statistics.median(self.edits) if self.edits else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def get(url: str, timeout: float) -> str | None:
    """The page's HTML, or None while the server does not answer it."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body: bytes = response.read()
            return body.decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def marked(marker: str) -> Callable[[str], bool]:
    return lambda html: marker in html and OVERLAY not in html


def with_summary(text: str, marker: str) -> str:
    edited, count = SUMMARY.subn(f"summary: {marker} ", text, count=1)
    if not count:
        raise ServeError("the edited file has no top-level `summary:`")
    return edited


def broken(text: str) -> str:
    return SUMMARY.sub(BROKEN + "summary: ", text, count=1)


class Server:
    """`mkdocs serve` in its own process group, its output in a log file."""

    def __init__(self, project: Path, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.log = log
        self._out = log.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                env.get("PLAYBOOK_BENCH_ENGINE", "mkdocs"),
                "serve",
                "--dev-addr",
                f"127.0.0.1:{self.port}",
                "--config-file",
                str(project / "mkdocs.yml"),
            ],
            cwd=project,
            env=env,
            stdout=self._out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def wait_for(self, path: str, test: Callable[[str], bool], start: float, limit: float) -> float:
        """Seconds from ``start`` until the page at ``path`` passes ``test``."""
        url = self.url(path)
        while True:
            now = time.perf_counter()
            if now - start > limit:
                raise ServeError(f"{url} did not change within {limit:g} s\n{self.tail()}")
            if self.process.poll() is not None:
                raise ServeError(f"the server stopped ({self.process.returncode})\n{self.tail()}")
            html = get(url, timeout=max(1.0, limit - (now - start)))
            if html is not None and test(html):
                return time.perf_counter() - start
            time.sleep(POLL)

    def peak_rss(self) -> int:
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text(encoding="utf-8")
        except OSError:
            return 0
        found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
        return int(found.group(1)) * 1024 if found else 0

    def tail(self) -> str:
        self._out.flush()
        return self.log.read_text(encoding="utf-8", errors="replace")[-3000:]

    def stop(self) -> None:
        """Ctrl-C to the whole process group, then SIGKILL if it lingers."""
        for sig, wait in ((signal.SIGINT, 15.0), (signal.SIGKILL, 10.0)):
            if self.process.poll() is not None:
                break
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                continue
        self._out.close()


def save(path: Path, text: str) -> float:
    """Write the file as an editor does; the time the save finished."""
    path.write_text(text, encoding="utf-8")
    return time.perf_counter()


def serve_loop(
    n: int,
    project: Path,
    edit: Path,
    env: dict[str, str],
    *,
    edits: int,
    timeout: float,
    log: Callable[[str], None],
) -> ServeResult:
    """Time ``edits`` saves of ``edit`` and one recovery from a broken save, under serve.

    ``edit`` is an entity's YAML file; its page is `<collection>/<id>/`.
    """
    path = f"{edit.parent.name}/{edit.stem}/"
    result = ServeResult(n=n, edited=edit.relative_to(project).as_posix(), url_path=path)
    original = edit.read_text(encoding="utf-8")
    stamp = f"{os.getpid()}x{int(time.time())}"
    server = Server(project, env, project.parent / f"serve-{n}.log")
    try:
        start = time.perf_counter()
        result.startup = server.wait_for(path, lambda html: OVERLAY not in html, start, timeout)
        log(f"N={n}: serve: first page after {result.startup:.2f} s; {edits} edit(s)")
        for index in range(edits):
            marker = f"Servemark{stamp}e{index}"
            saved = save(edit, with_summary(original, marker))
            result.edits.append(server.wait_for(path, marked(marker), saved, timeout))
            log(f"N={n}: serve: edit {index + 1} shown after {result.edits[-1]:.2f} s")
        saved = save(edit, broken(original))
        result.error_shown = server.wait_for(path, lambda html: OVERLAY in html, saved, timeout)
        marker = f"Servemark{stamp}fixed"
        saved = save(edit, with_summary(original, marker))
        result.recovery = server.wait_for(path, marked(marker), saved, timeout)
        log(
            f"N={n}: serve: error shown after {result.error_shown:.2f} s, "
            f"recovered after {result.recovery:.2f} s"
        )
        result.peak_rss = server.peak_rss()
    finally:
        # Stopped first: putting the file back would start a rebuild the stop must wait on.
        server.stop()
        edit.write_text(original, encoding="utf-8")
    return result
