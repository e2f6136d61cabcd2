"""The `empathy` console script ends a hook without the interpreter's teardown (issue 4): the answer
and the exit code must come out exactly as from the runner."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

EMPATHY = str(Path(sys.executable).parent / "empathy")


def _hook(project: Path, stdin: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLAUDE_PROJECT_DIR": str(project)}
    return subprocess.run([EMPATHY, "hook", "PreToolUse"], input=stdin, capture_output=True, text=True, env=env,
                          check=False)  # fmt: skip


def test_a_denied_write_is_answered_in_full(tmp_path):
    (tmp_path / ".empathy").mkdir()
    secret = "ghp_" + "A1b2" * 9
    payload = {"session_id": "s", "cwd": str(tmp_path), "hook_event_name": "PreToolUse", "tool_name": "Write",
               "tool_input": {"file_path": str(tmp_path / "a.py"), "content": f'TOKEN = "{secret}"\n'}}  # fmt: skip
    done = _hook(tmp_path, json.dumps(payload))
    assert done.returncode == 0
    assert json.loads(done.stdout)["hookSpecificOutput"]["permissionDecision"] == "deny"
    assert secret not in done.stdout + done.stderr


def test_an_unreadable_payload_still_exits_2_with_its_line(tmp_path):
    (tmp_path / ".empathy").mkdir()
    done = _hook(tmp_path, "{not json")
    assert done.returncode == 2
    assert done.stderr.startswith("attune-companion") and done.stderr.count("\n") == 1
