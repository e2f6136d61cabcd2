from __future__ import annotations

import contextlib
import json
import os
import pickle
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from attune.errors import UserError
from attune.llm import state
from attune.llm.state import State, UnsafeCacheError


class Clock:
    def __init__(self, now=1_795_000_000.0):
        self.now = now

    def __call__(self):
        return self.now


def test_directory_is_the_users_alone(tmp_path):
    loose = tmp_path / "cache"
    loose.mkdir(mode=0o755)
    loose.chmod(0o755)
    with State(loose):
        pass
    assert loose.stat().st_mode & 0o777 == 0o700
    with State(tmp_path / "new" / "deep"):
        pass
    assert (tmp_path / "new" / "deep").stat().st_mode & 0o077 == 0


def test_default_directory_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert state.default_directory() == tmp_path / "xdg" / "attune-companion" / "llm"
    monkeypatch.setenv("EMPATHY_CACHE_DIR", str(tmp_path / "mine"))
    assert state.default_directory() == tmp_path / "mine"


def test_responses_round_trip_as_json_on_disk(tmp_path):
    value = {"output": {"findings": [{"line": 3}]}, "usage": [10, 5, 0, 0], "cost": 0.0001}
    with State(tmp_path) as cache:
        cache.store("k1", value, ttl_seconds=60)
        cache.store("never", value, ttl_seconds=0)  # a TTL of 0 turns caching off
        assert cache.lookup("k1") == value
        assert cache.lookup("never") is None
        assert cache.lookup("missing") is None
    rows = sqlite3.connect(tmp_path / "cache.db").execute("SELECT key, mode, value FROM Cache").fetchall()
    assert rows == [("response:k1", 1, json.dumps(value).encode())]


def test_entries_expire(tmp_path):
    with State(tmp_path) as cache:
        cache.store("k", {"a": 1}, ttl_seconds=0.05)
        time.sleep(0.2)
        assert cache.lookup("k") is None


def test_a_pickled_row_is_refused_and_never_loaded(tmp_path):
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    with State(tmp_path / "c") as cache:
        cache.store("k", {"a": 1}, ttl_seconds=60)
    db = sqlite3.connect(tmp_path / "c" / "cache.db")
    db.execute("UPDATE Cache SET mode = 4, value = ? WHERE key = 'response:k'", (pickle.dumps(Exploit()),))
    db.commit()
    db.close()
    with State(tmp_path / "c") as cache, pytest.raises(UnsafeCacheError, match=r"pickled entry.*delete that directory"):
        cache.lookup("k")
    assert not marker.exists()


def test_only_string_keys(tmp_path):
    with State(tmp_path) as cache, pytest.raises(TypeError, match="cache keys are strings"):
        cache._cache.set(("a", 1), 1)


def test_breaker_pauses_for_a_growing_interval_shared_by_every_instance(tmp_path):
    clock = Clock()
    with State(tmp_path, clock=clock) as one, State(tmp_path, clock=clock) as two:
        assert one.paused_for() == 0
        assert one.trip() == 30
        assert two.paused_for() == 30
        clock.now += 10
        assert two.paused_for() == 20
        assert two.trip() == 60
        assert one.trip() == 120
        clock.now += 120
        assert one.paused_for() == 0  # the pause ran out; the failure count stays until a success
        assert one.trip() == 240
        two.reset_breaker()
        assert one.paused_for() == 0
        assert one.trip() == 30
        for _ in range(12):
            pause = one.trip()
        assert pause == state.BREAKER_MAX_SECONDS


def test_spend_is_counted_per_day(tmp_path):
    clock = Clock()
    with State(tmp_path, clock=clock) as cache:
        assert cache.spent_today() == 0
        cache.spend(0.0015)
        assert cache.spend(0.0025) == pytest.approx(0.004)
        clock.now += 86400
        assert cache.spent_today() == 0
        clock.now -= 86400
        assert cache.spent_today() == pytest.approx(0.004)


def test_spend_from_several_processes_adds_up_exactly(tmp_path):
    code = textwrap.dedent(f"""
        from pathlib import Path
        from attune.llm.state import State
        with State(Path({str(tmp_path)!r})) as cache:
            for _ in range(50):
                cache.spend(0.000123)
    """)
    procs = [subprocess.Popen([sys.executable, "-c", code]) for _ in range(3)]
    assert [p.wait(timeout=60) for p in procs] == [0, 0, 0]
    with State(tmp_path) as cache:
        assert cache.spent_today() == pytest.approx(150 * 0.000123)


def test_network_file_systems_are_recognised(tmp_path):
    mounts = textwrap.dedent(f"""
        overlay / overlay rw 0 0
        server:/export {tmp_path} nfs4 rw 0 0
        tmpfs {tmp_path}/local tmpfs rw 0 0
    """)
    assert state.file_system_type(tmp_path / "cache", mounts) == "nfs4"
    assert state.file_system_type(tmp_path / "local" / "x", mounts) == "tmpfs"
    assert state.file_system_type(tmp_path.parent, mounts) == "overlay"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a directory away needs root")
def test_a_directory_of_another_user_is_refused(tmp_path):
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    os.chown(theirs, 12345, 12345)
    with pytest.raises(UserError, match=r"belongs to another user; set EMPATHY_CACHE_DIR to one of yours"):
        State(theirs)


def _truncated(db):
    db.write_bytes(db.read_bytes()[:1000])


def _random_bytes(db):
    db.write_bytes(os.urandom(8192))


def _empty_and_old(db):
    db.write_bytes(b"")
    os.utime(db, (time.time() - 60, time.time() - 60))


def _a_folder(db):
    db.unlink()
    db.mkdir()


def _cache_table_dropped_long_ago(db):
    with contextlib.closing(sqlite3.connect(db)) as connection:
        connection.execute("DROP TABLE Cache")
        connection.commit()
    os.utime(db, (time.time() - 60, time.time() - 60))


@pytest.mark.parametrize(
    "damage", [_truncated, _random_bytes, _empty_and_old, _a_folder, _cache_table_dropped_long_ago]
)
def test_a_damaged_cache_is_moved_aside_and_rebuilt_with_one_warning(tmp_path, capsys, damage):
    directory = tmp_path / "llm"
    with State(directory) as cache:
        cache.store("k", {"output": "old"}, ttl_seconds=60)
        cache.spend(0.25)
    damage(directory / "cache.db")

    with State(directory) as cache:  # used to raise sqlite3.DatabaseError on every call
        assert cache.lookup("k") is None  # rebuilt empty: the old responses are gone, not wrong
        cache.store("k", {"output": "new"}, ttl_seconds=60)
        assert cache.lookup("k") == {"output": "new"}
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"empathy: warning: the LLM cache {directory / 'cache.db'} was damaged (")
    assert any(p.name.startswith("cache.db.damaged-") for p in directory.iterdir())


def test_a_store_another_process_is_creating_right_now_is_not_damage(tmp_path, capsys):
    # diskcache makes its Settings table before its Cache table: a process opening the store in
    # between saw "Cache table missing", moved the new store aside, and broke the other's spend.
    directory = tmp_path / "llm"
    with State(directory) as cache:
        cache.spend(0.25)
    with contextlib.closing(sqlite3.connect(directory / "cache.db")) as connection:
        connection.execute("DROP TABLE Cache")  # as it is for a moment while being created
        connection.commit()
    with State(directory) as cache:
        cache.spend(0.25)
    assert capsys.readouterr().err == ""
    assert not any(p.name.startswith("cache.db.damaged-") for p in directory.iterdir())
