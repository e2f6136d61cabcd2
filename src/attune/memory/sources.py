"""What the recall index is built from, and how it tells that something changed (issue 13).

A full look stat()s every pattern file and session record: at 10,000 patterns that is most of
a recall's time. So the index also keeps the modification time of every folder it read: a file
created, removed or renamed (git checkouts, our own atomic writes, the hooks' session records)
changes its folder's time, and a recall that finds every folder as it was reads no file at all.
A pattern edited in place changes no folder: the next sync (which stat()s every file anyway)
brings it in, as it brings it into the rule files.

A folder modified in the last two seconds is stored as unsettled and looked into again next
time: on file systems with coarse timestamps a second change in the same tick would go unseen
(git's "racy" case; attune.patterns.cache does the same for files).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

from attune import paths

RACY_NS = 2 * 10**9
ABSENT = -2  # the folder did not exist
UNSETTLED = -1  # modified too recently to be trusted
KINDS = ("pattern", "session")

Stamp = tuple[int, int, int]  # size, mtime_ns, inode


class Source(NamedTuple):
    rel: str  # relative to the root, with forward slashes
    kind: str  # "pattern" or "session"
    stamp: Stamp
    path: str


class Folder(NamedTuple):
    rel: str
    kind: str
    mtime_ns: int  # or ABSENT or UNSETTLED


def top_folder(root: Path, kind: str) -> Path:
    return root / paths.PATTERNS_DIR if kind == "pattern" else root / paths.SESSIONS_DIR


def changed_kinds(root: Path, folders: Iterable[Folder]) -> set[str]:
    """The kinds with a folder whose time is not the one stored: those to look into again."""
    changed = set()
    seen = set()
    for folder in folders:
        seen.add(folder.kind)
        if folder.kind not in changed and (
            folder.mtime_ns == UNSETTLED or _mtime(root / folder.rel) != folder.mtime_ns
        ):
            changed.add(folder.kind)
    return changed | (set(KINDS) - seen)


def scan(root: Path, kind: str) -> tuple[list[Source], list[Folder]]:
    """Every source file of `kind` with its stamp, and every folder looked into with its time."""
    from attune.patterns import store

    top = top_folder(root, kind)
    prefix = len(str(root)) + 1
    found: list[Source] = []
    folders: list[Folder] = []
    stack = [str(top)]
    while stack:
        directory = stack.pop()
        rel_dir = directory[prefix:].replace(os.sep, "/")
        before = _mtime(Path(directory))
        try:
            entries = list(os.scandir(directory))
        except OSError:
            folders.append(Folder(rel_dir, kind, before))
            continue
        folders.append(Folder(rel_dir, kind, before))
        for entry in entries:
            if entry.is_symlink() or entry.name.startswith("."):
                continue  # links are refused by the library's reader; never followed here (issue 11)
            if entry.is_dir(follow_symlinks=False):
                if kind == "pattern":
                    stack.append(entry.path)
                continue
            wanted = store.is_pattern_file(entry.name) if kind == "pattern" else entry.name.endswith(".json")
            if not wanted:
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            rel = entry.path[prefix:].replace(os.sep, "/")
            found.append(Source(rel, kind, (info.st_size, info.st_mtime_ns, info.st_ino), entry.path))
    return found, folders


def _mtime(path: Path) -> int:
    try:
        mtime = os.stat(path).st_mtime_ns
    except OSError:
        return ABSENT
    return UNSETTLED if mtime >= time.time_ns() - RACY_NS else mtime


def changed(current: Iterable[Source], known: Mapping[str, Stamp]) -> tuple[list[Source], list[str]]:
    """The sources new or changed since `known`, and the paths of those gone."""
    now = {source.rel: source for source in current}
    new = [source for rel, source in now.items() if known.get(rel) != source.stamp]
    return new, [rel for rel in known if rel not in now]
