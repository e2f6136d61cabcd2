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
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from attune import paths

if TYPE_CHECKING:
    import diskcache

T = TypeVar("T")


def folder(root: Path) -> Path:
    return root / paths.EMPATHY_DIR / "cache" / "memory"


def use(root: Path, action: Callable[[diskcache.Cache], T]) -> T:
    """`action` on the open store; a damaged store is moved aside and rebuilt, once, with a warning.

    diskstore.open_repaired mends what shows when the store opens; damage that shows only when
    `action` reads it is mended here, and `action` runs once more on the rebuilt store.
    """
    from attune import diskstore

    where = folder(root)
    database = where / diskstore.DATABASE
    for path in (where.parent, where):
        if os.path.lexists(path) and not path.is_dir() and (aside := diskstore.move_database_aside(path)):
            _warn(root, path)("it is not a folder", os.path.basename(aside))
    for attempt in (1, 2):
        cache = diskstore.open_repaired(where, _warn(root, database))
        try:
            return action(cache)
        except sqlite3.DatabaseError as exc:
            if attempt == 2 or not (reason := diskstore.damage(database, exc)):
                raise
            aside = diskstore.move_database_aside(database)
            if aside:
                _warn(root, database)(reason, os.path.basename(aside))
        finally:
            cache.close()
    raise AssertionError("unreachable: the second attempt returns or raises")


def _warn(root: Path, path: Path) -> Callable[[str, str], None]:
    from attune import diskstore

    return diskstore.warn_on_stderr(f"the working memory store {paths.relative(path, root)}")
