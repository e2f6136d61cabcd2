"""Tool output is redacted at any depth, keys included (issue 10, part 5: six levels used to be the limit)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from attune.hooks import post_tool
from tests.helpers import fake_secret

KEY = fake_secret("github")


def nested(depth, leaf):
    value = leaf
    for level in range(depth):
        value = {"level": level, "inner": [value]} if level % 2 else {"inner": value}
    return value


def deepest(value):
    while isinstance(value, (dict, list)):
        value = value["inner"] if isinstance(value, dict) else value[0]
    return value


def post(repo, response, *, raw=None):
    """Run the real PostToolUse hook; `raw` is the tool_response already as JSON text."""
    payload = {"session_id": "s", "cwd": str(repo), "tool_name": "mcp__db__query", "tool_input": {}}
    payload["tool_response"] = None if raw is not None else response
    text = json.dumps(payload)
    if raw is not None:
        text = text.replace('"tool_response": null', f'"tool_response": {raw}')
    return subprocess.run(
        [sys.executable, "-m", "attune", "hook", "PostToolUse"],
        input=text,
        capture_output=True,
        text=True,
        cwd=repo,
        env={**os.environ, "CLAUDE_PROJECT_DIR": str(repo)},
        check=False,
        timeout=120,
    )


def test_a_secret_fifty_levels_down_is_redacted_by_the_hook(repo):
    result = post(repo, nested(50, f"token={KEY}"))
    assert result.returncode == 0, result.stderr
    updated = json.loads(result.stdout)["hookSpecificOutput"]["updatedToolOutput"]
    assert deepest(updated) == "token=[SECRET:github-token]"
    assert KEY not in result.stdout


def test_a_secret_in_a_key_is_redacted(repo):
    result = post(repo, {"rows": {KEY: "owner", "plain": 1}})
    updated = json.loads(result.stdout)["hookSpecificOutput"]["updatedToolOutput"]
    assert updated == {"rows": {"[SECRET:github-token]": "owner", "plain": 1}}


def test_ten_thousand_levels_are_walked_without_recursion():
    count = [0]
    redacted = post_tool._redact(nested(10_000, KEY), count, ())
    assert count == [1]
    assert deepest(redacted) == "[SECRET:github-token]"


def test_ten_thousand_levels_through_the_hook(repo):
    # Written as text: this test's own interpreter would need a higher recursion limit to dump it.
    raw = '{"inner": ' * 10_000 + json.dumps(KEY) + "}" * 10_000
    result = post(repo, None, raw=raw)
    assert result.returncode == 0, result.stderr
    assert KEY not in result.stdout
    assert result.stdout.count('"inner"') == 10_000 and '"[SECRET:github-token]"' in result.stdout
