"""Pattern files are read only when they are regular files inside the library (issue 11 part 2)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from attune import cli
from attune.patterns import reader
from tests.helpers import pattern, write_pattern

SECRET = "OUTSIDE-" + "SECRET-TITLE"  # what must never reach a rule file
LINKED = ".empathy/patterns/debugging/linked.md"


@pytest.fixture
def outside(tmp_path):
    """A valid pattern file outside the repository, with a title that must never be rendered."""
    target = tmp_path / "elsewhere" / "notes.md"
    target.parent.mkdir()
    target.write_text(pattern("outsider", title=SECRET), encoding="utf-8")
    return target


def _rules(repo):
    folder = repo / ".claude/rules/attune"
    return "".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md"))) if folder.is_dir() else ""


def _sync_twice(repo, capsys, *command):
    """The same command with no parse cache, then with the cache the first run wrote."""
    outputs = []
    for _ in range(2):
        code = cli.main([*command, "--root", str(repo)])
        out, err = capsys.readouterr()
        outputs.append((code, out + err))
    return outputs


def _link(repo, target, rel=LINKED):
    link = repo / rel
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, link)
    return link


def test_a_symlink_to_a_file_outside_is_refused_and_never_rendered(repo, outside, capsys):
    write_pattern(repo, "kept")
    _link(repo, outside)
    for code, output in _sync_twice(repo, capsys, "sync"):
        assert code == 0
        assert f"{LINKED}:1: is a symbolic link" in output
        assert "Traceback" not in output
    assert SECRET not in _rules(repo)
    assert "Kept" in _rules(repo)


def test_a_symlink_inside_the_library_is_refused_too(repo, capsys):
    target = write_pattern(repo, "real")
    _link(repo, target.name)
    for code, output in _sync_twice(repo, capsys, "patterns", "validate"):
        assert code == 1
        assert [line for line in output.splitlines() if "linked.md" in line] == [
            f"{LINKED}:1: is a symbolic link; the library reads only regular files and folders: "
            "replace the link with a copy of what it points to"
        ]


def test_a_symlink_loop_is_one_line_not_a_traceback(repo, capsys):
    write_pattern(repo, "kept")
    _link(repo, "linked.md")  # points at itself
    for command in (("sync",), ("patterns", "validate"), ("sync", "--check")):
        for _, output in _sync_twice(repo, capsys, *command):
            assert "Traceback" not in output
            assert f"{LINKED}:1: is a symbolic link" in output


def test_a_symlinked_folder_pointing_outside_is_refused(repo, outside, capsys):
    write_pattern(repo, "kept")
    _link(repo, outside.parent, ".empathy/patterns/debugging/more")
    for code, output in _sync_twice(repo, capsys, "patterns", "validate"):
        assert code == 1
        assert ".empathy/patterns/debugging/more:1: is a symbolic link" in output
    cli.main(["sync", "--root", str(repo), "-q"])
    assert SECRET not in _rules(repo)


def test_a_symlinked_patterns_folder_pointing_outside_is_refused(repo, outside, capsys):
    (repo / ".empathy").mkdir()
    category = outside.parent / "debugging"
    category.mkdir()
    outside.rename(category / "notes.md")
    _link(repo, outside.parent, ".empathy/patterns")
    for _, output in _sync_twice(repo, capsys, "sync"):
        assert ".empathy/patterns:1: is a symbolic link to" in output
        assert "Traceback" not in output
    assert SECRET not in _rules(repo)


def test_a_pattern_file_above_the_size_limit_is_not_read(repo, capsys):
    write_pattern(repo, "huge", body="x" * (reader.MAX_BYTES + 1))
    for code, output in _sync_twice(repo, capsys, "patterns", "validate"):
        assert code == 1
        assert ".empathy/patterns/debugging/huge.md:1: is larger than 1 MB" in output


def _run(repo, *command, timeout=20):
    """The real CLI in a child process: a hang fails the test instead of hanging the suite."""
    return subprocess.run(
        [sys.executable, "-m", "attune", *command, "--root", str(repo)],
        check=False, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
    )  # fmt: skip


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_symlink_to_a_device_does_not_hang_the_sync(repo):
    write_pattern(repo, "kept")
    _link(repo, "/dev/zero")
    for command in (("sync",), ("sync",), ("patterns", "validate"), ("sync", "--check")):
        done = _run(repo, *command)
        assert f"{LINKED}:1: is a symbolic link" in done.stderr + done.stdout
        assert "Traceback" not in done.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_does_not_hang_the_sync(repo):
    write_pattern(repo, "kept")
    os.mkfifo(repo / ".empathy/patterns/debugging/pipe.md")
    for command in (("sync",), ("sync",), ("patterns", "validate")):
        done = _run(repo, *command)
        assert ".empathy/patterns/debugging/pipe.md:1: is not a regular file" in done.stderr + done.stdout
        assert "Traceback" not in done.stderr
