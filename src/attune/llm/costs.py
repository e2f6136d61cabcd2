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


_TOKENS = ("input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens")


def report(raw: ledger.Raw, premium_model: str, since: str | None) -> Report:
    """One pass over the ledger. The premium comparison sums tokens per (model, day, long prompt or not)
    and prices each sum once: prices are linear in tokens, and per-line pricing is what made 100,000
    lines slow."""
    total = saved = 0.0
    calls = hits = unpriced = 0
    bad = list(raw.bad_lines)
    wizards: dict[str, list[float]] = {}
    tiers: dict[str, list[float]] = {}
    outcomes: Counter[str] = Counter()
    sums: dict[tuple[str, str, bool], list[float]] = {}  # -> the four token counts, then the actual cost
    thresholds: dict[tuple[str, str], float | None] = {}
    for number, record in zip(raw.numbers, raw.records, strict=True):
        try:
            outcome = record["outcome"]
            if record.get("cache_hit"):
                hits += 1
                saved += record.get("saved_usd") or 0.0
                outcomes[outcome] += 1
                continue
            if outcome not in ledger.BILLED:
                outcomes[outcome] += 1
                continue
            cost = record["cost_usd"]
            tokens = [record.get(name, 0) for name in _TOKENS]
            model, day, wizard, tier = record["model"], record["time"][:10], record["wizard"], record["tier"]
            if any(type(n) is not int for n in tokens) or type(cost) not in (int, float, type(None)):
                bad.append(number)  # checked before anything is added, so a bad line changes no total
                continue
            if cost is not None:
                total += cost
                for table, key in ((wizards, wizard), (tiers, tier)):
                    bucket = table.setdefault(key, [0, 0.0])
                    bucket[0] += 1
                    bucket[1] += cost
                if (model, day) not in thresholds:
                    thresholds[model, day] = _threshold_in(model, premium_model, day)
                limit = thresholds[model, day]
                long = limit is not None and tokens[0] + tokens[2] + tokens[3] > limit
                summed = sums.setdefault((model, day, long), [0, 0, 0, 0, 0.0])
                for index in range(4):
                    summed[index] += tokens[index]
                summed[4] += cost
            else:
                unpriced += 1
            calls += 1
            outcomes[outcome] += 1
        except (KeyError, TypeError):
            bad.append(number)
    premium, converted = _premium(sums, premium_model)
    return Report(
        since, total, calls, _buckets(wizards), _buckets(tiers), hits, saved, premium_model,
        premium, premium - total, converted, unpriced, dict(outcomes), sorted(bad),
    )  # fmt: skip


def _threshold_in(model: str, premium_model: str, day: str) -> float | None:
    """The premium model's long-prompt threshold, in `model`'s tokens."""
    limit = prices.long_prompt_threshold(premium_model, day)
    if limit is None:
        return None
    scaled, _ = prices.convert_tokens(1_000_000, premium_model, model)
    return limit * scaled / 1_000_000


def _premium(sums: dict[tuple[str, str, bool], list[float]], premium_model: str) -> tuple[float, bool]:
    total, converted = 0.0, False
    for (model, day, long), summed in sums.items():
        counts = [prices.convert_tokens(int(n), model, premium_model) for n in summed[:4]]
        converted = converted or any(changed for _, changed in counts)
        rates = prices.rates_for(premium_model, day, long_prompt=long)
        # No price for the premium model: count the call at what it cost, so the saving shows as none.
        total += summed[4] if rates is None else prices.price(rates, prices.Usage(*(n for n, _ in counts)))
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
