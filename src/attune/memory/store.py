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


def folder(root: Path) -> Path:
    return root / paths.EMPATHY_DIR / "cache" / "memory"


def use(root: Path, action: Callable[[diskcache.Cache], T]) -> T:
    """`action` on the open store; a damaged store is moved aside and rebuilt, once, with a warning."""
    from attune import diskstore

    where = folder(root)
    if os.path.lexists(where) and (where.is_symlink() or not where.is_dir()):
        _move_aside(root, where, "it is not a folder")
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


def _busy(message: str) -> bool:
    return "locked" in message or "busy" in message


def _move_aside(root: Path, path: Path, reason: str) -> None:
    """Rename `path` (and SQLite's -wal and -shm next to it) to `<name>.damaged-<time>`; never delete it."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + f"-{os.getpid()}"
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    try:
        os.rename(path, aside)
    except FileNotFoundError:
        return  # another process moved it first, and warned
    for extra in ("-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.rename(path.with_name(path.name + extra), path.with_name(f"{path.name}{extra}.damaged-{stamp}"))
    print(
        f"empathy: warning: the working memory store {paths.relative(path, root)} was damaged ({reason}); "
        f"moved aside to {aside.name} and rebuilt empty",
        file=sys.stderr,
    )
