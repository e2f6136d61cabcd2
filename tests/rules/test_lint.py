"""`empathy-sync-claude --check` and `empathy doctor` report what Claude Code mishandles in rule files (issue 13)."""

from __future__ import annotations

from attune import cli
from tests.helpers import run_process as empathy
from tests.helpers import write_pattern


def synced(repo, capsys):
    assert cli.main(["init", "--root", str(repo)]) == 0
    assert cli.main(["sync", "--root", str(repo), "-q"]) == 0
    capsys.readouterr()


def test_an_always_loaded_rule_over_the_budget_fails_check_and_doctor(repo, capsys):
    synced(repo, capsys)
    for number in range(50):  # 5 MB of patterns with no paths: (one file may hold at most 1 MB)
        write_pattern(repo, f"note-{number:02}", body="word " * (20_000 + number))
    write_pattern(repo, "small-note", body="short")
    assert cli.main(["sync", "--root", str(repo), "-q"]) == 0
    capsys.readouterr()

    code, out, err = empathy("sync", "--check", cwd=repo)

    assert code == 1
    assert ".empathy/config.yaml:1: ~" in err and "tokens of rules load in every session, over the token_budget" in err
    assert "largest: note-49 in .empathy/patterns/debugging/note-49.md (~25" in err
    assert "rules are up to date" not in out
    assert "characters: Claude Code loads a rule file whole" in err  # and the file is very long
    code, out, _ = empathy("doctor", cwd=repo)
    assert code == 1
    assert any(line.startswith("FAIL  .empathy/config.yaml:1: ~") and "note-49" in line for line in out.splitlines())


def test_a_glob_that_matches_everything_is_named_with_its_pattern(repo, capsys):
    synced(repo, capsys)
    write_pattern(repo, "everywhere", paths=["**"])
    assert cli.main(["sync", "--root", str(repo), "-q"]) == 0
    capsys.readouterr()

    code, out, err = empathy("sync", "--check", cwd=repo)

    assert code == 0  # a warning: the rule still loads as written
    assert ".empathy/patterns/debugging/everywhere.md:1: warning: paths: '**' matches every file" in err
    assert "rules are up to date" in out


def test_rule_files_the_client_reads_otherwise_than_meant(repo, capsys):
    synced(repo, capsys)
    theirs = repo / ".claude/rules/team"
    theirs.mkdir(parents=True)
    (theirs / "globs-key.md").write_text('---\nglobs: "docs/**"\n---\nDocs.\n')
    (theirs / "empty.md").write_text("---\npaths:\n---\nAll.\n")
    (theirs / "unquoted.md").write_text("---\npaths:\n  - **/*.md\n---\nMd.\n")
    (theirs / "bad.md").write_text("---\npaths: [unclosed\n---\nNever.\n")
    (theirs / "fine.md").write_text('---\npaths:\n  - "src/**/*.py"\n---\nFine.\n')
    (repo / ".claude/rules/long.md").write_text("x" * 50_000)

    code, _, err = empathy("sync", "--check", cwd=repo)

    assert code == 1  # the rule that never loads is an error
    lines = err.splitlines()
    assert any(line.startswith(".claude/rules/team/globs-key.md:2: warning: `globs:` is not") for line in lines)
    assert any(line.startswith(".claude/rules/team/empty.md:2: warning: an empty `paths:`") for line in lines)
    assert any(line.startswith(".claude/rules/team/unquoted.md:3: warning: an unquoted glob") for line in lines)
    assert any(line.startswith(".claude/rules/team/bad.md:2: `paths:` is not valid YAML") for line in lines)
    assert any(line.startswith(".claude/rules/long.md:1: warning: 50,000 characters") for line in lines)
    assert not any("fine.md" in line for line in lines)
