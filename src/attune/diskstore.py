"""The one owner of diskcache: a JSON-only cache in a directory that only the user can read.

diskcache pickles by default, so anyone who can write its directory can run code in every
process that reads it (CVE-2025-69872). Here rows are JSON or plain integers, a pickled row is
refused rather than loaded, and the directory is the user's alone, on a local disk. The LLM
state (response cache, breaker, spend) and the working memory both open their caches here.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from attune.errors import UserError

if TYPE_CHECKING:
    import diskcache

_NETWORK_FILE_SYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smb3", "smbfs", "afs", "9p", "ceph", "glusterfs", "lustre", "fuse.sshfs", "davfs"}
)
_disk_class: type | None = None


class UnsafeCacheError(UserError):
    """The cache holds a row we will not load; the message says which directory to delete."""


def open_cache(directory: Path, *, timeout: float = 5) -> diskcache.Cache:
    """A process-safe cache in `directory` (created for the user alone) that stores JSON only."""
    import diskcache

    secure_directory(directory)
    # A short SQLite timeout: a hook would rather skip the cache than wait on another process.
    return diskcache.Cache(str(directory), disk=_json_disk(), timeout=timeout)


def secure_directory(path: Path) -> None:
    """Create `path` for the user alone; refuse one owned by someone else or on a network file system."""
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = path.stat()
    except OSError as exc:
        raise UserError(f"cannot use {path} as the cache directory ({exc.strerror}); set EMPATHY_CACHE_DIR") from None
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise UserError(f"cache directory {path} belongs to another user; set EMPATHY_CACHE_DIR to one of yours")
    if info.st_mode & 0o077:
        path.chmod(0o700)
    kind = file_system_type(path)
    if kind in _NETWORK_FILE_SYSTEMS:
        raise UserError(
            f"cache directory {path} is on a network file system ({kind}); "
            "set EMPATHY_CACHE_DIR to a local directory (SQLite locking is unreliable there)"
        )


def file_system_type(path: Path, mounts: str | None = None) -> str | None:
    """The type of the file system holding `path`, from /proc/self/mounts (None where there is none)."""
    if mounts is None:
        try:
            mounts = Path("/proc/self/mounts").read_text(encoding="utf-8")
        except OSError:
            return None
    target = str(path.resolve())
    best, kind = "", None
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, fields[2]
    return kind


def _json_disk() -> type:
    """A diskcache Disk that stores integers raw and everything else as JSON, and never unpickles."""
    global _disk_class  # noqa: PLW0603 - one class per process, built on first use so diskcache loads lazily
    if _disk_class is not None:
        return _disk_class
    import diskcache
    from diskcache.core import MODE_PICKLE, UNKNOWN

    class JsonOnlyDisk(diskcache.Disk):  # type: ignore[misc]
        def put(self, key: object) -> tuple[object, bool]:
            if type(key) is not str:
                raise TypeError(f"cache keys are strings, not {type(key).__name__}")
            return super().put(key)  # type: ignore[no-any-return]

        def get(self, key: object, raw: bool) -> object:
            if not raw:
                raise _unsafe(self._directory)
            return super().get(key, raw)

        def store(self, value: object, read: bool, key: object = UNKNOWN) -> tuple[object, ...]:
            if type(value) is int:  # spend counters: `Cache.incr` adds to the raw column
                return super().store(value, read, key=key)  # type: ignore[no-any-return]
            return super().store(json.dumps(value).encode(), False, key=key)  # type: ignore[no-any-return]

        def fetch(self, mode: int, filename: str | None, value: object, read: bool) -> object:
            if mode == MODE_PICKLE:
                raise _unsafe(self._directory)
            data = super().fetch(mode, filename, value, read)
            return data if type(data) is int else json.loads(data)

    _disk_class = JsonOnlyDisk
    return _disk_class


def _unsafe(directory: str) -> UnsafeCacheError:
    return UnsafeCacheError(
        f"cache directory {directory} holds a pickled entry, which could run code (CVE-2025-69872); "
        "delete that directory and run again"
    )


# A damaged store (issue 11): a truncated or overwritten cache.db made every command that opens it
# raise sqlite3.DatabaseError. It is rebuilt, never silently and never by deleting it.
EMPTY_GRACE_SECONDS = 10.0
DATABASE = "cache.db"


def open_repaired(directory: Path, warn: Callable[[str, str], None]) -> diskcache.Cache:
    """`open_cache`, after moving a damaged cache.db aside; `warn(reason, aside_name)` says so once."""

    database = directory / DATABASE
    reason = shape(database)
    for attempt in (1, 2):
        if reason:
            aside = move_database_aside(database)
            if aside:
                warn(reason, os.path.basename(aside))
        try:
            return open_cache(directory)
        except sqlite3.DatabaseError as exc:
            reason = damage(database, exc)
            if attempt == 2 or not reason:
                raise
    raise AssertionError("unreachable: the second attempt returns or raises") from None  # pragma: no cover


def move_database_aside(database: Path) -> str:
    """Rename `database` and SQLite's -wal, -shm and -journal beside it; the new name, or "" if gone."""
    from attune import appendlog

    aside = appendlog.move_aside(database)
    if aside:
        for extra in ("-wal", "-shm", "-journal"):
            appendlog.move_aside(database.with_name(database.name + extra))
    return aside


def warn_on_stderr(what: str) -> Callable[[str, str], None]:
    """A `warn` for `open_repaired` that prints one line naming `what` was damaged."""

    def warn(reason: str, aside: str) -> None:
        print(
            f"empathy: warning: {what} was damaged ({reason}); moved aside to {aside} and rebuilt empty",
            file=sys.stderr,
        )

    return warn


def damage(database: Path, error: BaseException | None = None) -> str:
    """Why `database` cannot be used, or "" when it is sound (or merely locked by another process)."""
    if isinstance(error, sqlite3.OperationalError) and _busy(str(error)):
        return ""
    if not os.path.lexists(database):
        return ""
    if database.is_symlink() or not database.is_file():
        return "it is not a file"
    try:
        with contextlib.closing(sqlite3.connect(str(database), timeout=1)) as db:
            row = db.execute("PRAGMA quick_check").fetchone()
    except sqlite3.OperationalError as exc:
        return "" if _busy(str(exc)) else str(exc)
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return "" if row == ("ok",) else f"integrity check: {row[0] if row else 'no answer'}"


def shape(database: Path) -> str:
    """What is wrong with `database` before SQLite opens it (SQLite would follow a link, or read an
    empty file as an empty store and lose the old entries without a word)."""
    if database.is_symlink():
        return "it is a symbolic link"
    if not os.path.lexists(database):
        return ""
    if not database.is_file():
        return "it is not a file"
    info = database.stat()
    # Empty for a moment while another process creates it: only an empty file left so is damage.
    if info.st_size == 0 and time.time() - info.st_mtime > EMPTY_GRACE_SECONDS:
        return "it is empty"
    if info.st_size == 0:
        return ""
    try:  # diskcache would quietly create a missing Cache table again, empty
        with contextlib.closing(sqlite3.connect(str(database), timeout=1)) as db:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        return "" if _busy(str(exc)) else str(exc)
    # diskcache creates Settings before Cache: another process may be between the two right now, so
    # only a store left so past the grace period is damage (the same race as the empty file above).
    settled = time.time() - info.st_mtime > EMPTY_GRACE_SECONDS
    return "its Cache table is missing" if settled and "Settings" in tables and "Cache" not in tables else ""


def _busy(message: str) -> bool:
    return "locked" in message or "busy" in message
