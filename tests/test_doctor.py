from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

from attune import cli
from tests.helpers import build_tree, write_pattern

WORKING = f"{shlex.quote(sys.executable)} -m attune"  # an empathy that runs, wherever the tests run


def doctor(repo, capsys):
    code = cli.main(["doctor", "--root", str(repo)])
    return code, capsys.readouterr().out.splitlines()


def doctor_with(repo, capsys, env):
    """`empathy doctor` in another environment (say, the bare PATH of a Claude Code started from an IDE)."""
    result = subprocess.run(
        [sys.executable, "-m", "attune", "doctor", "--root", str(repo)], capture_output=True, text=True,
        env={**os.environ, **env}, check=False,
    )  # fmt: skip
    return result.returncode, result.stdout.splitlines()


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
    assert any(line.startswith("ok    ") and "12 attune hooks installed (project)" in line for line in lines)
    for event in ("SessionStart", "UserPromptSubmit", "PreToolUse", "Stop", "SessionEnd", "InstructionsLoaded"):
        assert f"ok    the {event} hook (project) starts and answers" in lines
    assert not any(line.startswith("FAIL") for line in lines)
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
    assert (
        "FAIL  the PreToolUse hook (project) fails: attune-companion: cannot find `empathy` (/nowhere/empathy is "
        "missing or does not start); reinstall attune-companion, then run `empathy hooks install --scope local` "
        "again (fix: install attune-companion where the hook looks, or `empathy hooks install --scope local`)"
    ) in lines
    assert any(line.startswith("FAIL  the Stop hook (project) fails: exits 1 without a word") for line in lines)
    assert any(
        line.startswith("FAIL  the SessionStart hook (project) fails: attune-companion: cannot find") for line in lines
    )
    assert sum(line.startswith("FAIL  the ") for line in lines) == 12


def test_the_default_project_hooks_are_proven_against_the_projects_venv(repo, capsys):
    healthy(repo, capsys)
    cli.main(["hooks", "install", "--root", str(repo)])  # the lookup: .venv, venv, then PATH
    capsys.readouterr()
    bare = {"PATH": "/usr/bin:/bin"}
    code, lines = doctor_with(repo, capsys, bare)
    assert code == 1
    assert any(
        line.startswith("FAIL  the PreToolUse hook (project) fails: attune-companion: cannot find") for line in lines
    )
    (repo / ".venv/bin").mkdir(parents=True)
    (repo / ".venv/bin/empathy").symlink_to(Path(sys.executable).parent / "empathy")
    code, lines = doctor_with(repo, capsys, bare)
    assert "ok    the PreToolUse hook (project) starts and answers" in lines
    assert code == 0, lines


def test_a_hook_found_only_through_this_shells_path_is_a_warning(repo, capsys):
    healthy(repo, capsys)
    cli.main(["hooks", "install", "--root", str(repo), "--command", "empathy"])
    capsys.readouterr()
    code, lines = doctor_with(repo, capsys, {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"})
    assert code == 0
    assert "ok    the PreToolUse hook (project) starts and answers" in lines
    assert any(line.startswith("warn  the PreToolUse hook (project) finds `empathy` only through this shell's PATH")
               for line in lines)  # fmt: skip


def test_doctor_leaves_no_trace_in_the_project(repo, capsys):
    healthy(repo, capsys)
    before = sorted(p.relative_to(repo) for p in repo.rglob("*") if ".git" not in p.parts)
    doctor(repo, capsys)
    assert sorted(p.relative_to(repo) for p in repo.rglob("*") if ".git" not in p.parts) == before


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
    assert (
        "warn  our hooks are installed in local and project settings with different commands, so each runs twice "
        "(fix: empathy hooks uninstall --scope local (or the other one))"
    ) in lines
    assert "ok    the Stop hook (local) starts and answers" in lines


def test_a_malformed_foreign_hook_fails_because_the_whole_file_is_ignored(repo, capsys):
    healthy(repo, capsys)
    data = json.loads((repo / ".claude/settings.json").read_text())
    data["hooks"]["Notification"] = [{"hooks": [{"command": "notify-send hi"}]}]
    (repo / ".claude/settings.json").write_text(json.dumps(data))
    code, lines = doctor(repo, capsys)
    assert code == 1
    assert any(line.startswith(f"FAIL  {repo}/.claude/settings.json: hooks.Notification[0].hooks[0].type: missing")
               for line in lines)  # fmt: skip


def test_without_a_library(repo, capsys):
    code, lines = doctor(repo, capsys)
    assert code == 0
    assert f"warn  no .empathy/ pattern library in {repo} (fix: empathy init)" in lines


def test_a_missing_rules_index_is_reported(repo, capsys):
    healthy(repo, capsys)
    (repo / ".empathy/cache/rules-index.json").unlink()
    _, lines = doctor(repo, capsys)
    assert "warn  no rules index in .empathy/cache/rules-index.json: hooks cannot deliver scoped rules" in "\n".join(
        lines
    )
