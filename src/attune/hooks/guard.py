"""Which calls the hooks guard, and the answer when the guard cannot decide one (issue 10).

Claude Code runs a call whose hook crashes or times out, so a guard that cannot reach a verdict
denies the call instead (exit 2, with one line naming what failed and the way out), unless the
project set `hooks.on_error: allow`. Only the checks that can block are guarded: writes, edits,
commands, reads of files that hold secrets, and prompts. Everything else fails open (exit 1).
"""

from __future__ import annotations

from typing import NamedTuple

from attune.hooks.payload import WRITES
from attune.hooks.policy import MAX_DEADLINE, Policy

_FIX = "or set `hooks.on_error: allow` in .empathy/config.yaml to let unchecked calls through"


class Fallback(NamedTuple):
    exit_code: int
    line: str  # one line for stderr, without its newline


def guarded(event: str, data: object, policy: Policy) -> str:
    """What the call is ("this Write of app.py") when a guard would decide it; "" when none would.

    `data` is the payload JSON, or None when it could not be read: a PreToolUse whose tool is
    unknown, or a Read whose path cannot be judged, counts as guarded.
    """
    if event == "UserPromptSubmit":
        return "this prompt" if "block" in (policy.secrets, policy.prompt_pii) else ""
    if event != "PreToolUse":
        return ""
    fields = data if isinstance(data, dict) else {}
    tool = fields.get("tool_name")
    if not isinstance(tool, str) or not tool:
        return "this tool call"
    tool_input = fields.get("tool_input")
    path = tool_input.get("file_path") if isinstance(tool_input, dict) else None
    if tool in WRITES:
        return f"this {tool}" if "block" in (policy.secrets, policy.pii) else ""
    if tool == "Bash":
        return "this Bash command" if "block" in (policy.secrets, policy.sensitive_files) else ""
    if tool != "Read" or policy.sensitive_files != "block":
        return ""
    if not isinstance(path, str) or not path:
        return "this Read"
    try:
        from attune.hooks import sensitive

        return f"this Read of {path}" if sensitive.matches(path, policy) is not None else ""
    except Exception:  # noqa: BLE001 - a path that cannot be judged is read as sensitive (issue 10)
        return "this Read"


def failed(event: str, what: str, policy: Policy, problem: str) -> Fallback:
    """The answer when the hook failed: `problem` says how ("failed with ValueError; details in ...")."""
    return _fallback(
        event, what, policy,
        denied=f"its check {problem}. Try again; if it keeps failing run `empathy doctor`, {_FIX}.",
        error=f"hook error: the hook {problem}",
    )  # fmt: skip


def late(event: str, what: str, policy: Policy, seconds: float) -> Fallback:
    """The answer when the deadline passed before a verdict."""
    return _fallback(
        event, what, policy,
        denied=f"its check did not finish within {seconds:g} s. Try a smaller change, raise "
        f"`hooks.deadline_seconds` (at most {MAX_DEADLINE:g}), {_FIX}.",
        error=f"hook stopped after {seconds:g} s without an answer",
    )  # fmt: skip


def unreadable(event: str, what: str, policy: Policy, problem: str) -> Fallback:
    """The answer when the payload on stdin could not be read."""
    return _fallback(
        event, what, policy,
        denied=f"the hook payload could not be read ({problem}). Check that Claude Code and "
        f"attune-companion are up to date (`empathy doctor`), {_FIX}.",
        error=f"hook error: the payload could not be read ({problem})",
    )  # fmt: skip


def _fallback(event: str, what: str, policy: Policy, *, denied: str, error: str) -> Fallback:
    """Deny a guarded call (exit 2) unless `on_error: allow`; anything else gets a non-blocking error."""
    if what and policy.on_error != "allow":
        return Fallback(2, f"attune-companion: denied {what} because {denied}")
    return Fallback(1, f"attune-companion: {event} {error}")
