"""Run the real hook as Claude Code does: `python -m attune hook EVENT` in a new process, JSON on stdin."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import NamedTuple


class Run(NamedTuple):
    code: int
    out: str
    err: str

    @property
    def raw(self):
        return self.out

    @property
    def output(self):
        return json.loads(self.out) if self.out.strip() else None

    @property
    def decision(self):
        return ((self.output or {}).get("hookSpecificOutput") or {}).get("permissionDecision")

    @property
    def reason(self):
        return ((self.output or {}).get("hookSpecificOutput") or {}).get("permissionDecisionReason", "")


def payload_of(event, fields, project):
    return {"session_id": "session-1", "cwd": str(project), "hook_event_name": event, **fields}


def run_hook(event, fields=None, *, project, raw=None, env=None, timeout=60, command=None):
    """The hook's exit code, stdout and stderr; `raw` (str or bytes) replaces the JSON payload.

    The environment is the test's (HOME and XDG_CACHE_HOME point into tmp_path) plus
    CLAUDE_PROJECT_DIR, as Claude Code sets it.
    """
    data = raw if raw is not None else json.dumps(payload_of(event, fields or {}, project))
    stdin = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
    environ = {**os.environ, "CLAUDE_PROJECT_DIR": str(project), **(env or {})}
    result = subprocess.run(
        command or [sys.executable, "-m", "attune", "hook", event],
        input=stdin,
        capture_output=True,
        env=environ,
        timeout=timeout,
        check=False,
    )
    return Run(result.returncode, result.stdout.decode("ascii"), result.stderr.decode("utf-8", "replace"))
