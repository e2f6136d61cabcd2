"""Everything that runs git: diffs, commits, files at a commit; one message per kind of failure.

One way in (issue 15): GitPython, the dependency the project names. Commits, history and the
working tree go through its objects; the review's plumbing (`rev-parse`, `merge-base`, `ls-tree`,
one `cat-file --batch` for every blob) through `repo.git.execute`, so every failure comes back as
a GitCommandError and leaves here as one UserError (`_unknown`, `_unrelated`, `_failed`).

What it costs: importing GitPython takes about 100 ms of CPU. Streaming `cat-file --batch --buffer`
(`as_process`) and one `merge-base` pay that back where the review reads the library twice, not in
the everyday review of 10,000 patterns (same config: 1.81 s of CPU against 1.72 s for the raw
plumbing; config changed: 2.49 s against 2.51 s; medians of 7 runs interleaved with the old code,
generated as `python -m benchmarks.bench_review` does). The review won the import back elsewhere
(one listing a revision, one Jinja environment, a faster duplicate search): against the plumbing
of b294429, 10,000 patterns take 1.56 s of CPU instead of 1.94 (same config) and 2.50 s instead of
2.91 (config changed); 1,000 patterns stay within 3% (medians of interleaved runs). The hooks never
import this module (tests/test_imports.py).
"""

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
# Literal pathspecs: a configured folder name with `*` or `[` in it means just that folder.
_LITERAL = {"GIT_LITERAL_PATHSPECS": "1"}


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
        raise _not_a_repository(root) from None


def working_diff(root: Path, base: str | None = None) -> str:
    """The working tree against HEAD (staged or not, and untracked files), or against where it left `base`."""
    import git

    repo = open_repo(root)
    if base is not None:
        start = _merge_base(repo, base, "HEAD", "--base")
    else:
        start = repo.head.commit.hexsha if repo.head.is_valid() else EMPTY_TREE
    try:
        tracked = repo.git.diff(start, "--no-color", "--no-ext-diff", "-U3")
    except git.GitCommandError as exc:
        raise _failed("diff", exc.stderr) from None
    parts = [tracked] if tracked else []
    for name in sorted(repo.untracked_files):
        if not _local_state(name):
            parts.append(_untracked(repo, root, name))
    return "\n".join(parts) + ("\n" if parts else "")


def read_commit(root: Path, rev: str = "HEAD", flag: str = "") -> Commit:
    with open_repo(root) as repo:  # closing it ends the `git cat-file` processes it started
        commit = _commit(repo, rev, flag)
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
        return _resolve(repo, ref, flag)


def merge_base(root: Path, base: str, head: str, flag: str = "--base") -> str:
    """Where `head` left `base`, as a pull request's diff sees it."""
    with open_repo(root) as repo:
        return _merge_base(repo, base, head, flag)


def files_at(
    root: Path, rev: str, directories: Sequence[str], known: Mapping[str, str] | None = None
) -> dict[str, Blob]:
    """Regular files under `directories` (or named by them) at commit `rev`, from the object database.

    The working tree is never read. A file whose blob id is the one `known` gives for its path comes
    back without its data: the caller has it already.
    Symbolic links and submodules are left out: neither holds text we could read at a commit.

    Two git processes do the work (`ls-tree`, then one `cat-file --batch` fed every blob wanted at
    once): reading blob by blob (`repo.odb.stream`) took a round trip each, 3 s for 20,000 files.
    """
    had = known or {}
    with open_repo(root) as repo:
        listing = _run(repo, "ls-tree", "-r", "-z", "--full-tree", rev, "--", *directories)
        wanted: dict[str, str] = {}
        for record in listing.split(b"\0"):
            if not record:
                continue
            meta, _, raw_path = record.partition(b"\t")
            mode, kind, blob_id = meta.decode().split()
            if kind == "blob" and int(mode, 8) & 0o170000 == 0o100000:  # regular files, not links
                wanted[os.fsdecode(raw_path)] = blob_id
        missing = sorted({blob_id for path, blob_id in wanted.items() if had.get(path) != blob_id})
        contents = _cat_blobs(repo, missing)
    return {
        path: Blob(blob_id, None if had.get(path) == blob_id else contents[blob_id]) for path, blob_id in wanted.items()
    }


def blobs(root: Path, blob_ids: Sequence[str]) -> dict[str, bytes]:
    """The contents of `blob_ids`, from the object database (one `git cat-file --batch`)."""
    with open_repo(root) as repo:
        return _cat_blobs(repo, blob_ids)


