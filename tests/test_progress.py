"""The progress line: on a terminal only, throttled, erased at the end, never with --quiet (issue 15)."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys

import pytest

from attune import progress
from tests.helpers import build_tree, commit_all


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_the_count_and_then_a_clean_line():
    stream, now = Terminal(), [0.0]
    shown = progress.Progress("scanning", 3, unit="files", stream=stream, clock=lambda: now[0])
    for _ in shown.over(range(3)):
        now[0] += 1.0
    text = stream.getvalue()
    assert "\rscanning: 0/3 files" in text and "\rscanning: 3/3 files" in text
    assert text.endswith("\r" + " " * len("scanning: 3/3 files") + "\r")


def test_redraws_are_throttled_but_the_last_count_is_always_drawn():
    stream = Terminal()
    shown = progress.Progress("reviewing", 1000, stream=stream, clock=lambda: 5.0)  # time stands still
    for _ in range(1000):
        shown.advance()
    assert stream.getvalue().count("\r") == 2  # the first draw and the final 1000/1000


@pytest.mark.parametrize("stream", [io.StringIO(), Terminal()], ids=["pipe", "quiet terminal"])
def test_nothing_is_drawn_when_piped_or_quiet(stream):
    shown = progress.Progress("scanning", 2, quiet=isinstance(stream, Terminal), stream=stream)
    list(shown.over(range(2)))
    assert stream.getvalue() == ""


def test_a_stream_that_breaks_turns_progress_off_instead_of_failing():
    class Broken(Terminal):
        def write(self, text: str) -> int:
            raise OSError("gone")

    shown = progress.Progress("scanning", 2, stream=Broken())
    assert list(shown.over(range(2))) == [0, 1] and not shown.enabled


def on_a_terminal(argv, cwd):
    """Run `python -m attune ARGV` with a real pseudo-terminal as standard error; return (code, stderr, stdout)."""
    primary, secondary = pty.openpty()
    try:
        done = subprocess.run([sys.executable, "-m", "attune", *argv], cwd=cwd, stderr=secondary,
                              stdout=subprocess.PIPE, text=True, timeout=120, check=False)  # fmt: skip
        os.close(secondary)
        secondary = -1
        chunks = []
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # EIO: the terminal's other end is closed and drained
                break
            if not chunk:
                break
            chunks.append(chunk)
        return done.returncode, b"".join(chunks).decode(), done.stdout
    finally:
        os.close(primary)
        if secondary != -1:
            os.close(secondary)


def test_scan_draws_progress_on_a_real_terminal_and_not_with_quiet(repo):
    build_tree(repo, {f"src/m{i}.py": "x = 1\n" for i in range(5)})
    code, err, out = on_a_terminal(["scan", "src"], repo)
    assert code == 0 and out == ""
    assert err.startswith("\rscanning: 0 files")  # later counts are throttled to ten a second
    assert err.endswith("\r") and set(err.rsplit("files", 1)[1]) <= {
        "\r",
        " ",
    }  # erased at the end  # erased: the shell prompt comes back on a clean line
    code, err, _ = on_a_terminal(["scan", "--quiet", "src"], repo)
    assert code == 0 and err == ""


def test_extract_and_review_draw_progress_on_a_terminal_only(repo):
    build_tree(repo, {".empathy/config.yaml": "version: 1\n", "src/a.py": "x = 1\n"})
    commit_all(repo, "start")
    build_tree(repo, {"src/a.py": "x = 2\n"})
    commit_all(repo, "fix: ValueError on start")
    code, err, out = on_a_terminal(["patterns", "extract", "--since", "HEAD~1", "--offline"], repo)
    assert code == 0 and "extracting: 0/1 commits" in err and "staged" in out
    code, err, out = on_a_terminal(["patterns", "review", "--base", "HEAD~1"], repo)
    assert code == 0 and "reviewing: 0/3 steps reading the library at HEAD~1" in err
    assert "reviewing" not in out
    piped = subprocess.run([sys.executable, "-m", "attune", "patterns", "review", "--base", "HEAD~1"], cwd=repo,
                           capture_output=True, text=True, check=True)  # fmt: skip
    assert piped.stderr == ""
