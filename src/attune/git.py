"""The one owner of GitPython: the changes a wizard reviews, the commits it learns from, files at a commit."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Mapping, Sequence
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
        raise UserError(f"{root} is not a git repository; run the command inside one, or pass --root") from None


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

    with open_repo(root) as repo:  # closing it ends the `git cat-file` processes it started
        try:
            commit = repo.commit(rev)
        except (git.BadName, ValueError):
            raise UserError(f"{rev}: unknown commit; use a sha, branch or tag (default HEAD)") from None
        parent = commit.parents[0].hexsha if commit.parents else EMPTY_TREE
        diff = repo.git.diff(parent, commit.hexsha, "--no-color", "--no-ext-diff", "-U3")
        message = str(commit.message)
        files = tuple(sorted(str(name) for name in commit.stats.files))
    subject, _, body = message.partition("\n")
    return Commit(commit.hexsha, subject.strip(), body.strip(), commit.authored_datetime.isoformat(), files, diff)


class Blob(NamedTuple):
    id: str
    data: bytes | None  # None when the caller said it already has this blob


def resolve(root: Path, ref: str, flag: str) -> str:
    """The commit `ref` names; `flag` (`--base`, `--head`) says where a bad one came from."""
    with open_repo(root) as repo:
        return str(_commit(repo, ref, flag).hexsha)


def merge_base(root: Path, base: str, head: str, flag: str = "--base") -> str:
    """Where `head` left `base`, as a pull request's diff sees it."""
    with open_repo(root) as repo:
        found = repo.merge_base(_commit(repo, base, flag), _commit(repo, head, "--head"))
    if not found or found[0] is None:
        raise UserError(
            f"{flag} {base}: no common ancestor with {head}; in CI, check out the whole history (fetch-depth: 0)"
        )
    return str(found[0].hexsha)


def files_at(
    root: Path, rev: str, directories: Sequence[str], known: Mapping[str, str] | None = None
) -> dict[str, Blob]:
    """Regular files under `directories` (or named by them) at commit `rev`, from the object database.

    The working tree is never read. A file whose blob id is the one `known` gives for its path comes
    back without its data: the caller has it already.
    Symbolic links and submodules are left out: neither holds text we could read at a commit.
    """
    import git

    had = known or {}
    found: dict[str, Blob] = {}
    with open_repo(root) as repo:
        tree = repo.commit(rev).tree
        for directory in directories:
            try:
                top = tree / directory
            except KeyError:
                continue
            for item in top.traverse() if isinstance(top, git.Tree) else [top]:
                if isinstance(item, git.Blob) and item.mode & 0o170000 == 0o100000:
                    path, blob_id = str(item.path), str(item.hexsha)
                    data = None if had.get(path) == blob_id else item.data_stream.read()
                    found[path] = Blob(blob_id, data)
    return found


def commits_since(root: Path, since: str) -> list[str]:
    """The commits in `since`..HEAD, oldest first, without merges (their branches' commits are in the range)."""
    with open_repo(root) as repo:
        start = _commit(repo, since, "--since")
        return [str(c.hexsha) for c in repo.iter_commits(f"{start.hexsha}..HEAD", no_merges=True, reverse=True)]


def _commit(repo: git.Repo, ref: str, flag: str) -> git.Commit:
    import git

    try:
        return repo.commit(ref)
    except (git.BadName, ValueError):
        raise UserError(
            f"{flag} {ref}: unknown revision; use a branch, tag or commit (in CI, fetch it: fetch-depth: 0)"
        ) from None


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