def _cat_blobs(repo: git.Repo, blob_ids: Sequence[str]) -> dict[str, bytes]:
    """The contents of `blob_ids`, from one `git cat-file --batch` fed every id while its output is read.

    Its output is read in one call as it comes (`as_process`), not through `communicate`'s loop:
    that, and `--buffer`, paid for most of GitPython's import in the review (issue 15).
    """
    import contextlib
    import threading

    if not blob_ids:
        return {}
    process = _start(repo, "cat-file", "--batch", "--buffer")  # held: dropping it would end git (AutoInterrupt)
    proc = process.proc
    if proc is None or proc.stdin is None or proc.stdout is None:  # never: as_process with both pipes
        raise UserError("git cat-file: no pipe to talk to git through")
    stdin = proc.stdin

    def feed() -> None:  # on its own thread: git writes blobs while ids are still coming, and a pipe is finite
        with contextlib.suppress(BrokenPipeError), stdin:  # git stopped early: its exit status says why
            stdin.write("".join(f"{b}\n" for b in blob_ids).encode())

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    output: bytes = proc.stdout.read()
    feeder.join()
    if proc.wait() != 0:
        raise _failed("cat-file", proc.stderr.read() if proc.stderr is not None else None)
    contents: dict[str, bytes] = {}
    position = 0
    for blob_id in blob_ids:
        end = output.index(b"\n", position)
        header = output[position:end].split()
        if len(header) != 3 or header[1] != b"blob":
            raise UserError(f"git cat-file: cannot read blob {blob_id} ({b' '.join(header[1:]).decode()})")
        size = int(header[2])
        contents[blob_id] = output[end + 1 : end + 1 + size]
        position = end + 1 + size + 1  # the contents end with a newline of git's own
    return contents


def _start(repo: git.Repo, command: str, *args: str) -> git.cmd.Git.AutoInterrupt:
    """git `command` running, its stdin and stdout pipes to talk to it through (GitPython's `as_process`)."""
    import subprocess

    import git

    try:
        return repo.git.execute(["git", command, *args], istream=subprocess.PIPE, as_process=True, env=_LITERAL)
    except git.GitCommandNotFound:
        raise UserError("git is not installed or not on PATH; install git to read the library at a commit") from None


def _run(repo: git.Repo, command: str, *args: str) -> bytes:
    """git `command` through GitPython, its output as bytes; every failure is one UserError (issue 15)."""
    import git

    try:
        out = repo.git.execute(
            ["git", command, *args], env=_LITERAL, stdout_as_string=False, strip_newline_in_stdout=False
        )
    except git.GitCommandNotFound:
        raise UserError("git is not installed or not on PATH; install git to read the library at a commit") from None
    except git.GitCommandError as exc:
        raise _failed(command, exc.stderr) from None
    return out if isinstance(out, bytes) else str(out).encode()


def _resolve(repo: git.Repo, ref: str, flag: str) -> str:
    """The one way a name becomes a commit, whichever command asked (issue 15)."""
    import git

    try:
        out = repo.git.execute(["git", "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"])
    except git.GitCommandError:
        raise _unknown(flag, ref) from None
    return str(out).strip()


def _merge_base(repo: git.Repo, base: str, head: str, flag: str) -> str:
    """One `git merge-base` when both names are good; only a failure resolves them one by one, to say which."""
    import git

    names = [f"{base}^{{commit}}", f"{head}^{{commit}}"]
    try:
        out = str(repo.git.execute(["git", "merge-base", "--end-of-options", *names]))
    except git.GitCommandError:  # exit 1: no common ancestor; 128: a name that is not a commit
        _resolve(repo, base, flag)  # raises for the name that is not a commit
        _resolve(repo, head, "--head")
        out = ""
    if not out.strip():
        raise _unrelated(flag, base, head)
    return out.split()[0]


def commits_since(root: Path, since: str) -> list[str]:
    """The commits in `since`..HEAD, oldest first, without merges (their branches' commits are in the range)."""
    with open_repo(root) as repo:
        start = _commit(repo, since, "--since")
        return [str(c.hexsha) for c in repo.iter_commits(f"{start.hexsha}..HEAD", no_merges=True, reverse=True)]


def _commit(repo: git.Repo, ref: str, flag: str) -> git.Commit:
    return repo.commit(_resolve(repo, ref, flag))


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


def _unknown(flag: str, ref: str) -> UserError:
    """The one message for a name that is not a commit here, whichever way git was asked."""
    named = f"{flag} {ref}" if flag else ref
    return UserError(f"{named}: unknown revision; use a branch, tag or commit (in CI, fetch it: fetch-depth: 0)")


def _unrelated(flag: str, base: str, head: str) -> UserError:
    return UserError(
        f"{flag} {base}: no common ancestor with {head}; in CI, check out the whole history (fetch-depth: 0)"
    )


def _not_a_repository(root: Path) -> UserError:
    return UserError(f"{root} is not a git repository; run the command inside one, or pass --root")


def _failed(command: str, stderr: str | bytes | None) -> UserError:
    return UserError(f"git {command}: {_first_line(stderr)}")


def _first_line(text: str | bytes | None) -> str:
    value = text.decode(errors="replace") if isinstance(text, bytes) else (text or "")
    lines = [line.strip().removeprefix("stderr: '").rstrip("'") for line in value.splitlines() if line.strip()]
    return lines[0] if lines else "unknown error"
