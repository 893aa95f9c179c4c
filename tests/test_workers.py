"""Generated pages converted in worker processes make the site MkDocs' own loop makes.

A playbook large enough for worker processes (benchmarks/generate.py, 100 entities) is built
with `workers: 2` and with `workers: 1`; the sites must be the same, byte for byte, and a
page whose conversion logs a warning must log it once, as MkDocs' loop does.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

from mkdocs_playbook.engine.build_cache import cpu_quota

from .conftest import run_mkdocs
from .test_benchmarks import benchmark_generator
from .test_incremental import assert_same_site, replace_text

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="worker processes are forked on Linux only"
)
ENTITIES = 100
WORKED = re.compile(r"Converted (\d+) pages in 2 worker processes")
WARNING = (
    "WARNING -  Doc file 'plays/audit-the-monthly-budget-offer.md' contains an absolute link "
    "'/elsewhere/', it was left as is."
)


def _project(root: Path, workers: int) -> Path:
    benchmark_generator().generate(root, ENTITIES, seed=0)
    replace_text(
        root / "mkdocs.yml", "  - playbook\n", f"  - playbook:\n      workers: {workers}\n"
    )
    return root


def _build(root: Path, *args: str) -> str:
    done = run_mkdocs(root, "build", "--verbose", *args)
    assert done.returncode == 0, done.stderr
    return done.stderr


@pytest.mark.site
def test_pages_converted_by_workers_are_the_pages_mkdocs_converts(tmp_path: Path) -> None:
    workers = _project(tmp_path / "workers", workers=2)
    alone = _project(tmp_path / "alone", workers=1)

    log = _build(workers, "--strict")
    worked = WORKED.search(log)
    assert worked is not None, log
    assert int(worked.group(1)) > ENTITIES
    assert "worker processes" not in _build(alone, "--strict")
    assert_same_site(workers / "site", alone / "site")

    # The next build reuses what the workers made, and writes the same site again.
    cold = tmp_path / "cold-site"
    shutil.copytree(workers / "site", cold)
    log = _build(workers, "--strict")
    assert "worker processes" not in log
    assert_same_site(workers / "site", cold)


@pytest.mark.site
def test_a_page_whose_conversion_warns_is_converted_by_mkdocs_and_warns_once(
    tmp_path: Path,
) -> None:
    root = _project(tmp_path / "workers", workers=2)
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("validation:\n  links:\n    absolute_links: warn\n")
    replace_text(
        root / "playbooks/plays/audit-the-monthly-budget-offer.yaml",
        "body: |\n",
        "body: |\n  See [elsewhere](/elsewhere/).\n\n",
    )

    log = _build(root)
    assert log.count(WARNING) == 1, log
    worked = WORKED.search(log)
    assert worked is not None, log
    assert f"converted {int(worked.group(1)) + 1}" in log  # The one left to MkDocs' loop.

    strict = run_mkdocs(root, "build", "--strict")
    assert strict.returncode == 1
    assert strict.stderr.count(WARNING) == 1, strict.stderr


@pytest.mark.site
def test_a_negative_number_of_workers_is_refused(tmp_path: Path) -> None:
    root = _project(tmp_path / "project", workers=-1)
    done = run_mkdocs(root, "build")
    assert done.returncode == 1
    assert (
        "Config value 'plugins': Plugin 'playbook' option 'workers': -1 is not a number of "
        "processes: write 0 for one per processor, 1 to convert pages in MkDocs' own process, "
        "or more"
    ) in done.stderr
    assert not (root / "site").exists()


@pytest.mark.parametrize(
    ("files", "quota"),
    [
        ({"cpu.max": "200000 100000\n"}, 2.0),
        ({"cpu.max": "150000 100000\n"}, 1.5),
        ({"cpu.max": "max 100000\n"}, None),
        ({"cpu/cpu.cfs_quota_us": "300000\n", "cpu/cpu.cfs_period_us": "100000\n"}, 3.0),
        ({"cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"}, None),
        ({"cpu.max": "lots\n"}, None),
        ({}, None),
    ],
)
def test_a_containers_cpu_quota_is_read_from_its_control_group(
    tmp_path: Path, files: dict[str, str], quota: float | None
) -> None:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="ascii")
    assert cpu_quota(tmp_path) == quota


FROZEN_AFTER = """
import gc, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config

if sys.argv[1] == "host":
    gc.freeze()  # The program that runs MkDocs froze its own objects.
host = gc.get_freeze_count()
config = load_config(config_file="mkdocs.yml")
config.plugins.on_startup(command="build", dirty=False)
seen = []
original = config.plugins.on_nav
def on_nav(*args, **kwargs):
    seen.append(gc.get_freeze_count())
    return original(*args, **kwargs)
config.plugins.on_nav = on_nav
build(config)
print(host, seen[0], gc.get_freeze_count())
"""


@pytest.mark.site
@pytest.mark.parametrize("host", ["host", "none"])
def test_the_build_freezes_its_heap_for_the_page_loop_and_thaws_it_after(
    tmp_path: Path, host: str
) -> None:
    root = _project(tmp_path / "project", workers=2)
    done = run_mkdocs(root, host, code=FROZEN_AFTER)
    assert done.returncode == 0, done.stderr
    before, during, after = map(int, done.stdout.split())
    if host == "host":  # Left as the host made it: nothing added (some of its objects die).
        assert before > 0 and during <= before and after <= before
    else:  # Frozen from the end of pre_build to the end of the build.
        assert before == 0 and during > 0 and after == 0
