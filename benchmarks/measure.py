"""The child process of the benchmarks: one measured build, reported as JSON.

`python benchmarks/measure.py build REPORT -- ARGS...` runs `mkdocs ARGS...` in this
process exactly as `python -m mkdocs ARGS...` would, then writes its wall time, exit code
and peak RSS (this process's own `ru_maxrss`) to REPORT.

`python benchmarks/measure.py export REPORT CONFIG OUT_DOCS` writes what the plugin hands
MkDocs, without building: every file the plugin generates and every hand-written page after
the plugin's `on_page_markdown`, into OUT_DOCS; and, in REPORT, the effective Markdown and
asset settings (after the plugin's `on_config`) and the plugin's own nav, in its configured
mode and in `entities` mode, as `nav:` values. The plugin-free builds are made from these.

`python benchmarks/measure.py rebuild REPORT CONFIG SITE_DIR EDIT_FILE PAGE` emulates
`mkdocs serve`: one process loads the config, runs the `startup` event once with
`command="serve"`, builds, changes EDIT_FILE, then loads the config again (MkDocs keeps the
plugin objects that define `on_startup`) and builds again. It reports both times, whether
the plugin object was kept, and whether the rebuilt PAGE (HTML under SITE_DIR) shows the
change.

With `PLAYBOOK_BENCH_ENGINE=properdocs` every mode runs ProperDocs instead of MkDocs.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import resource
import runpy
import sys
import time
from pathlib import Path
from typing import Any

ENGINE = os.environ.get("PLAYBOOK_BENCH_ENGINE", "mkdocs")
"""The engine that builds: `mkdocs`, or `properdocs`, the fork whose modules stand in for
`mkdocs.*` once its `replacement` module is imported, as its own command line does."""
ENGINE_LOGGERS = ("mkdocs", "properdocs")
SERVE_URL = "http://127.0.0.1:8000/"
MARKER = "Edited for the rebuild benchmark"


def cpu_seconds() -> float:
    """User plus system CPU time of this process so far, and of the worker processes it
    started and waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def peak_rss_bytes() -> int:
    """This process's peak resident set size (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def load_engine() -> None:
    """Make `mkdocs.*` imports load the chosen engine's modules."""
    if ENGINE == "properdocs":
        importlib.import_module("properdocs.replacement")


def run_build(report: Path, args: list[str]) -> int:
    sys.argv = [ENGINE, *args]
    code: int | str | None = 0
    start = time.perf_counter()
    try:
        runpy.run_module(ENGINE, run_name="__main__", alter_sys=True)
    except SystemExit as exit_:
        code = exit_.code
    wall = time.perf_counter() - start
    status = code if isinstance(code, int) else (0 if code is None else 1)
    _write(
        report,
        {"wall": wall, "cpu": cpu_seconds(), "exit": status, "max_rss": peak_rss_bytes()},
    )
    return status


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def run_rebuild(report: Path, config_file: str, site_dir: str, edit: Path, page: Path) -> int:
    load_engine()
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    counter = _Counter()
    for name in ENGINE_LOGGERS:
        logging.getLogger(name).addHandler(counter)

    def get_config() -> Any:
        # What `mkdocs serve` does on every build (see mkdocs/commands/serve.py).
        config = load_config(config_file=config_file, site_dir=site_dir)
        config.site_url = SERVE_URL
        return config

    start, start_cpu = time.perf_counter(), time.process_time()
    config = get_config()
    config.plugins.on_startup(command="serve", dirty=False)
    build(config, serve_url=SERVE_URL, dirty=False)
    cold, cold_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    plugin = config.plugins["playbook"]
    stale_before = MARKER in page.read_text(encoding="utf-8")

    text = edit.read_text(encoding="utf-8")
    edited = text.replace("summary: ", f"summary: {MARKER}. ", 1)
    assert edited != text, f"{edit} has no summary to edit"
    edit.write_text(edited, encoding="utf-8")

    start, start_cpu = time.perf_counter(), time.process_time()
    config = get_config()
    build(config, serve_url=SERVE_URL, dirty=False)
    rebuild, rebuild_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    _write(
        report,
        {
            "cold": cold,
            "rebuild": rebuild,
            "cold_cpu": cold_cpu,
            "rebuild_cpu": rebuild_cpu,
            "plugin_kept": config.plugins["playbook"] is plugin,
            "marker_before": stale_before,
            "fresh": MARKER in page.read_text(encoding="utf-8"),
            "warnings": counter.messages[:20],
            "max_rss": peak_rss_bytes(),
        },
    )
    return 0


