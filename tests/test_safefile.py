"""Local state is read only when it is a regular file within its limit: never through a link, a pipe or a giant."""

from __future__ import annotations

import os
import stat

import pytest

from attune import safefile


def test_a_regular_file_is_read(tmp_path):
    (tmp_path / "a.json").write_text('{"x": 1}\n')
    assert safefile.text(str(tmp_path / "a.json"), 100) == '{"x": 1}\n'


def test_a_link_a_pipe_a_folder_a_missing_file_and_a_giant_read_as_nothing(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("private\n")
    (tmp_path / "link.json").symlink_to(outside)
    os.mkfifo(tmp_path / "pipe.json")  # opening it for reading would block a hook until its deadline
    (tmp_path / "folder.json").mkdir()
    (tmp_path / "big.json").write_text("x" * 101)
    for name in ("link.json", "pipe.json", "folder.json", "missing.json", "big.json"):
        assert safefile.read(str(tmp_path / name), 100) is None, name
    assert safefile.read(str(outside), 100) == b"private\n"


def test_each_refusal_names_its_reason(tmp_path):
    """Callers with their own words (the pattern reader's `path:1:` lines) pick them by reason (issue 15)."""
    (tmp_path / "link.md").symlink_to(tmp_path / "nowhere")
    os.mkfifo(tmp_path / "pipe.md")
    (tmp_path / "big.md").write_text("x" * 101)
    (tmp_path / "file.md").write_text("a file, not a folder\n")
    cases = {
        "link.md": "link",
        "pipe.md": "not-regular",
        "missing.md": "missing",
        "file.md/below.md": "missing",
        "big.md": "too-large",
    }
    for name, reason in cases.items():
        with pytest.raises(safefile.Refused) as caught:
            safefile.load(str(tmp_path / name), 100)
        assert caught.value.reason == reason, name
    with pytest.raises(safefile.Refused) as caught:
        safefile.load(str(tmp_path / "big.md"), 100)
    assert caught.value.size == 101
    with pytest.raises(safefile.Refused) as caught:
        safefile.load(str(tmp_path / "pipe.md"), 100)
    assert stat.S_ISFIFO(caught.value.mode)  # what was opened: for a message naming it
    with pytest.raises(safefile.Refused) as caught:
        safefile.load(str(tmp_path / "missing.md"), 100)
    assert caught.value.detail == "No such file or directory"
    with pytest.raises(safefile.Refused) as caught:
        safefile.load(str(tmp_path / "nul\0.md"), 100)  # a name no file can have
    assert caught.value.reason == "unreadable"


def test_load_gives_the_status_taken_before_reading(tmp_path):
    (tmp_path / "a.md").write_bytes(b"\xff bytes as they are\n")
    info, data = safefile.load(str(tmp_path / "a.md"), 100)
    assert data == b"\xff bytes as they are\n"
    assert info.st_size == len(data) and info.st_ino == (tmp_path / "a.md").stat().st_ino


def test_a_file_exactly_at_the_limit_is_read_and_one_byte_more_is_not(tmp_path):
    (tmp_path / "a").write_bytes(b"x" * 100)
    assert safefile.read(str(tmp_path / "a"), 100) == b"x" * 100
    assert safefile.read(str(tmp_path / "a"), 99) is None


def test_tail_reads_what_was_appended_since_an_offset(tmp_path):
    log = tmp_path / "events.jsonl"
    log.write_bytes(b"one\ntwo\n")
    assert safefile.tail(str(log), 4, 100) == (4, b"two\n")
    assert safefile.tail(str(log), 8, 100) == (8, b"")
    # An offset past the end (the file was replaced or cut) starts again from the top.
    assert safefile.tail(str(log), 50, 100) == (0, b"one\ntwo\n")
    # At most `limit` bytes at a time: the rest waits for the next call.
    assert safefile.tail(str(log), 0, 5) == (0, b"one\nt")


def test_tail_refuses_a_link_and_a_pipe(tmp_path):
    (tmp_path / "outside").write_text("private\n")
    (tmp_path / "link").symlink_to(tmp_path / "outside")
    os.mkfifo(tmp_path / "pipe")
    for name, reason in (("link", "link"), ("pipe", "not-regular")):
        with pytest.raises(safefile.Refused) as caught:
            safefile.tail(str(tmp_path / name), 0, 100)
        assert caught.value.reason == reason
