from __future__ import annotations

import os
import stat

import pytest

from attune import atomic


def test_replaces_the_file_and_keeps_its_mode(tmp_path):
    target = tmp_path / "rules.md"
    target.write_text("old")
    target.chmod(0o640)
    atomic.write_atomic(target, "new", durable=False)
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["rules.md"]


def test_a_new_file_gets_the_umask_or_the_given_mode(tmp_path):
    old = os.umask(0o022)
    try:
        atomic.write_atomic(tmp_path / "plain", b"x")
        atomic.write_atomic(tmp_path / "private", b"x", mode=0o600)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "plain").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "private").stat().st_mode) == 0o600


def test_missing_folders_are_created(tmp_path):
    target = tmp_path / "a" / "b" / "c.md"
    atomic.write_atomic(target, "text")
    assert target.read_text() == "text"


def test_large_payloads_are_written_whole(tmp_path):
    payload = os.urandom(3 << 20)
    atomic.write_atomic(tmp_path / "blob", payload, durable=False)
    assert (tmp_path / "blob").read_bytes() == payload


def test_a_failed_replace_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "taken"
    target.mkdir()
    (target / "inside").write_text("keep")
    with pytest.raises(OSError):
        atomic.write_atomic(target, "text")
    assert sorted(os.listdir(tmp_path)) == ["taken"]
    assert (target / "inside").read_text() == "keep"
