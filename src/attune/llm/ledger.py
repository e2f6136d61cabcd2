"""`.empathy/ledger.jsonl`: one line per call, cache hit or skip, with usage and cost, never content."""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

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


def as_record(entry: Entry) -> dict[str, object]:
    """The JSON object of one ledger line."""
    return {
        "time": entry.time, "wizard": entry.wizard, "task": entry.task, "tier": entry.tier,
        "model": entry.model, **entry.usage._asdict(), "cost_usd": entry.cost_usd,
        "cache_hit": entry.cache_hit, "saved_usd": entry.saved_usd, "outcome": entry.outcome,
        "attempt": entry.attempt, "price_as_of": entry.price_as_of,
    }  # fmt: skip


def append(root: Path, entry: Entry) -> None:
    """Add one line; a single O_APPEND write, so processes appending at once never interleave."""
    line = (json.dumps(as_record(entry), separators=(",", ":")) + "\n").encode()
    path = root / LEDGER
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


class Raw(NamedTuple):
    records: Sequence[Any]  # parsed lines, unchecked: the cost report checks what it reads as it adds up
    numbers: Sequence[int]  # the line number of each record
    bad_lines: list[int]  # lines that are not JSON at all (a torn or hand-edited line)


class Reading(NamedTuple):
    entries: list[Entry]
    bad_lines: list[int]


def load(root: Path, since: str | None = None) -> Raw:
    """The parsed lines dated on or after `since` (YYYY-MM-DD, UTC).

    `empathy costs` reads 100,000 lines in under a second only by parsing the file as one JSON
    array and making no record per line; `read` gives typed entries for everything else.
    """
    try:
        text = (root / LEDGER).read_text(encoding="utf-8")
    except FileNotFoundError:
        return Raw([], [], [])
    body = text.strip("\n")
    records: Sequence[Any]
    numbers: Sequence[int]
    bad: list[int] = []
    try:  # a blank or torn line makes this fail, and the slow path below finds which
        records = json.loads(f"[{body.replace(chr(10), ',')}]") if body else []
        numbers = range(1, len(records) + 1)
    except ValueError:
        parsed = list(_parse_each(text.splitlines()))
        bad = [number for number, record in parsed if record is None]
        numbers = [number for number, record in parsed if record is not None]
        records = [record for _, record in parsed if record is not None]
    if since is not None:
        kept = [(n, r) for n, r in zip(numbers, records, strict=True) if not isinstance(r, dict) or _day(r) >= since]
        numbers, records = [n for n, _ in kept], [r for _, r in kept]
    return Raw(records, numbers, bad)


def read(root: Path, since: str | None = None) -> Reading:
    """Every entry on or after `since`, typed; lines that do not make an entry are reported."""
    raw = load(root, since)
    entries: list[Entry] = []
    bad = list(raw.bad_lines)
    for number, record in zip(raw.numbers, raw.records, strict=True):
        entry = _entry(record) if isinstance(record, dict) else None
        if entry is None:
            bad.append(number)
        else:
            entries.append(entry)
    return Reading(entries, sorted(bad))


def _day(record: dict[str, Any]) -> str:
    time = record.get("time")
    return time[:10] if isinstance(time, str) else ""


def _parse_each(lines: list[str]) -> Iterator[tuple[int, object]]:
    for number, line in enumerate(lines, 1):
        if line.strip():
            try:
                yield number, json.loads(line)
            except ValueError:
                yield number, None


def _entry(record: dict[str, Any]) -> Entry | None:
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
