"""Local state is read only when it is a regular file within its limit: never through a link, a pipe or a giant."""

from __future__ import annotations

import os

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
