"""Finding records, the internal hit that still holds the value, and masking."""

from __future__ import annotations

import bisect
import itertools
import operator
from collections.abc import Sequence
from typing import NamedTuple


class Finding(NamedTuple):
    kind: str  # "secret" or "pii"
    type: str  # e.g. "anthropic-api-key", "github-token", "email", "card"
    file: str  # the file name given, or "" for a bare string
    line: int  # 1-based
    masked: str  # at most a short prefix and suffix; never the full value


class Scrubbed(NamedTuple):
    text: str
    findings: list[Finding]


class Hit(NamedTuple):
    """A detection before masking: the value stays inside the engine (scrub offsets, baseline hashes)."""

    kind: str
    type: str
    start: int  # offsets of the value in the scanned text
    end: int
    value: str
    # (type, value) of detect-secrets findings on the same value: its baseline hashes what its plugin captured
    also: tuple[tuple[str, str], ...] = ()


def mask(value: str) -> str:
    """At most a quarter of the value survives: up to 7 leading and 3 trailing characters."""
    keep = len(value) // 4
    tail = min(3, keep // 2)
    head = min(7, keep - tail)
    return f"{value[:head]}…{value[len(value) - tail :] if tail else ''}"


class LineIndex:
    """Offsets to 1-based line numbers; built with C-speed `str.split`, once per text that has hits."""

    def __init__(self, text: str) -> None:
        self._length = len(text)
        # Line i+1 starts one past the end of line i; C-level iterators only, no Python step per line, so a
        # text of a million short lines indexes in tens of milliseconds (issue 10).
        sizes = map(operator.add, map(len, text.split("\n")), itertools.repeat(1))
        self._starts = list(itertools.accumulate(sizes, initial=0))
        self._starts.pop()

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset)

    def span(self, line: int) -> tuple[int, int]:
        """Start and end offsets of a 1-based line, without its newline."""
        start = self._starts[line - 1]
        end = self._starts[line] - 1 if line < len(self._starts) else self._length
        return start, end

    def __len__(self) -> int:
        return len(self._starts)


def to_findings(hits: Sequence[Hit], filename: str, index: LineIndex) -> list[Finding]:
    return [Finding(h.kind, h.type, filename, index.line(h.start), mask(h.value)) for h in hits]
