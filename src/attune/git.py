"""The one owner of GitPython: the changes a wizard reviews and the commits it learns from."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from attune import paths
from attune.errors import UserError

if TYPE_CHECKING:
    import git

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # git's well-known empty tree: a repository with no commit
MAX_UNTRACKED_BYTES = 200_000  # larger new files are named in the diff but not shown


class Commit(NamedTuple):
    sha: str
    subject: str
    body: str  # the message after the subject line
    date: str  # the author date, ISO-8601
    files: tuple[str, ...]
    diff: str  # the patch against the first parent (or the empty tree for a root commit)


def open_repo(root: Path) -> git.Repo:
    import git

    try:
        return git.Repo(root, search_parent_directories=False)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise UserError(f"{root} is not a git repository; run the wizard inside one, or pass --root") from None


def working_diff(root: Path, base: str | None = None) -> str:
    """The working tree against HEAD (staged or not, and untracked files), or against where it left `base`."""
    import git

    repo = open_repo(root)
    if base is not None:
        try:
            found = repo.merge_base(repo.commit(base), "HEAD")
        except (git.BadName, ValueError):
            raise UserError(f"--base {base}: unknown revision; use a branch, tag or commit") from None
        if not found:
            raise UserError(f"--base {base}: no common ancestor with HEAD")
        start = found[0].hexsha
    else:
        start = repo.head.commit.hexsha if repo.head.is_valid() else EMPTY_TREE
    try:
        tracked = repo.git.diff(start, "--no-color", "--no-ext-diff", "-U3")
    except git.GitCommandError as exc:
        raise UserError(f"git diff failed: {_first_line(exc.stderr)}") from None
    parts = [tracked] if tracked else []
    for name in sorted(repo.untracked_files):
        if not _local_state(name):
            parts.append(_untracked(repo, root, name))
    return "\n".join(parts) + ("\n" if parts else "")


def read_commit(root: Path, rev: str = "HEAD") -> Commit:
    import git

    repo = open_repo(root)
    try:
        commit = repo.commit(rev)
    except (git.BadName, ValueError):
        raise UserError(f"{rev}: unknown commit; use a sha, branch or tag (default HEAD)") from None
    parent = commit.parents[0].hexsha if commit.parents else EMPTY_TREE
    diff = repo.git.diff(parent, commit.hexsha, "--no-color", "--no-ext-diff", "-U3")
    message = str(commit.message)
    subject, _, body = message.partition("\n")
    files = tuple(sorted(str(name) for name in commit.stats.files))
    return Commit(commit.hexsha, subject.strip(), body.strip(), commit.authored_datetime.isoformat(), files, diff)


def _local_state(name: str) -> bool:
    """Our own untracked state (the ledger, logs, sessions) is never part of a change to review."""
    prefix = f"{paths.EMPATHY_DIR}/"
    if not name.startswith(prefix):
        return False
    rest = name.removeprefix(prefix)
    return any(rest.startswith(e) if e.endswith("/") else fnmatch.fnmatch(rest, e) for e in paths.LOCAL_STATE)


def _untracked(repo: git.Repo, root: Path, name: str) -> str:
    path = root / name
    try:
        size = path.stat().st_size
    except OSError:
        return ""
    if size > MAX_UNTRACKED_BYTES:
        return f"diff --git a/{name} b/{name}\nnew file (untracked, {size} bytes, not shown)\n"
    # `git diff --no-index` exits 1 when the files differ, which is always here.
    return str(repo.git.diff("--no-color", "--no-index", "--", os.devnull, name, with_exceptions=False))


def _first_line(text: str | bytes | None) -> str:
    value = text.decode(errors="replace") if isinstance(text, bytes) else (text or "")
    lines = [line.strip().removeprefix("stderr: '").rstrip("'") for line in value.splitlines() if line.strip()]
    return lines[0] if lines else "unknown error"
