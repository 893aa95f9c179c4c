"""The render phase in-process, as `mkdocs serve` runs it: whole, and after one edit.

`python benchmarks/render_edit.py PROJECT` copies a project (one `generate.py` made) and
times, on the copy:

- the whole render, and the whole render with a render cache (which notes what every
  page reads): their difference is what noting costs the first build under serve;
- after a one-entity summary edit and a title edit (of a persona and of a play): the
  check phase and the render that renders again only the pages the edit touches, how
  many pages that is, and whether they are the pages a fresh render makes.

Times are the best of REPEAT runs (machines are noisy), in milliseconds.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from mkdocs_playbook.load.loader import LoadCache
from mkdocs_playbook.options import PlaybookOptions
from mkdocs_playbook.pipeline import Pipeline, SiteSettings
from mkdocs_playbook.render.incremental import RenderCache

REPEAT = 5
SITE = SiteSettings(edit_url=lambda path: f"https://example.org/edit/{path}", icons=True)


def _pipeline(root: Path, **caches: object) -> Pipeline:
    return Pipeline(
        PlaybookOptions(),
        project_dir=root,
        docs_dir=root / "docs",
        display=str,
        **caches,  # type: ignore[arg-type]
    )


def _best_ms(run: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def _set_line(path: Path, key: str, value: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(
        "".join(f"{key}: {value}\n" if line.startswith(f"{key}:") else line for line in lines),
        encoding="utf-8",
    )


def measure(root: Path, log: Callable[[str], None] = print) -> None:
    """Time the render phase of the project at ``root`` (it is edited)."""
    whole = _pipeline(root)
    checked = whole.check()
    if checked.errors:
        raise SystemExit(f"the project has problems: {checked.errors[0]}")
    full = _best_ms(lambda: whole.renderer(checked, SITE).render_site())
    noted = _best_ms(lambda: whole.renderer(checked, SITE).render_site(RenderCache()))
    pages = len(whole.renderer(checked, SITE).page_makers())
    log(
        f"{pages} pages: whole render {full:.0f} ms; noting reads {noted:.0f} ms "
        f"({(noted / full - 1) * 100:+.1f}%)"
    )

    served = _pipeline(root, load_cache=LoadCache(), render_cache=RenderCache())
    served.renderer(served.check(), SITE).render_site(served.render_cache)
    for kind, key in [("personas", "summary"), ("personas", "title"), ("plays", "summary")]:
        path = sorted((root / "playbooks" / kind).glob("*.yaml"))[0]
        checks, renders, counts = [], [], []
        for edit in range(REPEAT):
            _set_line(path, key, f"Edited {key} {edit}")
            start = time.perf_counter()
            checked = served.check()
            middle = time.perf_counter()
            pages_now = served.renderer(checked, SITE).render_site(served.render_cache)
            renders.append(time.perf_counter() - middle)
            checks.append(middle - start)
            assert served.render_cache is not None
            counts.append(len(served.render_cache.rendered))
        fresh = _pipeline(root)
        same = pages_now == fresh.renderer(fresh.check(), SITE).render_site()
        render = min(renders) * 1000
        log(
            f"{key} edit of {kind}/{path.name}: render {render:.0f} ms "
            f"({full / render:.0f}x faster), {statistics.median(counts)} pages rendered, "
            f"same as a fresh render: {'yes' if same else 'NO'}; "
            f"check {min(checks) * 1000:.0f} ms"
        )


def main() -> None:
    """Measure a copy of the project named on the command line."""
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "project"
        shutil.copytree(sys.argv[1], root)
        measure(root)


if __name__ == "__main__":
    main()
