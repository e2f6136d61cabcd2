"""Plan and apply a sync of the other targets, with the Claude rules' guarantees (issue 16).

Only what changed is rendered and written; only our own files and sections are removed; a file
or section fed by a pattern file with errors is kept as it was; a file in the way that we did
not write is left alone and reported; nothing is read or written through a symbolic link.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from attune import atomic, digest
from attune.config import Config
from attune.errors import Problem
from attune.patterns.model import Library, Pattern
from attune.sync import confine, render, rules, screen
from attune.sync.rules import Rule, to_json
from attune.sync.targets import bodies as bodies_mod
from attune.sync.targets import disk, layout, marker
from attune.sync.targets.disk import Existing
from attune.sync.targets.layout import Unit

# Bump when this code changes what a target's file looks like (as rules.RENDER_FORMAT).
RENDER_FORMAT = "1"
FOREIGN = (
    "exists but was not written by empathy-sync-claude, so it is left alone; "
    "rename it to let the sync write its patterns"
)


class Change(NamedTuple):
    path: str  # relative to the root
    action: str  # write, remove, unchanged, kept (its sources are broken) or blocked
    old: str | None  # the whole file on disk
    new: str | None
    body: str  # our part once applied, as the model reads it (tokens: only --verbose counts them)
    always: bool
    notes: tuple[str, ...]
    patterns: int

    @property
    def tokens(self) -> int:
        return rules.tokens(self.body)


class TargetPlan(NamedTuple):
    target: str
    changes: tuple[Change, ...]
    problems: tuple[Problem, ...]

    @property
    def pending(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.action in ("write", "remove"))


def plan(
    root: Path, config: Config, library: Library, names: Sequence[str], *, force: bool = False, jinja: bool = False
) -> list[TargetPlan]:
    """One plan per target in `names` (never `claude`: attune.sync.render plans that one)."""
    found = render.templates(root, config)
    folders = disk.folder_check(root)
    problems = list(library.problems)
    held = screen.unsafe_names(library.usable)
    problems += held.values()
    usable = [p for p in library.usable if p.file not in held]
    groups = rules.group(usable, config, found.fingerprint)
    laid = {name: layout.units(name, groups, folders) for name in names}
    existing = {name: disk.existing(root, name, laid[name]) for name in names}
    # Scan only what is about to be rendered (issue 10), as the Claude plan does.
    stale = {
        (p.file, p.line): p  # a file may hold several patterns: each is scanned
        for name in names
        for unit in laid[name]
        if _stale(existing[name], unit, name, force)
        for p in _patterns(unit)
    }
    leaks = screen.secrets(root, stale.values(), usable) if stale else {}
    if leaks:
        problems += [problem for found_here in leaks.values() for problem in found_here]
        usable = [p for p in usable if p.file not in leaks]
        groups = rules.group(usable, config, found.fingerprint)
        laid = {name: layout.units(name, groups, folders) for name in names}
    broken = library.broken | set(held) | set(leaks)
    bodies: dict[tuple[str, str], str] = {}
    plans = []
    for name in names:
        render_body = bodies_mod.renderer(root, config, name, found, jinja=jinja, cache=bodies)
        changes, blocked = _changes(name, laid[name], existing[name], broken, force=force, render_body=render_body)
        plans.append(
            TargetPlan(name, tuple(sorted(changes, key=lambda c: c.path)), tuple(sorted(set(problems + blocked))))
        )
    return plans


def _patterns(unit: Unit) -> list[Pattern]:
    return [p for group in unit.groups for p in group.patterns]


def _also(target: str, unit: Unit, units: Sequence[Unit], kept: Iterable[str]) -> tuple[str, ...]:
    """The root file's list of our sections in folders, so that a later sync finds them to remove (issue 16)."""
    if target in layout.FOLDER_FILES and unit.path == layout.FOLDER_FILES[target]:
        return tuple(sorted({u.path for u in units if u.path != unit.path} | set(kept)))
    return ()


def _kept_sections(existing: Existing, planned: set[str], broken: frozenset[str] | set[str]) -> list[str]:
    """Unplanned files whose section a broken pattern file feeds: they stay, and stay listed."""
    kept = []
    for path, text in existing.texts.items():
        if path in planned or text is None or "/" not in path:
            continue
        section = marker.split(text).section
        if section is not None and section.source_files & broken:
            kept.append(path)
    return kept


def _sources(target: str, unit: Unit, also: Sequence[str]) -> str:
    parts = [
        RENDER_FORMAT,
        target,
        unit.path,
        unit.head,
        list(unit.notes),
        list(also),
        [g.sources for g in unit.groups],
    ]
    return digest.fingerprint(to_json(parts))


