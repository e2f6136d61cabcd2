"""Line rules over the added lines of a diff: the offline half of the review wizards."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from attune.llm.wizards.diff import FileChange, added_text


class Rule(NamedTuple):
    severity: str
    pattern: re.Pattern[str]
    title: str
    fix: str
    suffixes: tuple[str, ...] = ()  # only files ending so; empty: every file


class Hit(NamedTuple):
    severity: str
    file: str
    line: int
    title: str
    fix: str


def rule(severity: str, pattern: str, title: str, fix: str, suffixes: tuple[str, ...] = ()) -> Rule:
    return Rule(severity, re.compile(pattern), title, fix, suffixes)


def run_rules(changes: Iterable[FileChange], rules: Iterable[Rule]) -> list[Hit]:
    table = tuple(rules)
    hits: list[Hit] = []
    for change in changes:
        for number, text in change.added:
            for each in table:
                if each.suffixes and not change.path.endswith(each.suffixes):
                    continue
                if each.pattern.search(text):
                    hits.append(Hit(each.severity, change.path, number, each.title, each.fix))
    return hits


def secret_hits(changes: Iterable[FileChange]) -> Iterator[tuple[Hit, str]]:
    """Secrets and personal data on added lines, with the scanner's masked value (never the value)."""
    from attune.scan import scan_text

    for change in changes:
        if not change.added:
            continue
        for finding in scan_text(added_text(change), change.path):
            line = change.added[finding.line - 1][0]
            if finding.kind == "secret":
                hit = Hit("critical", change.path, line, f"hard-coded secret ({finding.type})",
                          "remove it, rotate it, and read it from the environment or a secret store")  # fmt: skip
            else:
                hit = Hit("medium", change.path, line, f"personal data in the code ({finding.type})",
                          "use made-up test data, or load real data from outside the repository")  # fmt: skip
            yield hit, finding.masked
