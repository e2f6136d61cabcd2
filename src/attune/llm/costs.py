"""`empathy costs`: totals from the ledger, by wizard and tier, cache savings and routing savings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from attune.llm import ledger, prices


class Bucket(NamedTuple):
    calls: int
    usd: float


class Report(NamedTuple):
    since: str | None
    total_usd: float
    calls: int  # requests that went out and were billed
    by_wizard: dict[str, Bucket]
    by_tier: dict[str, Bucket]
    cache_hits: int
    cache_saved_usd: float
    premium_model: str
    premium_usd: float  # the same recorded tokens priced at the premium model
    routing_saved_usd: float
    converted: bool  # some token counts were scaled between tokenizers: the premium figure is an estimate
    unpriced: int  # billed calls on a model without a price
    outcomes: dict[str, int]
    bad_lines: list[int]


def report(entries: Iterable[ledger.Entry], premium_model: str, since: str | None, bad_lines: list[int]) -> Report:
    total = saved = premium_total = 0.0
    calls = hits = unpriced = 0
    converted = False
    wizards: dict[str, list[float]] = {}
    tiers: dict[str, list[float]] = {}
    outcomes: Counter[str] = Counter()
    for entry in entries:
        outcomes[entry.outcome] += 1
        if entry.cache_hit:
            hits += 1
            saved += entry.saved_usd
            continue
        if entry.outcome not in ledger.BILLED:
            continue
        calls += 1
        if entry.cost_usd is None:
            unpriced += 1
            continue
        total += entry.cost_usd
        for table, key in ((wizards, entry.wizard), (tiers, entry.tier)):
            bucket = table.setdefault(key, [0, 0.0])
            bucket[0] += 1
            bucket[1] += entry.cost_usd
        usage, changed = _in_tokenizer_of(entry.usage, entry.model, premium_model)
        converted = converted or changed
        premium_cost, _ = prices.cost_of(premium_model, usage, entry.time[:10])
        premium_total += entry.cost_usd if premium_cost is None else premium_cost
    return Report(
        since, total, calls, _buckets(wizards), _buckets(tiers), hits, saved, premium_model,
        premium_total, premium_total - total, converted, unpriced, dict(outcomes), bad_lines,
    )  # fmt: skip


def render(result: Report) -> str:
    span = f"since {result.since}" if result.since else "all time"
    lines = [f"LLM costs, {span} (from {ledger.LEDGER})"]
    skipped = sum(
        n for outcome, n in result.outcomes.items() if outcome not in ledger.BILLED and outcome != "cache_hit"
    )
    lines.append(
        f"  total            {_usd(result.total_usd)}  {result.calls} call(s), "
        f"{result.cache_hits} cache hit(s), {skipped} skipped or failed"
    )
    for title, table in (("by wizard", result.by_wizard), ("by tier", result.by_tier)):
        lines.append(f"  {title}")
        lines.extend(f"    {name:<18} {_usd(b.usd)}  {b.calls} call(s)" for name, b in table.items())
    lines.append(
        f"  cache saved      {_usd(result.cache_saved_usd)}  ({result.cache_hits} hit(s) at the original cost)"
    )
    label = (
        "estimate, tokens converted between tokenizers" if result.converted else "estimate: the same recorded tokens"
    )
    percent = 100 * result.routing_saved_usd / result.premium_usd if result.premium_usd else 0.0
    lines.append(
        f"  always premium   {_usd(result.premium_usd)}  on {result.premium_model} ({label}); "
        f"routing saved {_usd(result.routing_saved_usd)} ({percent:.0f}%)"
    )
    if result.unpriced:
        lines.append(f"  unpriced         {result.unpriced} call(s) on models without a price: not in the totals")
    if result.outcomes:
        lines.append("  outcomes         " + ", ".join(f"{k} {v}" for k, v in sorted(result.outcomes.items())))
    return "\n".join(lines)


def _usd(value: float) -> str:
    return f"${value:,.4f}"


def _buckets(table: Mapping[str, list[float]]) -> dict[str, Bucket]:
    return {name: Bucket(int(v[0]), v[1]) for name, v in sorted(table.items())}


def _in_tokenizer_of(usage: prices.Usage, model: str, other: str) -> tuple[prices.Usage, bool]:
    counts = [prices.convert_tokens(n, model, other) for n in usage]
    return prices.Usage(*(n for n, _ in counts)), any(changed for _, changed in counts)
