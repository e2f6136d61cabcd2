"""Keep the sync's reads, writes and deletes inside the real repository tree (issue 11).

A `.claude`, `.claude/rules` or output folder that is a symbolic link to a folder elsewhere would
let a sync write and delete files there, and a symlinked template folder would let it read them.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from attune import paths
from attune.errors import UserError


def folder(root: Path, rel: str, what: str) -> Path | None:
    """`root/rel` if each part of it below `root` is a real folder; None if some part does not exist yet.

    A symbolic link or a file on the way is a UserError: nothing is read, written or deleted through it.
    """
    path = root
    for part in rel.split("/"):
        path = path / part
        try:
            info = os.lstat(path)
        except (FileNotFoundError, NotADirectoryError):
            return None
        where = paths.relative(path, root)
        if stat.S_ISLNK(info.st_mode):
            raise UserError(
                f"{where}: is a symbolic link (to {os.readlink(path)}); the sync reads and writes {what} only "
                "inside the repository: replace the link with a real folder"
            )
        if not stat.S_ISDIR(info.st_mode):
            raise UserError(f"{where}: is not a folder; {what} go in {rel}/: move the file away")
    return path
