"""A project with every source the report reads, dated around the pinned today (2026-11-15)."""

from __future__ import annotations

import json

import pytest

from attune import cli
from tests.helpers import EMAIL, fake_secret, write_pattern

SECRET = fake_secret("github")


def lines(path, entries):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")


@pytest.fixture
def project(repo):
    write_pattern(repo, "tz-naive")
    write_pattern(repo, "null-user", paths=["src/api/**"])
    write_pattern(repo, "hash-passwords", category="security", status="deprecated")
    (repo / ".empathy/patterns/debugging/broken.md").write_text("---\nid: broken\n---\nno title\n")
    staging = repo / ".empathy/staging"
    staging.mkdir(parents=True)
    (staging / "retry-storm.md").write_text(
        "---\nid: retry-storm\ntitle: Retry storm on 503\ncategory: debugging\nstatus: staged\n"
        "created: 2026-11-05\nupdated: 2026-11-05\n---\n**Error:** 503. **Root cause:** retries. **Fix:** jitter.\n"
    )
    assert cli.main(["sync", "--quiet", "--root", str(repo)]) == 0
    logs = repo / ".empathy/logs"
    lines(logs / "instructions.jsonl", [
        {"time": "2026-11-14T10:00:00Z", "session": "s1", "file": ".claude/rules/attune/bug-patterns.md",
         "reason": "session_start", "globs": [], "trigger": ""},
        {"time": "2026-11-14T10:05:00Z", "session": "s1", "file": ".claude/rules/attune/bug-patterns--api.md",
         "reason": "path_glob_match", "globs": ["src/api/**"], "trigger": "src/api/a.py"},
        {"time": "2026-11-15T09:00:00Z", "session": "s2", "file": ".claude/rules/attune/bug-patterns.md",
         "reason": "session_start", "globs": [], "trigger": ""},
        {"time": "2026-10-01T09:00:00Z", "session": "old", "file": ".claude/rules/attune/bug-patterns--api.md",
         "reason": "path_glob_match", "globs": [], "trigger": ""},  # before the period
    ])  # fmt: skip
    lines(repo / ".empathy/audit.jsonl", [
        {"time": "2026-11-13T08:00:00Z", "action": "hook.blocked", "tool": "Write", "file": "a.py",
         "findings": ["GitHub Token"]},
        {"time": "2026-11-14T08:00:00Z", "action": "hook.blocked", "tool": "Bash", "findings": ["AWS Access Key"]},
        {"time": "2026-11-14T09:00:00Z", "action": "hook.blocked", "tool": "prompt", "findings": ["GitHub Token"]},
        {"time": "2026-11-14T09:30:00Z", "action": "session.redacted", "findings": ["GitHub Token"]},
        {"time": "2026-11-02T09:30:00Z", "action": "hook.blocked", "tool": "Read", "findings": ["sensitive-file"]},
    ])  # fmt: skip
    lines(logs / "rules-delivered.jsonl", [
        {"time": "2026-11-14T10:06:00Z", "at": 1.0, "session": "s1", "agent": "", "how": "bash-write",
         "file": ".claude/rules/attune/bug-patterns--api.md", "glob": "src/api/**", "trigger": "src/api/b.py"},
        {"time": "2026-10-14T10:06:00Z", "at": 1.0, "session": "old", "agent": "", "how": "bash-write",
         "file": ".claude/rules/attune/bug-patterns--api.md", "glob": "src/api/**", "trigger": "src/api/b.py"},
    ])  # fmt: skip
    (logs / "hooks.log").write_text(
        "2026-11-14T10:00:00+0000 PreToolUse ValueError: boom\n2026-11-14T10:01:00+0000 Stop OSError: disk\n"
        "2026-10-14T10:00:00+0000 PreToolUse ValueError: old\n"
    )
    ledger = {"task": "review_code", "tier": "cheap", "model": "claude-haiku-5-5", "input_tokens": 1000,
              "output_tokens": 100, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
              "attempt": 1, "price_as_of": "2026-11-01", "saved_usd": 0.0}  # fmt: skip
    lines(repo / ".empathy/ledger.jsonl", [
        {**ledger, "time": "2026-11-14T08:00:00Z", "wizard": "code-review", "cost_usd": 0.002, "cache_hit": False,
         "outcome": "ok"},
        {**ledger, "time": "2026-11-15T08:00:00Z", "wizard": "code-review", "cost_usd": 0.003, "cache_hit": False,
         "outcome": "ok"},
        {**ledger, "time": "2026-11-15T08:01:00Z", "wizard": "code-review", "cost_usd": 0.0, "cache_hit": True,
         "saved_usd": 0.003, "outcome": "cache_hit"},
        {**ledger, "time": "2026-10-15T08:00:00Z", "wizard": "security-review", "cost_usd": 1.0, "cache_hit": False,
         "outcome": "ok"},
    ])  # fmt: skip
    sessions = repo / ".empathy/sessions"
    sessions.mkdir()
    for sid, started, updated, decisions in [
        ("s1", "2026-11-14T10:00:00Z", "2026-11-14T11:00:00Z", ["use jitter"]),
        ("s2", "2026-11-15T09:00:00Z", "2026-11-15T09:30:00Z", []),
        ("old", "2026-10-01T09:00:00Z", "2026-10-01T09:30:00Z", []),
    ]:
        (sessions / f"{sid}.json").write_text(json.dumps({
            "version": 1, "session_id": sid, "started": started, "updated": updated, "cwd": str(repo),
            "last_assistant_message": "", "compact_summaries": [], "files_touched": ["src/api/a.py"], "timeline": [],
            "summary": {"decisions": decisions, "open_questions": [], "next_steps": [], "topics": [],
                        "offline": True, "model": None},
            "folded": 0,
        }))  # fmt: skip
    return repo


