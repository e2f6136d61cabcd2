"""The MCP server's postings in memory: a `search` without SQL's GROUP BY (issue 13).

A search sums the BM25 weights of every posting of its terms per document. In SQLite that is a
sort of all of them by document: about 16 ms for a 4-word query over 11,000 documents, most of
an MCP call's time. A server lives long, so it keeps each term's postings as two arrays
(documents, weights), 16 bytes a posting, and sums them in a dict: 3 to 5 ms for the same query
(`python -m benchmarks.bench_mcp`). Up to BUDGET postings are read at once, in one pass over
the table, the first time the server searches after the index changed (about 0.3 s at 10,000
patterns); past the budget, a term is read the first time it is asked for.

The index's `generation` (attune.memory.index bumps it with every change, by any process) tells
when what is kept here is stale. The ranking is ranking._ranked's: the same expressions in the
same order (so the same floats), the same filters (a path filter is left to SQL, which asks
attune.rules.globs), the same order on a tie.
"""

from __future__ import annotations

import heapq
import math
import operator
import sqlite3
import threading
from array import array
from typing import NamedTuple

from attune.memory import ranking, recall

BUDGET = 2_000_000  # postings: 32 MB of arrays; 10,000 patterns and 1,000 sessions hold about 480,000
_K1, _B = recall.K1, recall.B
_LISTS = "count(*), group_concat(doc), group_concat(tf), group_concat(length)"  # in the rows' order, all three


class _Doc(NamedTuple):
    pattern: int  # 1 for a pattern, 0 for a session: SQL's `kind = 'pattern'`
    stamp: float | None
    category: str
    date: str | None


