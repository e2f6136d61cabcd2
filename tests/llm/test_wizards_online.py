"""The wizards with an API key, against the loopback fake Messages API (tests/fakes/messages_api.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from attune.cli import main
from attune.llm import ledger
from attune.patterns import store
from tests.fakes import replies
from tests.helpers import build_tree, commit_all

REVIEW = {
    "summary": "One risky call.",
    "comments": [
        {"severity": "issue", "file": "src/app.py", "line": 5, "comment": "a debugger call", "suggestion": "remove it"}
    ],
}


@pytest.fixture
def online(repo, fake_api, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake_api.url)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "test-key-not-a-secret")
    build_tree(
        repo, {".empathy/config.yaml": "version: 1\n", "src/app.py": "import os\n\n\ndef run():\n    return 1\n"}
    )
    commit_all(repo, "start")
    build_tree(repo, {"src/app.py": "import os\n\n\ndef run():\n    breakpoint()\n"})
    return repo


def run(root, capsys, *args):
    code = main(["wizard", "run", *args, "--root", str(root)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


USAGE = replies.Usage(900, 120)


def reply(output, usage=USAGE, thinking=False):
    blocks = (replies.Thinking("Reading the diff."),) if thinking else ()
    return replies.Reply((*blocks, replies.Text(json.dumps(output))), usage=usage)


def test_code_review_online_uses_the_cheap_tier_and_records_the_call(online, fake_api, capsys):
    fake_api.script(reply(REVIEW, thinking=True))
    code, out, err = run(online, capsys, "code-review")
    assert (code, err) == (0, "")
    assert out.splitlines()[:3] == [
        "code-review of 1 changed file (claude-haiku-5-5)",
        "One risky call.",
        "src/app.py:5: issue: a debugger call",
    ]
    (body,) = fake_api.messages()
    assert body["model"] == "claude-haiku-5-5"
    assert body["output_config"]["effort"] == "medium"
    assert body["output_config"]["format"]["type"] == "json_schema"
    assert body["output_config"]["format"]["schema"]["required"] == ["summary", "comments"]
    assert "temperature" not in body and "tools" not in body and "tool_choice" not in body
    (entry,) = ledger.read(online).entries
    assert (entry.wizard, entry.tier, entry.usage.input_tokens, entry.outcome) == ("code-review", "cheap", 900, "ok")


def test_output_that_fails_validation_escalates_once_and_both_attempts_are_recorded(online, fake_api, capsys):
    wrong = {**REVIEW, "comments": [{**REVIEW["comments"][0], "file": "src/elsewhere.py"}]}
    fake_api.script(reply(wrong), reply(REVIEW, usage=replies.Usage(950, 200)))
    code, out, err = run(online, capsys, "code-review", "--json")
    assert code == 0
    assert err == "empathy: code-review: the cheap tier's output failed validation; escalating to capable\n"
    assert json.loads(out)["model"] == "claude-sonnet-5-5"
    assert [b["model"] for b in fake_api.messages()] == ["claude-haiku-5-5", "claude-sonnet-5-5"]
    entries = ledger.read(online).entries
    assert [(e.tier, e.outcome, e.attempt) for e in entries] == [("cheap", "invalid", 1), ("capable", "ok", 2)]
    assert all(e.cost_usd > 0 for e in entries)


def test_an_explicit_tier_never_escalates(online, fake_api, capsys):
    wrong = {**REVIEW, "comments": [{**REVIEW["comments"][0], "file": "nope.py"}]}
    fake_api.script(reply(wrong))
    code, out, err = run(online, capsys, "code-review", "--tier", "premium")
    assert code == 0
    assert [b["model"] for b in fake_api.messages()] == ["claude-opus-5-5"]
    assert "the reply failed validation: $.comments[0].file: 'nope.py' is not in the diff" in err
    assert "(offline)" in out.splitlines()[0]


@pytest.mark.parametrize(
    ("turn", "line"),
    [
        (replies.overloaded(), "the API is overloaded (529): Overloaded; API calls pause for 30 s"),
        (
            replies.rate_limited(retry_after=600),
            "rate limited (429): Number of request tokens has exceeded your rate limit.; retry-after 600 s is past the 60 s left; API calls pause for 600 s",
        ),
        (replies.unauthorized(), "the API refused the credentials (401): check ANTHROPIC_API_KEY: invalid x-api-key"),
        (
            replies.not_found("claude-haiku-5-5"),
            "model 'claude-haiku-5-5' was not found (404), perhaps retired: set llm.models.cheap or EMPATHY_MODEL_CHEAP: model: claude-haiku-5-5",
        ),
    ],
)
def test_failures_fall_back_offline_with_one_line(online, fake_api, capsys, turn, line):
    fake_api.script(turn, turn)
    code, out, err = run(online, capsys, "code-review")
    assert code == 0
    assert err == f"empathy: code-review: {line}; ran the offline fallback instead\n"
    assert out.splitlines()[0] == "code-review of 1 changed file (offline)"
    assert "src/app.py:5: issue: a debugger call left in" in out


def test_a_retired_model_in_the_config_warns_and_is_never_called(online, fake_api, capsys):
    build_tree(online, {".empathy/config.yaml": "llm:\n  models:\n    cheap: claude-opus-4-1\n"})
    code, out, err = run(online, capsys, "code-review")
    assert code == 0 and fake_api.messages() == []
    assert out.splitlines()[0] == "code-review of 2 changed files (offline)"  # the config edit is a change too
    assert err.splitlines() == [
        ".empathy/config.yaml:3: warning: model 'claude-opus-4-1' is retired and calls to it fail; use 'claude-opus-5-5' instead",
        "empathy: code-review: model 'claude-opus-4-1' is retired and calls to it fail; use 'claude-opus-5-5' instead; ran the offline fallback instead",
    ]


def test_a_slow_api_times_out_inside_the_deadline(online, fake_api, capsys):
    build_tree(online, {".empathy/config.yaml": "llm:\n  deadline_seconds: 1\n"})
    fake_api.script(replies.Reply((replies.Text("{}"),), delay=30))
    code, _, err = run(online, capsys, "code-review")
    assert code == 0
    assert err.startswith("empathy: code-review: no answer within 1 s; API calls pause for 30 s")


def test_session_summary_online_writes_the_model_summary(online, fake_api, capsys):
    record = online / ".empathy" / "sessions" / "abc.json"
    record.parent.mkdir(parents=True)
    record.write_text(
        json.dumps(
            {
                "version": 1,
                "session_id": "abc",
                "last_assistant_message": "We chose SQLite.",
                "compact_summaries": [],
                "files_touched": ["db.py"],
                "timeline": [],
                "summary": None,
            }
        )
    )
    summary = {
        "decisions": ["Use SQLite"],
        "open_questions": [],
        "next_steps": ["Write the migration"],
        "topics": ["storage"],
    }
    fake_api.script(reply(summary))
    assert run(online, capsys, "session-summary", str(record))[0] == 0
    written = json.loads(record.read_text())["summary"]
    assert written == {**summary, "offline": False, "model": "claude-haiku-5-5"}
    (body,) = fake_api.messages()
    assert body["output_config"]["effort"] == "low"
    assert "We chose SQLite." in body["messages"][0]["content"]


def test_bug_pattern_online_stages_the_model_draft(online, fake_api, capsys):
    sha = commit_all(online, "fix: remove the stray breakpoint")
    draft = {
        "title": "Stray breakpoint() hangs the CLI",
        "error": "the command never returns",
        "root_cause": "a debugger call was committed",
        "fix": "remove it; ruff T100 catches it",
        "paths": ["src/**/*.py"],
        "tags": ["python"],
        "confidence": 0.8,
    }
    fake_api.script(reply({**draft, "paths": ["/abs/src/*.py"]}), reply(draft))
    code, out, _ = run(online, capsys, "bug-pattern", sha)
    assert code == 0 and "staged .empathy/staging/stray-breakpoint-hangs-the-cli.md" in out
    assert [b["model"] for b in fake_api.messages()] == [
        "claude-haiku-5-5",
        "claude-sonnet-5-5",
    ]  # the absolute glob failed its check
    target = online / ".empathy" / "staging" / "stray-breakpoint-hangs-the-cli.md"
    (pattern,) = store.parse(
        ".empathy/staging/x.md", target.read_text(), __import__("attune.config").config.DEFAULT
    ).patterns
    assert (pattern.source, pattern.paths, pattern.confidence, pattern.status) == (sha, ("src/**/*.py",), 0.8, "staged")
    assert "drafted offline" not in pattern.body and "**Fix:** remove it; ruff T100 catches it" in pattern.body


def test_cache_hits_across_two_processes_and_ledger_totals_match_the_usage_served(online, fake_api):
    fake_api.script(reply(REVIEW, usage=replies.Usage(1000, 100, 200, 3000)))
    env = {**os.environ, "ANTHROPIC_BASE_URL": fake_api.url, "ANTHROPIC_API_KEY": "test-key-not-a-secret"}
    command = [sys.executable, "-m", "attune", "wizard", "run", "code-review", "--root", str(online)]
    first = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    second = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert first.stdout.splitlines()[0] == "code-review of 1 changed file (claude-haiku-5-5)"
    assert second.stdout.splitlines()[0] == "code-review of 1 changed file (claude-haiku-5-5, from the cache)"
    assert len(fake_api.messages()) == 1
    costs = subprocess.run([sys.executable, "-m", "attune", "costs", "--json", "--root", str(online)],
                           env=env, capture_output=True, text=True, check=True)  # fmt: skip
    data = json.loads(costs.stdout)
    served = (1000 * 0.10 + 100 * 0.50 + 200 * 0.125 + 3000 * 0.01) / 1e6
    assert data["total_usd"] == pytest.approx(served)
    assert (data["calls"], data["cache_hits"]) == (1, 1)
    assert data["cache_saved_usd"] == pytest.approx(served)
