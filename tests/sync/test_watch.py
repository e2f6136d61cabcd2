from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time

import pytest

from attune import config
from attune.sync import watch
from tests.helpers import build_tree, write_pattern

OUT = ".claude/rules/attune"


def wait_for(predicate, timeout=10.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    pytest.fail(f"timed out waiting for {what}")  # pragma: no cover


def read(path):
    try:
        return path.read_text()
    except FileNotFoundError:
        return None


class Watcher:
    """The real watch loop and watchdog observer on a thread, with its printed lines."""

    def __init__(self, root, capsys):
        self.root = root
        self.capsys = capsys
        self.stop = threading.Event()
        self.lines = []
        self.thread = threading.Thread(target=self._run)

    def _run(self):
        self.result = watch.run(self.root, config.load(self.root), verbose=False, quiet=False, stop=self.stop)

    def output(self):
        captured = self.capsys.readouterr()
        self.lines += (captured.out + captured.err).splitlines()
        return self.lines

    def renders(self):
        return [line for line in self.output() if " ms)" in line]

    def __enter__(self):
        self.thread.start()
        wait_for(lambda: any("watching" in line for line in self.output()), what="the watcher to start")
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=10)
        assert not self.thread.is_alive()
        assert self.result == 0


def test_initial_sync_then_edits_are_rendered(project, capsys):
    rule = project / OUT / "bug-patterns.md"
    with Watcher(project, capsys) as w:
        assert "Tz naive" in rule.read_text()
        write_pattern(project, "tz-naive", title="Edited title")
        wait_for(lambda: "Edited title" in (read(rule) or ""), what="the edit")
        # One line per render, naming the one file that was re-read.
        wait_for(
            lambda: any(
                "wrote bug-patterns.md after .empathy/patterns/debugging/tz-naive.md (" in line for line in w.renders()
            ),
            what="the render line",
        )


def test_editor_save_by_rename_is_seen(project, capsys):
    rule = project / OUT / "bug-patterns.md"
    target = project / ".empathy/patterns/debugging/tz-naive.md"
    with Watcher(project, capsys):
        temp = target.with_name(".tz-naive.md.swp")
        temp.write_text(target.read_text().replace("Tz naive", "Saved by rename"))
        temp.replace(target)
        wait_for(lambda: "Saved by rename" in (read(rule) or ""), what="the rename-save")


def test_folders_created_later_are_watched(project, capsys):
    with Watcher(project, capsys):
        write_pattern(project, "keys-from-env", "security", body="Read keys from the environment.")
        wait_for((project / OUT / "security-decisions.md").exists, what="the new category")
        nested = project / ".empathy/patterns/inspection"
        nested.mkdir()
        build_tree(
            nested,
            {
                "hooks.md": (project / ".empathy/patterns/security/keys-from-env.md")
                .read_text()
                .replace("keys-from-env", "hooks")
                .replace("security", "inspection")
            },
        )
        wait_for((project / OUT / "coding-patterns.md").exists, what="the pattern in a new folder")


def test_a_folder_moved_in_is_read_whole(project, tmp_path, capsys):
    outside = tmp_path / "incoming"
    write_pattern(outside, "moved-in", "security", body="Decision.")
    with Watcher(project, capsys):
        (outside / ".empathy/patterns/security").replace(project / ".empathy/patterns/security")
        wait_for(lambda: "Moved in" in (read(project / OUT / "security-decisions.md") or ""), what="the moved folder")


def test_deletes_and_moves_out_remove_rules(project, tmp_path, capsys):
    with Watcher(project, capsys):
        (project / ".empathy/patterns/debugging/null-user.md").unlink()
        wait_for(lambda: not (project / OUT / "bug-patterns--api.md").exists(), what="the delete")
        (project / ".empathy/patterns/debugging/tz-naive.md").replace(tmp_path / "tz-naive.md")
        wait_for(lambda: not (project / OUT / "bug-patterns.md").exists(), what="the move out")


