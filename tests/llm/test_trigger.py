from __future__ import annotations

import json
import os

import pytest

from attune.cli import main
from attune.llm import trigger
from tests.helpers import build_tree, commit_all


def wait(pids):
    """Reap the detached children (they are ours in a test) and return their exit codes."""
    return [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]


@pytest.fixture
def project(repo):
    build_tree(repo, {".empathy/config.yaml": "version: 1\n", "src/app.py": "x = 1\n"})
    commit_all(repo, "start")
    return repo


def configure(root, triggers):
    (root / ".empathy" / "config.yaml").write_text(f"version: 1\ntriggers:\n{triggers}")


def test_a_detached_wizard_runs_on_its_own_and_logs(project):
    assert trigger.on_event(project, "PreCompact", "s1") == []  # off by default
    configure(project, "  session-summary: [PreCompact]\n")
    record = project / ".empathy" / "sessions" / "s1.json"
    record.parent.mkdir(parents=True)
    record.write_text(
        json.dumps({"version": 1, "session_id": "s1", "last_assistant_message": "We decided to ship it."})
    )
    (pid,) = trigger.on_event(project, "PreCompact", "s1")
    assert wait([pid]) == [0]
    assert json.loads(record.read_text())["summary"]["decisions"] == ["We decided to ship it."]
    log = (project / ".empathy" / "logs" / "wizards.log").read_text()
    assert f" pid {pid}: empathy wizard run session-summary {record}" in log
    assert "no API key" in log and "summary written to .empathy/sessions/s1.json" in log


def test_events_follow_the_config_and_session_end_never_starts_anything(project, capsys):
    configure(project, "  session-summary: [Stop]\n")
    assert trigger.on_event(project, "PreCompact", "s1") == []
    (pid,) = trigger.on_event(project, "Stop", "missing-record")
    assert wait([pid]) == [1]  # no record at all: the log says so, the hook never knew
    assert "no session records" in (project / ".empathy" / "logs" / "wizards.log").read_text()
    assert trigger.on_event(project, "SessionEnd", "s1") == []
    assert main(["wizard", "trigger", "SessionEnd", "--root", str(project)]) == 1
    assert "unknown trigger event 'SessionEnd'; known: Stop, PreCompact, post-commit" in capsys.readouterr().err


def test_post_commit_starts_security_review_and_bug_pattern_for_a_fix(project):
    configure(project, "  session-summary: []\n  security-review: true\n  bug-pattern: true\n")
    commit_all(project, "config")
    build_tree(project, {"src/app.py": "import subprocess\nsubprocess.run(cmd, shell=True)\n"})
    commit_all(project, "fix: run the command")
    pids = trigger.on_commit(project)
    assert len(pids) == 2
    assert wait(pids) == [1, 0]  # security-review found something; bug-pattern staged a draft
    log = (project / ".empathy" / "logs" / "wizards.log").read_text()
    assert "src/app.py:2: high: a shell command line" in log
    assert (project / ".empathy" / "staging" / "run-the-command.md").is_file()


def test_post_commit_without_a_fix_or_without_triggers(project):
    build_tree(project, {"src/app.py": "x = 2\n"})
    commit_all(project, "tweak")
    assert trigger.on_commit(project) == []  # both are off by default
    configure(project, "  bug-pattern: true\n")
    assert trigger.on_commit(project) == []  # "tweak" does not say it fixes a bug


def test_the_stop_hook_starts_session_summary_when_asked_and_returns_at_once(project):
    import io
    import re

    from attune.hooks import runner

    configure(project, "  session-summary: [Stop]\n")
    payload = {"session_id": "abc", "cwd": str(project), "hook_event_name": "Stop",
               "last_assistant_message": "We decided to use SQLite. Next steps: need to write the migration."}  # fmt: skip
    out, err = io.StringIO(), io.StringIO()
    code = runner.run("Stop", io.StringIO(json.dumps(payload)), out, err, {"CLAUDE_PROJECT_DIR": str(project)})
    assert (code, out.getvalue(), err.getvalue()) == (0, "", "")  # nothing from the wizard reaches Claude Code
    log = (project / ".empathy" / "logs" / "wizards.log").read_text()
    (pid,) = [int(p) for p in re.findall(r" pid (\d+): empathy wizard run session-summary", log)]
    assert wait([pid]) == [0]
    summary = json.loads((project / ".empathy" / "sessions" / "abc.json").read_text())["summary"]
    assert summary["decisions"] == ["We decided to use SQLite."] and summary["offline"] is True


def test_a_broken_config_starts_nothing_and_does_not_fail_the_hook(project):
    (project / ".empathy" / "config.yaml").write_text("triggers:\n  session-summary: [Stopp]\n")
    assert trigger.on_event(project, "Stop", "abc") == []
