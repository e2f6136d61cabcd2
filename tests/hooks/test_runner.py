from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from attune import cli


def test_unknown_events_are_accepted_silently(hook, project):
    run = hook("SomeFutureEvent", {"anything": 1}, project=project)
    assert (run.code, run.raw, run.err) == (0, "", "")


@pytest.mark.parametrize("typo", ["pretooluse", "PreToolUse ", "Stop2", ""])
def test_a_misspelled_event_never_blocks(hook, project, typo):
    assert hook(typo, {}, project=project).code == 0


def test_unknown_fields_are_ignored(hook, project):
    run = hook(
        "PreToolUse",
        {"tool_name": "Read", "tool_input": {"file_path": "x.py", "new_field": 1}, "future": {"a": 1}},
        project=project,
    )
    assert (run.code, run.raw) == (0, "")


@pytest.mark.parametrize("raw", ["not json", '{"tool_name": "Write", "tool_input": {"content": "trunc', "[1, 2]", ""])
def test_a_malformed_payload_denies_a_guarded_event_and_is_logged(hook, project, monkeypatch, raw):
    """The guard cannot tell what the call is, so it cannot let it through (issue 10)."""
    monkeypatch.setenv("CLAUDE_PROJECT_DIR", str(project))
    run = hook("PreToolUse", None, raw=raw)
    assert run.code == 2
    assert run.raw == ""
    assert run.err.count("\n") == 1
    assert run.err.startswith("attune-companion: denied this tool call because the hook payload could not be read")
    assert (project / ".empathy/logs/hooks.log").is_file()


@pytest.mark.parametrize("raw", ["not json", "[1, 2]", ""])
def test_a_malformed_payload_of_an_unguarded_event_exits_non_blocking(hook, project, monkeypatch, raw):
    monkeypatch.setenv("CLAUDE_PROJECT_DIR", str(project))
    run = hook("Stop", None, raw=raw)
    assert run.code == 0  # never 2: Claude Code goes on, and the user is told
    assert run.err == ""
    assert json.loads(run.raw)["systemMessage"].startswith(
        "attune-companion: Stop hook error: the payload could not be read"
    )


def test_an_internal_error_is_logged_in_the_project_and_does_not_block(hook, project):
    # A folder no one can create files in (a file in the way is moved aside since issue 11).
    (project / ".empathy/sessions").symlink_to("/proc")
    run = hook("Stop", {"last_assistant_message": "done"}, project=project)
    assert run.code == 1
    log = (project / ".empathy/logs/hooks.log").read_text()
    assert " Stop " in log and "Error" in log
    assert str(project / ".empathy/logs/hooks.log") in run.err


def test_a_broken_config_falls_back_to_protection(hook, project):
    (project / ".empathy/config.yaml").write_text("hooks: [not, a, mapping\n")
    from tests.helpers import fake_secret

    payload = {"tool_name": "Write", "tool_input": {"file_path": str(project / "a.py"), "content": fake_secret()}}
    assert hook("PreToolUse", payload, project=project).decision == "deny"


def test_usage_without_an_event(capsys):
    assert cli.main(["hook"]) == 1
    assert "usage: empathy hook EVENT" in capsys.readouterr().err
    assert cli.main(["hook", "--help"]) == 0
    assert "events: SessionStart, UserPromptSubmit, PreToolUse" in capsys.readouterr().out


def test_the_hook_path_imports_nothing_heavy(tmp_path):
    """A clean Write, end to end in a new interpreter: no anthropic, git, jinja2, yaml, detect-secrets."""
    (tmp_path / ".empathy").mkdir()
    (tmp_path / ".empathy/config.yaml").write_text("hooks:\n  pii: warn\n  session_records: true\n")
    payload = {"session_id": "s", "cwd": str(tmp_path), "hook_event_name": "PreToolUse", "tool_name": "Write",
               "tool_input": {"file_path": str(tmp_path / "a.py"), "content": "def f(x):\n    return x * 2\n" * 200}}  # fmt: skip
    probe = (
        "import sys, json\nfrom attune import cli\ncode = cli.main(['hook', 'PreToolUse'])\n"
        "heavy = [m for m in ('anthropic', 'git', 'jinja2', 'yaml', 'detect_secrets', 'diskcache', 'watchdog') if m in sys.modules]\n"
        "print(json.dumps({'code': code, 'heavy': heavy}), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        env={"CLAUDE_PROJECT_DIR": str(tmp_path), "PATH": "", **_isolated(os.environ)},
        check=True,
    )
    assert result.stdout == ""
    assert json.loads(result.stderr.splitlines()[-1]) == {"code": 0, "heavy": []}


def _isolated(environ):
    """The test's home and cache: a child given a bare environment would fall back to the real home."""
    return {name: environ[name] for name in ("HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME")}


@pytest.mark.parametrize("enabled", [True, False])
def test_a_hook_runs_without_the_cycle_collector_and_leaves_it_as_it_was(project, enabled):
    """A hook is one short call: collections cost it time and reclaim nothing its exit would not (issue 14).
    In-process callers (tests, the fuzzer) get the collector back as they had it."""
    import gc
    import io

    from attune.hooks import runner
    from attune.hooks.payload import NOTHING

    seen = []

    def handler(payload, context):
        seen.append(gc.isenabled())
        return NOTHING

    (gc.enable if enabled else gc.disable)()
    try:
        stdin = io.StringIO(json.dumps({"session_id": "s", "cwd": str(project), "tool_name": "Read"}))
        code = runner.run("PreToolUse", stdin, io.StringIO(), io.StringIO(), {"CLAUDE_PROJECT_DIR": str(project)},
                          handlers={"PreToolUse": handler})  # fmt: skip
        assert (code, seen, gc.isenabled()) == (0, [False], enabled)
    finally:
        gc.enable()


@pytest.mark.parametrize("enabled", [True, False])
def test_the_hook_command_imports_and_runs_without_a_collection(project, enabled):
    """cli._hook turns the collector off before the first hook module loads, and gives it back as it was."""
    code = f"""
import gc, io, json, sys
from attune import cli
(gc.enable if {enabled} else gc.disable)()
passes = []
gc.callbacks.append(lambda phase, info: passes.append(phase))
sys.stdin = io.StringIO(json.dumps({{"session_id": "s", "cwd": sys.argv[1], "tool_name": "Write",
    "tool_input": {{"file_path": sys.argv[1] + "/a.py", "content": "x = 1" * 200}}}}))
result = cli.main(["hook", "PreToolUse"])
print(json.dumps({{"code": result, "passes": len(passes), "enabled": gc.isenabled()}}), file=sys.stderr)
"""
    result = subprocess.run([sys.executable, "-c", code, str(project)], capture_output=True, text=True, check=False,
                            env={**_isolated(os.environ), "CLAUDE_PROJECT_DIR": str(project)})  # fmt: skip
    assert json.loads(result.stderr.splitlines()[-1]) == {"code": 0, "passes": 0, "enabled": enabled}
