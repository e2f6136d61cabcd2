"""The shared suite: both backends, one interface, the same answers (issue 14)."""

from __future__ import annotations

import os
import time

import pytest


def test_put_get_delete(store):
    assert store.get("memory", "a") is None
    store.put("memory", "a", {"x": 1}, None)
    item = store.get("memory", "a")
    assert (item.key, item.value, item.expires_in) == ("a", {"x": 1}, None)
    assert store.delete("memory", "a") is True
    assert store.delete("memory", "a") is False
    assert store.get("memory", "a") is None


def test_kinds_are_separate_namespaces(store):
    store.put("memory", "k", {"v": "memory"}, None)
    store.put("leases", "k", {"v": "lease"}, None)
    assert store.get("memory", "k").value == {"v": "memory"}
    assert store.get("leases", "k").value == {"v": "lease"}


def test_a_ttl_expires_the_entry(store):
    store.put("memory", "short", {"v": 1}, 0.2)
    left = store.get("memory", "short").expires_in
    assert 0 < left <= 0.2
    deadline = time.monotonic() + 5
    while store.get("memory", "short") is not None:
        assert time.monotonic() < deadline, "never expired"
        time.sleep(0.05)
    assert store.items("memory") == []


def test_items_by_prefix_in_key_order_with_awkward_keys(store):
    for key in ["b:2", "a:1", "a:*[?]\\", "a:2", "é:π"]:
        store.put("memory", key, {"k": key}, 60)
    assert [i.key for i in store.items("memory", "a:")] == ["a:*[?]\\", "a:1", "a:2"]
    assert [i.key for i in store.items("memory")] == ["a:*[?]\\", "a:1", "a:2", "b:2", "é:π"]
    assert store.items("memory", "a:*") == [
        store.get("memory", "a:*[?]\\")._replace(expires_in=pytest.approx(60, abs=2))
    ]


def test_claim_is_exclusive_until_released_or_expired(store):
    assert store.claim("leases", "f.py", "s1", {"owner": "s1", "n": 1}, 60) is None
    assert store.claim("leases", "f.py", "s1", {"owner": "s1", "n": 2}, 60) is None  # renewed
    held = store.claim("leases", "f.py", "s2", {"owner": "s2"}, 60)
    assert held.value == {"owner": "s1", "n": 2} and 0 < held.expires_in <= 60
    assert store.delete("leases", "f.py")
    assert store.claim("leases", "f.py", "s2", {"owner": "s2"}, 0.2) is None
    time.sleep(0.3)
    assert store.claim("leases", "f.py", "s1", {"owner": "s1"}, 60) is None


def test_push_peek_drain_once(store):
    assert store.drain("signals", "s1") == []
    store.push("signals", "s1", {"m": "one"}, 60)
    store.push("signals", "s1", {"m": "two"}, 60)
    store.push("signals", "s2", {"m": "other"}, 60)
    assert store.lists("signals") == ["s1", "s2"]
    assert store.peek("signals", "s1") == [{"m": "one"}, {"m": "two"}]
    assert store.drain("signals", "s1") == [{"m": "one"}, {"m": "two"}]
    assert store.drain("signals", "s1") == []
    assert store.lists("signals") == ["s2"]


def test_a_list_expires_its_time_to_live_after_the_last_push(store):
    """Signals wait a day on both backends, not forever on files (issue 14); the last push sets the list's time."""
    store.push("signals", "s1", {"m": "one"}, 0.2)
    store.push("signals", "s2", {"m": "kept"}, 0.2)
    store.push("signals", "s2", {"m": "renewed"}, 60)
    assert store.peek("signals", "s1") == [{"m": "one"}]
    deadline = time.monotonic() + 5
    while store.peek("signals", "s1"):
        assert time.monotonic() < deadline, "never expired"
        time.sleep(0.05)
    assert store.lists("signals") == ["s2"]
    assert store.drain("signals", "s1") == []
    assert store.drain("signals", "s2") == [{"m": "kept"}, {"m": "renewed"}]


def test_a_push_onto_an_expired_list_starts_it_afresh(store):
    store.push("signals", "s1", {"m": "old"}, 0.1)
    time.sleep(0.2)  # expired, and not read since: the push itself must drop what expired
    store.push("signals", "s1", {"m": "new"}, 60)
    assert store.peek("signals", "s1") == [{"m": "new"}]
    assert store.clear("signals") == 1


def test_expired_lists_leave_the_file_store_when_read(tmp_path):
    from attune.team.files import FileStore

    store = FileStore(str(tmp_path))
    store.push("signals", "gone", {"m": "old"}, 0.1)
    store.push("signals", "kept", {"m": "no expiry"}, None)
    (tmp_path / "signals" / "legacy.jsonl").write_text('{"key": "legacy", "value": {"m": "before expiry"}}\n')
    time.sleep(0.2)
    assert store.lists("signals") == ["kept", "legacy"]  # a line written before lists expired never does
    assert len(list((tmp_path / "signals").glob("*.jsonl"))) == 2


def test_clear_counts_what_it_removed(store):
    store.put("memory", "a", {}, None)
    store.put("memory", "b", {}, 60)
    store.put("leases", "c", {}, None)
    assert store.clear("memory") == 2
    assert store.items("memory") == []
    assert [i.key for i in store.items("leases")] == ["c"]


def test_values_keep_unicode_and_nesting(store):
    value = {"text": "naïve — ✓", "list": [1, 2.5, None, True], "nested": {"a": {"b": []}}}
    store.put("memory", "u", value, None)
    assert store.get("memory", "u").value == value


def test_the_file_store_reads_no_pipe_and_no_link(tmp_path, capsys):
    """Entries and lists are read through attune.safefile (issue 15): opening a pipe to read would hold a hook
    until its deadline; a link would read a file from elsewhere."""
    from attune.team.files import FileStore

    store = FileStore(str(tmp_path / "state"))
    store.put("leases", "a.py", {"owner": "s1"}, None)
    store.push("signals", "s1", {"m": "one"}, None)
    (entry,) = (tmp_path / "state/leases").glob("*.json")
    (listed,) = (tmp_path / "state/signals").glob("*.jsonl")
    for path in (entry, listed):
        path.unlink()
        os.mkfifo(path)
    assert store.get("leases", "a.py") is None
    assert store.peek("signals", "s1") == []
    assert "the live-state entry" in capsys.readouterr().err  # the entry was moved aside, with a warning
    (tmp_path / "elsewhere.jsonl").write_text('{"key": "s1", "value": {"m": "forged"}}\n')
    listed.unlink()
    listed.symlink_to(tmp_path / "elsewhere.jsonl")
    assert store.peek("signals", "s1") == []
