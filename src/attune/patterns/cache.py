"""A per-user cache of parsed pattern files, so that a sync re-reads only the files that changed.

It lives in the user's cache directory (never in the repository) as one file per project,
keyed by each file's size, modification time and inode. Parsing 1,000 patterns costs far more
than starting Python; with the cache a sync that finds nothing new reads no pattern file.

The file is in `marshal` format, like the `.pyc` files Python keeps in `__pycache__`: three
times quicker to write and to read back than JSON (5 ms instead of 15 at 1,000 patterns), tied
to the Python version (so is the key), and trusted no less than those bytecode files, as it
sits in the user's own cache directory.

A damaged cache must never change a rule file (issue 11: 10 of 26 flipped bytes did). So the
file starts with a header holding the key and a CRC-32 of the marshal payload, and both are
checked before `marshal.loads` sees a byte (damaged marshal data can crash the interpreter;
it did in benchmarks/hostile_cache.py); any mismatch means a cold parse. CRC-32 catches every
burst of up to 32 damaged bits and all but 1 in 4 billion larger damages, at 0.2 ms a megabyte
(the cache of 1,000 patterns), a fifth of what BLAKE2b takes; against someone who can write to
the user's cache directory no unkeyed digest would help either. The cache is read only when it
is a regular file (a pipe or a link to /dev/zero would hang the sync).

A file modified in the last two seconds is not cached: on file systems with coarse
timestamps a second edit in the same tick would otherwise go unseen (git's "racy" case).
"""

from __future__ import annotations

import binascii
import contextlib
import marshal
import os
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from attune import __version__, atomic, digest, paths, safefile
from attune.config import Config
from attune.errors import Problem
from attune.patterns.model import Pattern, SourceFile

FORMAT = 3  # 2: patterns carry a classification; 3: a header with the key and a checksum
MAGIC = b"attune-parse-cache\n"
RACY_SECONDS = 2.0
# About 1 MB a thousand patterns: a larger file is no cache of ours, and costs a cold parse, never a wrong one.
MAX_BYTES = 256 << 20


class Stamp(NamedTuple):
    size: int
    mtime_ns: int
    inode: int


UNREAD = Stamp(-1, -1, -1)  # matches no file: what could not be read, or is no file, is read again


def location(root: Path) -> Path:
    return Path(paths.cache_dir("library", f"{digest.fingerprint(str(root), size=10)}.marshal"))


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
    """Cached parses by relative path; empty when the cache is missing, stale, damaged or unreadable."""
    try:  # only a regular file: a pipe or a link to /dev/zero would never end
        data = safefile.load(str(location(root)), MAX_BYTES).data
    except safefile.Refused:
        return {}
    head = b"%s%s\n" % (MAGIC, cache_key.encode())
    payload = memoryview(data)[len(head) + 9 :]
    if not data.startswith(head) or data[len(head) : len(head) + 9] != _checksum(payload):
        return {}  # stale or damaged: a cold parse, never a wrong one
    try:
        files = marshal.loads(payload)  # noqa: S302 - our own file, as .pyc files are, and its checksum matched
        return {rel: from_plain(rel, entry) for rel, entry in files.items()}
    except (ValueError, EOFError, TypeError, AttributeError):
        return {}  # only a bug of ours gets here: the checksum matched


def _checksum(payload: bytes | memoryview) -> bytes:
    return b"%08x\n" % binascii.crc32(payload)


def settled(stamp: Stamp) -> bool:
    """Old enough to cache: a second edit within the file system's timestamp tick is no longer possible.

    What could not be read (UNREAD) is never cached: it is looked at again on every sync anyway.
    """
    return stamp != UNREAD and stamp.mtime_ns < time.time_ns() - int(RACY_SECONDS * 1e9)


def write(root: Path, cache_key: str, files: Mapping[str, tuple[Stamp, SourceFile]]) -> None:
    limit = time.time_ns() - int(RACY_SECONDS * 1e9)
    entries = {
        rel: to_plain(stamp, source)
        for rel, (stamp, source) in files.items()
        if stamp.mtime_ns < limit and stamp != UNREAD  # as settled() says
    }
    payload = marshal.dumps(entries)
    head = b"%s%s\n%s" % (MAGIC, cache_key.encode(), _checksum(payload))
    target = location(root)
    with contextlib.suppress(OSError):  # a read-only cache directory, or a file in its place, costs speed only
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic.write_atomic(target, head + payload, durable=False)


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
