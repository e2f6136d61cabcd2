"""Benchmark `empathy memory recall`: 10,000 patterns and 1,000 sessions, searched in-process.

    python benchmarks/bench_recall.py [--patterns 10000] [--sessions 1000] [--queries 50] [--fts5]

Prints the time to build the in-memory index and, per query, the median and p95; then, on a
generated project (sessions and library on disk), the persistent index (issue 13): its first
build, a query on it, the update a sync makes after one pattern file changed, and the whole
command as a process next to `python -c pass` measured in the same run. With `--fts5`, the
same documents in an FTS5 table ranked by its `bm25()`, next to the index's own search (why the
index is not FTS5: attune.memory.index). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from attune import sessions
from attune.memory import recall
from attune.patterns.model import Pattern

HERE = Path(__file__).resolve().parent
WORK = Path(os.environ.get("ATTUNE_BENCH_WORK") or HERE / ".work") / "recall"
WORDS = (
    "cache connection retry timeout token session handler request response pool queue worker lock index "
    "schema migration payload header cookie checksum buffer stream thread signal parser lexer router "
    "billing invoice upload export import login logout password hashing argon2 bcrypt jitter backoff "
    "deadlock latency memory leak flaky test fixture mock database transaction rollback replica"
).split()


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def patterns(count: int, rng: random.Random) -> list[Pattern]:
    out = []
    for number in range(count):
        out.append(Pattern(f"p{number}", sentence(rng, 6).capitalize(), "debugging", ("src/**",), (rng.choice(WORDS),),
                           "active", 0.8, "2026-01-02", f"2026-{rng.randint(1, 11):02}-{rng.randint(1, 28):02}", None,
                           None, sentence(rng, 80), f".empathy/patterns/debugging/p{number}.md", 1, ""))  # fmt: skip
    return out


def records(count: int, rng: random.Random) -> list[tuple[sessions.Record, str]]:
    now = time.time()
    out = []
    for number in range(count):
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - rng.uniform(0, 90) * 86400))
        summary = sessions.Summary((sentence(rng, 10),), (sentence(rng, 8),), (), (rng.choice(WORDS),), True, None)
        record = sessions.Record(f"s{number}", stamp, stamp, "/x", sentence(rng, 60), (sentence(rng, 40),),
                                 ("src/a.py",), (), summary, 0)  # fmt: skip
        out.append((record, f".empathy/sessions/s{number}.json"))
    return out


def write_project(project: Path, library: list[Pattern], history: list[tuple[sessions.Record, str]]) -> None:
    """The library and the session records on disk, as a project has them."""
    shutil.rmtree(project, ignore_errors=True)
    (project / ".empathy" / "sessions").mkdir(parents=True)
    for record, _ in history:
        (project / ".empathy" / "sessions" / f"{record.session_id}.json").write_text(
            json.dumps(sessions.to_json(record))
        )
    for pattern in library:
        target = project / pattern.file
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            f'---\nid: {pattern.id}\ntitle: "{pattern.title}"\ncategory: debugging\nupdated: {pattern.updated}\n---\n\n{pattern.body}\n'
        )
    time.sleep(2.1)  # older than attune.memory.sources.RACY_NS, as the folders of a real project are


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patterns", type=int, default=10_000)
    parser.add_argument("--sessions", type=int, default=1_000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--fts5", action="store_true", help="also time FTS5's bm25() on the same documents")
    args = parser.parse_args()
    rng = random.Random(5)
    library, history = patterns(args.patterns, rng), records(args.sessions, rng)
    started = time.perf_counter()
    in_memory = recall.build(history, library)
    built = (time.perf_counter() - started) * 1000
    queries = [" ".join(rng.sample(WORDS, rng.randint(1, 4))) for _ in range(args.queries)]
    samples = []
    for query in queries:
        started = time.perf_counter()
        in_memory.search(query, limit=10)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    print(f"{args.patterns} patterns and {args.sessions} sessions, in process:")
    print(f"  build the index          {built:8.1f} ms")
    print(f"  one query, median        {statistics.median(samples):8.2f} ms")
    print(f"  one query, p95           {samples[int(len(samples) * 0.95) - 1]:8.2f} ms")
    project = WORK / "project"
    write_project(project, library, history)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {
        "XDG_CACHE_HOME": str(WORK / "cache")
    }
    command = [
        str(Path(sys.executable).parent / "empathy"),
        "memory",
        "recall",
        "password hashing",
        "--root",
        str(project),
    ]
    os.environ["XDG_CACHE_HOME"] = env["XDG_CACHE_HOME"]  # the in-process index below uses the same file
    shutil.rmtree(WORK / "cache", ignore_errors=True)
    from attune import config as config_mod
    from attune.memory import index, ranking, synced
    from attune.patterns import store

    config = config_mod.read(project)[0]
    started = time.perf_counter()
    index.use(project, lambda connection: index.update(connection, project, config))
    print(f"  persistent index, first build (cold parse)       {(time.perf_counter() - started) * 1000:8.0f} ms")
    samples = []
    for query in queries:
        started = time.perf_counter()
        index.use(project, lambda connection: ranking.search(connection, query, limit=10))  # noqa: B023 - called at once
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    print(f"  persistent index, open + one query, median      {statistics.median(samples):8.2f} ms")
    print(f"  persistent index, open + one query, p95         {samples[int(len(samples) * 0.95) - 1]:8.2f} ms")
    if args.fts5:
        fts5(index.location(project), queries, samples)
    changed = project / library[7].file
    updates = []
    for round_number in range(5):
        changed.write_text(changed.read_text() + f"\nround {round_number}: zeppelin\n")
        parsed = store.load_library(project, config)  # what the sync reads anyway
        started = time.perf_counter()
        synced.refresh(project, parsed)  # what it adds: compare digests, index the one file changed
        updates.append((time.perf_counter() - started) * 1000)
    found = index.use(project, lambda connection: ranking.search(connection, "zeppelin"))
    assert [f.hit.document.key for f in found] == [library[7].id], found
    print(f"  a sync of one changed pattern, its index update, median {statistics.median(updates):6.1f} ms")
    subprocess.run(command, env=env, capture_output=True, check=True)  # warm the .pyc files
    whole, baseline = [], []
    for _ in range(7):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], env=env, capture_output=True, check=True)
        baseline.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=True)
        whole.append((time.perf_counter() - started) * 1000)
    ratio = statistics.median(whole) / statistics.median(baseline)
    print(f"  `python -c pass` as a process                    {statistics.median(baseline):8.0f} ms")
    print(f"  `empathy memory recall` as a process, index on disk: {statistics.median(whole):.0f} ms ({ratio:.1f}x)")
    return 0


def fts5(where: Path, queries: list[str], ours: list[float]) -> None:
    """The index's documents in an FTS5 table beside it: bm25() as is, and ranked as the index ranks.

    FTS5's bm25() has its own idf, log((N - n + 0.5) / (n + 0.5)), near zero for a term in half the
    documents or more, and no recency. Ranked as the index ranks means one bm25() per term, scaled to
    the index's idf, summed per document and weighed by recency from `docs`.
    """
    import math
    import sqlite3

    from attune.memory import ranking

    copy = where.with_name("fts5-comparison.sqlite3")
    copy.unlink(missing_ok=True)
    with sqlite3.connect(where) as source, sqlite3.connect(copy) as connection:
        connection.execute("CREATE VIRTUAL TABLE f USING fts5(body)")
        rows = source.execute("SELECT id, kind, title, text FROM docs JOIN texts USING (id)")
        connection.executemany(  # the index's own terms (stems), a pattern's title twice, as in the index
            "INSERT INTO f(rowid, body) VALUES (?, ?)",
            (
                (n, " ".join(recall.words((title + " " + title + " " if kind == "pattern" else "") + text)))
                for n, kind, title, text in rows
            ),
        )
        connection.commit()
        connection.execute("ATTACH DATABASE ? AS idx", (str(where),))
        total = connection.execute("SELECT count(*) FROM f").fetchone()[0]
        as_is, as_ours = [], []
        for query in queries:
            terms = list(dict.fromkeys(recall.words(query)))
            match = " OR ".join(f'"{word}"' for word in terms)
            started = time.perf_counter()
            connection.execute("SELECT rowid FROM f WHERE f MATCH ? ORDER BY bm25(f) LIMIT 10", (match,)).fetchall()
            as_is.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            # One bm25() per term (FTS5 allows it only where its table is the query's own), into a
            # scratch table; then summed per document and weighed by recency, as the index does.
            connection.execute("CREATE TEMP TABLE IF NOT EXISTS h(doc INT, s REAL)")
            connection.execute("DELETE FROM h")
            for term in terms:
                n = connection.execute("SELECT count(*) FROM f WHERE f MATCH ?", (f'"{term}"',)).fetchone()[0]
                if n:
                    theirs = max(1e-6, math.log((total - n + 0.5) / (n + 0.5)))
                    connection.execute(
                        "INSERT INTO h SELECT rowid, -bm25(f) * ? FROM f WHERE f MATCH ?",
                        (ranking.idf(total, n) / theirs, f'"{term}"'),
                    )
            connection.execute(
                "SELECT g.doc, g.relevance * (0.6 + 0.3 * (d.kind = 'pattern') + (0.4 - 0.3 * (d.kind = 'pattern'))"
                " * pow(0.5, coalesce(max(0.0, (? - d.stamp) / 86400.0), 365.0) / ?)) AS score FROM (SELECT doc,"
                " sum(s) AS relevance FROM h GROUP BY doc) g JOIN idx.docs d ON d.id = g.doc"
                " ORDER BY score DESC LIMIT 10",
                [time.time(), recall.HALF_LIFE_DAYS],
            ).fetchall()
            as_ours.append((time.perf_counter() - started) * 1000)
    copy.unlink()
    for label, samples in (("bm25() as is", as_is), ("ranked as the index", as_ours)):
        samples.sort()
        print(f"  FTS5 {label + ',':20} one query, median {statistics.median(samples):8.2f} ms, "
              f"p95 {samples[int(len(samples) * 0.95) - 1]:8.2f} ms")  # fmt: skip
    print(f"  the index's own search (above),      median {statistics.median(ours):8.2f} ms, "
          f"p95 {ours[int(len(ours) * 0.95) - 1]:8.2f} ms")  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