class Memo:
    """What one server process keeps between searches; every search checks it is current first."""

    def __init__(self, budget: int = BUDGET) -> None:
        self.budget = budget
        self._key: tuple[int, int, int] | None = None
        self._average = 1.0
        self._total = 0
        self._docs: dict[int, _Doc] = {}
        self._floor: dict[int, float] = {}  # the least share of its relevance a document keeps after recency
        self._terms: dict[str, tuple[array[int], array[float]]] = {}
        self._complete = False  # every term of the index is in _terms
        self._lock = threading.Lock()  # the SDK may run two calls at once, each in a worker thread

    def ranked(self, connection: sqlite3.Connection, query: ranking.Query) -> list[tuple[int, float]] | None:
        """Ids and scores, best first, as ranking._ranked gives them; None for what SQL must answer."""
        if query.filters.path:
            return None
        with self._lock:
            return self._ranked(connection, query)

    def _ranked(self, connection: sqlite3.Connection, query: ranking.Query) -> list[tuple[int, float]]:
        terms, limit, now, days, filters = query
        if not self._current(connection):
            return []
        lists = sorted((self._term(connection, term) for term in terms), key=lambda pair: len(pair[0]), reverse=True)
        lists = [pair for pair in lists if pair[0]]
        if not lists:
            return []
        relevance = dict(zip(*lists[0], strict=True))
        for numbers, weights in lists[1:]:
            get = relevance.get
            for number, weight in zip(numbers, weights, strict=True):
                relevance[number] = get(number, 0.0) + weight
        docs, floor = self._docs, self._floor
        if days is not None or filters.kind or filters.since or filters.category:
            relevance = {n: r for n, r in relevance.items() if _admits(docs[n], filters, now, days)}
        if not relevance:
            return []
        # Recency weighs a pattern at 0.9 to 1 of its relevance and a session at 0.6 to 1 (0.89 and 0.59: a
        # margin for rounding): no document whose relevance is below the limit-th best lower bound can make
        # the cut, so only the rest are weighed. No tuple is made per document: each would be one more object
        # for the garbage collector to walk (p95 6.3 against 9.3 ms with the collector's passes).
        cut = heapq.nlargest(limit, map(operator.mul, relevance.values(), map(floor.__getitem__, relevance)))[-1]
        half_life = recall.HALF_LIFE_DAYS

        def key(number: int) -> tuple[float, int, float, int]:
            doc = docs[number]
            p, stamp = doc.pattern, doc.stamp
            age = 365.0 if stamp is None else max(0.0, (now - stamp) / 86400.0)
            score = relevance[number] * (0.6 + 0.3 * p + (0.4 - 0.3 * p) * math.pow(0.5, age / half_life))  # RECENCY
            return score, -p, -math.inf if stamp is None else stamp, -number  # ORDER BY score DESC, pattern, ...

        best = heapq.nlargest(limit, [n for n, r in relevance.items() if r >= cut], key=key)
        return [(number, key(number)[0]) for number in best]

    def _current(self, connection: sqlite3.Connection) -> bool:
        """Read the index again if it changed since the last search; False when it holds nothing."""
        row = connection.execute("SELECT documents, length, generation FROM totals").fetchone()
        if not row or not row[0]:
            return False
        if row != self._key:
            self._load(connection, row[0], row[1])
            self._key = row
        return True

    def _load(self, connection: sqlite3.Connection, total: int, length: int) -> None:
        self._total, self._average = total, (length / total) or 1.0
        self._docs = {
            number: _Doc(pattern, stamp, category or "", date)
            for number, pattern, stamp, category, date in connection.execute(
                "SELECT id, kind = 'pattern', stamp, category, date FROM docs"
            )
        }
        self._floor = {number: 0.89 if doc.pattern else 0.59 for number, doc in self._docs.items()}
        self._terms, self._complete, held = {}, False, 0
        # One pass in the table's own order (term, doc): no sort, and each group's lists line up.
        rows = connection.execute(f"SELECT term, {_LISTS} FROM postings GROUP BY term")  # noqa: S608 - fixed SQL
        for term, n, numbers, tfs, lengths in rows:
            if held + n > self.budget:
                return  # the rest is read term by term, when asked for
            self._terms[term] = self._arrays(n, numbers, tfs, lengths)
            held += n
        self._complete = True

    def _term(self, connection: sqlite3.Connection, term: str) -> tuple[array[int], array[float]]:
        got = self._terms.get(term)
        if got is None:
            if self._complete:
                return array("q"), array("d")
            n, numbers, tfs, lengths = connection.execute(
                f"SELECT {_LISTS} FROM postings WHERE term = ?",  # noqa: S608 - fixed SQL
                (term,),
            ).fetchone()
            got = self._arrays(n, numbers or "", tfs or "", lengths or "")
            if n and len(self._terms) < 10_000:  # past the budget: a bounded number of terms, then none
                self._terms[term] = got
        return got

    def _arrays(self, n: int, numbers: str, tfs: str, lengths: str) -> tuple[array[int], array[float]]:
        """A term's documents and weights, each weight as ranking.WEIGHT computes it."""
        if not n:
            return array("q"), array("d")
        weight_of = ranking.idf(self._total, n)
        average = self._average
        seen: dict[tuple[str, str], float] = {}  # (tf, length) pairs repeat: each is computed once
        weights = array("d")
        append = weights.append
        for tf_text, length_text in zip(tfs.split(","), lengths.split(","), strict=True):
            weight = seen.get((tf_text, length_text))
            if weight is None:
                tf, length = int(tf_text), int(length_text)
                weight = seen[tf_text, length_text] = weight_of * tf * (_K1 + 1) / (
                    tf + _K1 * ((1 - _B) + _B * length / average))  # fmt: skip
            append(weight)
        return array("q", map(int, numbers.split(","))), weights


def _admits(doc: _Doc, filters: ranking.Filters, now: float, days: float | None) -> bool:
    """ranking._where's filters, but the path's (memo.ranked leaves that one to SQL)."""
    if days is not None and (doc.stamp is None or doc.stamp < now - days * 86400):
        return False
    if filters.kind and doc.pattern != (filters.kind == "pattern"):
        return False
    if filters.since and (doc.date is None or doc.date < filters.since):
        return False
    return not filters.category or doc.category == filters.category
