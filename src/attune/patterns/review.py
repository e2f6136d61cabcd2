"""A library review: its records, and the comparison of two snapshots that makes them (`empathy patterns review`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from attune.errors import Problem, UserError
from attune.patterns import duplicates, snapshot
from attune.patterns.duplicates import Duplicate
from attune.patterns.model import Pattern
from attune.patterns.snapshot import Snapshot
from attune.sync.rules import Rule
from attune.sync.targets import review as targets_review

# The fields a reader of the review cares about, in the order they are listed.
FIELDS = ("title", "category", "paths", "status", "body", "tags", "confidence", "source", "created", "updated", "file")


class PatternChange(NamedTuple):
    kind: str  # added, changed, removed, promoted, or unreadable (its file has errors at head)
    id: str
    pattern: Pattern  # as it is at head, or as it was for a removed or unreadable one
    before: Pattern | None
    after: Pattern | None
    fields: tuple[str, ...]  # what differs, for changed and promoted patterns


class RuleChange(NamedTuple):
    name: str  # file name inside the output directory
    state: str  # new, removed, changed, or kept (a source file has errors: the sync keeps it as it was)
    always: bool  # loaded in every session (no `paths:`)
    globs_added: tuple[str, ...]
    globs_removed: tuple[str, ...]
    globs: tuple[str, ...]  # its globs at head (at the base for a removed file)
    added: tuple[str, ...]  # pattern ids
    removed: tuple[str, ...]
    changed: tuple[str, ...]
    tokens_before: int
    tokens_after: int


class Tokens(NamedTuple):
    before: int  # approximate tokens of the rule files loaded in every session
    after: int
    rendered: bool  # False: estimated from titles and bodies (a template did not render)
    note: str  # why it is an estimate


class Review(NamedTuple):
    base: Snapshot
    head: Snapshot
    patterns: tuple[PatternChange, ...]
    rules: tuple[RuleChange, ...]
    tokens: Tokens
    problems: tuple[Problem, ...]  # at head, in the files this change touches
    duplicates: tuple[Duplicate, ...]
    targets: tuple[targets_review.FileChange, ...] = ()  # the other agents' files (issue 16)

    @property
    def empty(self) -> bool:
        return not (self.patterns or self.rules or self.problems or self.duplicates)


def compare(base: Snapshot, head: Snapshot, *, is_folder: Callable[[str], bool] = lambda rel: False) -> Review:
    """`is_folder`: whether a folder exists for its AGENTS.md (the working tree's, for a review)."""
    changes = _pattern_changes(base, head)
    base_rules, head_rules = _effective_rules(base, head)
    rule_changes, tokens = _rule_changes(base, head, base_rules, head_rules)
    touched = {rel for rel in {*base.blobs, *head.blobs} if base.blobs.get(rel) != head.blobs.get(rel)}
    problems = [p for p in head.library.problems if p.path in touched]
    if base.config_blob != head.config_blob:
        problems += head.config_problems
    edited = [c.after for c in changes if c.after is not None and c.kind != "unreadable"]
    candidates = [p for p in head.library.patterns if p.status != "deprecated"]
    found = duplicates.find([p for p in edited if p.status != "deprecated"], candidates)
    targets = targets_review.compare(head.config.targets, base_rules, head_rules, is_folder)
    return Review(
        base,
        head,
        tuple(changes),
        tuple(rule_changes),
        tokens,
        tuple(sorted(set(problems))),
        tuple(found),
        tuple(targets),
    )


def _pattern_changes(base: Snapshot, head: Snapshot) -> list[PatternChange]:
    before = _by_id(base.library.patterns)
    after = _by_id(head.library.patterns)
    broken = head.library.broken
    changes: list[PatternChange] = []
    for pattern_id in sorted(before.keys() | after.keys()):
        old, new = before.get(pattern_id), after.get(pattern_id)
        if new is None and old is not None:
            kind = "unreadable" if old.file in broken else "removed"
            changes.append(PatternChange(kind, pattern_id, old, old, None, ()))
        elif old is None and new is not None:
            promoted = new.status == "active" and pattern_id in base.staged
            changes.append(PatternChange("promoted" if promoted else "added", pattern_id, new, None, new, ()))
        elif old is not None and new is not None and old.digest != new.digest:
            fields = tuple(f for f in FIELDS if getattr(old, f) != getattr(new, f))
            promoted = old.status == "staged" and new.status == "active"
            changes.append(PatternChange("promoted" if promoted else "changed", pattern_id, new, old, new, fields))
    return changes


def _effective_rules(base: Snapshot, head: Snapshot) -> tuple[dict[str, Rule], dict[str, Rule]]:
    """The rule files at both revisions; at head, a file fed by a broken pattern file keeps its base version."""
    old = {r.name: r for r in snapshot.group(base)}
    new = {r.name: r for r in snapshot.group(head)}
    broken = head.library.broken
    for name, rule in old.items():
        if any(p.file in broken for p in rule.patterns):
            new[name] = rule._replace(sources="kept")
    return old, new


def _rule_changes(
    base: Snapshot, head: Snapshot, old: Mapping[str, Rule], new: Mapping[str, Rule]
) -> tuple[list[RuleChange], Tokens]:
    differing = [n for n in sorted(old.keys() | new.keys()) if _sources(old.get(n)) != _sources(new.get(n))]
    always = {name for name, rule in {**old, **new}.items() if not rule.paths}
    wanted = set(differing) | always
    try:
        # Equal sources mean an equal file (templates included): a rule the change left alone, or kept
        # at its base version, is not rendered twice (issue 15: the review pays for GitPython's import).
        same = {n for n, r in new.items() if n in wanted and n in old and r.sources in ("kept", old[n].sources)}
        before, after = snapshot.render_pair(
            base,
            [r for n, r in old.items() if n in wanted],
            head,
            [r for n, r in new.items() if n in wanted and n not in same],
        )
        after.update({n: before[n] for n in same if n in before})
        tokens = Tokens(_total(before, old), _total(after, new), True, "")
    except UserError as exc:  # a broken template override: the reader still gets an estimate
        before = snapshot.estimate_tokens([r for n, r in old.items() if n in wanted])
        after = snapshot.estimate_tokens([r for n, r in new.items() if n in wanted])
        tokens = Tokens(_total(before, old), _total(after, new), False, str(exc))
    changes = []
    for name in differing:
        was, now = old.get(name), new.get(name)
        state = "removed" if now is None else "new" if was is None else "kept" if now.sources == "kept" else "changed"
        ids_before = {p.id: p.digest for p in was.patterns} if was else {}
        ids_after = {p.id: p.digest for p in now.patterns} if now else {}
        globs_before, globs_after = set(was.paths if was else ()), set(now.paths if now else ())
        shown = now if now is not None else old[name]
        changes.append(RuleChange(
            name, state, not shown.paths, tuple(sorted(globs_after - globs_before)),
            tuple(sorted(globs_before - globs_after)), shown.paths,
            tuple(sorted(ids_after.keys() - ids_before.keys())), tuple(sorted(ids_before.keys() - ids_after.keys())),
            tuple(sorted(i for i in ids_after.keys() & ids_before.keys() if ids_after[i] != ids_before[i])),
            before.get(name, 0), after.get(name, 0),
        ))  # fmt: skip
    return changes, tokens


def _sources(rule: Rule | None) -> str | None:
    return rule.sources if rule is not None else None


def _total(tokens: Mapping[str, int], rules_by_name: Mapping[str, Rule]) -> int:
    return sum(tokens.get(name, 0) for name, rule in rules_by_name.items() if not rule.paths)


def _by_id(patterns: Sequence[Pattern]) -> dict[str, Pattern]:
    found: dict[str, Pattern] = {}
    for pattern in patterns:
        found.setdefault(pattern.id, pattern)  # a duplicate id is reported as a problem; the first one counts
    return found
