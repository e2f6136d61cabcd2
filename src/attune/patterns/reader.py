"""Read a pattern file's bytes only when it is a regular file of sensible size (issue 11).

The rule files it feeds are loaded by every Claude Code session, so a symbolic link is never
followed (its target may lie outside the repository, or be /dev/zero), and a named pipe or a
device is never read (it would hang the sync, and so CI): `O_NOFOLLOW` and `O_NONBLOCK` on
the open, then `fstat` says what was opened before a byte is read.
"""

from __future__ import annotations

import os
from pathlib import Path
from stat import S_ISREG

from attune import paths

MAX_BYTES = 1 << 20  # a pattern is a page of text; a larger bulk file can be split in several
SYMLINK = (
    "is a symbolic link; the library reads only regular files and folders: "
    "replace the link with a copy of what it points to"
)
# O_NOFOLLOW is missing on Windows only, where `read` checks for a link first.
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_FLAGS = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


class Refused(ValueError):
    """The file is not read; the message says why and what to do, for a `path:1:` line."""


def read(path: str) -> tuple[os.stat_result, bytes]:
    """The file's status (taken before reading) and its bytes; Refused when it is no file to read."""
    if not _NOFOLLOW and os.path.islink(path):
        raise Refused(SYMLINK)
    try:
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        raise Refused(SYMLINK if os.path.islink(path) else f"cannot read: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if not S_ISREG(info.st_mode):
            raise Refused("is not a regular file (a pipe, a device or a folder); remove it")
        data = _read(fd, info.st_size) if info.st_size <= MAX_BYTES else b""
    except OSError as exc:
        raise Refused(f"cannot read: {exc.strerror}") from None
    finally:
        os.close(fd)
    if info.st_size > MAX_BYTES or len(data) > MAX_BYTES:
        size = max(info.st_size, len(data)) / (1 << 20)
        raise Refused(f"is larger than 1 MB ({size:.1f} MB); split it into several pattern files")
    return info, data


def _read(fd: int, size: int) -> bytes:
    """In one call unless the file grew since fstat; never more than MAX_BYTES + 1 bytes."""
    chunks = [os.read(fd, size + 1)]
    total = len(chunks[0])
    while size < total <= MAX_BYTES:
        chunk = os.read(fd, MAX_BYTES + 1 - total)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def escapes(root: Path) -> str | None:
    """Where `.empathy/patterns/` really is, when a symbolic link takes it out of the repository."""
    folder = os.path.join(root, paths.PATTERNS_DIR)
    real = os.path.realpath(folder)
    if real == folder:  # no link on the way: the usual case, one realpath call
        return None
    top = os.path.realpath(root)
    return None if real.startswith(top + os.sep) else real
