"""Run each installed hook command the way Claude Code does, with a harmless payload, for `empathy doctor` (issue 10).

Commands run through `/bin/sh -c`, all at once, each under its own timeout, in a scratch project
that shares the real one's `.venv` and `venv` (so the command finds what it would find) but has
no `.empathy/`: no session record, ledger entry or wizard comes of it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

BARE_PATH = "/usr/bin:/bin"  # what a Claude Code started from a desktop launcher or an IDE may have


class Hook(NamedTuple):
    scope: str
    event: str
    command: str
    timeout: float  # seconds: past it, Claude Code lets the call through


class Outcome(NamedTuple):
    hook: Hook
    ok: bool
    problem: str  # one line, empty when ok


def payload(event: str, project: str) -> dict[str, object]:
    """A payload that asks nothing of the handler: a Read of README.md, a greeting, a normal end."""
    base: dict[str, object] = {"session_id": "", "transcript_path": "", "cwd": project, "hook_event_name": event}
    read = {"tool_name": "Read", "tool_input": {"file_path": os.path.join(project, "README.md")}, "tool_use_id": "t"}
    extra: Mapping[str, Mapping[str, object]] = {
        "SessionStart": {"source": "startup"},
        "UserPromptSubmit": {"prompt": "hello", "permission_mode": "default"},
        "PreToolUse": read,
        "PostToolUse": {**read, "tool_response": {"type": "text", "file": {"content": ""}}},
        "PostToolUseFailure": {**read, "error": "File does not exist."},
        "Stop": {"stop_hook_active": False, "last_assistant_message": ""},
        "SubagentStop": {"stop_hook_active": False, "last_assistant_message": ""},
        "PreCompact": {"trigger": "manual"},
        "PostCompact": {"trigger": "manual", "compact_summary": ""},
        "SessionEnd": {"reason": "other"},
        "InstructionsLoaded": {"file_path": os.path.join(project, "CLAUDE.md"), "load_reason": "session_start"},
    }
    return {**base, **extra.get(event, {})}


def run(hooks: Iterable[Hook], root: Path, path: str | None = None) -> list[Outcome]:
    """Start every hook, then collect each answer; `path` replaces PATH (None: this process's)."""
    with tempfile.TemporaryDirectory(prefix="attune-doctor-") as scratch:
        for venv in (".venv", "venv"):
            if (root / venv).is_dir():
                os.symlink(root / venv, os.path.join(scratch, venv))
        env = {**os.environ, "CLAUDE_PROJECT_DIR": scratch, "CLAUDECODE": "1"}
        if path is not None:
            env["PATH"] = path
        started = []
        for hook in hooks:
            process = subprocess.Popen(
                ["/bin/sh", "-c", hook.command], cwd=scratch, env=env, text=True, start_new_session=True,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            )  # fmt: skip
            started.append((hook, process))
        return [_answer(hook, process, payload(hook.event, scratch)) for hook, process in started]


def _answer(hook: Hook, process: subprocess.Popen[str], data: Mapping[str, object]) -> Outcome:
    try:
        out, err = process.communicate(json.dumps(data), timeout=hook.timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # sh and the empathy it started
        process.communicate()
        return Outcome(
            hook, False, f"no answer within its {hook.timeout:g} s timeout, so Claude Code lets the call through"
        )
    first = next((line for line in err.splitlines() if line.strip()), "")
    if "attune-companion: cannot find" in out + err:
        return Outcome(hook, False, first or _message(out))
    if process.returncode != 0:
        return Outcome(hook, False, f"exits {process.returncode}" + (f": {first}" if first else " without a word"))
    if out.strip() and not _json_object(out):
        return Outcome(hook, False, f"answers something that is not a JSON object: {out.strip()[:80]!r}")
    return Outcome(hook, True, "")


def _json_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


def _message(out: str) -> str:
    try:
        return str(json.loads(out).get("systemMessage", out.strip()))
    except (ValueError, AttributeError):
        return out.strip()
