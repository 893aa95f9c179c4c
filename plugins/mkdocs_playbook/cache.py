"""A persistent store of build results, keyed by the hash of everything they depend on.

Each result is stored under a key that hashes its inputs: a page's Markdown, the site
fingerprint, the versions of every package involved. A changed input gives a new key, so
nothing is ever served stale, and a build with nothing changed finds everything it needs.

The store is one SQLite file in the cache folder (by default `.cache/playbook/`). It is a
cache, never a source of truth:
- a file that is not ours or from another format version is set aside with a note, and
  the build starts afresh; one found damaged while it is read is checked at the end of
  the build and, if SQLite finds it broken, set aside too;
- each value carries a keyed MAC (HMAC-SHA-256) whose key lives outside the project, in
  the user's cache folder (`key_path`): a value this machine did not write, or that was
  damaged since, fails it and is a miss. A file written under another key (copied from
  another machine, or committed to the project) is set aside as a whole;
- each value is validated against the shape its reader declares (a `Shape`) where it is
  read: a value of another shape is a miss, never a crash;
- results that no recent build used are dropped, so the file holds about one site.

Values are text or JSON, never pickles: reading a cache must not run code, whoever wrote
it.
Nothing here imports MkDocs.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import secrets
import sqlite3
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from pydantic_core import (
    CoreSchema,
    PydanticSerializationError,
    SchemaValidator,
    from_json,
    to_json,
)
from pydantic_core import core_schema as schema

T = TypeVar("T")

FORMAT = "mkdocs-playbook build cache 5"
"""Written into the file; a file with another value is not read."""
FILE_NAME = "build-cache.sqlite"
FLUSH_BYTES = 32 * 1024 * 1024
"""New results are written once this many bytes of them wait in memory."""
KEEP_BUILDS = 3
"""A result that none of the last this many builds used is dropped."""

KEY_FOLDER = "mkdocs-playbook"
KEY_FILE = "cache-key"
_KEY_CHECK = b"mkdocs-playbook: the key this file was written with"
"""What the file's `meta` holds the MAC of: a file whose check fails was written under
another key."""


class Shape(Generic[T]):
    """The shape a stored value must have to be read, declared as a pydantic-core schema
    whose Python type is ``T`` (a TypedDict, say), and checked strictly: no value is
    coerced. pydantic-core, not pydantic: a build the cache answers does not load pydantic.
    A TypedDict's schema drops keys it does not name."""

    def __init__(self, declared: CoreSchema) -> None:
        self._validator = SchemaValidator(declared)

    def from_json(self, data: bytes) -> T:
        """The value JSON ``data`` holds; raises ValueError when it is not of this shape."""
        return cast(T, self._validator.validate_json(data, strict=True))

    def of(self, value: Any) -> T:
        """``value`` if it is of this shape; raises ValueError when it is not."""
        return cast(T, self._validator.validate_python(value, strict=True))


