"""Other agents' files (issue 16): golden output per target on a library that uses every feature."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from attune import cli
from tests.helpers import build_tree, write_pattern

GOLDEN = os.path.join(os.path.dirname(__file__), "golden")
TARGETS = ("agents-md", "cursor", "copilot", "gemini")
USER_AGENTS = "# Our agents\n\nRun `make test` before you push.\n"
USER_BELOW = "\n## Written below the section\n\nKept byte for byte.\n"
SECTION_FILES = ("AGENTS.md", "GEMINI.md", "copilot-instructions.md")
HAND_WRITTEN = {
    # a file in the way of each target that writes whole files, and people's own text around sections
    "cursor": {".cursor/rules/security-decisions.mdc": "---\nalwaysApply: true\n---\nOur own rule.\n"},
    "copilot": {
        ".github/instructions/bug-patterns--api.instructions.md": "---\napplyTo: 'src/api/**'\n---\nOurs.\n",
        ".github/copilot-instructions.md": "Team notes for Copilot.\n",
    },
    "agents-md": {"AGENTS.md": USER_AGENTS, "src/api/AGENTS.md": "API notes, no trailing newline"},
    "gemini": {"GEMINI.md": USER_AGENTS},
}


def sync(root, capsys, *args):
    code = cli.main(["sync", "--root", str(root), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def outputs(root):
    """Every file a target may write: all but .git, .empathy and the Claude rules."""
    found = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in (".git", ".empathy", ".claude"))
        for name in sorted(files):
            path = os.path.join(folder, name)
            found[os.path.relpath(path, root).replace(os.sep, "/")] = Path(path).read_text(encoding="utf-8")
    return dict(sorted(found.items()))


def as_golden(files):
    text = "".join(
        f"=== {path} ===\n{body}" + ("" if body.endswith("\n") else "\n[no newline at end]\n")
        for path, body in files.items()
    )
    # the hashes change with any packaged template; the hand-edit tests check them
    return re.sub(r"sources=[0-9a-f]+ content=[0-9a-f]+", "sources=... content=...", text)


def every_feature(repo):
    """Scoped and unscoped patterns in four categories, globs with braces, folders that exist and do not."""
    write_pattern(repo, "tz-naive")
    write_pattern(repo, "null-user", paths=["src/api/**"])
    write_pattern(repo, "no-secrets", "security", body="Read keys from the environment.")
    write_pattern(repo, "tsx", "inspection", paths=["src/**/*.{ts,tsx}", "web/*.ts"], body="Use hooks.")
    write_pattern(repo, "legacy", "tech_debt", paths=["src/legacy/**/*.py"], body="Pin behaviour first.")
    write_pattern(repo, "stampede", "inspection", paths=["src/cache/**"], body="Lock per key.")
    write_pattern(repo, "tentative", "inspection", paths=["**/*.sql"], body="Name constraints.",
                  extra="tags: [db]")  # fmt: skip
    for folder in ("src/api", "src/legacy", "src/cache", "web"):
        (repo / folder).mkdir(parents=True, exist_ok=True)
    return repo


@pytest.mark.parametrize("target", TARGETS)
def test_golden_output_per_target(repo, capsys, target):
    every_feature(repo)
    build_tree(repo, {})
    for rel, text in HAND_WRITTEN[target].items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text, encoding="utf-8")
    code, _, err = sync(repo, capsys, "--target", target)
    assert code == 0
    if target in ("cursor", "copilot"):
        assert "was not written by empathy-sync-claude, so it is left alone" in err
    # a malformed pattern keeps the output it fed, as the Claude rules do
    (repo / ".empathy/patterns/inspection/stampede.md").write_text("---\nid: stampede\n", encoding="utf-8")
    code, out, err = sync(repo, capsys, "--target", target)
    assert code == 0
    assert "stampede.md:1:" in err
    assert "as it was: a pattern in it has errors" in out
    for rel, text in HAND_WRITTEN[target].items():
        now = (repo / rel).read_text(encoding="utf-8")
        assert now.startswith(text) if rel.endswith(SECTION_FILES) else now == text
    expected_file = os.path.join(GOLDEN, f"{target}.txt")
    actual = as_golden(outputs(repo))
    if os.environ.get("ATTUNE_UPDATE_GOLDEN"):
        Path(expected_file).write_text(actual, encoding="utf-8")
    assert actual == Path(expected_file).read_text(encoding="utf-8")
    assert sync(repo, capsys, "--target", target, "--check")[0] == 1  # the malformed pattern is an error
