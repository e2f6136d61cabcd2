"""`empathy patterns review`: the change to each configured target's files (issue 16)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from attune.sync.rules import Rule
from attune.sync.targets import layout


class FileChange(NamedTuple):
    target: str
    path: str
    state: str  # new, removed, changed, or kept (a source file has errors: the sync keeps it as it was)
    always: bool  # read in every session
    patterns_before: int
    patterns_after: int
    notes: tuple[str, ...]  # what the format cannot express in this file, at head


def compare(
    targets: Sequence[str], old: Mapping[str, Rule], new: Mapping[str, Rule], is_folder: Callable[[str], bool]
) -> list[FileChange]:
    """`old` and `new`: the Claude rule groups by name at both revisions; a kept group has sources "kept"."""
    changes: list[FileChange] = []
    for target in targets:
        if target == "claude":
            continue
        before = {u.path: u for u in layout.units(target, sorted(old.values()), is_folder)}
        after = {u.path: u for u in layout.units(target, sorted(new.values()), is_folder)}
        for path in sorted(before.keys() | after.keys()):
            was, now = before.get(path), after.get(path)
            if _key(was) == _key(now):
                continue
            shown = now or was
            assert shown is not None  # noqa: S101 - a path comes from one of the two
            kept = now is not None and any(g.sources == "kept" for g in now.groups)
            state = "new" if was is None else "removed" if now is None else "kept" if kept else "changed"
            changes.append(
                FileChange(target, path, state, shown.always, _count(was), _count(now), now.notes if now else ())
            )
    return changes


def _key(unit: layout.Unit | None) -> tuple[object, ...] | None:
    return None if unit is None else (unit.head, unit.notes, tuple(g.sources for g in unit.groups))


def _count(unit: layout.Unit | None) -> int:
    return 0 if unit is None else sum(len(g.patterns) for g in unit.groups)


def as_markdown(changes: Sequence[FileChange], code: Callable[[str], str]) -> list[str]:
    if not changes:
        return []
    lines = ["", "**Other agents' files** (targets: in .empathy/config.yaml)", ""]
    lines += ["| target | file | loads | patterns | cannot express |", "|---|---|---|---|---|"]
    for c in changes:
        state = "" if c.state == "changed" else f" ({c.state})"
        loads = "every session" if c.always else "matching files"
        notes = "; ".join(c.notes) or "—"
        lines.append(
            f"| {c.target} | {code(c.path)}{state} | {loads} | {c.patterns_before} → {c.patterns_after} | {notes} |"
        )
    return lines


def as_json(changes: Sequence[FileChange]) -> list[dict[str, object]]:
    return [c._asdict() | {"notes": list(c.notes)} for c in changes]
