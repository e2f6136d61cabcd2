"""A per-user cache of parsed pattern files, so that a sync re-reads only the files that changed.

It lives in the user's cache directory (never in the repository) as one file per project,
keyed by each file's size, modification time and inode. Parsing 1,000 patterns costs far more
than starting Python; with the cache a sync that finds nothing new reads no pattern file.

The file is in `marshal` format, like the `.pyc` files Python keeps in `__pycache__`: three
times quicker to write and to read back than JSON (5 ms instead of 15 at 1,000 patterns), tied
to the Python version (so is the key), and trusted no less than those bytecode files, as it
sits in the user's own cache directory.

A file modified in the last two seconds is not cached: on file systems with coarse
timestamps a second edit in the same tick would otherwise go unseen (git's "racy" case).
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from attune import __version__, atomic, digest
from attune.config import Config
from attune.errors import Problem
from attune.patterns.model import Pattern, SourceFile

FORMAT = 2  # 2: patterns carry a classification
RACY_SECONDS = 2.0


class Stamp(NamedTuple):
    size: int
    mtime_ns: int
    inode: int


UNREAD = Stamp(-1, -1, -1)  # matches no file: what could not be read, or is no file, is read again


def location(root: Path) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    name = digest.fingerprint(str(root), size=10)
    return Path(base) / "attune-companion" / "library" / f"{name}.marshal"


def key(config: Config) -> str:
    """What a cached parse depends on besides the file: our parsing code and the categories."""
    here = Path(__file__).resolve().parent
    stamps = [__version__, str(FORMAT), sys.version, repr(config.categories)]
    for module in (
        "model",
        "store",
        "reader",
        "validate",
        "checks",
        "../yamlio",
        "../yamlsubset",
        "../config",
        "../digest",
    ):
        try:
            stamps.append(str(os.stat(here / f"{module}.py").st_mtime_ns))
        except OSError:
            stamps.append("?")
    return digest.fingerprint("\0".join(stamps))


def read(root: Path, cache_key: str) -> dict[str, tuple[Stamp, SourceFile]]:
    """Cached parses by relative path; empty when the cache is missing, stale or unreadable."""
    try:
        with open(location(root), "rb") as handle:
            data = handle.read()
        blob = marshal.loads(data)  # noqa: S302 - our own file in the user's cache directory, as .pyc files are
        if blob.get("key") != cache_key:
            return {}
        return {rel: from_plain(rel, entry) for rel, entry in blob["files"].items()}
    except (OSError, ValueError, EOFError, TypeError, KeyError, AttributeError):
        return {}  # a damaged cache is only a slower sync


def settled(stamp: Stamp) -> bool:
    """Old enough to cache: a second edit within the file system's timestamp tick is no longer possible."""
    return stamp.mtime_ns < time.time_ns() - int(RACY_SECONDS * 1e9)


def write(root: Path, cache_key: str, files: Mapping[str, tuple[Stamp, SourceFile]]) -> None:
    settled = time.time_ns() - int(RACY_SECONDS * 1e9)
    entries = {rel: to_plain(stamp, source) for rel, (stamp, source) in files.items() if stamp.mtime_ns < settled}
    target = location(root)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):  # a read-only cache directory costs speed, never correctness
        atomic.write_atomic(target, marshal.dumps({"key": cache_key, "files": entries}), durable=False)


Plain = tuple[tuple[int, ...], tuple[tuple[object, ...], ...], tuple[tuple[object, ...], ...]]


def to_plain(stamp: Stamp, source: SourceFile) -> Plain:
    """A parsed file as exact tuples, which marshal takes (it refuses NamedTuples): for this cache and
    for the pipe from a forked parser (attune.patterns.parallel)."""
    return tuple(stamp), tuple(map(tuple, source.patterns)), tuple(map(tuple, source.problems))


def from_plain(rel: str, plain: Sequence[Any]) -> tuple[Stamp, SourceFile]:
    """What to_plain made, back (read from a file or a pipe, so untyped); a malformed one raises
    TypeError or ValueError."""
    stamp, patterns, problems = plain
    records = tuple(Pattern(*fields) for fields in patterns)
    return Stamp(*stamp), SourceFile(rel, records, tuple(Problem(*p) for p in problems))
