"""Unified diffs as records: which lines each file gained, with their line numbers in the new file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple, cast

from attune.errors import UserError
from attune.llm.wizards.base import Argument, Inputs, clip

_HUNK = re.compile(r"@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")


class FileChange(NamedTuple):
    path: str  # in the new tree; the old path for a deleted file
    added: tuple[tuple[int, str], ...]  # (line number in the new file, text without the '+')
    removed: int
    new_file: bool
    deleted: bool


def parse(diff: str) -> list[FileChange]:
    changes: list[FileChange] = []
    path = ""
    added: list[tuple[int, str]] = []
    removed = 0
    new_file = deleted = False
    line = 0
    in_hunk = False

    def flush() -> None:
        if path:
            changes.append(FileChange(path, tuple(added), removed, new_file, deleted))

    for text in diff.splitlines():
        if text.startswith("diff --git "):
            flush()
            path, added, removed, new_file, deleted, in_hunk = _git_header_path(text), [], 0, False, False, False
        elif not in_hunk and text.startswith("new file"):
            new_file = True
        elif not in_hunk and text.startswith("deleted file"):
            deleted = True
        elif text.startswith("+++ ") and not in_hunk:
            target = _unquote(text[4:])
            if target != "/dev/null":
                path = target.removeprefix("b/")
        elif text.startswith("--- ") and not in_hunk:
            continue
        elif (match := _HUNK.match(text)) is not None:
            line, in_hunk = int(match.group(1)), True
        elif in_hunk and text.startswith("+"):
            added.append((line, text[1:]))
            line += 1
        elif in_hunk and text.startswith("-"):
            removed += 1
        elif in_hunk and text.startswith(" "):
            line += 1
    flush()
    return changes


def added_text(change: FileChange) -> str:
    """The added lines joined, for scanners; line i of it is `change.added[i - 1]`."""
    return "\n".join(text for _, text in change.added)


def _git_header_path(header: str) -> str:
    # "diff --git a/x b/x": the b/ side, unless +++ names it later (renames, spaces).
    rest = header.removeprefix("diff --git ")
    half = rest.split(" b/", 1)
    return _unquote(half[1] if len(half) == 2 else rest).removeprefix("b/")


def _unquote(name: str) -> str:
    name = name.strip()
    if len(name) >= 2 and name[0] == name[-1] == '"':
        return name[1:-1]
    return name.split("\t", 1)[0]


BASE = Argument(
    "--base", "REF", "review everything since the working tree left REF (a branch); default: changes against HEAD"
)


def gather(root: Path, base: str | None) -> Inputs:
    """The changes to review (`--base REF` or the working tree against HEAD), parsed and as text."""
    from attune import git

    text = git.working_diff(root, base)
    changes = parse(text)
    if not changes:
        where = f"since {base}" if base else "against HEAD (staged or not, untracked included)"
        raise UserError(f"no changes {where}: nothing to review")
    label = f"{len(changes)} changed file{'s' * (len(changes) != 1)}" + (f" since {base}" if base else "")
    return Inputs({"diff": clip(text), "files": [c.path for c in changes]}, changes, label)


def changes_of(inputs: Inputs) -> list[FileChange]:
    """The parsed changes that `gather` put in `inputs.data`."""
    return cast("list[FileChange]", inputs.data)
