"""Secrets that used to reach the model in a real session (issue 10), each through the product's hooks.

Each test runs the real CLI with our hooks installed the way a user installs them, scripts the
model's tool calls, and reads every request the fake API received: the value must be in none.
"""

from __future__ import annotations

import json
import secrets

from tests.e2e.claude import VENV_PATH, texts
from tests.fakes import replies
from tests.helpers import fake_secret

PATH = VENV_PATH


def _reached_the_api(fake_api, value: str) -> bool:
    """Whether `value` is in any request; a bool, so that a failure does not print the secret."""
    return any(value in json.dumps(body) or value in texts(body) for body in fake_api.messages())


def test_a_secret_variable_echoed_by_a_command_is_redacted(claude, fake_api, installed):
    # 40 characters from the AWS secret alphabet: no pattern knows it without its name.
    value = "".join(
        secrets.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") for _ in range(40)
    )
    fake_api.script(
        replies.tool_use("Bash", {"command": "echo $AWS_SECRET_ACCESS_KEY", "description": "Show the key"}),
        replies.text("done"),
    )

    run = claude("what is my AWS secret key?", env={**PATH, "AWS_SECRET_ACCESS_KEY": value})

    assert run.returncode == 0, run.stderr
    assert len(fake_api.messages(scripted_only=True)) == 2  # the command ran and its output was sent back
    assert not _reached_the_api(fake_api, value)
    assert value not in json.dumps(run.events), "the value reached the session's output"


def test_a_failing_command_that_would_print_a_key_from_a_file_is_denied_before_it_runs(claude, fake_api, installed):
    key = "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc" + "Qx9"
    (installed / "deploy.log").write_text(f"deploying...\nSTRIPE_KEY={key}\nfailed\n")
    fake_api.script(
        replies.tool_use("Bash", {"command": "cat deploy.log; exit 3", "description": "Show the log"}),
        replies.text("ok"),
    )

    run = claude("why did the deploy fail?", env=PATH)

    assert run.returncode == 0, run.stderr
    assert not _reached_the_api(fake_api, key)
    assert [d["tool_name"] for d in run.result["permission_denials"]] == ["Bash"]


def test_a_key_directly_followed_by_chinese_text_is_blocked_in_a_prompt(claude, fake_api, installed):
    key = fake_secret("github")
    fake_api.script(replies.text("should never be asked"))

    claude(f"我的密钥是{key}请检查", env=PATH)

    assert not _reached_the_api(fake_api, key)
    assert fake_api.messages(scripted_only=True) == []
