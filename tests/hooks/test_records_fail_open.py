"""A disk that cannot be written loses the record, not the check (issue 10).

Tests run as root, where chmod does not stop a write, and a file or folder in the way is moved
aside since issue 11, so the failures here are ones that stop root too: `.empathy/` (or only its
sessions/) is a link to /proc, where no one can create a file.
"""

from __future__ import annotations

import io
import json
import os
import shutil

import pytest

from attune.hooks import runner
from tests.helpers import fake_secret
from tests.hooks.real import run_hook

KEY = fake_secret("github")


def secret_write(project):
    return {"tool_name": "Write", "tool_input": {"file_path": str(project / "a.py"), "content": f'K = "{KEY}"\n'}}


def read_only_library(project):
    """Every record (audit log, error log, session records, ledgers) fails to be written, even by root."""
    shutil.rmtree(project / ".empathy")
    (project / ".empathy").symlink_to("/proc")


def read_only_sessions(project):
    (project / ".empathy/sessions").symlink_to("/proc")


def test_a_write_holding_a_secret_is_denied_in_a_read_only_library(project):
    read_only_library(project)
    run = run_hook("PreToolUse", secret_write(project), project=project)
    assert (run.code, run.decision) == (0, "deny")
    assert "a.py holds a secret: line 1: github-token" in run.reason
    assert KEY not in run.out + run.err


def test_a_prompt_holding_a_secret_is_blocked_in_a_read_only_library(project):
    read_only_library(project)
    run = run_hook("UserPromptSubmit", {"prompt": f"deploy with {KEY}"}, project=project)
    assert run.code == 0 and run.output["decision"] == "block"
    assert KEY not in run.out + run.err


def test_tool_output_is_still_redacted_when_the_session_record_fails(project):
    read_only_sessions(project)
    response = {"stdout": f"token = {KEY}\n", "stderr": "", "interrupted": False, "isImage": False}
    fields = {"tool_name": "Bash", "tool_input": {"command": "cat cfg"}, "tool_response": response}
    run = run_hook("PostToolUse", fields, project=project)
    assert run.code == 0
    assert run.output["hookSpecificOutput"]["updatedToolOutput"]["stdout"] == "token = [SECRET:github-token]\n"
    assert " PostToolUse " in (project / ".empathy/logs/hooks.log").read_text()  # the lost record is logged


def test_a_record_lost_with_nothing_else_to_say_is_a_non_blocking_error(project):
    read_only_sessions(project)
    run = run_hook("Stop", {"last_assistant_message": "done"}, project=project)
    assert (run.code, run.out) == (1, "")
    assert run.err.startswith("attune-companion: Stop hook could not keep its record (") and run.err.count("\n") == 1


def test_a_policy_cache_that_cannot_be_written_costs_no_protection(project, tmp_path):
    config = project / ".empathy/config.yaml"
    config.write_text("hooks:\n  pii: warn\n")
    os.utime(config, (1_600_000_000, 1_600_000_000))  # old enough to be cached
    blocked = tmp_path / "cache-is-a-file"
    blocked.write_text("")
    run = run_hook("PreToolUse", secret_write(project), project=project, env={"XDG_CACHE_HOME": str(blocked)})
    assert run.decision == "deny"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder; the tests above cover root")
def test_a_read_only_library_still_denies(project):
    (project / ".empathy").chmod(0o500)
    try:
        run = run_hook("PreToolUse", secret_write(project), project=project)
    finally:
        (project / ".empathy").chmod(0o700)
    assert run.decision == "deny"


def test_the_verdict_needs_no_record_in_process(hook, project):
    """The same through the in-process entry point the other hook tests use."""
    read_only_library(project)
    run = hook("PreToolUse", secret_write(project), project=project)
    assert run.decision == "deny"
    assert json.loads(run.raw)["hookSpecificOutput"]["hookEventName"] == "PreToolUse"


def recording_fails(error):
    """A handler whose record fails with `error`, whose verdict does not need the record."""

    def handle(payload, context):
        if context.library:
            raise error
        return deny("the verdict")

    return handle


def deny(reason):
    from attune.hooks.payload import Answer, specific

    return Answer(output=specific("PreToolUse", permissionDecision="deny", permissionDecisionReason=reason))


@pytest.mark.parametrize("error", [PermissionError(13, "Permission denied"), ValueError("a damaged session file")])
def test_any_failure_in_a_library_is_asked_again_without_records(project, error):
    stdin = io.StringIO(json.dumps({"session_id": "s", "cwd": str(project), "tool_name": "Write"}))
    out, err = io.StringIO(), io.StringIO()
    environ = {"CLAUDE_PROJECT_DIR": str(project)}
    code = runner.run("PreToolUse", stdin, out, err, environ, handlers={"PreToolUse": recording_fails(error)})
    assert (code, err.getvalue()) == (0, "")
    assert json.loads(out.getvalue())["hookSpecificOutput"]["permissionDecisionReason"] == "the verdict"
    assert type(error).__name__ in (project / ".empathy/logs/hooks.log").read_text()


def test_the_error_log_is_never_written_through_a_link(hook, project, tmp_path):
    outside = tmp_path / "outside.log"
    outside.write_text("")
    (project / ".empathy/logs").mkdir(exist_ok=True)
    (project / ".empathy/logs/hooks.log").symlink_to(outside)
    (project / ".empathy/sessions").symlink_to("/proc")  # makes the Stop hook fail, so it logs
    hook("Stop", {"last_assistant_message": "done"}, project=project)
    assert outside.read_text() == ""
    assert "Stop" in (project / ".empathy/logs/hooks.log").read_text()
