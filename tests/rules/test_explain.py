"""`empathy rules explain PATH`, run as a process, against ledgers filled by the real hooks (issue 13)."""

from __future__ import annotations

import os

from attune import cli
from tests.helpers import run_process as empathy
from tests.helpers import write_pattern
from tests.hooks.real import run_hook

RULE = ".claude/rules/attune/bug-patterns--api.md"


def library(repo, capsys):
    assert cli.main(["init", "--root", str(repo)]) == 0
    write_pattern(repo, "null-user", paths=["src/api/**"])
    write_pattern(repo, "slow-query", paths=["src/db/**"])
    write_pattern(repo, "tz-naive")
    assert cli.main(["sync", "--root", str(repo), "-q"]) == 0
    capsys.readouterr()


def test_which_rules_apply_through_which_glob_and_how_they_loaded(repo, capsys):
    library(repo, capsys)
    load = {
        "file_path": str(repo / RULE),
        "load_reason": "path_glob_match",
        "trigger_file_path": str(repo / "src/api/a.py"),
    }
    run_hook("InstructionsLoaded", load, project=repo)
    start = {"file_path": str(repo / ".claude/rules/attune/bug-patterns.md"), "load_reason": "session_start"}
    run_hook("InstructionsLoaded", start, project=repo)
    write = {"tool_name": "Bash", "tool_input": {"command": "printf x > src/api/b.py"}, "session_id": "session-2"}
    run_hook("PreToolUse", write, project=repo)

    code, out, err = empathy("rules", "explain", "src/api/orders.py", cwd=repo)

    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "src/api/orders.py: 2 of our rule files apply"
    assert f"  {RULE} through `src/api/**`, ~" in out and "1 pattern(s): null-user" in out
    assert "  .claude/rules/attune/bug-patterns.md always (no paths:, loaded in every session)" in out
    assert "loaded by Claude Code when the agent read or wrote src/api/a.py" in out
    assert "delivered by our PreToolUse hook on a Bash write of src/api/b.py" in out
    assert "reached the model in 2 of the last 2 session(s)" in out  # the scoped rule: once each way
    assert "loaded by Claude Code at session start" in out
    assert "not matching: .claude/rules/attune/bug-patterns--db.md (src/db/**)" in out


def test_a_path_no_scoped_rule_matches_and_no_sessions_yet(repo, capsys):
    library(repo, capsys)
    (repo / "docs").mkdir()

    code, out, _ = empathy("rules", "explain", "README.md", cwd=repo / "docs")  # relative to where it runs

    assert code == 0
    assert out.splitlines()[0] == "docs/README.md: 1 of our rule files applies"
    assert "no sessions recorded yet" in out


def test_outside_a_library_it_says_what_to_do(tmp_path):
    code, _, err = empathy("rules", "explain", "x.py", "--root", str(tmp_path), cwd=tmp_path)
    assert code == 1 and "run `empathy init` there" in err


def test_the_mcp_tool_answers_as_rules_explain_does_with_lines_to_cite(repo, capsys):
    """One answer to "which rules apply here" (issue 15): after a sync, the rule files on disk (the MCP tool)
    and the ones the next sync writes (`rules explain`) name the same files through the same globs."""
    from attune.mcp import tools
    from attune.rules import explain

    library(repo, capsys)
    for path in ("src/api/orders.py", "src/db/query.sql", "README.md"):
        applying, _ = explain.applies(repo, path)
        cited = tools.rules_for_path(repo, path)
        assert [(a.file, a.glob or None) for a in applying] == [(m.file, m.glob) for m in cited], path
    api = tools.rules_for_path(repo, "src/api/orders.py")
    assert [(m.file, m.line) for m in api] == [(".claude/rules/attune/bug-patterns--api.md", 3),
                                               (".claude/rules/attune/bug-patterns.md", 1)]  # fmt: skip
    assert (repo / api[0].file).read_text().splitlines()[2] == '  - "src/api/**"'


def test_a_ledger_that_is_a_pipe_or_a_link_reads_as_no_sessions(repo, capsys, tmp_path):
    """The ledgers sit in the repository: read through attune.safefile, as the hooks read them (issue 15)."""
    library(repo, capsys)
    forged = tmp_path / "forged.jsonl"
    forged.write_text(
        f'{{"time": "2026-01-01T00:00:00Z", "session": "s", "file": "{RULE}", "reason": "session_start"}}\n'
    )
    logs = repo / ".empathy/logs"
    logs.mkdir(exist_ok=True)
    os.mkfifo(logs / "instructions.jsonl")
    (logs / "rules-delivered.jsonl").symlink_to(forged)
    code, out, err = empathy("rules", "explain", "src/api/a.py", cwd=repo)  # a pipe once hung it
    assert code == 0, err
    assert "no sessions recorded yet" in out
