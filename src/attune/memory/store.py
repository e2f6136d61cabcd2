"""The working memory's store, `.empathy/cache/memory/`: opened through diskstore, rebuilt when damaged.

A truncated or overwritten `cache.db` once made every `memory` command raise
`sqlite3.DatabaseError`, `memory clear` included (issue 11). Working memory is short-lived and
can be rebuilt, but never silently and never by deleting: the damaged file is renamed aside
with a timestamp and one warning goes to stderr. A store that is only busy (locked by another
process) is not damaged and is left alone.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from attune import paths

if TYPE_CHECKING:
    import diskcache

T = TypeVar("T")
DATABASE = "cache.db"  # diskstore.DATABASE


def folder(root: Path) -> Path:
    return root / paths.EMPATHY_DIR / "cache" / "memory"


def use(root: Path, action: Callable[[diskcache.Cache], T]) -> T:
    """`action` on the open store; a damaged store is moved aside and rebuilt, once, with a warning."""
    from attune import diskstore

    where = folder(root)
    for path in (where.parent, where):
        if os.path.lexists(path) and not path.is_dir():
            _move_aside(root, path, "it is not a folder")
    reason = diskstore.shape(where / DATABASE)
    if reason:
        _move_aside(root, where / DATABASE, reason)
    for attempt in (1, 2):
        try:
            cache = diskstore.open_cache(where)
        except sqlite3.DatabaseError as exc:
            if attempt == 2 or not (reason := diskstore.damage(where / DATABASE, exc)):
                raise
            _move_aside(root, where / DATABASE, reason)
            continue
        try:
            return action(cache)
        except sqlite3.DatabaseError as exc:
            if attempt == 2 or not (reason := diskstore.damage(where / DATABASE, exc)):
                raise
            _move_aside(root, where / DATABASE, reason)
        finally:
            cache.close()
    raise AssertionError("unreachable: the second attempt returns or raises")


def _move_aside(root: Path, path: Path, reason: str) -> None:
    """Rename `path` (and SQLite's -wal and -shm next to it) to `<name>.damaged-<time>`; never delete it."""
    from attune import diskstore

    aside = diskstore.move_database_aside(path)
    if not aside:
        return  # another process moved it first, and warned
    print(
        f"empathy: warning: the working memory store {paths.relative(path, root)} was damaged ({reason}); "
        f"moved aside to {os.path.basename(aside)} and rebuilt empty",
        file=sys.stderr,
    )