@pytest.fixture
def planted(project):
    """The same project with a secret and an e-mail address planted in every source the report reads."""
    bad = f"{SECRET} {EMAIL}"
    (project / ".empathy/staging/leaky.md").write_text(
        f'---\nid: leaky\ntitle: "{bad}"\ncategory: debugging\nstatus: staged\ncreated: 2026-11-10\n---\nbody\n'
    )
    (project / ".empathy/patterns/debugging/leaky-problem.md").write_text(f"---\nid: {SECRET}\n---\n{bad}\n")
    with open(project / ".empathy/logs/instructions.jsonl", "a") as f:
        f.write(json.dumps({"time": "2026-11-15T10:00:00Z", "session": "s3", "file": f".claude/rules/{bad}.md",
                            "reason": bad, "globs": [bad], "trigger": bad}) + "\n")  # fmt: skip
    with open(project / ".empathy/audit.jsonl", "a") as f:
        f.write(json.dumps({"time": "2026-11-15T10:00:00Z", "action": "hook.blocked", "tool": bad,
                            "findings": [bad]}) + "\n")  # fmt: skip
    with open(project / ".empathy/logs/hooks.log", "a") as f:
        f.write(f"2026-11-15T10:00:00+0000 {SECRET} ValueError: {bad}\n")
    with open(project / ".empathy/ledger.jsonl", "a") as f:
        f.write(json.dumps({"time": "2026-11-15T10:00:00Z", "wizard": bad, "task": "x", "tier": bad, "model": bad,
                            "input_tokens": 1, "output_tokens": 1, "cache_creation_input_tokens": 0,
                            "cache_read_input_tokens": 0, "cost_usd": 0.001, "cache_hit": False, "outcome": "ok",
                            "attempt": 1, "price_as_of": None, "saved_usd": 0.0}) + "\n")  # fmt: skip
    (project / ".empathy/sessions/leak.json").write_text(json.dumps({
        "version": 1, "session_id": bad, "started": "2026-11-15T10:00:00Z", "updated": "2026-11-15T10:30:00Z",
        "cwd": bad, "last_assistant_message": bad, "compact_summaries": [bad], "files_touched": [bad],
        "timeline": [], "summary": {"decisions": [bad], "open_questions": [], "next_steps": [], "topics": [],
                                    "offline": True, "model": None}, "folded": 0,
    }))  # fmt: skip
    return project
