"""Searching the recall index (attune.memory.index): BM25 and recency in SQL, as recall.Index ranks (issue 13).

The scores are exactly recall.Index.search's: the same stems, k1, b and idf (log(1 + ...)),
each posting's weight summed per document, then weighed by recency (patterns keep 0.9 of their
relevance however old, sessions 0.6, with a half-life of two weeks). Filters narrow what is
ranked: a kind, a category, a path (patterns whose globs apply to it, sessions that touched
it), a date.
"""

from __future__ import annotations

import math
import sqlite3
import time
from pathlib import Path
from typing import NamedTuple

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


_K1, _B = recall.K1, recall.B
# The SQL of one query term: its BM25 weight in each document that holds it (recall.Index's formula).
_TERM = (  # constants only: the term and its weights are bound
    f"SELECT doc, ? * tf * {_K1 + 1} / (tf + {_K1} * ({1 - _B} + {_B} * length / ?)) AS s "  # noqa: S608
    "FROM postings WHERE term = ?"
)


def search(connection: sqlite3.Connection, query: str, *, limit: int = 10, days: float | None = None,
           now: float | None = None, filters: Filters = NO_FILTERS) -> list[Found]:  # fmt: skip
    """The best `limit` documents for `query`, scored as recall.Index.search scores them."""
    terms = list(dict.fromkeys(recall.words(query)))
    totals = connection.execute("SELECT documents, length FROM totals").fetchone()
    if not terms or not totals or not totals[0]:
        return []
    total, average = totals[0], (totals[1] / totals[0]) or 1.0
    now = time.time() if now is None else now
    parts, arguments = [], []
    for term in terms:
        n = connection.execute("SELECT count(*) FROM postings WHERE term = ?", (term,)).fetchone()[0]
        if n:
            parts.append(_TERM)
            arguments += [math.log(1 + (total - n + 0.5) / (n + 0.5)), average, term]
    if not parts:
        return []
    where, extra = _where(filters, now, days)
    if filters.path:
        connection.create_function("matches", 3, _matches, deterministic=True)
    # Only fixed SQL and "?" go into the text: the terms and filters are bound as parameters.
    # The postings are summed per document first, and weighed by recency once per document (not once per
    # posting), as recall.Index weighs it: patterns keep 0.9 of their relevance however old, sessions 0.6.
    sql = (
        "SELECT g.doc, g.relevance * (0.6 + 0.3 * (d.kind = 'pattern') "  # noqa: S608
        "+ (0.4 - 0.3 * (d.kind = 'pattern')) * "
        "pow(0.5, coalesce(max(0.0, (? - d.stamp) / 86400.0), 365.0) / ?)) AS score "
        f"FROM (SELECT h.doc, sum(h.s) AS relevance FROM ({' UNION ALL '.join(parts)}) h GROUP BY h.doc) g "
        f"JOIN docs d ON d.id = g.doc {where} ORDER BY score DESC, d.kind = 'pattern', d.stamp DESC, g.doc LIMIT ?"
    )
    # Only ids and scores go through the sort; the texts are read for the few that made it.
    ranked = connection.execute(sql, [now, recall.HALF_LIFE_DAYS, *arguments, *extra, limit]).fetchall()
    found = []
    for number, score in ranked:
        kind, key, title, date, source, text, line, category = connection.execute(
            "SELECT kind, key, title, date, source, text, line, category FROM docs JOIN texts USING (id) WHERE id = ?",
            (number,),
        ).fetchone()
        hit = Hit(round(score, 3), Document(kind, key, title, date, source, text), recall.snippet(text, terms))
        found.append(Found(hit, line, category))
    return found


def _where(filters: Filters, now: float, days: float | None) -> tuple[str, list[object]]:
    clauses: list[str] = []
    values: list[object] = []
    if days is not None:
        clauses.append("d.stamp >= ?")
        values.append(now - days * 86400)
    if filters.since:
        clauses.append("d.date >= ?")
        values.append(filters.since)
    if filters.kind:
        clauses.append("d.kind = ?")
        values.append(filters.kind)
    if filters.category:
        clauses.append("d.category = ?")
        values.append(filters.category)
    if filters.path:
        # A pattern in that file, or whose globs apply to the path; a session that touched it.
        clauses.append("(d.source = ? OR matches(d.kind, d.globs, ?))")
        values += [filters.path, filters.path]
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", values


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
