"""The build cache is untrusted input: it serves only what this machine wrote, in the shape
its reader expects; anything else is a miss, and the site is the one a cold build makes."""

from __future__ import annotations

import hmac
import json
import os
import shutil
import sqlite3
import stat
import threading
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mkdocs_playbook.cache import KEY_FILE, KEY_FOLDER, machine_key

from .conftest import EVERYTHING, MKDOCS_YML, run_mkdocs
from .test_incremental import assert_same_site

Project = Callable[..., Path]
STORE = ".cache/playbook/build-cache.sqlite"


def _build(root: Path, env: dict[str, str] | None = None) -> str:
    done = run_mkdocs(root, "build", "--strict", "--verbose", env=env)
    assert done.returncode == 0, done.stderr
    return done.stderr


def _built_twice(project: Project) -> tuple[Path, Path]:
    """A site built with the cache on (so the cache holds every kind of result), and the
    same site built without it."""
    cached = project(fixture=EVERYTHING, mkdocs_yml=MKDOCS_YML, name="cached")
    plain = project(
        fixture=EVERYTHING,
        mkdocs_yml=MKDOCS_YML.replace("  - playbook\n", "  - playbook:\n      cache: false\n"),
        name="plain",
    )
    _build(cached)
    _build(plain)
    shutil.rmtree(cached / "site")
    return cached, plain


def _this_key() -> bytes:
    return machine_key(Path(os.environ["XDG_CACHE_HOME"]) / KEY_FOLDER / KEY_FILE)


def _rewrite(root: Path, change: Callable[[bytes, bytes], tuple[bytes, bytes] | None]) -> int:
    """Give every stored result the value and MAC ``change(name, value)`` says; how many."""
    changed = 0
    with sqlite3.connect(root / STORE) as db:
        for name, value in db.execute("SELECT key, value FROM results").fetchall():
            new = change(name, value)
            if new is not None:
                db.execute("UPDATE results SET value = ?, mac = ? WHERE key = ?", (*new, name))
                changed += 1
    db.close()
    return changed


def _signed(name: bytes, value: bytes) -> tuple[bytes, bytes]:
    """A value with the MAC this machine's key gives it: as if this machine wrote it."""
    return value, hmac.new(_this_key(), name + value, "sha256").digest()


def _reuse(log: str) -> str:
    return next(line for line in log.splitlines() if "Build cache:" in line)


FORGED = "<script>alert('forged')</script>"


@pytest.mark.site
@pytest.mark.parametrize("mac", ["crc-32", "another key", "none"])
def test_a_forged_result_without_this_machines_mac_is_a_miss(project: Project, mac: str) -> None:
    cached, plain = _built_twice(project)

    def forge(name: bytes, value: bytes) -> tuple[bytes, bytes]:
        if value[:1] == b"t":  # A page, its HTML, its cleaned HTML: forged HTML.
            forged = b"t" + value[1:].replace(b"<p>", f"<p>{FORGED}".encode())
        else:  # Conversions, search entries, plans: the same JSON with forged text.
            forged = b"j" + json.dumps(json.loads(value[1:])).replace("<p>", FORGED).encode()
        macs = {
            "crc-32": zlib.crc32(forged).to_bytes(4, "little"),  # What passed before.
            "another key": hmac.new(b"k" * 32, name + forged, "sha256").digest(),
            "none": b"",
        }
        return forged, macs[mac]

    assert _rewrite(cached, forge) > 100
    log = _build(cached)
    assert "fails its checksum" in log
    assert "reused 0 converted pages, 0 page outputs and 0 search entries" in _reuse(log)
    assert_same_site(cached / "site", plain / "site")


def _wrong_shape(name: bytes, value: bytes) -> tuple[bytes, bytes] | None:
    """Each result as a value of almost its own shape, signed with this machine's key: what
    crashed the build before (a missing key, a wrong type deep inside)."""
    if value[:1] == b"t":  # Text (pages, HTML, a plan's key): JSON in its place.
        return _signed(name, b"j" + json.dumps({"html": value[1:].decode()}).encode())
    data: Any = json.loads(value[1:])
    if _is_links(data):  # The links found in a file's Markdown.
        data = [[*links, ["text", "persona:busy-parent", "not a bool", 0]] for links in data]
    elif _is_keys(data):  # The keys of the links a plan's check read.
        data = [*data, 3]
    elif isinstance(data, list):  # Search entries.
        data = [*data, "not an entry", 3]
    elif "toc" in data:  # A conversion.
        data["toc"] = [["Title", "anchor", "two", []]]
        del data["links"]
    elif "pages" in data and "sources" in data:  # A site plan.
        data["sections"] = [["Personas", "personas/index.md"]]
        data["diagnostics"] = [["file.yaml", 1, 1, "field", "message", "fatal"]]
    elif "shared" in data:  # What a render noted.
        data["pages"] = {"personas/busy-parent.md": ["one"]}
    elif "markdown" in data:  # A hand-written page with its refs rewritten.
        data = {"markdown": 3, "warnings": "not a list"}
    else:
        raise AssertionError(f"a result of an unknown kind: {data!r}"[:200])
    return _signed(name, b"j" + json.dumps(data).encode())


def _is_links(data: Any) -> bool:
    return isinstance(data, list) and bool(data) and all(isinstance(item, list) for item in data)


def _is_keys(data: Any) -> bool:
    return isinstance(data, list) and bool(data) and all(isinstance(item, str) for item in data)


