from __future__ import annotations

import os

from attune import appendlog


def test_lines_are_appended_to_a_new_private_file(tmp_path):
    target = tmp_path / "logs" / "a.jsonl"
    appendlog.append_line(target, '{"n": 1}')
    appendlog.append_line(target, '{"n": 2}\n')
    assert target.read_text() == '{"n": 1}\n{"n": 2}\n'
    assert target.stat().st_mode & 0o777 == 0o600


def test_a_link_a_folder_or_a_fifo_in_the_way_is_moved_aside_never_written_through(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("outside\n")
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "link.jsonl").symlink_to(victim)
    (logs / "dangling.jsonl").symlink_to(tmp_path / "nowhere")
    (logs / "folder.jsonl").mkdir()
    (logs / "folder.jsonl" / "inside").write_text("kept\n")
    os.mkfifo(logs / "fifo.jsonl")
    for name in ("link", "dangling", "folder", "fifo"):
        appendlog.append_line(logs / f"{name}.jsonl", "line")
        assert (logs / f"{name}.jsonl").read_text() == "line\n"
        (aside,) = logs.glob(f"{name}.jsonl.damaged-*")
        assert aside.is_symlink() or aside.exists()
    assert victim.read_text() == "outside\n" and not (tmp_path / "nowhere").exists()
    assert (next(logs.glob("folder.jsonl.damaged-*")) / "inside").read_text() == "kept\n"


def test_a_file_where_a_folder_should_be_is_moved_aside(tmp_path):
    (tmp_path / "logs").write_text("not a folder\n")
    appendlog.append_line(tmp_path / "logs" / "deep" / "a.jsonl", "line")
    assert (tmp_path / "logs/deep/a.jsonl").read_text() == "line\n"
    (aside,) = tmp_path.glob("logs.damaged-*")
    assert aside.read_text() == "not a folder\n"


def test_a_link_to_a_folder_is_the_users_choice_and_kept(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "logs").symlink_to(elsewhere)
    appendlog.append_line(tmp_path / "logs" / "a.jsonl", "line")
    assert (elsewhere / "a.jsonl").read_text() == "line\n"