def test_survives_malformed_files_and_keeps_their_rules(project, capsys):
    rule = project / OUT / "bug-patterns.md"
    target = project / ".empathy/patterns/debugging/tz-naive.md"
    with Watcher(project, capsys) as w:
        before = rule.read_text()
        target.write_text("---\nid: tz-naive\ntitle: [broken\n---\n")
        wait_for(lambda: any("tz-naive.md:3: invalid YAML" in line for line in w.output()), what="the error report")
        assert rule.read_text() == before
        write_pattern(project, "tz-naive", title="Fixed again")
        wait_for(lambda: "Fixed again" in (read(rule) or ""), what="the fix")


def test_a_burst_of_saves_is_one_render(project, capsys):
    with Watcher(project, capsys) as w:
        start = len(w.renders())
        for number in range(30):
            write_pattern(project, f"burst-{number:02}")
        wait_for(lambda: "Burst 29" in (read(project / OUT / "bug-patterns.md") or ""), what="the burst")
        time.sleep(0.5)
        renders = len(w.renders()) - start
        assert 1 <= renders <= 3, w.renders()  # 30 files are about 120 events


def test_own_writes_do_not_trigger_renders(project, capsys):
    with Watcher(project, capsys) as w:
        write_pattern(project, "tz-naive", title="Once")
        wait_for(lambda: len(w.renders()) >= 2, what="the render")
        assert "Once" in (project / OUT / "bug-patterns.md").read_text()
        time.sleep(0.6)
        assert len(w.renders()) == 2  # the initial sync and the edit, nothing after


def test_config_changes_re_render_everything(project, capsys):
    with Watcher(project, capsys):
        build_tree(project, {".empathy/config.yaml": "categories:\n  debugging:\n    output: bugs\n"})
        wait_for((project / OUT / "bugs.md").exists, what="the renamed output")
        wait_for(lambda: not (project / OUT / "bug-patterns.md").exists(), what="the old output to go")


def test_a_broken_config_keeps_the_previous_one(project, capsys):
    with Watcher(project, capsys) as w:
        build_tree(project, {".empathy/config.yaml": "colour: red\n"})
        wait_for(lambda: any("keeping the previous config" in line for line in w.output()), what="the config error")
        write_pattern(project, "tz-naive", title="Still watching")
        wait_for(lambda: "Still watching" in (read(project / OUT / "bug-patterns.md") or ""), what="the next edit")


def test_template_changes_re_render(project, capsys):
    with Watcher(project, capsys):
        build_tree(project, {".empathy/templates/rules.md.j2": "CUSTOM {{ category.title }}\n"})
        wait_for(
            lambda: (read(project / OUT / "bug-patterns.md") or "").endswith("CUSTOM Bug patterns\n"),
            what="the template",
        )


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_the_command_stops_cleanly_on_signals(project, sig):
    process = subprocess.Popen(
        [sys.executable, "-m", "attune", "sync", "--watch", "--root", str(project)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        line = ""
        while "watching" not in line:
            line = process.stdout.readline()
            assert line, process.stderr.read()
        process.send_signal(sig)
        out, err = process.communicate(timeout=10)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "stopped watching" in out
    assert "Traceback" not in err


def test_the_other_targets_are_kept_current_too(project, capsys):
    build_tree(project, {".empathy/config.yaml": "targets: [claude, cursor, gemini]\n"})
    mdc = project / ".cursor/rules/bug-patterns.mdc"
    with Watcher(project, capsys) as w:
        wait_for(lambda: "Tz naive" in (read(mdc) or ""), what="the first sync of cursor")
        assert "Tz naive" in (project / "GEMINI.md").read_text()
        write_pattern(project, "tz-naive", title="Edited title")
        wait_for(lambda: "Edited title" in (read(mdc) or ""), what="the edit in cursor")
        wait_for(lambda: "Edited title" in (read(project / "GEMINI.md") or ""), what="the edit in gemini")
        wait_for(lambda: any("wrote .cursor/rules/bug-patterns.mdc" in line for line in w.renders()), what="the line")
