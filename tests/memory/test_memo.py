"""The MCP server's postings in memory (attune.memory.memo) rank exactly as the SQL search does."""

from __future__ import annotations

import os
import random
import sqlite3
import time

import pytest

from attune import config
from attune.memory import index, ranking
from attune.memory.memo import Memo
from tests.helpers import write_pattern
from tests.memory.test_recall import record

WORDS = "alpha beta gamma delta epsilon zeta theta iota kappa lambda sigma omega".split()
NOW = time.time()


def sentence(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def refresh(root):
    return index.use(root, lambda connection: index.update(connection, root, config.read(root)[0]))


@pytest.fixture
def library(repo):
    rng = random.Random(7)
    (repo / ".empathy").mkdir()
    for number in range(60):
        write_pattern(repo, f"p{number}", rng.choice(["debugging", "security"]), body=sentence(rng, 3, 40))
    for twin in ("twin-a", "twin-b"):  # the same words, the same date: a tie, broken as SQL breaks it
        write_pattern(repo, twin, body="alpha beta beta")
    for number in range(25):
        record(repo, f"s{number}", sentence(rng, 5, 30), days_ago=rng.uniform(0, 90))
    refresh(repo)
    return repo


def both(root, query, memo, **kwargs):
    def run(connection: sqlite3.Connection):
        by_sql = ranking.search(connection, query, now=NOW, **kwargs)
        by_memo = ranking.search(connection, query, now=NOW, memo=memo, **kwargs)
        return [(f.hit.document.key, f.hit.score, f.line) for f in by_sql], [
            (f.hit.document.key, f.hit.score, f.line) for f in by_memo
        ]

    return index.use(root, run)


QUERIES = ["alpha", "alpha beta", "beta alpha", "gamma delta epsilon", "omega sigma kappa lambda", "nothing here",
           "alpha zzz", "theta theta iota"]  # fmt: skip
FILTERS = [
    {},
    {"limit": 3},
    {"limit": 40},
    {"days": 30.0},
    {"filters": ranking.Filters(kind="pattern")},
    {"filters": ranking.Filters(kind="session")},
    {"filters": ranking.Filters(category="security")},
    {"filters": ranking.Filters(since="2026-01-03")},
    {"filters": ranking.Filters(kind="pattern", category="debugging"), "limit": 5},
]


@pytest.mark.parametrize("budget", [Memo().budget, 50])  # all postings read at once; past the budget, term by term
def test_the_memo_ranks_as_sql_does_with_every_filter(library, budget):
    memo = Memo(budget)
    for query in QUERIES:
        for kwargs in FILTERS:
            by_sql, by_memo = both(library, query, memo, **kwargs)
            assert by_memo == by_sql, (query, kwargs)
    twins = [
        (key, score) for key, score, _ in both(library, "beta alpha", memo, limit=100)[1] if key.startswith("twin")
    ]
    assert len(twins) == 2 and twins[0][1] == twins[1][1]  # the data holds an exact tie, and it was compared above


def test_the_memo_ranks_in_memory_and_leaves_a_path_filter_to_sql(library):
    memo = Memo()
    with sqlite3.connect(index.location(library)) as connection:
        ranked = memo.ranked(connection, ranking.Query(["alpha"], 5, NOW, None, ranking.NO_FILTERS))
        assert ranked is not None and len(ranked) == 5
        connection.execute("DELETE FROM postings")  # what is in memory answers until the generation moves
        assert memo.ranked(connection, ranking.Query(["alpha"], 5, NOW, None, ranking.NO_FILTERS)) == ranked
        assert memo.ranked(connection, ranking.Query(["alpha"], 5, NOW, None, ranking.Filters(path="src/a.py"))) is None
        connection.rollback()


def test_a_change_by_another_process_reaches_the_memo(library):
    memo = Memo()
    assert both(library, "zeppelin", memo)[1] == []
    changed = write_pattern(library, "p3", body="now about zeppelin mooring")
    os.utime(changed, ns=(time.time_ns(), time.time_ns() + 10**9))
    assert refresh(library) == 1  # another connection, as a sync or a `memory recall` would be
    by_sql, by_memo = both(library, "zeppelin alpha", memo)
    assert by_memo == by_sql and by_memo[0][0] == "p3"
    (library / ".empathy" / "patterns" / "debugging" / "p3.md").unlink()
    refresh(library)
    assert [key for key, _, _ in both(library, "zeppelin", memo)[1]] == []


def test_a_rebuilt_index_starts_a_new_generation(library):
    def generation():
        with sqlite3.connect(index.location(library)) as connection:
            return connection.execute("SELECT generation FROM totals").fetchone()[0]

    first = generation()
    index.location(library).unlink()
    refresh(library)
    assert generation() != first  # a memo holding `first` must not take the new file for the old one


class Intruder:
    """A ranker that, mid-search, has another connection try to delete what it ranked (as a sync might)."""

    def __init__(self, where):
        self.where = where
        self.refused = None

    def ranked(self, connection, query):
        number = connection.execute("SELECT min(id) FROM docs").fetchone()[0]
        other = sqlite3.connect(self.where, timeout=0)
        try:
            other.execute("DELETE FROM texts WHERE id = ?", (number,))
            other.commit()
            self.refused = False
        except sqlite3.OperationalError as exc:  # database is locked: the search holds its snapshot
            self.refused = "locked" in str(exc)
        finally:
            other.close()
        return [(number, 1.0)]


def test_a_search_reads_one_snapshot_of_the_index(library):
    intruder = Intruder(index.location(library))
    found = index.use(library, lambda connection: ranking.search(connection, "alpha", memo=intruder))
    assert intruder.refused is True
    assert len(found) == 1 and found[0].hit.document.text
