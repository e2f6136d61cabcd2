"""A command that would print a secret from a file is refused before it runs (issue 10, part 4).

A failing command's output goes to PostToolUseFailure, which cannot redact it: `cat deploy.log;
exit 3` sent a Stripe key to the model.
"""

from __future__ import annotations

import json
import os
import random
import string
import subprocess
import sys

import pytest

STRIPE = "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc"


@pytest.fixture
def world(repo):
    aws = "".join(random.SystemRandom().choice(string.ascii_letters + string.digits) for _ in range(40))
    lines = [f"12:00:0{i} deploy step {i}" for i in range(8)]
    lines[4] = f"12:00:04 using key {STRIPE}"
    (repo / "deploy.log").write_text("\n".join(lines) + "\n")
    (repo / "aws.log").write_text(f"creds loaded: {aws}\n")
    (repo / "clean.log").write_text("all good\n")
    env = {**os.environ, "CLAUDE_PROJECT_DIR": str(repo), "AWS_SECRET_ACCESS_KEY": aws}
    return repo, env


def decide(world, command):
    repo, env = world
    payload = {"session_id": "s", "cwd": str(repo), "tool_name": "Bash", "tool_input": {"command": command}}
    result = subprocess.run(
        [sys.executable, "-m", "attune", "hook", "PreToolUse"],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        cwd=repo,
        env=env,
        check=True,
        timeout=120,
    )
    assert STRIPE not in result.stdout + result.stderr
    assert env["AWS_SECRET_ACCESS_KEY"] not in result.stdout + result.stderr
    specific = (json.loads(result.stdout) if result.stdout else {}).get("hookSpecificOutput", {})
    return specific.get("permissionDecision"), specific.get("permissionDecisionReason", "")


def test_a_failing_command_that_would_print_a_secret_is_denied_before_it_runs(world):
    decision, reason = decide(world, "cat deploy.log; exit 3")
    assert decision == "deny"
    assert "deploy.log (line 5: stripe" in reason
    assert "grep -v" in reason and "Read tool" in reason and "ask the user" in reason


def test_a_file_holding_a_known_value_is_denied_naming_the_variable(world):
    decision, reason = decide(world, "tail aws.log")
    assert decision == "deny" and "aws.log (the value of $AWS_SECRET_ACCESS_KEY)" in reason


@pytest.mark.parametrize(
    "command",
    [
        "grep -v sk_live deploy.log",  # what the denial suggests
        "grep ERROR deploy.log",
        "sed '/key/d' deploy.log | head",
        "head -n 3 deploy.log",
        "tail -n 3 deploy.log",
        "cat deploy.log | grep step",
        "cat deploy.log > copy.log",
        "cat clean.log; exit 3",
        "wc -l deploy.log",
        "head -c 16 /dev/urandom | base64",
    ],
)
def test_commands_that_print_no_secret_run(world, command):
    assert decide(world, command) == (None, "")


@pytest.mark.parametrize(
    "command",
    ["head -n 6 deploy.log", "grep key deploy.log", "echo $(cat deploy.log)", "cd .. && cat repo/deploy.log; exit 1"],
)
def test_the_lines_printed_are_the_ones_judged(world, command):
    assert decide(world, command)[0] == "deny"


def test_a_fifo_is_never_opened(world):
    repo, _ = world
    os.mkfifo(repo / "pipe")
    assert decide(world, "cat pipe") == (None, "")  # opening it would block until a writer came