TEXT: Shape[str] = Shape(schema.str_schema())
"""The shape of a value stored as text (a page of HTML)."""

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def digest(*parts: str | bytes) -> str:
    """A short, stable hash of some strings, for keys."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


class Unstable(Exception):
    """A value too deep to describe: what depends on it is not stored."""


MAX_DEPTH = 24


def stable_repr(value: Any, describe: Callable[[Any], Any] | None = None, _depth: int = 0) -> str:
    """A text that stays the same across processes for equal settings.

    Python's own `repr` of a function or of most objects holds a memory address, which
    changes with every process: functions are named by module and name instead, and other
    objects by their type and attributes. ``describe`` may stand in a simpler value for an
    object (or return ``None`` to leave it be). Raises `Unstable` past `MAX_DEPTH` levels.
    """
    if _depth > MAX_DEPTH:
        raise Unstable("the value is nested too deeply to describe")
    if value is None or isinstance(value, (bool, int, float, str, bytes)):
        return repr(value)
    if describe is not None:
        described = describe(value)
        if described is not None:
            return stable_repr(described, describe, _depth + 1)

    def inner(item: Any) -> str:
        return stable_repr(item, describe, _depth + 1)

    if isinstance(value, Mapping):
        items = sorted((inner(k), inner(v)) for k, v in value.items())
        return "{" + ", ".join(f"{k}: {v}" for k, v in items) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(inner(v) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(inner(v) for v in value)) + "}"
    if isinstance(value, Path):
        return f"Path({value.as_posix()!r})"
    if callable(value) and hasattr(value, "__qualname__"):
        return f"<{getattr(value, '__module__', '?')}.{value.__qualname__}>"
    kind = f"{type(value).__module__}.{type(value).__qualname__}"
    attributes = getattr(value, "__dict__", None)
    if isinstance(attributes, dict):
        return f"<{kind} {inner(attributes)}>"
    return f"<{kind} {_ADDRESS.sub('', repr(value))}>"


def stable_json(value: Any, describe: Callable[[Any], Any] | None = None) -> str:
    """`stable_repr`, made faster for values that are mostly JSON (dicts of strings, lists):
    JSON's encoder writes those, and `stable_repr` only what JSON does not know."""
    try:
        return json.dumps(
            value,
            sort_keys=True,
            ensure_ascii=False,
            default=lambda item: "\0" + stable_repr(item, describe),
        )
    except (TypeError, ValueError, RecursionError):  # Keys JSON cannot sort, or too deep.
        return stable_repr(value, describe)


def folder_digest(folder: Path, skip: str | None = None) -> str:
    """A hash of every file in a folder, by relative path and content (but for files in a
    subfolder named ``skip``)."""
    return digest(*folder_files(folder, skip))


def folder_files(
    folder: Path, skip: str | None = None, inside: Path | None = None
) -> list[str | bytes]:
    """Every file in a folder as its relative path and its content, in path order (but for
    files in a subfolder named ``skip``); nothing for a folder that does not exist.

    A link is there as where it points: adding, removing or moving one changes the list.
    With ``inside``, the files behind a linked folder that stays in that folder are
    listed too, and nothing is read through a link that leaves it.
    """
    parts: list[str | bytes] = []
    if not folder.is_dir():
        return parts
    real_inside = inside.resolve() if inside is not None else None
    for path, is_link in sorted(_files_and_links(folder, real_inside)):
        relative = path.relative_to(folder)
        if skip is not None and skip in relative.parts[:-1]:
            continue
        if is_link:
            # Its target's size and time, not its bytes: they may be outside the project.
            try:
                info = path.stat()
                target = f"{os.readlink(path)}\0{info.st_size}\0{info.st_mtime_ns}"
            except OSError:
                target = f"{os.readlink(path)}\0missing"
            parts += [relative.as_posix(), "\0link\0" + target]
        else:
            parts += [relative.as_posix(), path.read_bytes()]
    return parts


def _files_and_links(folder: Path, inside: Path | None) -> list[tuple[Path, bool]]:
    """The files and links under a folder, each with whether it is a link; with
    ``inside``, through linked folders that stay in it (each real folder once)."""
    found: list[tuple[Path, bool]] = []
    seen: set[Path] = set()
    # Each folder with its real path: a folder reached without a link is where its parent
    # is, so only the top and linked folders need resolving.
    pending: list[tuple[Path, Path | None]] = [(folder, None)]
    while pending:
        current, real = pending.pop()
        if inside is not None:
            real = real or current.resolve()
            if real in seen or not real.is_relative_to(inside):
                continue
            seen.add(real)
        try:
            with os.scandir(current) as scan:
                entries = list(scan)
        except OSError:
            continue
        for entry in entries:
            path = current / entry.name
            if entry.is_symlink():
                found.append((path, True))
                if inside is not None and entry.is_dir():
                    pending.append((path, None))
            elif entry.is_dir():
                pending.append((path, real / entry.name if real else None))
            elif entry.is_file():
                found.append((path, False))
    return found


