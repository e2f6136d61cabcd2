"""`.empathy/ledger.jsonl`: one line per call, cache hit or skip, with usage and cost, never content."""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from attune import paths
from attune.llm.prices import Usage

LEDGER = f"{paths.EMPATHY_DIR}/ledger.jsonl"
# Outcomes that mean a request went out and was billed (or could have been).
BILLED = frozenset({"ok", "invalid"})


class Entry(NamedTuple):
    time: str  # ISO-8601, UTC, to the second
    wizard: str
    task: str
    tier: str
    model: str
    usage: Usage  # from the response's `usage`; zeros when nothing was sent
    cost_usd: float | None  # at the dated rates of `price_as_of`; None for a model without a price
    cache_hit: bool
    saved_usd: float  # for a cache hit, what the original call cost
    outcome: str  # ok, invalid, or why the call did not happen or failed (rate_limited, no_key, ...)
    attempt: int  # 2 for an escalation after output that failed validation
    price_as_of: str | None


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def append(root: Path, entry: Entry) -> None:
    """Add one line; a single O_APPEND write, so processes appending at once never interleave."""
    record = {
        "time": entry.time, "wizard": entry.wizard, "task": entry.task, "tier": entry.tier,
        "model": entry.model, **entry.usage._asdict(), "cost_usd": entry.cost_usd,
        "cache_hit": entry.cache_hit, "saved_usd": entry.saved_usd, "outcome": entry.outcome,
        "attempt": entry.attempt, "price_as_of": entry.price_as_of,
    }  # fmt: skip
    line = (json.dumps(record, separators=(",", ":")) + "\n").encode()
    path = root / LEDGER
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


class Reading(NamedTuple):
    entries: list[Entry]
    bad_lines: list[int]  # line numbers that are not ledger records (a torn or hand-edited line)


def read(root: Path, since: str | None = None) -> Reading:
    """Every entry on or after the date `since` (YYYY-MM-DD, UTC)."""
    try:
        text = (root / LEDGER).read_text(encoding="utf-8")
    except FileNotFoundError:
        return Reading([], [])
    lines = text.splitlines()
    try:  # one parse of the whole file is several times faster than a parse per line
        records = json.loads("[" + ",".join(line for line in lines if line.strip()) + "]")
        numbered = list(zip(_nonblank(lines), records, strict=True))
    except ValueError:
        numbered = list(_parse_each(lines))
    entries: list[Entry] = []
    bad: list[int] = []
    for number, record in numbered:
        entry = _entry(record)
        if entry is None:
            bad.append(number)
        elif since is None or entry.time[:10] >= since:
            entries.append(entry)
    return Reading(entries, bad)


def _nonblank(lines: list[str]) -> Iterator[int]:
    return (number for number, line in enumerate(lines, 1) if line.strip())


def _parse_each(lines: list[str]) -> Iterator[tuple[int, object]]:
    for number, line in enumerate(lines, 1):
        if line.strip():
            try:
                yield number, json.loads(line)
            except ValueError:
                yield number, None


def _entry(record: object) -> Entry | None:
    if not isinstance(record, dict):
        return None
    try:
        usage = Usage(
            int(record.get("input_tokens", 0)),
            int(record.get("output_tokens", 0)),
            int(record.get("cache_creation_input_tokens", 0)),
            int(record.get("cache_read_input_tokens", 0)),
        )
        cost = record.get("cost_usd")
        return Entry(
            str(record["time"]), str(record["wizard"]), str(record["task"]), str(record["tier"]),
            str(record["model"]), usage, None if cost is None else float(cost), bool(record.get("cache_hit")),
            float(record.get("saved_usd", 0.0)), str(record["outcome"]), int(record.get("attempt", 1)),
            record.get("price_as_of"),
        )  # fmt: skip
    except (KeyError, TypeError, ValueError):
        return None
