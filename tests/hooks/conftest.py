from __future__ import annotations

import io
import json
import sys

import pytest

from attune import cli


class HookRun:
    def __init__(self, code, out, err):
        self.code = code
        self.raw = out
        self.output = json.loads(out) if out.strip() else None
        self.err = err

    @property
    def decision(self):
        return ((self.output or {}).get("hookSpecificOutput") or {}).get("permissionDecision")

    @property
    def reason(self):
        return ((self.output or {}).get("hookSpecificOutput") or {}).get("permissionDecisionReason", "")


@pytest.fixture
def hook(monkeypatch, capsys):
    """Run `empathy hook EVENT` in-process with a payload on stdin, as Claude Code would."""

    def run(event, payload, *, project=None, raw=None):
        if project is not None:
            monkeypatch.setenv("CLAUDE_PROJECT_DIR", str(project))
            payload = {"session_id": "session-1", "cwd": str(project), "hook_event_name": event, **payload}
        monkeypatch.setattr(sys, "stdin", io.StringIO(raw if raw is not None else json.dumps(payload)))
        code = cli.main(["hook", event])
        captured = capsys.readouterr()
        return HookRun(code, captured.out, captured.err)

    return run


@pytest.fixture
def project(repo):
    """A repository with a pattern library, where session records are kept."""
    (repo / ".empathy").mkdir()
    return repo
