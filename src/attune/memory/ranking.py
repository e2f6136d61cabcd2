"""Searching the recall index (attune.memory.index): BM25 and recency in SQL, as recall.Index ranks (issue 13).

The scores are exactly recall.Index.search's: the same stems, k1, b and idf (log(1 + ...)),
each posting's weight summed per document, then weighed by recency (patterns keep 0.9 of their
relevance however old, sessions 0.6, with a half-life of two weeks). Filters narrow what is
ranked: a kind, a category, a path (patterns whose globs apply to it, sessions that touched
it), a date.
"""

from __future__ import annotations

import contextlib
import math
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple, Protocol

from attune.memory import index, recall
from attune.memory.recall import Document, Hit


class Found(NamedTuple):
    hit: Hit
    line: int  # where the pattern starts in its file; 1 for a session record
    category: str  # the pattern's category; "" for a session


class Filters(NamedTuple):
    kind: str | None = None  # "pattern" or "session"
    category: str | None = None
    path: str | None = None  # patterns that live in, or apply to, this path; sessions that touched it
    since: str | None = None  # ISO date: only what changed on or after it


NO_FILTERS = Filters()


class Query(NamedTuple):
    terms: list[str]  # recall.words of what was asked, each once
    limit: int
    now: float
    days: float | None  # only what changed in the last `days` days
    filters: Filters


class Ranker(Protocol):
    """What ranks in place of SQL: attune.memory.memo.Memo; None from `ranked` leaves it to SQL."""

    def ranked(self, connection: sqlite3.Connection, query: Query) -> list[tuple[int, float]] | None: ...


_K1, _B = recall.K1, recall.B
# One posting's BM25 weight: SQL's text and memo.py's Python are the same expression, evaluated in
# the same order, so that both give the same floats (recall.Index's formula).
WEIGHT = f"? * tf * {_K1 + 1} / (tf + {_K1} * ({1 - _B} + {_B} * length / ?))"
# A document's recency weighed in (patterns keep 0.9 of their relevance however old, sessions 0.6).
RECENCY = (
    "(0.6 + 0.3 * pattern + (0.4 - 0.3 * pattern) * pow(0.5, coalesce(max(0.0, (? - stamp) / 86400.0), 365.0) / ?))"
)


def search(connection: sqlite3.Connection, query: str, *, limit: int = 10, days: float | None = None,
           now: float | None = None, filters: Filters = NO_FILTERS,
           memo: Ranker | None = None) -> list[Found]:  # fmt: skip
    """The best `limit` documents for `query`, scored as recall.Index.search scores them.

    With a `memo` (the MCP server keeps one), the postings are summed in memory (memo.py says why).
    """
    terms = list(dict.fromkeys(recall.words(query)))
    if not terms:
        return []
    asked = Query(terms, limit, time.time() if now is None else now, days, filters)
    with _snapshot(connection):  # a sync in another process cannot remove a document between the two steps
        ranked = memo.ranked(connection, asked) if memo is not None else None
        if ranked is None:
            ranked = _ranked(connection, asked)
        found = []
        for number, score in ranked:  # only the few that made it are read whole
            kind, key, title, date, source, text, line, category = connection.execute(
                "SELECT kind, key, title, date, source, text, line, category FROM docs JOIN texts USING (id) "
                "WHERE id = ?",
                (number,),
            ).fetchone()
            hit = Hit(round(score, 3), Document(kind, key, title, date, source, text), recall.snippet(text, terms))
            found.append(Found(hit, line, category))
    return found


@contextlib.contextmanager
def _snapshot(connection: sqlite3.Connection) -> Iterator[None]:
    """One read transaction around a search, unless the caller holds one already."""
    if connection.in_transaction:
        yield
        return
    connection.execute("BEGIN")
    try:
        yield
    finally:
        connection.execute("COMMIT")


def idf(total: int, n: int) -> float:
    return math.log(1 + (total - n + 0.5) / (n + 0.5))


def _ranked(connection: sqlite3.Connection, query: Query) -> list[tuple[int, float]]:
    """Ids and scores, best first, from one pass over the terms' postings.

    Each posting carries its document's length, recency stamp and kind, so the postings are
    summed per document and weighed by recency once per document without reading `docs`
    (which only a filter on category, date or path joins in): half the time of summing a
    UNION of one query per term joined with `docs` (bench_recall, 18,000 postings).
    """
    totals = connection.execute("SELECT documents, length FROM totals").fetchone()
    if not totals or not totals[0]:
        return []
    total, average = totals[0], (totals[1] / totals[0]) or 1.0
    weights, present = [], []
    for term in query.terms:
        n = connection.execute("SELECT count(*) FROM postings WHERE term = ?", (term,)).fetchone()[0]
        if n:
            weights += [term, idf(total, n)]
            present.append(term)
    if not present:
        return []
    where, extra = _where(query.filters, query.now, query.days)
    if query.filters.path:
        connection.create_function("matches", 3, _matches, deterministic=True)
    # Only fixed SQL and "?" go into the text: the terms, weights and filters are bound as parameters.
    case = "CASE term " + " ".join("WHEN ? THEN ?" for _ in present) + " END"
    sql = (
        f"SELECT doc, sum({WEIGHT.replace('?', case, 1)}) * {RECENCY} AS score FROM postings "  # noqa: S608
        f"WHERE term IN ({', '.join('?' for _ in present)}) {where} "
        "GROUP BY doc ORDER BY score DESC, pattern, stamp DESC, doc LIMIT ?"
    )
    arguments = [*weights, average, query.now, recall.HALF_LIFE_DAYS, *present, *extra, query.limit]
    return connection.execute(sql, arguments).fetchall()


def _where(filters: Filters, now: float, days: float | None) -> tuple[str, list[object]]:
    """The filters as SQL over postings: recency and kind are on each posting, the rest in `docs`."""
    clauses: list[str] = []
    values: list[object] = []
    if days is not None:
        clauses.append("stamp >= ?")
        values.append(now - days * 86400)
    if filters.kind:
        clauses.append("pattern = ?")
        values.append(int(filters.kind == "pattern"))
    inner: list[str] = []
    if filters.since:
        inner.append("d.date >= ?")
        values.append(filters.since)
    if filters.category:
        inner.append("d.category = ?")
        values.append(filters.category)
    if filters.path:
        # A pattern in that file, or whose globs apply to the path; a session that touched it.
        inner.append("(d.source = ? OR matches(d.kind, d.globs, ?))")
        values += [filters.path, filters.path]
    if inner:
        clauses.append(f"doc IN (SELECT d.id FROM docs d WHERE {' AND '.join(inner)})")  # noqa: S608 - fixed SQL
    return "".join(" AND " + clause for clause in clauses), values


def _matches(kind: str, globs: str, path: str) -> bool:
    """SQL `matches()`: a pattern whose globs apply to `path`; a session that touched it (one a line)."""
    from attune.rules import globs as globs_match

    if kind == "session":
        wanted = globs_match.normalise(path)
        return any(globs_match.normalise(f) == wanted or f.endswith("/" + wanted) for f in globs.split("\n"))
    return globs_match.first_match(globs.split("\n"), path) is not None


def recall_hits(root: Path, config: index.Settings, query: str, *, limit: int, days: float | None) -> list[Hit]:
    """`empathy memory recall`'s answer: the index brought up to date, then searched."""

    def run(connection: sqlite3.Connection) -> list[Hit]:
        index.update(connection, root, config)
        return [found.hit for found in search(connection, query, limit=limit, days=days)]

    return index.use(root, run)
