"""Named pipes a pull request can plant where the sync and the draft search read (review of issues 13-15)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.helpers import write_pattern

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")


def run(code: str, root, env=None) -> subprocess.CompletedProcess[str]:
    """In a process of its own, with a timeout: a read that blocks on the pipe fails the test, never hangs it (20 s: a sync of one pattern takes a second)."""
    return subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True, timeout=20,
                          check=False, env=env)  # fmt: skip


def test_a_pipe_in_place_of_the_rules_index_is_replaced_by_the_sync(repo):
    write_pattern(repo, "p1", paths=["src/**"])
    index = repo / ".empathy" / "cache" / "rules-index.json"
    index.parent.mkdir(parents=True)
    os.mkfifo(index)
    result = run("import sys; from attune import cli; sys.exit(cli.main(['sync', '--root', sys.argv[1], '-q']))", repo)
    assert result.returncode == 0, result.stderr
    assert index.is_file() and '"p1"' in index.read_text()


def test_a_pipe_among_the_drafts_is_passed_over(repo):
    write_pattern(repo, "p1", extra="source: commit 1234567abc")
    staging = repo / ".empathy" / "staging"
    staging.mkdir(parents=True)
    os.mkfifo(staging / "planted.md")
    (staging / "draft.md").write_text("---\nsource: commit abcdef1234\n---\n")
    code = "import sys; from pathlib import Path; from attune.patterns import sources; print(sources.recorded(Path(sys.argv[1])))"
    result = run(code, repo)
    assert result.returncode == 0, result.stderr
    assert "abcdef1234" in result.stdout and "planted.md" not in result.stdout


def test_a_pipe_among_the_rule_files_is_passed_over_by_the_check(repo):
    write_pattern(repo, "p1", paths=["src/**"])
    assert (
        run("import sys; from attune import cli; cli.main(['sync', '--root', sys.argv[1], '-q'])", repo).returncode == 0
    )
    os.mkfifo(repo / ".claude" / "rules" / "planted.md")
    code = "import sys; from attune import cli; sys.exit(cli.main(['sync', '--check', '--root', sys.argv[1]]))"
    result = run(code, repo)
    assert result.returncode == 0, result.stdout + result.stderr