def key_path() -> Path:
    """Where this user's cache key is kept: `$XDG_CACHE_HOME/mkdocs-playbook/cache-key`,
    by default under `~/.cache` (outside every project, so a project cannot bring one)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / KEY_FOLDER / KEY_FILE


class KeyProblem(Exception):
    """The cache key can be neither read nor made."""


def machine_key(path: Path | None = None) -> bytes:
    """This user's cache key, made on first use: 32 random bytes, in a file only the user
    can read. Two builds that make it at once agree: each writes a whole key to a file of
    its own and links it into place, and the one whose link comes second reads the other's.
    Raises `KeyProblem`."""
    path = path or key_path()
    try:
        return _read_key(path)
    except (FileNotFoundError, NotADirectoryError):  # Made below, or found unmakeable.
        pass
    except OSError as problem:
        raise KeyProblem(f"'{path}' cannot be read: {problem.strerror or problem}") from None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{KEY_FILE}-")  # 0600
        try:
            with os.fdopen(handle, "w", encoding="ascii") as file:
                file.write(secrets.token_hex(32) + "\n")
            with contextlib.suppress(FileExistsError):  # Another build made it first.
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
        return _read_key(path)
    except OSError as problem:
        raise KeyProblem(f"'{path}' cannot be made: {problem.strerror or problem}") from None


def _read_key(path: Path) -> bytes:
    text = path.read_text(encoding="ascii", errors="replace").strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != 32:
        raise KeyProblem(f"'{path}' does not hold a cache key; delete it to make a new one")
    return key


class Store:
    """Results by namespace and key, read from and written to one SQLite file.

    Open it with `Store.open`, which never raises: a cache that cannot be used is noted
    and replaced by an empty one (or, when the folder cannot be written, by none).
    Writes are kept in memory and saved in one transaction by `save`.
    """

    def __init__(
        self,
        connection: sqlite3.Connection,
        build: int,
        note: Callable[[str], None],
        path: Path | None = None,
        empty: bool = False,
        *,
        key: bytes,
    ):
        self.memo: dict[bytes, Any] | None = None
        """Values as read, kept in memory when `remember` is on (a long-lived process)."""
        self._db = connection
        self._path = path
        """The file, or ``None`` in memory."""
        self._build = build
        self._note = note
        self._key = key
        """The key of every value's MAC (see `machine_key`)."""
        self._misshapen = False
        self._new: dict[bytes, tuple[bytes, bytes]] = {}
        self._pending_bytes = 0
        self._made: set[bytes] = set()
        """Results this build made and already wrote (see `_write_new`)."""
        self._used: set[bytes] = set()
        self._damaged = False
        self._empty = empty
        """Whether the file held no results when this build began: then a read of a result
        this build did not make is a miss without asking SQLite (a cold build asks
        thousands)."""
        self.hits = 0
        self.misses = 0

    @classmethod
    def in_memory(cls, note: Callable[[str], None]) -> Store:
        """A store that lasts as long as this process (for `mkdocs serve` without a cache),
        under a key of its own."""
        return cls._connect(":memory:", note, secrets.token_bytes(32))

    @classmethod
    def open(cls, folder: Path, note: Callable[[str], None]) -> Store | None:
        """The store in ``folder``, made if missing; ``None`` if the folder or the user's
        cache key (`machine_key`) is unusable."""
        path = folder / FILE_NAME
        try:
            key = machine_key()
        except KeyProblem as problem:
            note(f"the build cache key {problem}; building without a cache")
            return None
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as problem:
            note(
                f"the build cache folder '{folder}' cannot be made ({problem}); building "
                "without a cache"
            )
            return None
        for attempt in (1, 2):
            try:
                return cls._connect(path, note, key)
            except (sqlite3.DatabaseError, _Foreign) as error:
                reason = str(error) if isinstance(error, _Foreign) else f"unreadable ({error})"
                if attempt == 2:
                    note(
                        f"the build cache '{path}' cannot be used ({reason}); building "
                        "without a cache"
                    )
                    return None
                note(f"the build cache '{path}' is {reason}; it is set aside and a new one is made")
                _remove(path)
        return None  # pragma: no cover - the loop returns

    @classmethod
    def _connect(cls, path: Path | str, note: Callable[[str], None], key: bytes) -> Store:
        # No integrity check here: it would read the whole file on every build. A damaged
        # file shows itself when it is read (see `_damage` and `save`).
        db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        try:
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
            found = dict(db.execute("SELECT name, value FROM meta").fetchall())
            if not found:
                db.execute("BEGIN IMMEDIATE")
                db.execute(
                    "CREATE TABLE IF NOT EXISTS results (key BLOB PRIMARY KEY, "
                    "value BLOB NOT NULL, mac BLOB NOT NULL)"
                )
                # The last build that used each result, apart from the results: SQLite
                # rewrites a whole row to change one column, blobs and all.
                db.execute(
                    "CREATE TABLE IF NOT EXISTS used (key BLOB PRIMARY KEY, "
                    "build INTEGER NOT NULL) WITHOUT ROWID"
                )
                # Another build may have made the file since the read above: its rows stand.
                db.executemany(
                    "INSERT OR IGNORE INTO meta VALUES (?, ?)",
                    [("format", FORMAT), ("build", "0"), ("key", _mac(key, _KEY_CHECK).hex())],
                )
                db.execute("COMMIT")
                found = dict(db.execute("SELECT name, value FROM meta").fetchall())
            if found.get("format") != FORMAT:
                raise _Foreign("from another program or version")
            check = str(found.get("key")).encode("utf-8", "surrogatepass")
            if not hmac.compare_digest(check, _mac(key, _KEY_CHECK).hex().encode()):
                raise _Foreign(
                    f"written under another key than this user's ({key_path()}): copied "
                    "from another machine or user, or made by hand"
                )
            try:
                build = int(str(found.get("build") or 0)) + 1
            except ValueError:
                raise _Foreign("damaged (its build count is not a number)") from None
            empty = _holds_nothing(db)
        except BaseException:
            db.close()
            raise
        return cls(db, build, note, None if path == ":memory:" else Path(path), empty, key=key)

    def remember(self) -> None:
        """Keep values in memory once read or written (for `mkdocs serve`, which builds
        again and again in one process)."""
        if self.memo is None:
            self.memo = {}

    def get(self, namespace: str, key: str, shape: Shape[T]) -> T | None:
        """The value stored under this key, or ``None``: also when it fails its MAC (this
        machine did not write it) or is not of ``shape`` (`TEXT` for text)."""
        name = _key(namespace, key)
        if self.memo is not None and name in self.memo:
            self._used.add(name)
            self.hits += 1
            return cast(T, self.memo[name])  # What this process read or made itself.
        pending = self._new.get(name)
        if pending is None and self._empty and name not in self._made:
            self.misses += 1
            return None
        try:
            row = (
                pending
                if pending is not None
                else self._db.execute(
                    "SELECT value, mac FROM results WHERE key = ?", (name,)
                ).fetchone()
            )
        except sqlite3.DatabaseError as problem:
            self._damage(str(problem))
            row = None
        if row is None:
            self.misses += 1
            return None
        value, mac = row
        if not isinstance(value, bytes) or not hmac.compare_digest(
            _value_mac(self._key, name, value), mac if isinstance(mac, bytes) else b""
        ):
            self._damage(
                "a stored result fails its checksum: this machine did not write it, or it "
                "was damaged since"
            )
            self.misses += 1
            return None
        try:
            found = _decode(value, shape)
        except (ValueError, RecursionError) as problem:  # pydantic's errors are ValueErrors.
            self._misshape(namespace, problem)
            self.misses += 1
            return None
        self._used.add(name)
        self.hits += 1
        if self.memo is not None:
            self.memo[name] = found
        return found

    def touch(self, namespace: str, key: str) -> None:
        """Mark the value under this key (if any) as used by this build, without reading
        it: it is kept for a later build that needs it."""
        self._used.add(_key(namespace, key))

    def put(self, namespace: str, key: str, value: Any) -> None:
        """Keep a text or JSON-able value under this key; `save` writes it (or, once a
        build has made `FLUSH_BYTES` of them, the next `put`)."""
        data = _encode(value)
        if data is None:
            return
        name = _key(namespace, key)
        self._new[name] = (data, _value_mac(self._key, name, data))
        self._pending_bytes += len(data)
        if self.memo is not None:
            # As a later process reads it back (tuples become lists), not the caller's object.
            self.memo[name] = value if isinstance(value, str) else from_json(data[1:])
        if self._pending_bytes > FLUSH_BYTES:
            self._write_new()

    def _write_new(self) -> None:
        """Write the new results so far, so that a large site's are not all held in memory.
        Each result stands on its own: a build that stops half way leaves valid ones."""
        new, self._new, self._pending_bytes = self._new, {}, 0
        self._made.update(new)
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._insert(new, self._build)
            self._db.execute("COMMIT")
        except sqlite3.Error as problem:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            self._note(f"the build cache could not be written ({problem})")

    def save(self, *, whole: bool = True) -> None:
        """Write this build's new results, mark the ones it used, drop the stale ones.

        A build of some pages only (``whole=False``) drops nothing: the results of the
        pages it did not touch are still the site's.
        """
        if self._damaged:  # This build's new results go to the new file, if there is one.
            self._damaged = False
            self._set_aside_if_broken()
        made = self._made | set(self._new)
        new, used = self._new, self._used - made
        self._new, self._used, self._made, self._pending_bytes = {}, set(), set(), 0
        self._misshapen = False
        if self.memo is not None and whole:  # One site's worth: what this build read or made.
            self.memo = {k: v for k, v in self.memo.items() if k in made or k in used}
        build = self._build
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._insert(new, build)
            self._db.executemany(
                "INSERT OR REPLACE INTO used VALUES (?, ?)", ((key, build) for key in used)
            )
            if whole:
                stale = build - KEEP_BUILDS
                self._db.execute(
                    "DELETE FROM results WHERE key IN (SELECT key FROM used WHERE build <= ?)",
                    (stale,),
                )
                self._db.execute("DELETE FROM used WHERE build <= ?", (stale,))
                self._db.execute("UPDATE meta SET value = ? WHERE name = 'build'", (str(build),))
            self._db.execute("COMMIT")
        except sqlite3.Error as problem:
            with contextlib.suppress(sqlite3.Error):
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
            self._note(
                f"the build cache could not be saved ({problem}); the next build starts without it"
            )
            if _is_damage(problem):  # Not a lock or a full disk: the file itself is broken.
                self._set_aside_if_broken()
        self._build += 1 if whole else 0
        self._empty = self._empty and not made
        self.hits = self.misses = 0

    def _insert(self, new: Mapping[bytes, tuple[bytes, bytes]], build: int) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO results VALUES (?, ?, ?)",
            ((key, value, mac) for key, (value, mac) in new.items()),
        )
        self._db.executemany(
            "INSERT OR REPLACE INTO used VALUES (?, ?)", ((key, build) for key in new)
        )

    def _set_aside_if_broken(self) -> None:
        """After a build that found the file damaged: if SQLite finds it broken, start a new
        one, so that the next build does not meet the same damage (the results this build
        wrote before are lost with the old file; the ones it still holds are kept)."""
        if self._path is None:
            return
        try:
            broken = self._db.execute("PRAGMA quick_check").fetchone() != ("ok",)
        except sqlite3.DatabaseError:
            broken = True
        if not broken:
            return
        self._db.close()
        _remove(self._path)
        self._note(f"the build cache '{self._path}' is damaged; it is set aside for a new one")
        try:
            fresh = Store._connect(self._path, self._note, self._key)
        except (sqlite3.Error, _Foreign, OSError):
            fresh = Store._connect(":memory:", self._note, self._key)
        self._db, self._build, self._path = fresh._db, fresh._build, fresh._path
        self._empty = fresh._empty

    def close(self) -> None:
        """Let go of the file."""
        self._db.close()

    def _misshape(self, namespace: str, problem: Exception) -> None:
        """Note, once a build, a stored value of another shape than its reader's."""
        if not self._misshapen:
            self._misshapen = True
            first = str(problem).splitlines()[0]
            self._note(
                f"the build cache holds a '{namespace}' result of another shape ({first}); "
                "it is made again"
            )

    def _damage(self, problem: str) -> None:
        if not self._damaged:
            self._damaged = True
            self._note(
                f"the build cache is damaged ({problem}); the results it cannot "
                "vouch for are made again"
            )


