from __future__ import annotations

import pytest

from attune import git
from attune.errors import UserError
from tests.helpers import build_tree, commit_all
from tests.helpers import git as run_git


def test_working_diff_has_staged_unstaged_and_untracked_changes(repo):
    build_tree(repo, {"a.py": "one\n", "b.py": "two\n"})
    commit_all(repo, "start")
    build_tree(repo, {"a.py": "one\nstaged\n", "new.py": "brand new\n"})
    run_git(repo, "add", "a.py")
    build_tree(repo, {"b.py": "two\nunstaged\n"})
    text = git.working_diff(repo)
    assert "+staged" in text and "+unstaged" in text and "+brand new" in text
    assert "diff --git a/new.py b/new.py" in text


def test_working_diff_of_a_repository_without_commits(repo):
    build_tree(repo, {"first.py": "x = 1\n"})
    run_git(repo, "add", "first.py")
    assert "+x = 1" in git.working_diff(repo)


def test_base_ref_reviews_the_whole_branch(repo):
    build_tree(repo, {"a.py": "base\n"})
    commit_all(repo, "base")
    run_git(repo, "checkout", "-q", "-b", "feature")
    build_tree(repo, {"a.py": "base\nfeature one\n"})
    commit_all(repo, "one")
    build_tree(repo, {"a.py": "base\nfeature one\nwork in progress\n"})
    text = git.working_diff(repo, "main")
    assert "+feature one" in text and "+work in progress" in text
    assert "+feature one" not in git.working_diff(repo)


def test_errors_are_one_line_user_errors(repo, tmp_path):
    build_tree(repo, {"a.py": "x\n"})
    commit_all(repo, "start")
    with pytest.raises(UserError, match=r"^--base nope: unknown revision; use a branch, tag or commit$"):
        git.working_diff(repo, "nope")
    with pytest.raises(UserError, match=r"^nope: unknown commit"):
        git.read_commit(repo, "nope")
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(UserError, match="is not a git repository"):
        git.working_diff(plain)


def test_read_commit(repo):
    build_tree(repo, {"src/db.py": "pool = None\n"})
    commit_all(repo, "start")
    build_tree(repo, {"src/db.py": "pool = make_pool()\n", "tests/test_db.py": "def test(): pass\n"})
    sha = commit_all(repo, "Fix: KeyError on reconnect\n\nThe pool was never created.")
    commit = git.read_commit(repo)
    assert commit.sha == sha
    assert (commit.subject, commit.body) == ("Fix: KeyError on reconnect", "The pool was never created.")
    assert commit.files == ("src/db.py", "tests/test_db.py")
    assert "+pool = make_pool()" in commit.diff and "-pool = None" in commit.diff
    root = git.read_commit(repo, "HEAD~1")
    assert root.files == ("src/db.py",) and "+pool = None" in root.diff


def test_our_own_local_state_is_not_part_of_the_change(repo):
    build_tree(repo, {"a.py": "x\n"})
    commit_all(repo, "start")
    build_tree(repo, {
        ".empathy/ledger.jsonl": "{}\n", ".empathy/logs/wizards.log": "log\n", ".empathy/sessions/s.json": "{}\n",
        ".empathy/staging/draft.md": "a draft\n", "a.py": "x\ny\n",
    })  # fmt: skip
    text = git.working_diff(repo)
    assert "ledger" not in text and "wizards.log" not in text and "sessions" not in text
    assert "+a draft" in text and "+y" in text  # a staged pattern is the user's to review
