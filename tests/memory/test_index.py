from __future__ import annotations

import os
import sqlite3
import time

from attune import cli, config
from attune.memory import index, ranking, recall
from tests.helpers import write_pattern
from tests.memory.test_recall import recall_json, record


def refresh(root):
    return index.use(root, lambda connection: index.update(connection, root, config.read(root)[0]))


def search(root, query, **kwargs):
    return index.use(root, lambda connection: ranking.search(connection, query, **kwargs))


def test_the_index_is_a_real_sqlite_file_in_the_user_cache(repo, capsys):
    (repo / ".empathy").mkdir()
    write_pattern(repo, "argon2", "security", title="Hash passwords with argon2id")
    recall_json(repo, capsys, "argon2id")
    where = index.location(repo)
    assert where.is_relative_to(os.environ["XDG_CACHE_HOME"])
    with sqlite3.connect(where) as connection:
        assert connection.execute("SELECT key FROM docs").fetchall() == [("argon2",)]


def test_only_what_changed_is_indexed_again(repo):
    (repo / ".empathy").mkdir()
    for number in range(5):
        write_pattern(repo, f"p{number}", body=f"pool number {number}")
    record(repo, "s1", "Tuned the connection pool.")
    assert refresh(repo) == 6
    assert refresh(repo) == 0
    changed = write_pattern(repo, "p3", body="now about zeppelin mooring")
    os.utime(changed, ns=(time.time_ns(), time.time_ns() + 10**9))  # a new stamp even on a coarse clock
    assert refresh(repo) == 1
    assert [f.hit.document.key for f in search(repo, "zeppelin")] == ["p3"]
    assert [f.line for f in search(repo, "zeppelin")] == [1]
    (repo / ".empathy" / "patterns" / "debugging" / "p3.md").unlink()
    assert refresh(repo) == 1
    assert search(repo, "zeppelin") == []


def test_scores_are_those_of_the_in_memory_index(repo):
    (repo / ".empathy").mkdir()
    write_pattern(repo, "a", title="Retry storms", body="Add jitter to the retry backoff; retry less.")
    write_pattern(repo, "b", title="Backoff", body="Exponential backoff with jitter.")
    record(repo, "s1", "Retry storm fixed with jitter.", days_ago=3)
    record(repo, "s2", "Navbar layout.", days_ago=1)
    from attune import sessions
    from attune.patterns import store

    top = repo
    records = [(r, str(p.relative_to(top))) for r, p in sessions.every(top)]
    expected = recall.build(records, store.load_library(top, config.read(top)[0]).usable)
    refresh(repo)
    now = time.time()
    for query in ("retry jitter", "backoff", "navbar layout", "storm"):
        want = [(h.document.key, h.score) for h in expected.search(query, now=now)]
        assert [(f.hit.document.key, f.hit.score) for f in search(repo, query, now=now)] == want


def test_filters_by_kind_category_path_and_date(repo):
    (repo / ".empathy").mkdir()
    write_pattern(repo, "api-auth", "security", paths=["src/api/**"], body="Check the token in every handler.")
    write_pattern(repo, "ui-token", "debugging", paths=["web/**"], body="Never keep the token in localStorage.")
    record(repo, "s1", "Rotated the token signing key.", files=["src/api/auth.py"], days_ago=30)
    refresh(repo)

    def keys(**filters):
        return sorted(f.hit.document.key for f in search(repo, "token", filters=ranking.Filters(**filters)))

    assert keys() == ["api-auth", "s1", "ui-token"]
    assert keys(kind="pattern") == ["api-auth", "ui-token"]
    assert keys(category="security") == ["api-auth"]
    assert keys(category="debugging") == ["ui-token"]
    assert keys(path="src/api/orders.py") == ["api-auth"]
    assert keys(path="src/api/auth.py") == ["api-auth", "s1"]
    assert keys(since="2026-01-02") == ["api-auth", "s1", "ui-token"]  # on or after: the patterns say 2026-01-02
    assert keys(since="2026-01-03") == ["s1"]


def test_a_damaged_index_is_rebuilt_with_one_warning(repo, capsys):
    (repo / ".empathy").mkdir()
    write_pattern(repo, "argon2", "security", title="Hash passwords with argon2id")
    recall_json(repo, capsys, "argon2id")
    where = index.location(repo)
    where.write_bytes(b"this is not a database" * 500)
    assert cli.main(["memory", "recall", "argon2id", "--root", str(repo)]) == 0
    captured = capsys.readouterr()
    assert "argon2" in captured.out
    warnings = [line for line in captured.err.splitlines() if "recall index" in line]
    assert len(warnings) == 1 and "damaged" in warnings[0] and "rebuilding" in warnings[0]
    assert cli.main(["memory", "recall", "argon2id", "--root", str(repo)]) == 0
    assert "recall index" not in capsys.readouterr().err


def test_a_missing_index_is_built_without_a_word(repo, capsys):
    (repo / ".empathy").mkdir()
    record(repo, "s1", "Fixed the flaky upload test.")
    assert cli.main(["memory", "recall", "flaky", "--root", str(repo)]) == 0
    index.location(repo).unlink()
    assert cli.main(["memory", "recall", "flaky", "--root", str(repo)]) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out.count("(.empathy/sessions/s1.json)") == 2


def test_a_sync_updates_an_existing_index_and_creates_none(repo, capsys):
    (repo / ".empathy").mkdir()
    write_pattern(repo, "p1", body="about pools")
    assert cli.main(["sync", "--root", str(repo)]) == 0
    assert not index.location(repo).exists()
    refresh(repo)
    changed = write_pattern(repo, "p1", body="about zeppelins")
    os.utime(changed, ns=(time.time_ns(), time.time_ns() + 10**9))
    assert cli.main(["sync", "--root", str(repo)]) == 0
    assert refresh(repo) == 0  # the sync did it
    assert [f.hit.document.key for f in search(repo, "zeppelin")] == ["p1"]


def settle(root):
    """Every folder of the library and the sessions an hour old, as they are between edits."""
    old = 1_700_000_000  # always the same: a folder settled twice must look unchanged
    for folder in [root / ".empathy" / "patterns", root / ".empathy" / "sessions"]:
        for path in [folder, *(p for p in folder.rglob("*") if p.is_dir())]:
            os.utime(path, (old, old))


def test_a_recall_reads_no_file_while_no_folder_changed(repo):
    (repo / ".empathy").mkdir()
    write_pattern(repo, "p1", body="about pools")
    record(repo, "s1", "Tuned the connection pool.")
    settle(repo)
    assert refresh(repo) == 2
    assert refresh(repo) == 0
    # Edited in place: no folder changes, so a recall does not see it; the next sync does (as the rules do).
    target = repo / ".empathy" / "patterns" / "debugging" / "p1.md"
    target.write_text(target.read_text().replace("about pools", "about zeppelins"))
    settle(repo)
    assert refresh(repo) == 0 and search(repo, "zeppelin") == []
    assert cli.main(["sync", "--root", str(repo), "-q"]) == 0
    assert [f.hit.document.key for f in search(repo, "zeppelin")] == ["p1"]
    # A new file changes its folder: the next recall looks into that kind again.
    write_pattern(repo, "p2", "security", body="zeppelin mooring")
    record(repo, "s2", "Moored the zeppelin.")
    assert refresh(repo) == 2
    assert sorted(f.hit.document.key for f in search(repo, "zeppelin")) == ["p1", "p2", "s2"]
    (repo / ".empathy" / "sessions" / "s2.json").unlink()
    assert refresh(repo) == 1
