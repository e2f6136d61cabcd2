"""Read a file only when it is a regular file: never through a link, never a pipe, never past a size cap.

Local state (an index, a ledger, a log, a cache, session events, live-state entries) and the pattern
library sit where a pull request or a damaged checkout can put a symbolic link (to a file outside,
or to /dev/zero), a named pipe (reading it would hang a hook until its deadline, and so deny the
call, or hang the sync, and so CI) or a huge file. So: `O_NOFOLLOW` and `O_NONBLOCK` on the open,
`fstat` before a byte is read, and at most `limit` bytes. This is the one reader for that (issues 11,
13, 15, 17); a caller with words of its own picks them by `Refused.reason`. Standard library only:
the hooks read through it.
"""

from __future__ import annotations

import os
from stat import S_ISREG
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # for mypy only: the hooks read through this module, and building the alias costs them
    from typing import Literal

    # Why a file was not read. "missing" includes a path through a file (ENOTDIR).
    Reason = Literal["missing", "link", "not-regular", "too-large", "unreadable"]

# O_NOFOLLOW is missing on Windows only, where `_open` checks for a link first.
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_FLAGS = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


class Refused(Exception):
    """The file was not read: `reason`, the system's words in `detail` (missing, unreadable), the
    `size` seen (too large) and the `mode` seen (not regular: a pipe, a device, a folder)."""

    def __init__(self, path: str, reason: Reason, detail: str = "", *, size: int = 0, mode: int = 0) -> None:
        super().__init__(f"{path}: {reason}" + (f" ({detail})" if detail else ""))
        self.reason: Reason = reason
        self.detail = detail
        self.size = size
        self.mode = mode


class Loaded(NamedTuple):
    info: os.stat_result  # taken before a byte was read: what a cache stamps
    data: bytes


def load(path: str, limit: int) -> Loaded:
    """The regular file's status and bytes; Refused when it is missing, a link, not a regular file,
    larger than `limit` bytes, or unreadable."""
    fd, info = _open(path)
    try:
        if info.st_size > limit:
            raise Refused(path, "too-large", size=info.st_size)
        data = _read(fd, info.st_size, limit)
    except OSError as exc:
        raise Refused(path, "unreadable", exc.strerror or str(exc)) from None
    finally:
        os.close(fd)
    if len(data) > limit:  # it grew since fstat
        raise Refused(path, "too-large", size=len(data))
    return Loaded(info, data)


def read(path: str, limit: int) -> bytes | None:
    """`load`'s bytes; None for whatever `load` refuses."""
    try:
        return load(path, limit).data
    except Refused:
        return None


def text(path: str, limit: int) -> str | None:
    """`read`, decoded as UTF-8 (undecodable bytes replaced: these are our own JSON files)."""
    data = read(path, limit)
    return None if data is None else data.decode("utf-8", "replace")


def tail(path: str, offset: int, limit: int) -> tuple[int, bytes]:
    """What an append-only file holds from `offset` on, at most `limit` bytes of it, and where that starts:
    at 0 when `offset` is past the end (the file was replaced or cut). Refused as `load` is."""
    fd, info = _open(path)
    try:
        start = offset if 0 <= offset <= info.st_size else 0
        os.lseek(fd, start, os.SEEK_SET)
        want = min(info.st_size - start, limit)
        return start, _read(fd, want, want)[:want]  # what was appended since fstat waits for the next call
    except OSError as exc:
        raise Refused(path, "unreadable", exc.strerror or str(exc)) from None
    finally:
        os.close(fd)


def _open(path: str) -> tuple[int, os.stat_result]:
    """A descriptor on the regular file `path` and its status; the caller closes it."""
    if not _NOFOLLOW and os.path.islink(path):
        raise Refused(path, "link")
    try:
        fd = os.open(path, _FLAGS)
    except ValueError:  # a NUL byte in the name: no file can have it
        raise Refused(path, "unreadable", "the name holds a NUL byte") from None
    except OSError as exc:
        if os.path.islink(path):  # O_NOFOLLOW says ELOOP
            raise Refused(path, "link") from None
        missing = isinstance(exc, (FileNotFoundError, NotADirectoryError))
        raise Refused(path, "missing" if missing else "unreadable", exc.strerror or str(exc)) from None
    try:
        info = os.fstat(fd)
    except OSError as exc:
        os.close(fd)
        raise Refused(path, "unreadable", exc.strerror or str(exc)) from None
    if not S_ISREG(info.st_mode):
        os.close(fd)
        raise Refused(path, "not-regular", mode=info.st_mode)
    return fd, info


def _read(fd: int, size: int, limit: int) -> bytes:
    """`size` bytes in one call unless the file grew since fstat; never more than `limit` + 1 bytes."""
    chunks = [os.read(fd, size + 1)]
    total = len(chunks[0])
    while size < total <= limit:
        chunk = os.read(fd, limit + 1 - total)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)
