"""Wizard triggers in the real Claude Code CLI: the Stop hook starts session-summary, detached (issue 6).

The wizard inherits the hook's environment, so it asks the same fake Messages API; its request
offers no tools, so it gets the fake's default turn, not a scripted one.
"""

from __future__ import annotations

import json
import time

import pytest

from attune import cli
from tests.e2e.test_product_hooks import PATH
from tests.fakes import replies

SUMMARY = {
    "decisions": ["Hash passwords with argon2id"],
    "open_questions": ["Migrate the old hashes?"],
    "next_steps": ["Write the migration"],
    "topics": ["password storage"],
}


@pytest.fixture
def installed(project, capsys):
    assert cli.main(["init", "--root", str(project)]) == 0
    assert cli.main(["hooks", "install", "--root", str(project)]) == 0
    config = project / ".empathy/config.yaml"
    config.write_text(config.read_text() + "\ntriggers:\n  session-summary: [Stop]\n")
    capsys.readouterr()
    return project


def wait_for(condition, seconds=60):
    """Poll until `condition()` is true; the detached wizard is not a child of this process to wait on."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_stop_starts_session_summary_in_the_background(claude, fake_api, installed):
    fake_api.default = replies.text(json.dumps(SUMMARY), usage=replies.Usage(800, 60))
    fake_api.script(replies.text("Decided: hash passwords with argon2id. Open question: migrate old hashes?"))

    run = claude("harden the password storage", env=PATH)

    assert run.returncode == 0, run.stderr
    (record,) = (installed / ".empathy/sessions").glob("*.json")

    def summarized():
        return json.loads(record.read_text()).get("summary") is not None

    assert wait_for(summarized), (installed / ".empathy/logs/wizards.log").read_text()
    assert json.loads(record.read_text())["summary"] == {**SUMMARY, "offline": False, "model": "claude-haiku-5-5"}
    (request,) = [b for b in fake_api.messages() if "format" in (b.get("output_config") or {})]
    assert request["model"] == "claude-haiku-5-5" and request["output_config"]["effort"] == "low"
    assert "argon2id" in request["messages"][0]["content"]
    (entry,) = [json.loads(line) for line in (installed / ".empathy/ledger.jsonl").read_text().splitlines()]
    assert (entry["wizard"], entry["outcome"], entry["input_tokens"]) == ("session-summary", "ok", 800)
