"""`empathy scan --history`: the lines commits added, with commit, file and line (issue 12)."""

from __future__ import annotations

import json
import random

import pytest
from benchmarks import fakes

from attune.cli import main
from attune.scan import history
from tests.helpers import build_tree, commit_all, git

TOKEN = fakes.github(random.Random("history"))


@pytest.fixture
def project(repo, monkeypatch):
    build_tree(repo, {"app.py": "import os\n\n\ndef main():\n    return 1\n"})
    commit_all(repo, "start")
    monkeypatch.chdir(repo)
    return repo


def test_a_secret_added_and_later_removed_is_reported_with_its_commit_file_and_line(project, capsys):
    (project / "app.py").write_text(f'import os\n\nTOKEN = "{TOKEN}"\n\ndef main():\n    return 1\n')
    leaked = commit_all(project, "add a token")
    (project / "app.py").write_text("import os\n\n\ndef main():\n    return 1\n")
    commit_all(project, "remove it")
    assert main(["scan", "."]) == 0  # the tree is clean now
    assert main(["scan", "--history"]) == 1
    out = capsys.readouterr().out
    assert out == f"{leaked[:12]}:app.py:3: github-token: {TOKEN[:7]}…{TOKEN[-3:]}\n"
    assert main(["scan", "--history", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [(f["commit"], f["file"], f["line"]) for f in data["findings"]] == [(leaked, "app.py", 3)]


def test_a_range_limits_the_commits_scanned(project, capsys):
    build_tree(project, {"old.env": f"GITHUB_TOKEN={TOKEN}\n"})
    commit_all(project, "old leak")
    base = git(project, "rev-parse", "HEAD").strip()
    build_tree(project, {"new.txt": "nothing to see\n"})
    commit_all(project, "clean")
    assert main(["scan", "--history", f"{base}..HEAD"]) == 0
    assert main(["scan", "--history", f"{base}~1..HEAD"]) == 1
    assert "old.env:1: github-token" in capsys.readouterr().out


def test_pragmas_and_the_baseline_apply_to_history(project, capsys):
    build_tree(project, {"a.py": f'TOKEN = "{TOKEN}"  # pragma: allowlist secret\n'})
    commit_all(project, "allowed")
    assert main(["scan", "--history"]) == 0
    build_tree(project, {"b.py": f'KEY = "{TOKEN}"\n'})
    commit_all(project, "known")
    assert main(["scan", "--update-baseline", "b.py"]) == 0
    capsys.readouterr()
    assert main(["scan", "--history"]) == 0, capsys.readouterr().out


def test_a_bad_range_is_one_clear_error(project, capsys):
    assert main(["scan", "--history", "nosuchbranch..HEAD"]) == 1
    err = capsys.readouterr().err
    assert "--history nosuchbranch..HEAD" in err and len(err.strip().splitlines()) == 1


def test_an_empty_repository_has_no_history_to_scan(repo, monkeypatch):
    monkeypatch.chdir(repo)
    assert main(["scan", "--history"]) == 0


def test_the_log_parser_numbers_added_lines_in_the_new_file():
    log = (
        "\x00commit abc\n\ndiff --git a/x.py b/x.py\n--- a/x.py\n+++ b/x.py\n@@ -1,0 +2,2 @@\n+one\n++two\n"
        "@@ -9 +10 @@\n-old\n+ten\ndiff --git a/gone.py b/gone.py\n--- a/gone.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n"
    )
    assert list(history.parse(log)) == [history.Added("abc", "x.py", [(2, "one"), (3, "+two"), (10, "ten")])]
