"""The working memory's store, `.empathy/cache/memory/`: opened through diskstore, rebuilt when damaged.

A truncated or overwritten `cache.db` once made every `memory` command raise
`sqlite3.DatabaseError`, `memory clear` included (issue 11). Working memory is short-lived and
can be rebuilt, but never silently and never by deleting: the damaged file is renamed aside
with a timestamp and one warning goes to stderr. A store that is only busy (locked by another
process) is not damaged and is left alone.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from attune import paths

if TYPE_CHECKING:
    import diskcache

T = TypeVar("T")
DATABASE = "cache.db"
EMPTY_GRACE_SECONDS = 10.0


def folder(root: Path) -> Path:
    return root / paths.EMPATHY_DIR / "cache" / "memory"


def use(root: Path, action: Callable[[diskcache.Cache], T]) -> T:
    """`action` on the open store; a damaged store is moved aside and rebuilt, once, with a warning."""
    from attune import diskstore

    where = folder(root)
    for path in (where.parent, where):
        if os.path.lexists(path) and not path.is_dir():
            _move_aside(root, path, "it is not a folder")
    reason = _shape(where / DATABASE)
    if reason:
        _move_aside(root, where / DATABASE, reason)
    for attempt in (1, 2):
        try:
            cache = diskstore.open_cache(where)
        except sqlite3.DatabaseError as exc:
            if attempt == 2 or not (reason := damage(where / DATABASE, exc)):
                raise
            _move_aside(root, where / DATABASE, reason)
            continue
        try:
            return action(cache)
        except sqlite3.DatabaseError as exc:
            if attempt == 2 or not (reason := damage(where / DATABASE, exc)):
                raise
            _move_aside(root, where / DATABASE, reason)
        finally:
            cache.close()
    raise AssertionError("unreachable: the second attempt returns or raises")


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


def _shape(database: Path) -> str:
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
    return "its Cache table is missing" if "Settings" in tables and "Cache" not in tables else ""


def _busy(message: str) -> bool:
    return "locked" in message or "busy" in message


def _move_aside(root: Path, path: Path, reason: str) -> None:
    """Rename `path` (and SQLite's -wal and -shm next to it) to `<name>.damaged-<time>`; never delete it."""
    from attune import appendlog

    aside = appendlog.move_aside(path)
    if not aside:
        return  # another process moved it first, and warned
    for extra in ("-wal", "-shm", "-journal"):
        appendlog.move_aside(path.with_name(path.name + extra))
    print(
        f"empathy: warning: the working memory store {paths.relative(path, root)} was damaged ({reason}); "
        f"moved aside to {os.path.basename(aside)} and rebuilt empty",
        file=sys.stderr,
    )