@pytest.mark.site
def test_a_result_of_the_wrong_shape_is_a_miss_not_a_crash(project: Project) -> None:
    cached, plain = _built_twice(project)
    kinds: set[str] = set()

    def wrong(name: bytes, value: bytes) -> tuple[bytes, bytes] | None:
        data = json.loads(value[1:]) if value[:1] == b"j" else None
        kinds.add(
            "text"
            if data is None
            else "links"
            if _is_links(data)
            else "links-used"
            if _is_keys(data)
            else "search"
            if isinstance(data, list)
            else next(k for k in ("toc", "sources", "shared", "markdown") if k in data)
        )
        return _wrong_shape(name, value)

    assert _rewrite(cached, wrong) > 100
    # Every namespace the cache stores: text, conversions, search entries, the plan, what
    # the render noted, the hand-written pages, the links found in each file's Markdown and
    # the keys of those a plan's check read.
    assert kinds == {
        "text",
        "search",
        "toc",
        "sources",
        "shared",
        "markdown",
        "links",
        "links-used",
    }
    log = _build(cached)
    assert "of another shape" in log
    assert "fails its checksum" not in log
    assert "reused 0 converted pages, 0 page outputs and 0 search entries" in _reuse(log)
    assert_same_site(cached / "site", plain / "site")
    # The results made again are read back as they should be.
    shutil.rmtree(cached / "site")
    again = _build(cached)
    assert "of another shape" not in again and "converted 0" in _reuse(again)
    assert_same_site(cached / "site", plain / "site")


@pytest.mark.site
def test_a_cache_copied_from_a_machine_with_another_key_is_not_served(
    project: Project, tmp_path: Path
) -> None:
    cached, plain = _built_twice(project)
    elsewhere = tmp_path / "another machine"
    log = _build(cached, env={"XDG_CACHE_HOME": str(elsewhere)})
    assert "written under another key" in log and "set aside and a new one is made" in log
    assert "reused 0 converted pages" in _reuse(log)
    assert_same_site(cached / "site", plain / "site")
    key = elsewhere / KEY_FOLDER / KEY_FILE
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert [p.name for p in key.parent.iterdir()] == [KEY_FILE]  # No temporary file left.
    # Back on the first machine, the file the other one made is not served either.
    shutil.rmtree(cached / "site")
    back = _build(cached)
    assert "written under another key" in back
    assert_same_site(cached / "site", plain / "site")


@pytest.mark.site
def test_without_a_usable_key_the_build_runs_without_the_cache(
    project: Project, tmp_path: Path
) -> None:
    cached, plain = _built_twice(project)
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("", encoding="utf-8")
    log = _build(cached, env={"XDG_CACHE_HOME": str(blocked)})
    assert log.count("building without a cache") == 1, log
    assert f"the build cache key '{blocked / KEY_FOLDER / KEY_FILE}' cannot be made" in log
    assert "Build cache:" not in log
    assert_same_site(cached / "site", plain / "site")
    # A key file that holds no key is not replaced: the user is told to delete it.
    home = tmp_path / "home"
    (home / KEY_FOLDER).mkdir(parents=True)
    (home / KEY_FOLDER / KEY_FILE).write_text("short\n", encoding="ascii")
    log = _build(cached, env={"XDG_CACHE_HOME": str(home)})
    assert "does not hold a cache key; delete it to make a new one" in log
    assert (home / KEY_FOLDER / KEY_FILE).read_text(encoding="ascii") == "short\n"


def test_builds_that_make_the_key_at_once_agree_on_it(tmp_path: Path) -> None:
    path = tmp_path / KEY_FOLDER / KEY_FILE
    keys: list[bytes] = []
    start = threading.Barrier(8)

    def make() -> None:
        start.wait()
        keys.append(machine_key(path))

    threads = [threading.Thread(target=make) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(keys) == 8 and len(set(keys)) == 1 and len(keys[0]) == 32
    assert [p.name for p in path.parent.iterdir()] == [KEY_FILE]


def test_the_key_lives_in_the_users_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mkdocs_playbook.cache import key_path

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert key_path() == tmp_path / "mkdocs-playbook" / "cache-key"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # Not absolute: ignored, as XDG says.
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert key_path() == tmp_path / "home/.cache/mkdocs-playbook/cache-key"


@pytest.mark.parametrize(
    ("name", "value", "reason"),
    [
        ("key", "clé", "written under another key"),
        ("key", None, "written under another key"),
        ("build", "seven", "damaged (its build count is not a number)"),
    ],
)
def test_a_cache_file_whose_own_notes_are_forged_is_set_aside(
    tmp_path: Path, name: str, value: str | None, reason: str
) -> None:
    from mkdocs_playbook.cache import TEXT, Store

    store = Store.open(tmp_path, note=pytest.fail)
    assert store is not None
    store.put("page", "kept", "<p>made here</p>")
    store.save()
    store.close()
    with sqlite3.connect(tmp_path / "build-cache.sqlite") as db:
        if value is None:
            db.execute("DELETE FROM meta WHERE name = ?", (name,))
        else:
            db.execute("UPDATE meta SET value = ? WHERE name = ?", (value, name))
    db.close()
    notes: list[str] = []
    reopened = Store.open(tmp_path, note=notes.append)
    assert reopened is not None
    assert [n for n in notes if reason in n and "set aside and a new one is made" in n], notes
    assert reopened.get("page", "kept", TEXT) is None
