"""`empathy patterns review` reports the change to each configured target's files (issue 16)."""

from __future__ import annotations

import json

from attune.cli import main
from tests.helpers import build_tree, commit_all, git, write_pattern


def test_review_reports_each_target(repo, capsys):
    build_tree(repo, {".empathy/config.yaml": "targets: [claude, agents-md, cursor]\n", "src/api/app.py": "x = 1\n"})
    write_pattern(repo, "keep-me")
    write_pattern(repo, "remove-me", paths=["src/api/**"])
    write_pattern(repo, "break-me", "security", paths=["src/db/**"])
    commit_all(repo, "base")
    git(repo, "checkout", "-q", "-b", "feature")
    (repo / ".empathy/patterns/debugging/remove-me.md").unlink()
    write_pattern(repo, "keep-me", body="Changed.")
    write_pattern(repo, "new-one", "inspection", paths=["**/*.sql"])
    (repo / ".empathy/patterns/security/break-me.md").write_text("---\nid: break-me\n")
    commit_all(repo, "feature")
    assert main(["patterns", "review", "--root", str(repo), "--base", "main", "--format", "json"]) == 0
    rows = {(r["target"], r["path"]): r for r in json.loads(capsys.readouterr().out)["targets"]}
    assert rows[("agents-md", "AGENTS.md")]["state"] == "kept"  # the sync keeps a section fed by a broken file
    assert rows[("agents-md", "AGENTS.md")]["notes"] == [
        "AGENTS.md cannot scope by glob: the sections for **/*.sql; src/db/** are read in every session, "
        "under headings that name their paths"
    ]
    assert rows[("agents-md", "src/api/AGENTS.md")]["state"] == "removed"
    assert rows[("cursor", ".cursor/rules/coding-patterns--sql.mdc")]["state"] == "new"
    assert rows[("cursor", ".cursor/rules/bug-patterns.mdc")]["patterns_after"] == 1
    assert rows[("cursor", ".cursor/rules/security-decisions--db.mdc")]["state"] == "kept"
    assert ("cursor", ".cursor/rules/bug-patterns--api.mdc") in rows
    assert not any(target == "claude" for target, _ in rows)
    assert main(["patterns", "review", "--root", str(repo), "--base", "main"]) == 0
    out = capsys.readouterr().out
    assert "**Other agents' files**" in out
    assert "| cursor | `.cursor/rules/coding-patterns--sql.mdc` (new) | matching files | 0 → 1 |" in out
