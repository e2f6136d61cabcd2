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
    with pytest.raises(UserError, match=r"^--base nope: unknown revision; use a branch, tag or commit \(in CI"):
        git.working_diff(repo, "nope")
    with pytest.raises(UserError, match=r"^nope: unknown revision; use a branch, tag or commit \(in CI"):
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


def test_files_at_a_commit_are_read_from_objects_not_the_working_tree(repo):
    build_tree(repo, {"lib/a.md": "first\n", "lib/deep/b.md": "deep\n", "other/c.md": "other\n"})
    (repo / "lib" / "link.md").symlink_to("a.md")
    first = commit_all(repo, "start")
    build_tree(repo, {"lib/a.md": "second\n"})
    commit_all(repo, "edit")
    (repo / "lib" / "a.md").write_text("uncommitted\n")
    found = git.files_at(repo, first, ["lib", "missing", "other/c.md"])
    assert {path: blob.data for path, blob in found.items()} == {
        "lib/a.md": b"first\n", "lib/deep/b.md": b"deep\n", "other/c.md": b"other\n",
    }  # fmt: skip  # no symbolic link
    assert git.files_at(repo, "HEAD", ["lib/a.md"])["lib/a.md"].data == b"second\n"
    # A blob the caller already has comes back without its data; the same path with other content does not.
    known = {"lib/deep/b.md": found["lib/deep/b.md"].id, "lib/a.md": found["lib/a.md"].id}
    again = git.files_at(repo, "HEAD", ["lib"], known=known)
    assert (again["lib/deep/b.md"].data, again["lib/a.md"].data) == (None, b"second\n")


def test_blobs_are_read_by_id(repo):
    build_tree(repo, {"a.md": "first\n", "b.md": "second\n"})
    commit_all(repo, "start")
    found = git.files_at(repo, "HEAD", ["a.md", "b.md"])
    ids = [found["a.md"].id, found["b.md"].id]
    assert git.blobs(repo, ids) == {ids[0]: b"first\n", ids[1]: b"second\n"}
    assert git.blobs(repo, []) == {}
    with pytest.raises(UserError, match="cannot read blob"):
        git.blobs(repo, ["0" * 40])


def test_files_at_take_folder_names_literally(repo):
    """`lib` is not `library`, and `*` or `[` in a folder name match only themselves."""
    build_tree(repo, {
        "lib/a.md": "a\n", "library/b.md": "b\n", "t*/c.md": "c\n", "tx/d.md": "d\n",
        "x[1]/e.md": "e\n", "x1/f.md": "f\n", "lib/run.sh": "#!/bin/sh\n", "lib/ünï.md": "u\n",
    })  # fmt: skip
    (repo / "lib" / "run.sh").chmod(0o755)
    (repo / "lib" / "empty.md").write_bytes(b"")
    commit_all(repo, "start")
    found = git.files_at(repo, "HEAD", ["lib", "t*", "x[1]"])
    assert {path: blob.data for path, blob in found.items()} == {
        "lib/a.md": b"a\n", "lib/empty.md": b"", "lib/run.sh": b"#!/bin/sh\n", "lib/ünï.md": b"u\n",
        "t*/c.md": b"c\n", "x[1]/e.md": b"e\n",
    }  # fmt: skip


def test_files_at_an_unknown_revision_is_a_user_error(repo):
    build_tree(repo, {"a.md": "a\n"})
    commit_all(repo, "start")
    with pytest.raises(UserError, match=r"^git ls-tree: "):
        git.files_at(repo, "no-such-rev", ["a.md"])


def test_refs_resolve_to_commits_and_the_merge_base_is_where_a_branch_left(repo):
    build_tree(repo, {"a.py": "1\n"})
    start = commit_all(repo, "start")
    run_git(repo, "checkout", "-q", "-b", "feature")
    build_tree(repo, {"a.py": "2\n"})
    feature = commit_all(repo, "feature")
    run_git(repo, "checkout", "-q", "main")
    build_tree(repo, {"b.py": "1\n"})
    commit_all(repo, "main moves on")
    assert git.resolve(repo, "feature", "--head") == feature
    assert git.merge_base(repo, "main", "feature") == start
    with pytest.raises(UserError, match=r"^--head nope: unknown revision; use a branch, tag or commit \(in CI"):
        git.resolve(repo, "nope", "--head")
    with pytest.raises(UserError, match=r"^--base HEAD:a.py: unknown revision"):  # a blob, not a commit
        git.merge_base(repo, "HEAD:a.py", "HEAD")
    with pytest.raises(UserError, match=r"^--head nope: unknown revision"):  # one merge-base call; a failure says which
        git.merge_base(repo, "main", "nope")


def test_commits_since_are_oldest_first_without_merges(repo, monkeypatch):
    def on_day(day):
        for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
            monkeypatch.setenv(name, f"2026-01-0{day}T00:00:00+00:00")

    build_tree(repo, {"a.py": "1\n"})
    start = commit_all(repo, "start")
    run_git(repo, "checkout", "-q", "-b", "side")
    on_day(3)
    build_tree(repo, {"b.py": "1\n"})
    side = commit_all(repo, "side work")
    run_git(repo, "checkout", "-q", "main")
    on_day(2)
    build_tree(repo, {"a.py": "2\n"})
    main = commit_all(repo, "main work")
    on_day(4)
    run_git(repo, "merge", "-q", "--no-ff", "-m", "Merge branch 'side'", "side")
    assert git.commits_since(repo, start) == [main, side]
    assert git.commits_since(repo, "HEAD") == []
    with pytest.raises(UserError, match=r"^--since v9: unknown revision"):
        git.commits_since(repo, "v9")


def test_review_plumbing_outside_a_repository_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="is not a git repository; run the command inside one"):
        git.resolve(tmp_path, "HEAD", "--head")
    with pytest.raises(UserError, match="is not a git repository"):
        git.files_at(tmp_path, "HEAD", ["."])


def test_a_review_talks_to_git_through_gitpython_only(repo):
    """One way to git (issue 15): the review's plumbing goes through GitPython, never a subprocess of its own."""
    import subprocess
    import sys

    from tests.helpers import write_pattern

    write_pattern(repo, "one")
    commit_all(repo, "start")
    run_git(repo, "checkout", "-q", "-b", "feature")
    write_pattern(repo, "two")
    commit_all(repo, "two")
    code = (
        "import sys\nfrom attune import cli\n"
        f"assert cli.main(['patterns', 'review', '--base', 'main', '--root', {str(repo)!r}]) == 0\n"
        "from attune import git\n"
        "print('GITPYTHON', 'git' in sys.modules, 'subprocess' in vars(git))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "two" in out and out.splitlines()[-1] == "GITPYTHON True False"


def test_an_unknown_revision_reads_the_same_whichever_way_git_was_asked(repo):
    """GitPython (working_diff, read_commit, commits_since) and the plumbing (resolve): one message (issue 15)."""
    build_tree(repo, {"a.py": "x\n"})
    commit_all(repo, "start")
    messages = set()
    for ask in (
        lambda: git.working_diff(repo, "v9"),
        lambda: git.read_commit(repo, "v9", "--base"),
        lambda: git.resolve(repo, "v9", "--base"),
        lambda: git.merge_base(repo, "v9", "HEAD"),
    ):
        with pytest.raises(UserError) as exc:
            ask()
        messages.add(str(exc.value))
    assert messages == {"--base v9: unknown revision; use a branch, tag or commit (in CI, fetch it: fetch-depth: 0)"}
