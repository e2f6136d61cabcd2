"""Read a file of the repository's local state (an index, a ledger, a log) only when it is a regular file.

These files sit in the repository, where a pull request can put a symbolic link (to a file outside,
or to /dev/zero), a named pipe (reading it would hang a hook until its deadline, and so deny the
call) or a huge file. So: `O_NOFOLLOW` and `O_NONBLOCK` on the open, `fstat` before a byte is read,
and at most `limit` bytes. Standard library only: the hooks read through it (issue 13, 17).
"""

from __future__ import annotations

import os
from stat import S_ISREG

_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read(path: str, limit: int) -> bytes | None:
    """The file's bytes; None when it is missing, a link, not a regular file, larger than `limit`, or unreadable."""
    if not getattr(os, "O_NOFOLLOW", 0) and os.path.islink(path):
        return None
    try:
        fd = os.open(path, _FLAGS)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, limit + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        return b"".join(chunks) if total <= limit else None
    except OSError:
        return None
    finally:
        os.close(fd)


def text(path: str, limit: int) -> str | None:
    """`read`, decoded as UTF-8 (undecodable bytes replaced: these are our own JSON files)."""
    data = read(path, limit)
    return None if data is None else data.decode("utf-8", "replace")
