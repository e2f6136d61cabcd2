"""The recall index on disk: SQLite in the user's cache, kept up to date file by file (issue 13).

`empathy memory recall` rebuilt its index from every pattern and session on every call: about
1.7 s as a process at 10,000 patterns. This file keeps each document's words as postings
(term, document, count, length) with each source file's stamp, so that a call re-reads only
the files that changed (memory.sources tells which).

Ranking is recall.Index's, exactly: the same stems, BM25 with the same k1, b and idf, and
recency as before, summed in SQL. The issue asked for FTS5; its bm25() alone is fast but
ranks by another idf (near zero for a word in half the documents) and without recency, and
ranking its matches as these postings do (one bm25() per term, rescaled, summed, weighed by
recency) took twice as long at 11,000 documents: 32 against 16 ms a query, median, under load
(`python benchmarks/bench_recall.py --fts5`). The ranking is the point, not FTS5's query syntax.

Titles and texts are stored scrubbed (secrets and personal data replaced, as attune.scan.scrub
does): a search shows them as they are, and neither `memory recall` nor the MCP server loads the
scanner to answer. The postings keep the words as written, so that the scores stay
recall.Index's. The file is a cache: a damaged one is removed and rebuilt from the sources,
with one warning on stderr.
"""

from __future__ import annotations

import contextlib
import math
import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, Union

from attune import paths
from attune.memory import recall
from attune.memory.recall import Document

if TYPE_CHECKING:
    from attune.config import Config
    from attune.memory.sources import Source
    from attune.patterns.model import Pattern, SourceFile

FORMAT = 7  # 2: folder times; 3: postings, not FTS5; 4: postings carry recency; 5: file digests; 6: scrubbed texts;
# 7: a generation, bumped by every change (attune.memory.memo keeps postings in memory until it moves)
T = TypeVar("T")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS sources(path TEXT PRIMARY KEY, kind TEXT, size INT, mtime_ns INT, inode INT, digest TEXT);
CREATE TABLE IF NOT EXISTS folders(path TEXT PRIMARY KEY, kind TEXT, mtime_ns INT);
CREATE TABLE IF NOT EXISTS docs(id INTEGER PRIMARY KEY, source TEXT, kind TEXT, key TEXT, title TEXT, date TEXT,
    stamp REAL, line INT, category TEXT, globs TEXT, length INT);
