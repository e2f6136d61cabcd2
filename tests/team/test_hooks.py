"""Leases, signals and the session index through the real hooks, on both backends (issue 14)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.helpers import build_tree, commit_all, fake_secret, git
from tests.hooks.real import run_hook


def hook(event, session, project, backend, **fields):
    payload = {"session_id": session, "cwd": str(project), "hook_event_name": event, **fields}
    return run_hook(event, raw=json.dumps(payload), project=project, env=backend)


def write(session, project, backend, name="src/app.py", tool="Write"):
    tool_input = {"file_path": str(project / name), "content": "x = 1\n"}
    return hook("PreToolUse", session, project, backend, tool_name=tool, tool_input=tool_input)


def empathy(project, backend, *args):
    environ = {**os.environ, **backend}
    done = subprocess.run([sys.executable, "-m", "attune", *args, "--root", str(project)],
                          capture_output=True, text=True, env=environ, check=False)  # fmt: skip
    return done.returncode, done.stdout, done.stderr


def context_of(run):
    return ((run.output or {}).get("hookSpecificOutput") or {}).get("additionalContext", "")


def test_a_second_session_writing_a_held_file_is_told_who_holds_it(project, backend):
    hook("UserPromptSubmit", "alpha-session-1111", project, backend, prompt="refactor the billing module\nplease")
    first = write("alpha-session-1111", project, backend)
    assert (first.code, first.output) == (0, None), first
    assert write("alpha-session-1111", project, backend).output is None  # its own lease: renewed, silent
    second = write("beta-session-2222", project, backend, tool="Edit")
    assert second.code == 0 and second.decision is None
    told = context_of(second)
    assert "src/app.py is being edited by another active session: session alpha-se" in told
    assert "holding it since 20" in told and "working on: refactor the billing module" in told
    assert "also held by session alpha-se" in second.output["systemMessage"]
    code, out, _ = empathy(project, backend, "agents")
    assert code == 0 and "src/app.py  held by alpha-se" in out and "beta-session-2222" in out


def test_block_policy_denies_and_off_says_nothing(project, backend):
    build_tree(project, {".empathy/config.yaml": "team:\n  leases: block\n"})
    write("alpha", project, backend)
    denied = write("beta", project, backend)
    assert denied.decision == "deny" and "src/app.py is being edited by another active session" in denied.reason
    build_tree(project, {".empathy/config.yaml": "team:\n  leases: off\n"})
    assert write("beta", project, backend).output is None


def test_session_end_releases_the_leases(project, backend):
    write("alpha", project, backend)
    assert hook("SessionEnd", "alpha", project, backend, reason="exit").code == 0
    assert write("beta", project, backend).output is None
    assert "another active session: session beta" in context_of(write("alpha", project, backend))


def test_agents_release_frees_a_file_or_a_session(project, backend):
    write("alpha", project, backend, "a.py")
    write("alpha", project, backend, "b.py")
    assert empathy(project, backend, "agents", "release", "a.py")[:2] == (0, "released a.py (held by alpha)\n")
    assert write("beta", project, backend, "a.py").output is None
    code, out, _ = empathy(project, backend, "agents", "release", "alpha")
    assert code == 0 and out == "released b.py (held by alpha)\n"
    assert empathy(project, backend, "agents", "release", "nobody")[0] == 1


def test_worktrees_of_one_repository_share_the_leases(project, backend, tmp_path):
    build_tree(project, {"src/app.py": "x = 0\n", ".empathy/.keep": ""})
    commit_all(project, "start")
    other = tmp_path / "other"
    git(project, "worktree", "add", "-q", str(other), "-b", "other")
    write("alpha", project, backend)
    told = context_of(write("beta", other, backend))
    assert "src/app.py is being edited by another active session: session alpha (in repo)" in told


def test_session_start_lists_the_other_sessions_and_their_files(project, backend):
    write("alpha-session-1111", project, backend, "src/a.py")
    start = hook("SessionStart", "beta-session-2222", project, backend, source="startup")
    text = context_of(start)
    assert "## Other active sessions in this repository (1)" in text
    assert "- alpha-se in repo; holds src/a.py" in text


def test_a_signal_reaches_the_model_once(project, backend):
    hook("SessionStart", "alpha", project, backend, source="startup")
    hook("SessionStart", "beta", project, backend, source="startup")
    code, out, _ = empathy(project, backend, "signal", "send", "--from", "alpha", "analysis of src/ is done")
    assert (code, out) == (0, "sent to beta\n")
    bash = {"tool_name": "Bash", "tool_input": {"command": "ls"}, "tool_response": {"stdout": ""}}
    first = hook("PostToolUse", "beta", project, backend, **bash)
    assert "from alpha" in context_of(first) and "analysis of src/ is done" in context_of(first)
    assert first.output["hookSpecificOutput"]["hookEventName"] == "PostToolUse"
    assert hook("PostToolUse", "beta", project, backend, **bash).output is None
    empathy(project, backend, "signal", "send", "--to", "beta", "second")
    prompt = hook("UserPromptSubmit", "beta", project, backend, prompt="next")
    assert "second" in context_of(prompt) and prompt.output["hookSpecificOutput"]["hookEventName"] == "UserPromptSubmit"
    assert hook("PostToolUse", "alpha", project, backend, **bash).output is None  # sent by alpha: not to alpha


def test_a_blocked_prompt_keeps_its_signals_waiting(project, backend):
    empathy(project, backend, "signal", "send", "--to", "beta", "hello")
    blocked = hook("UserPromptSubmit", "beta", project, backend, prompt=f"key {fake_secret('github')}")
    assert blocked.output["decision"] == "block" and "hello" not in blocked.out
    assert "hello" in context_of(hook("UserPromptSubmit", "beta", project, backend, prompt="ok"))


def test_a_signal_holding_a_secret_is_refused_and_pii_is_scrubbed(project, backend):
    token = fake_secret("github")
    code, out, err = empathy(project, backend, "signal", "send", "--to", "lead", f"use {token}")
    assert code == 1 and "holds a secret" in err and token not in err + out
    assert empathy(project, backend, "signal", "send", "--to", "lead", "mail jane.doe" + "@" + "gmail.com")[0] == 0
    code, out, _ = empathy(project, backend, "signal", "list", "--for", "lead")
    assert "[EMAIL]" in out and "gmail" not in out and token not in out


def test_the_seeds_coordination_examples_work_through_the_api_and_the_cli(project, backend, monkeypatch):
    """An agent announces a finished analysis; a lead collects the reviews, each once."""
    for name, value in backend.items():
        monkeypatch.setenv(name, value)
    from attune.team import api as team

    assert team.send("analysis of src/billing done: see working:billing", to="lead", sender="analyst",
                     root=str(project)) == ["lead"]  # fmt: skip
    for reviewer in ("reviewer-1", "reviewer-2"):
        assert empathy(project, backend, "signal", "send", "--to", "lead", "--from", reviewer, "LGTM")[0] == 0
    got = team.receive("lead", root=str(project))
    assert [(s.sender, s.message) for s in got] == [
        ("analyst", "analysis of src/billing done: see working:billing"), ("reviewer-1", "LGTM"), ("reviewer-2", "LGTM")
    ]  # fmt: skip
    assert team.receive("lead", root=str(project)) == []


def test_a_session_id_holding_a_secret_is_never_stored_or_shown(project, backend):
    token = fake_secret("github")
    start = hook("SessionStart", token, project, backend, source="startup")
    assert start.code == 0 and token[:8] not in start.out
    write(token, project, backend)
    told = context_of(write("beta", project, backend))
    assert "another active session: session h-" in told and token[:8] not in told
    code, out, _ = empathy(project, backend, "agents", "--json")
    assert code == 0 and token not in out and token[:8] not in out
    stored = b"".join(p.read_bytes() for p in (project / ".git").rglob("*") if p.is_file() and "attune" in p.parts)
    assert token.encode() not in stored
