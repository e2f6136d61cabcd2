"""`empathy costs`: totals from the ledger, by wizard and tier, cache savings and routing savings."""

from __future__ import annotations

from collections import Counter
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


_NUMBER = (int, float, type(None))  # a cost: None for a model without a price


def report(raw: ledger.Raw, premium_model: str, since: str | None) -> Report:
    """One pass over the ledger, adding up billed calls per (wizard, tier, model, day, long prompt).

    The totals by wizard and tier and the premium comparison come from those few groups: prices
    are linear in tokens, so each group is priced once. Pricing line by line is what made 100,000
    lines slow.
    """
    saved = 0.0
    hits = unpriced = 0
    bad = list(raw.bad_lines)
    outcomes: Counter[str] = Counter()
    groups: dict[tuple[str, str, str, str, bool], list[float]] = {}  # -> calls, cost, the four token counts
    thresholds: dict[tuple[str, str], float | None] = {}
    for number, record in zip(raw.numbers, raw.records, strict=True):
        try:
            outcome = record["outcome"]
            if record.get("cache_hit"):
                hits += 1
                saved += record.get("saved_usd") or 0.0
            elif outcome in ledger.BILLED:
                cost = record["cost_usd"]
                get = record.get
                tokens = (get("input_tokens", 0), get("output_tokens", 0),
                          get("cache_creation_input_tokens", 0), get("cache_read_input_tokens", 0))  # fmt: skip
                if type(cost) not in _NUMBER or any(type(n) is not int for n in tokens):
                    bad.append(number)  # checked before anything is added, so a bad line changes no total
                    continue
                if cost is None:
                    unpriced += 1
                else:
                    model, day = record["model"], record["time"][:10]
                    limit = thresholds.get((model, day), 0)
                    if limit == 0:
                        limit = thresholds[model, day] = _threshold_in(model, premium_model, day)
                    long = limit is not None and tokens[0] + tokens[2] + tokens[3] > limit
                    key = (record["wizard"], record["tier"], model, day, long)
                    group = groups.get(key)
                    if group is None:
                        group = groups[key] = [0, 0.0, 0, 0, 0, 0]
                    group[0] += 1
                    group[1] += cost
                    group[2] += tokens[0]
                    group[3] += tokens[1]
                    group[4] += tokens[2]
                    group[5] += tokens[3]
            outcomes[outcome] += 1
        except (KeyError, TypeError):
            bad.append(number)
    by_wizard: dict[str, list[float]] = {}
    by_tier: dict[str, list[float]] = {}
    for (wizard, tier, *_), group in groups.items():
        for table, name in ((by_wizard, wizard), (by_tier, tier)):
            bucket = table.setdefault(name, [0, 0.0])
            bucket[0] += group[0]
            bucket[1] += group[1]
    total = sum(group[1] for group in groups.values())
    calls = int(sum(group[0] for group in groups.values())) + unpriced
    premium, converted = _premium(groups, premium_model)
    return Report(
        since, total, calls, _buckets(by_wizard), _buckets(by_tier), hits, saved, premium_model,
        premium, premium - total, converted, unpriced, dict(outcomes), sorted(bad),
    )  # fmt: skip


def _threshold_in(model: str, premium_model: str, day: str) -> float | None:
    """The premium model's long-prompt threshold, in `model`'s tokens."""
    limit = prices.long_prompt_threshold(premium_model, day)
    if limit is None:
        return None
    scaled, _ = prices.convert_tokens(1_000_000, premium_model, model)
    return limit * scaled / 1_000_000


def _premium(groups: dict[tuple[str, str, str, str, bool], list[float]], premium_model: str) -> tuple[float, bool]:
    total, converted = 0.0, False
    for (_wizard, _tier, model, day, long), group in groups.items():
        counts = [prices.convert_tokens(int(n), model, premium_model) for n in group[2:]]
        converted = converted or any(changed for _, changed in counts)
        rates = prices.rates_for(premium_model, day, long_prompt=long)
        # No price for the premium model: count the call at what it cost, so the saving shows as none.
        total += group[1] if rates is None else prices.price(rates, prices.Usage(*(n for n, _ in counts)))
    return total, converted


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


def _buckets(table: dict[str, list[float]]) -> dict[str, Bucket]:
    return {name: Bucket(int(v[0]), v[1]) for name, v in sorted(table.items())}