def run_export(report: Path, config_file: str, out: Path) -> int:
    load_engine()
    import yaml
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs.structure.nav import Link, Section, get_navigation
    from mkdocs.structure.pages import Page

    # The steps of mkdocs.commands.build.build up to the nav, with the real plugin.
    config = load_config(config_file=config_file)
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    config.plugins.on_pre_build(config=config)
    files = get_files(config)
    files.add_files_from_theme(config.theme.get_env(), config)
    files = config.plugins.on_files(files, config=config)

    plugin = config.plugins["playbook"]

    def serialise(items: list[Any]) -> list[Any]:
        found: list[Any] = []
        for item in items:
            if isinstance(item, Page):
                found.append(item.file.src_uri)
            elif isinstance(item, Section):
                found.append({item.title: serialise(item.children)})
            elif isinstance(item, Link):
                found.append({item.title: item.url})
        return found

    def nav_in(mode: str) -> list[Any]:
        plugin.config.nav = mode
        nav = get_navigation(files, config)
        return serialise(config.plugins.on_nav(nav, config=config, files=files).items)

    mode = plugin.config.nav
    navs = {"nav": nav_in(mode), "full_nav": nav_in("entities")}
    plugin.config.nav = mode

    docs_dir = Path(config.docs_dir).resolve()
    generated = 0
    for file in files:
        target = out / file.src_uri
        if file.generated_by is not None:
            generated += 1
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.content_bytes)
        elif file.abs_src_path and Path(file.abs_src_path).resolve().is_relative_to(docs_dir):
            target.parent.mkdir(parents=True, exist_ok=True)
            if file.is_documentation_page():
                page = file.page or Page(None, file, config)
                page.read_source(config)
                markdown = config.plugins.on_page_markdown(
                    page.markdown or "", page=page, config=config, files=files
                )
                front = "---\n" + yaml.safe_dump(page.meta) + "---\n" if page.meta else ""
                target.write_text(front + markdown, encoding="utf-8")
            else:
                target.write_bytes(Path(file.abs_src_path).read_bytes())

    extensions = [
        {name: config.mdx_configs[name]} if name in config.mdx_configs else name
        for name in config.markdown_extensions
    ]
    settings = {
        "markdown_extensions": extensions,
        "extra_css": list(config.extra_css),
        "extra_javascript": [str(script) for script in config.extra_javascript],
    }
    # The full Dumper writes functions as !!python/name: tags, which MkDocs reads back.
    settings_yaml = yaml.dump(settings, Dumper=yaml.Dumper, sort_keys=False, width=1000)
    _write(
        report,
        {
            "site_name": config.site_name,
            "settings_yaml": settings_yaml,
            "nav_mode": mode,
            "generated_files": generated,
            "pages": len(files.documentation_pages()),
            **navs,
        },
    )
    return 0


def _write(report: Path, values: dict[str, Any]) -> None:
    report.write_text(json.dumps(values, indent=2), encoding="utf-8")


def main() -> int:
    mode, report = sys.argv[1], Path(sys.argv[2])
    if mode == "build":
        rest = sys.argv[3:]
        if rest[:1] == ["--"]:
            rest = rest[1:]
        return run_build(report, rest)
    if mode == "export":
        config_file, out = sys.argv[3:5]
        return run_export(report, config_file, Path(out))
    if mode == "rebuild":
        config_file, site_dir, edit, page = sys.argv[3:7]
        return run_rebuild(report, config_file, site_dir, Path(edit), Path(page))
    raise SystemExit(f"unknown mode {mode!r}; use build, export or rebuild")


if __name__ == "__main__":
    sys.exit(main())