def _old(existing: Existing, unit_path: str, section: bool) -> marker.Generated | None:
    text = existing.texts.get(unit_path)
    if text is None:
        return None
    return marker.split(text).section if section else marker.parse_file(text)


def _stale(existing: Existing, unit: Unit, target: str, force: bool) -> bool:
    old = _old(existing, unit.path, unit.section)
    return (
        force or old is None or not old.intact or old.sources != _sources(target, unit, old.also)
    )  # the secret scan: errs towards scanning


def _changes(
    target: str,
    units: Sequence[Unit],
    existing: Existing,
    broken: frozenset[str] | set[str],
    *,
    force: bool,
    render_body: Callable[[Rule], str],
) -> tuple[list[Change], list[Problem]]:
    changes: list[Change] = []
    problems: list[Problem] = []
    planned = {unit.path for unit in units}
    kept = _kept_sections(existing, planned, broken) if target in layout.FOLDER_FILES else []
    for unit in units:
        count = len(_patterns(unit))
        if unit.path in existing.unreadable:
            problems.append(Problem(unit.path, 1, existing.unreadable[unit.path]))
            changes.append(Change(unit.path, "blocked", None, None, "", unit.always, unit.notes, count))
            continue
        text = existing.texts.get(unit.path)
        pieces = marker.split(text) if unit.section and text is not None else marker.Split(text or "", None, "", "")
        if pieces.error:
            problems.append(Problem(unit.path, 1, f"{pieces.error}; the sync leaves the file alone until then"))
            changes.append(Change(unit.path, "blocked", text, None, "", unit.always, unit.notes, count))
            continue
        old = pieces.section if unit.section else (marker.parse_file(text) if text is not None else None)
        if text is not None and old is None and not unit.section:
            problems.append(
                Problem(
                    unit.path,
                    1,
                    FOREIGN,
                )
            )
            changes.append(Change(unit.path, "blocked", text, None, "", unit.always, unit.notes, count))
            continue
        if old is not None and old.source_files & broken:
            changes.append(Change(unit.path, "kept", text, text, old.body, unit.always, unit.notes, count))
            continue
        also = _also(target, unit, units, kept)
        sources = _sources(target, unit, also)
        if old is not None and old.intact and old.sources == sources and not force:
            changes.append(Change(unit.path, "unchanged", text, text, old.body, unit.always, unit.notes, count))
            continue
        body = "\n".join(render_body(group) for group in unit.groups)
        files = sorted({p.file for p in _patterns(unit)})
        if unit.section:
            sep = marker.separator(pieces.before) if old is None else ""
            joined = len(sep) if old is None else old.joined
            section = marker.assemble_section(body, sources, unit.notes, also, files, joined=joined)
            new = pieces.before + sep + section + pieces.after
        else:
            new = marker.assemble_file(unit.head, body, sources, unit.notes, files)
        action = "unchanged" if new == text else "write"
        changes.append(Change(unit.path, action, text, new, body, unit.always, unit.notes, count))
    for path, text in existing.texts.items():
        if path in planned or text is None or path in existing.unreadable:
            continue
        gone = _leftover(path, text, broken)
        if gone is not None:
            changes.append(gone)
    return changes, problems


def _leftover(path: str, text: str, broken: frozenset[str] | set[str]) -> Change | None:
    """Our file or section that no group needs any more: removed, unless a broken pattern fed it."""
    if path.endswith((".mdc", ".instructions.md")):
        old = marker.parse_file(text)
        if old is None:
            return None
        if old.source_files & broken:
            return Change(path, "kept", text, text, old.body, False, old.notes, 0)
        return Change(path, "remove", text, None, "", False, (), 0)
    pieces = marker.split(text)
    if pieces.section is None:
        return None
    if pieces.section.source_files & broken:
        return Change(path, "kept", text, text, pieces.section.body, False, pieces.section.notes, 0)
    rest = marker.without(pieces)
    if not rest.strip():
        return Change(path, "remove", text, None, "", False, (), 0)
    return Change(path, "write", text, rest, "", False, (), 0)


def apply(root: Path, plans: Iterable[TargetPlan]) -> None:
    for target_plan in plans:
        for change in target_plan.pending:
            parent = os.path.dirname(change.path)
            if parent:
                confine.folder(root, parent, "instruction files")  # a link on the way is a UserError
            # what a killed sync left of this file (issue 11)
            confine.remove_stale_temporaries(root / parent, only=os.path.basename(change.path))
            if change.action == "write" and change.new is not None:
                atomic.write_atomic(root / change.path, change.new, durable=False)  # regenerated by the next sync
            elif change.action == "remove":
                (root / change.path).unlink(missing_ok=True)
