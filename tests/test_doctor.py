from __future__ import annotations

import json
import shlex
import sys

from attune import cli
from tests.helpers import build_tree, write_pattern

WORKING = f"{shlex.quote(sys.executable)} -m attune"  # an empathy that runs, wherever the tests run


def doctor(repo, capsys):
    code = cli.main(["doctor", "--root", str(repo)])
    return code, capsys.readouterr().out.splitlines()


def healthy(repo, capsys):
    write_pattern(repo, "tz-naive")
    write_pattern(repo, "null-user", paths=["src/api/**"])
    cli.main(["sync", "--root", str(repo), "-q"])
    cli.main(["hooks", "install", "--root", str(repo), "--command", WORKING])
    capsys.readouterr()


def test_a_healthy_project(repo, capsys):
    healthy(repo, capsys)
    code, lines = doctor(repo, capsys)
    assert code == 0
    assert lines[0].startswith("ok    attune-companion ")
    assert any(line.startswith("ok    ") and "11 attune hooks installed (project)" in line for line in lines)
    assert any(line.startswith("ok    the hook command") and "runs: empathy " in line for line in lines)
    assert "ok    2 patterns valid" in lines
    assert "ok    .claude/rules/attune is up to date (2 files)" in lines
    assert lines[-1] == "warn  no rule loads recorded yet (fix: install the hooks and run a Claude Code session here)"


def test_settings_that_are_not_json_fail(repo, capsys):
    healthy(repo, capsys)
    (repo / ".claude/settings.local.json").write_text("{oops")
    code, lines = doctor(repo, capsys)
    assert code == 1
    assert any(line.startswith("FAIL  ") and "settings.local.json:1:2: not valid JSON" in line for line in lines)


def test_a_hook_command_that_does_not_run_fails(repo, capsys):
    healthy(repo, capsys)
    cli.main(["hooks", "install", "--root", str(repo), "--command", "/nowhere/empathy"])
    code, lines = doctor(repo, capsys)
    assert code == 1
    assert any(line.startswith("FAIL  the hook command `/nowhere/empathy` (project) is not found") for line in lines)


def test_stale_rules_and_broken_patterns_fail_with_their_fix(repo, capsys):
    healthy(repo, capsys)
    write_pattern(repo, "tz-naive", title="Changed")
    build_tree(repo, {".empathy/patterns/debugging/bad.md": "no frontmatter\n"})
    code, lines = doctor(repo, capsys)
    assert code == 1
    assert any(
        line.startswith("FAIL  the pattern library has 1 error(s)") and "(fix: empathy patterns validate)" in line
        for line in lines
    )
    assert "FAIL  1 rule file(s) in .claude/rules/attune are out of date (fix: empathy-sync-claude)" in lines


def test_the_ledger_shows_which_rules_loaded(repo, capsys):
    healthy(repo, capsys)
    ledger = repo / ".empathy/logs/instructions.jsonl"
    ledger.parent.mkdir(parents=True)
    entries = [
        {"session": s, "file": ".claude/rules/attune/bug-patterns.md", "reason": "session_start"}
        for s in ("a", "b", "c")
    ]
    ledger.write_text("".join(json.dumps(e) + "\n" for e in entries))
    code, lines = doctor(repo, capsys)
    assert code == 0
    assert "ok    .claude/rules/attune/bug-patterns.md loaded in 3 of the last 3 sessions" in lines
    assert (
        "warn  .claude/rules/attune/bug-patterns--api.md never loaded in the last 3 sessions: its paths: globs "
        "matched no file Claude read or wrote (fix: check its globs)"
    ) in lines


def test_hooks_in_two_scopes_with_different_commands_run_twice(repo, capsys):
    healthy(repo, capsys)
    cli.main(["hooks", "install", "--scope", "local", "--root", str(repo)])
    _, lines = doctor(repo, capsys)
    assert any(line.startswith("warn  our hooks are installed in local and project settings") for line in lines)


def test_without_a_library(repo, capsys):
    code, lines = doctor(repo, capsys)
    assert code == 0
    assert f"warn  no .empathy/ pattern library in {repo} (fix: empathy init)" in lines
