"""Guards fail closed (issue 10): a guarded call the hook cannot decide is denied; the rest fails open."""

from __future__ import annotations

import io
import json

import pytest

from attune import config
from attune.hooks import runner
from tests.helpers import build_tree, fake_secret
from tests.hooks.real import run_hook

KEY = fake_secret("github")

GUARDED = {
    "Write": ("PreToolUse", {"tool_name": "Write", "tool_input": {"file_path": "/p/a.py", "content": "x"}}),
    "Edit": ("PreToolUse", {"tool_name": "Edit", "tool_input": {"file_path": "/p/a.py", "new_string": "x"}}),
    "MultiEdit": ("PreToolUse", {"tool_name": "MultiEdit", "tool_input": {"file_path": "/p/a.py", "edits": []}}),
    "NotebookEdit": ("PreToolUse", {"tool_name": "NotebookEdit", "tool_input": {"notebook_path": "/p/n.ipynb"}}),
    "Bash": ("PreToolUse", {"tool_name": "Bash", "tool_input": {"command": "ls"}}),
    "Read .env": ("PreToolUse", {"tool_name": "Read", "tool_input": {"file_path": "/p/.env"}}),
    "Read, no path": ("PreToolUse", {"tool_name": "Read", "tool_input": {}}),
    "Read, bad input": ("PreToolUse", {"tool_name": "Read", "tool_input": "/p/.env"}),
    "no tool": ("PreToolUse", {"tool_input": {"file_path": "/p/a.py"}}),
    "tool not a string": ("PreToolUse", {"tool_name": 5}),
    "prompt": ("UserPromptSubmit", {"prompt": "hello"}),
}
UNGUARDED = {
    "Read a.py": ("PreToolUse", {"tool_name": "Read", "tool_input": {"file_path": "/p/a.py"}}),
    "Read .env.example": ("PreToolUse", {"tool_name": "Read", "tool_input": {"file_path": "/p/.env.example"}}),
    "Grep": ("PreToolUse", {"tool_name": "Grep", "tool_input": {"pattern": "x"}}),
    **{
        event: (event, {"tool_name": "Bash"})
        for event in (
            "SessionStart",
            "PostToolUse",
            "PostToolUseFailure",
            "Stop",
            "SubagentStop",
            "PreCompact",
            "PostCompact",
            "SessionEnd",
            "InstructionsLoaded",
        )
    },
}


def crash(payload, context):
    raise RuntimeError(f"broken while holding {KEY}")


def run_crashing(event, fields, project):
    """The real runner with a handler that crashes (injected: no mock of our own code)."""
    stdin = io.StringIO(json.dumps({"session_id": "s", "cwd": str(project), **fields}))
    out, err = io.StringIO(), io.StringIO()
    code = runner.run(event, stdin, out, err, {"CLAUDE_PROJECT_DIR": str(project)}, handlers={event: crash})
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("case", GUARDED)
def test_a_crash_on_a_guarded_call_denies_it_with_one_line(project, case):
    code, out, err = run_crashing(*GUARDED[case], project)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith("attune-companion: denied this ")
    assert "failed with RuntimeError" in err and "hooks.on_error: allow" in err
    assert KEY not in err  # the exception's message stays out of the answer
    log = (project / ".empathy/logs/hooks.log").read_text()
    assert "RuntimeError: broken while holding" in log and KEY not in log


@pytest.mark.parametrize("case", UNGUARDED)
def test_a_crash_elsewhere_never_blocks(project, case):
    code, out, err = run_crashing(*UNGUARDED[case], project)
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and "hook error" in err and "failed with RuntimeError" in err


def test_on_error_allow_lets_a_call_through_when_its_check_crashed(project):
    build_tree(project, {".empathy/config.yaml": "hooks:\n  on_error: allow\n"})
    code, _, err = run_crashing(*GUARDED["Write"], project)
    assert code == 1 and "PreToolUse hook error" in err


def test_only_checks_that_can_block_are_guarded(project):
    build_tree(project, {".empathy/config.yaml": "hooks:\n  secrets: warn\n  pii: warn\n  sensitive_files: warn\n"})
    assert run_crashing(*GUARDED["Write"], project)[0] == 1  # it would only have warned
    assert run_crashing(*GUARDED["Read .env"], project)[0] == 1
    build_tree(project, {".empathy/config.yaml": "hooks:\n  secrets: warn\n  pii: block\n"})
    assert run_crashing(*GUARDED["Write"], project)[0] == 2
    assert run_crashing(*GUARDED["Bash"], project)[0] == 2  # sensitive_files still blocks


def nested(depth):
    return '{"tool_name": "Write", "tool_input": {"content": "x", "deep": ' + "[" * depth + "]" * depth + "}}"


def test_the_real_hook_denies_a_guarded_call_it_cannot_decide(project):
    """A payload nested past the depth the runner parses (20,000 levels) cannot be judged."""
    run = run_hook("PreToolUse", project=project, raw=nested(100_000))
    assert (run.code, run.out) == (2, "")
    assert run.err.startswith("attune-companion: denied this ") and run.err.count("\n") == 1
    assert "nested deeper than 20000 levels" in run.err
    stop = run_hook("Stop", project=project, raw=nested(100_000))
    assert stop.code == 0 and "nested deeper than 20000 levels" in stop.output["systemMessage"]
    build_tree(project, {".empathy/config.yaml": "hooks:\n  on_error: allow\n"})
    assert run_hook("PreToolUse", project=project, raw=nested(100_000)).code == 0


@pytest.mark.parametrize(
    ("event", "code"),
    [("PreToolUse", 2), ("UserPromptSubmit", 2), ("PostToolUse", 0), ("SessionStart", 0), ("Stop", 0)],
)
def test_the_real_hook_with_an_unreadable_payload(project, event, code):
    run = run_hook(event, project=project, raw='{"tool_name": "Write", "tool_input": {"content": "trunc')
    assert run.code == code
    if code == 2:
        assert run.out == "" and run.err.count("\n") == 1
        assert "because the hook payload could not be read (" in run.err and "on_error: allow" in run.err
    else:  # nothing to judge: the user is warned and the session goes on
        assert run.err == ""
        assert run.output["systemMessage"].startswith(
            f"attune-companion: {event} hook error: the payload could not be read"
        )


def test_on_error_allow_applies_to_an_unreadable_payload_too(project):
    build_tree(project, {".empathy/config.yaml": "hooks:\n  on_error: allow\n"})
    run = run_hook("PreToolUse", project=project, raw="not json")
    assert run.code == 0
    assert "could not be read" in run.output["systemMessage"]


def test_the_settings_are_checked(tmp_path):
    _, problems = config.parse("hooks:\n  on_error: sometimes\n  deadline_seconds: 30\n")
    assert [p.line for p in problems] == [2, 3]
    assert "hooks.on_error must be block" in problems[0].message
    assert "hooks.deadline_seconds must be a number of seconds from 0.5 to 8" in problems[1].message
    good, problems = config.parse("hooks:\n  on_error: allow\n  deadline_seconds: 2.5\n")
    assert problems == [] and (good.hooks.on_error, good.hooks.deadline_seconds) == ("allow", 2.5)
    assert config.parse("hooks:\n  deadline_seconds: true\n")[1]
