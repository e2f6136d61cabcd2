from __future__ import annotations

import io
import json
import sys

import pytest

from attune import cli
from tests.hooks.real import Run


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
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def project(repo):
    """A repository with a pattern library, where session records are kept."""
    (repo / ".empathy").mkdir()
    return repo
