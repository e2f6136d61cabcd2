"""After a sync: the recall index takes the library the sync has just parsed (issue 13).

A sync has read every pattern file already; looking at them again (10,000 stat() calls) would
double its cost. So the index compares each file's digest (its patterns' fingerprints and
lines, which attune.patterns.validate computes anyway) with the one it stored, and re-indexes
the files that differ from the patterns in hand, reading none. A running MCP server and the
next `memory recall` then see a changed pattern, an edit in place included.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from attune.memory import index
from attune.patterns.model import Library


def refresh(root: Path, library: Library) -> int:
    """Bring an index that exists up to date with `library`; the number of files re-indexed.

    The caller checks that the index exists: a sync never creates it (a project that never recalls
    pays nothing), and a busy index is left for the next reader: the rules are what a sync delivers.
    """
    with contextlib.suppress(sqlite3.OperationalError):
        return index.use(root, lambda connection: _refresh(connection, root, library))
    return 0


def _refresh(connection: sqlite3.Connection, root: Path, library: Library) -> int:
    stored = dict(connection.execute("SELECT path, digest FROM sources WHERE kind = 'pattern'").fetchall())
    broken = library.broken
    current = {source.path: source for source in library.files}
    changed = [s for path, s in current.items() if stored.get(path) != index.file_digest(s, broken)]
    gone = [path for path in stored if path not in current]
    if not changed and not gone:
        return 0
    connection.execute("BEGIN")
    try:
        for path in [s.path for s in changed] + gone:
            index.delete(connection, path)
        for source in changed:
            for row in index.pattern_rows(source, broken):
                index.insert(connection, source.path, row)
            try:  # the stamp, so that a recall that looks into this folder again finds the file known
                info = os.stat(root / source.path, follow_symlinks=False)
                stamp = (info.st_size, info.st_mtime_ns, info.st_ino)
            except OSError:
                stamp = (-1, -1, -1)
            connection.execute("INSERT INTO sources VALUES (?, 'pattern', ?, ?, ?, ?)",
                               (source.path, *stamp, index.file_digest(source, broken)))  # fmt: skip
        index.recount(connection)
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return len(changed) + len(gone)