class _Foreign(Exception):
    """A cache file this program did not write, or damaged."""


_TEXT, _JSON = b"t", b"j"
"""The first byte of a stored value: text as it is (most values are pages of HTML, which
JSON would escape and unescape for nothing), or JSON."""


def _encode(value: Any) -> bytes | None:
    """The stored form of a value; ``None`` for one JSON cannot hold (a lone surrogate,
    which YAML's ``\\ud800`` escape can make): such a value is not kept."""
    if isinstance(value, str):
        return _TEXT + value.encode("utf-8", "surrogatepass")
    try:
        # pydantic-core's encoder, which reads it back (`_decode`), is four times as fast as
        # the standard library's on the search entries and conversions a build keeps.
        return _JSON + to_json(value)
    except PydanticSerializationError:
        return None


def _decode(data: bytes, shape: Shape[T]) -> T:
    """A stored value, checked against ``shape``; raises ValueError when it is not one."""
    if data[:1] == _TEXT:
        text = data[1:].decode("utf-8", "surrogatepass")
        return cast(T, text) if shape is TEXT else shape.of(text)
    if data[:1] != _JSON or shape is TEXT:
        raise ValueError("a value of an unknown form, or JSON where text was expected")
    return shape.from_json(data[1:])


def _is_damage(problem: sqlite3.Error) -> bool:
    """Whether SQLite says the file is damaged (its "operational" errors are locks, a full
    disk, a read-only file: the file may be sound)."""
    return isinstance(problem, sqlite3.DatabaseError) and not isinstance(
        problem, sqlite3.OperationalError
    )


def _holds_nothing(db: sqlite3.Connection) -> bool:
    """Whether the file has no results; ``False`` when that cannot be read (the damage
    shows, and is dealt with, where a result is read)."""
    try:
        return db.execute("SELECT 1 FROM results LIMIT 1").fetchone() is None
    except sqlite3.DatabaseError:
        return False


def _key(namespace: str, key: str) -> bytes:
    return hashlib.blake2b(f"{namespace}\0{key}".encode(), digest_size=16).digest()


def _mac(key: bytes, data: bytes) -> bytes:
    return hmac.digest(key, data, "sha256")


def _value_mac(key: bytes, name: bytes, value: bytes) -> bytes:
    """The MAC of a value under its key's name, so that a value moved to another key fails
    it too. It finds damage as well as forgery. HMAC-SHA-256 (most processors compute
    SHA-256 in hardware) costs about twice a CRC-32 of the value, a third of keyed BLAKE2b."""
    h = hmac.new(key, name, "sha256")
    h.update(value)
    return h.digest()


def _remove(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