CREATE INDEX IF NOT EXISTS docs_source ON docs(source);
CREATE TABLE IF NOT EXISTS texts(id INTEGER PRIMARY KEY, text TEXT);
-- Each posting carries its document's length (BM25's norm); a search weighs recency per document, from docs.
CREATE TABLE IF NOT EXISTS postings(term TEXT, doc INT, tf INT, length INT, stamp REAL, pattern INT,
    PRIMARY KEY(term, doc)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS postings_doc ON postings(doc);
CREATE TABLE IF NOT EXISTS totals(id INTEGER PRIMARY KEY CHECK (id = 1), documents INT, length INT, generation INT);
"""
# Above this many changed pattern files, the library is loaded whole: through the parse cache, in parallel.
_BULK = 64


def location(root: Path) -> Path:
    return paths.recall_index(root)


def use(root: Path, action: Callable[[sqlite3.Connection], T]) -> T:
    """`action` on the open index; a damaged file is removed and rebuilt once, with one warning."""
    where = location(root)
    for attempt in (1, 2):
        try:
            with contextlib.closing(_open(where)) as connection:
                return action(connection)
        except sqlite3.DatabaseError as exc:
            if attempt == 2 or not _damaged(exc):
                raise
            print(f"empathy: warning: the recall index {where} is damaged ({exc}); rebuilding it from the "
                  "patterns and session records", file=sys.stderr)  # fmt: skip
            _remove(where)
    raise AssertionError("unreachable: the second attempt returns or raises")


def _damaged(exc: sqlite3.DatabaseError) -> bool:
    """Corruption, as opposed to a busy file or a bug of ours (which keep their traceback)."""
    name = getattr(exc, "sqlite_errorname", "")  # Python 3.11 and later
    text = str(exc)
    return name in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or "malformed" in text or "not a database" in text


def _open(where: Path) -> sqlite3.Connection:
    where.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    connection = sqlite3.connect(where, timeout=10, isolation_level=None)
    version = connection.execute("PRAGMA user_version").fetchone()[0]  # a file that is no database raises here
    if version != FORMAT:
        if version:  # another release's layout: start again
            connection.close()
            _remove(where)
            connection = sqlite3.connect(where, timeout=10, isolation_level=None)
        connection.executescript(_SCHEMA + f"PRAGMA user_version = {FORMAT};")
    connection.execute("PRAGMA synchronous = OFF")  # a cache: a crash costs a rebuild, never a wrong answer
    with contextlib.suppress(sqlite3.OperationalError):
        connection.execute("SELECT pow(2, 1)")
        return connection
    connection.create_function("pow", 2, math.pow, deterministic=True)  # SQLite built without math functions
    return connection


def _remove(where: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(f"{where}{suffix}")


# The config, or how to read it: a recall that finds nothing changed never reads it (issue 13: start-up).
Settings = Union["Config", Callable[[], "Config"]]


def update(connection: sqlite3.Connection, root: Path, config: Settings, *, full: bool = False) -> int:
    """Re-index the pattern files and session records that changed since the last call; the count.

    Without `full`, only the kinds whose folders changed are looked into (memory.sources says why);
    a sync brings in what it parsed through attune.memory.synced instead.
    """
    from attune.memory import sources

    stored = [sources.Folder(*row) for row in connection.execute("SELECT path, kind, mtime_ns FROM folders")]
    kinds = set(sources.KINDS) if full else sources.changed_kinds(root, stored)
    count = 0
    for kind in sorted(kinds):
        known = {path: (size, mtime, inode) for path, size, mtime, inode in connection.execute(
            "SELECT path, size, mtime_ns, inode FROM sources WHERE kind = ?", (kind,))}  # fmt: skip
        current, folders = sources.scan(root, kind)
        new, gone = sources.changed(current, known)
        connection.execute("BEGIN")
        try:
            _apply(connection, root, config, new, gone)
            connection.execute("DELETE FROM folders WHERE kind = ?", (kind,))
            connection.executemany("INSERT INTO folders VALUES (?, ?, ?)", folders)
            if new or gone:
                recount(connection)
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        count += len(new) + len(gone)
    return count


def _apply(connection: sqlite3.Connection, root: Path, settings: Settings, new: list[Source], gone: list[str]) -> None:
    from attune.patterns import store

    config = settings() if callable(settings) else settings
    patterns = [source for source in new if source.kind == "pattern"]
    library = None
    if len(patterns) > _BULK:  # a first build, a branch switch: through the parse cache, in parallel
        library = store.load_library(root, config)
    files = {f.path: f for f in library.files} if library is not None else {}
    broken = library.broken if library is not None else frozenset()
    for rel in [source.rel for source in new] + gone:
        delete(connection, rel)
    for source in new:
        digest = ""
        if source.kind == "pattern":
            parsed = files.get(source.rel) or store.load(source.rel, source.path, config)[1]
            digest = file_digest(parsed, broken)
            rows = pattern_rows(parsed, broken)
        else:
            rows = _session_rows(root, Path(source.path))
        for row in rows:
            insert(connection, source.rel, row)
        connection.execute("INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?)",
                           (source.rel, source.kind, *source.stamp, digest))  # fmt: skip


def file_digest(source: SourceFile, broken: frozenset[str] = frozenset()) -> str:
    """What of a pattern file reaches the index: its patterns' digests and lines, or that it is broken."""
    if source.broken or source.path in broken:
        return "broken"
    return "|".join(f"{p.digest}:{p.line}" for p in source.patterns)  # short already: no hash to compute


def pattern_rows(source: SourceFile, broken: frozenset[str] = frozenset()) -> list[Row]:
    """A file with errors keeps none of its patterns in the index, as it keeps none in the rules."""
    if source.broken or source.path in broken:
        return []
    return [_pattern_row(p) for p in source.patterns if p.status != "deprecated"]


Row = tuple[Document, int, str, str]


def _pattern_row(pattern: Pattern) -> Row:
    return recall.pattern_document(pattern), pattern.line, pattern.category, "\n".join(pattern.paths)


def _session_rows(root: Path, path: Path) -> list[Row]:
    from attune import sessions  # not at the top: a search that re-reads no record never needs it

    record = sessions.load(path)
    if record is None:
        return []
    files = "\n".join(record.files_touched)
    return [(recall.session_document(record, paths.relative(path, root)), 1, "", files)]


def insert(connection: sqlite3.Connection, source: str, row: Row) -> None:
    document, line, category, globs = row
    title = document.title + " " + document.title + " " if document.kind == "pattern" else ""
    from attune import scan  # not at the top: a search that indexes nothing never needs it

    tokens = recall.words(title + document.text)  # a pattern's title counts twice, as in recall.Index
    # Stored scrubbed (issue 10): a record from an older release may hold a secret; a search then needs no scanner.
    shown_title = scan.scrub(document.title).text
    cursor = connection.execute(
        "INSERT INTO docs(source, kind, key, title, date, stamp, line, category, globs, length) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (source, document.kind, document.key, shown_title, document.date, recall.timestamp(document.date), line,
         category, globs, len(tokens)),
    )  # fmt: skip
    number = cursor.lastrowid
    connection.execute("INSERT INTO texts VALUES (?, ?)", (number, scan.scrub(document.text).text))
    counts: dict[str, int] = {}
    for token in tokens:
        counts[token] = counts.get(token, 0) + 1
    stamp, pattern = recall.timestamp(document.date), int(document.kind == "pattern")
    rows = [(token, number, count, len(tokens), stamp, pattern) for token, count in counts.items()]
    connection.executemany("INSERT INTO postings VALUES (?, ?, ?, ?, ?, ?)", rows)


def delete(connection: sqlite3.Connection, source: str) -> None:
    for (number,) in connection.execute("SELECT id FROM docs WHERE source = ?", (source,)).fetchall():
        connection.execute("DELETE FROM postings WHERE doc = ?", (number,))
        connection.execute("DELETE FROM texts WHERE id = ?", (number,))
    connection.execute("DELETE FROM docs WHERE source = ?", (source,))
    connection.execute("DELETE FROM sources WHERE path = ?", (source,))


def recount(connection: sqlite3.Connection) -> None:
    """BM25's N and average length, kept beside the documents so that a search need not add them up.

    The generation moves with every change, so that a server's memo (attune.memory.memo) knows its
    postings are stale. It starts at random: a rebuilt file must not repeat a number a memo holds.
    """
    connection.execute(
        "INSERT OR REPLACE INTO totals SELECT 1, count(*), coalesce(sum(length), 0), "
        "coalesce((SELECT generation FROM totals WHERE id = 1), abs(random() % 1000000000000)) + 1 FROM docs"
    )
