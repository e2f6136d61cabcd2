"""What `empathy scan` reads: files and directories (git's view, .gitignore respected) or the staged index."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from attune.errors import UserError

BASELINE_NAME = ".secrets.baseline"
_SNIFF = 8192


class Source(NamedTuple):
    shown: str  # the name printed in findings
    path: Path  # absolute, for baseline keys
    data: bytes


def decode(data: bytes) -> str | None:
    """The text of a file, or None for binary content (a NUL byte early on, or not UTF-8)."""
    if b"\0" in data[:_SNIFF]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def missing(paths: Sequence[str]) -> list[str]:
    return [p for p in paths if not os.path.lexists(p)]


def from_paths(paths: Sequence[str]) -> Iterator[Source]:
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for rel in _walk(path):
                target = path / rel
                shown = rel if given in (".", "./") else f"{given.rstrip('/')}/{rel}"
                yield from _read(shown, target)
        else:
            yield from _read(given, path)


def _read(shown: str, path: Path) -> Iterator[Source]:
    if path.is_symlink() or not path.is_file() or path.name == BASELINE_NAME:
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{shown}: cannot read: {exc.strerror}; check its permissions") from None
    yield Source(shown, path.resolve(), data)


def _walk(directory: Path) -> list[str]:
    """Relative file names under `directory`: git's own list inside a work tree, every file elsewhere."""
    result = subprocess.run(
        ["git", "-C", str(directory), "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        capture_output=True,
        check=False,
    )
    if result.returncode == 0 and not _ignored(directory):
        names = sorted({n for n in result.stdout.decode("utf-8", "surrogateescape").split("\0") if n})
        return [n for n in names if (directory / n).is_file()]
    # Outside a work tree, or a directory git ignores but the user named: every file, .git/ excepted.
    found: list[str] = []
    for top, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if d != ".git")
        base = Path(top).relative_to(directory)
        found.extend((base / f).as_posix() for f in sorted(files))
    return found


def _ignored(directory: Path) -> bool:
    check = ["git", "-C", str(directory), "check-ignore", "-q", "."]
    return subprocess.run(check, capture_output=True, check=False).returncode == 0


def staged(paths: Sequence[str]) -> Iterator[Source]:
    """The index content of staged files (added, copied, modified, renamed), not the working tree."""
    root = _git_root()
    # Run from the current directory, so that PATHS mean what the user typed; git prints root-relative names.
    listed = _git(None, "diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR", "--", *paths).split(b"\0")
    names = [n.decode("utf-8", "surrogateescape") for n in listed if n]
    if not names:
        return
    entries = []
    for record in _git(root, "ls-files", "--stage", "-z", "--", *names).split(b"\0"):
        if not record:
            continue
        meta, raw_name = record.split(b"\t", 1)
        mode, sha, _stage = meta.split()
        if mode in (b"100644", b"100755"):
            entries.append((raw_name.decode("utf-8", "surrogateescape"), sha))
    blobs = _git(root, "cat-file", "--batch", stdin=b"".join(sha + b"\n" for _, sha in entries))
    position = 0
    for name, _sha in entries:
        header_end = blobs.index(b"\n", position)
        size = int(blobs[position:header_end].split()[2])
        data = blobs[header_end + 1 : header_end + 1 + size]
        position = header_end + 1 + size + 1
        if Path(name).name != BASELINE_NAME:
            yield Source(name, root / name, data)


def _git_root() -> Path:
    result = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise UserError("--staged needs a git repository: run it inside one, or scan paths instead")
    return Path(result.stdout.strip())


def _git(root: Path | None, *args: str, stdin: bytes | None = None) -> bytes:
    where = [] if root is None else ["-C", str(root)]
    result = subprocess.run(["git", *where, *args], input=stdin, capture_output=True, check=False)
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip()
        raise UserError(f"git {args[0]} failed in {root or Path.cwd()}: {message}")
    return result.stdout
