"""Payloads that used to crash the guard or lose its answer (issue 10): surrogates, bad bytes, big payloads."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.helpers import fake_secret
from tests.hooks.real import run_hook

KEY = fake_secret("github")


def raw_write(project, content_json, path_json=None):
    """A Write payload written by hand, so that it can carry escapes json.dumps never makes."""
    path = path_json or json.dumps(str(project / "a.py"))
    return (
        f'{{"session_id": "s", "cwd": {json.dumps(str(project))}, "hook_event_name": "PreToolUse", '
        f'"tool_name": "Write", "tool_input": {{"file_path": {path}, "content": {content_json}}}}}'
    )


def test_lone_surrogates_neither_crash_the_guard_nor_hide_a_secret(project):
    path = json.dumps(str(project / "a")).rstrip('"') + '\\udc80.py"'
    run = run_hook("PreToolUse", project=project, raw=raw_write(project, f'"\\ud800 K = \\"{KEY}\\" \\udfff"', path))
    assert (run.code, run.decision) == (0, "deny")  # run_hook reads stdout as ASCII: it must be
    assert "a\ufffd.py holds a secret: line 1: github-token" in run.reason
    assert run_hook("UserPromptSubmit", {"prompt": "\ud800" + KEY}, project=project).output["decision"] == "block"


def test_a_surrogate_pair_is_kept_as_the_character_it_encodes(project):
    run = run_hook("PreToolUse", project=project, raw=raw_write(project, f'"\\ud83d\\ude00 K = \\"{KEY}\\""'))
    assert run.decision == "deny"


def test_bytes_that_are_not_utf8_do_not_hide_a_secret(project):
    raw = raw_write(project, f'"\xff\xfe K = \\"{KEY}\\""').encode("latin-1")
    run = run_hook("PreToolUse", project=project, raw=raw)
    assert (run.code, run.decision) == (0, "deny")


def test_the_answer_survives_an_ascii_only_stdout(project):
    """The masked value holds an ellipsis; an ASCII stdout used to raise after the verdict, exit 1."""
    write = {"tool_name": "Write", "tool_input": {"file_path": str(project / "a.py"), "content": f'K = "{KEY}"'}}
    run = run_hook("PreToolUse", write, project=project, env={"PYTHONIOENCODING": "ascii", "LC_ALL": "C"})
    assert (run.code, run.decision) == (0, "deny")
    assert "\u2026" in run.reason


def test_a_deny_that_cannot_reach_stdout_exits_2(project):
    """Claude Code closed its end of stdout: the deny goes out as exit 2 and stderr instead."""
    write = {"tool_name": "Write", "tool_input": {"file_path": str(project / "a.py"), "content": f'K = "{KEY}"'}}
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "attune", "hook", "PreToolUse"],
            input=json.dumps({"session_id": "s", "cwd": str(project), **write}).encode(),
            stdout=write_end,
            stderr=subprocess.PIPE,
            env={**os.environ, "CLAUDE_PROJECT_DIR": str(project)},
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    assert result.returncode == 2
    assert result.stderr.decode().startswith("attune-companion: the new content of a.py holds a secret")
    assert result.stderr.count(b"\n") == 1


@pytest.mark.parametrize("megabytes", [2, 5])
def test_payloads_of_megabytes_get_a_verdict(project, megabytes):
    code = "def handle(event):\n    return {'status': 200, 'body': event.get('items', [])}\n"
    content = code * (megabytes * 1_000_000 // len(code)) + f'K = "{KEY}"\n'
    write = {"tool_name": "Write", "tool_input": {"file_path": str(project / "big.py"), "content": content}}
    run = run_hook("PreToolUse", write, project=project)
    assert (run.code, run.decision) == (0, "deny")


def test_a_byte_order_mark_does_not_cost_the_verdict(project):
    run = run_hook(
        "PreToolUse", project=project, raw=b"\xef\xbb\xbf" + raw_write(project, f'"K = \\"{KEY}\\""').encode()
    )
    assert (run.code, run.decision) == (0, "deny")


def test_a_nul_in_the_working_folder_does_not_stop_tool_output_redaction(project):
    # Found by benchmarks/fuzz_hooks.py: looking for .env files in cwd raised "embedded null byte".
    fields = {"cwd": str(project) + "\x00x", "tool_name": "Grep", "tool_input": {"pattern": "k"},
              "tool_response": {"mode": "content", "content": f"token = {KEY}"}}  # fmt: skip
    run = run_hook("PostToolUse", fields, project=project)
    assert run.code == 0, run.err
    assert run.output["hookSpecificOutput"]["updatedToolOutput"]["content"] == "token = [SECRET:github-token]"


def test_a_denied_read_never_echoes_a_secret_in_its_path(project):
    run = run_hook(
        "PreToolUse", {"tool_name": "Read", "tool_input": {"file_path": f"/srv/{KEY}/.env"}}, project=project
    )
    assert run.decision == "deny"
    assert KEY not in run.out + run.err
    assert "[SECRET:github-token]/.env" in run.reason
