"""The effective-dated price table: explicit per-model rates, each with its date and source."""

from __future__ import annotations

from typing import NamedTuple

from attune import dates


class Rates(NamedTuple):
    """US dollars per million tokens, in effect from `as_of` for prompts over `min_prompt` tokens."""

    as_of: str
    input: float
    output: float
    cache_write: float  # 5-minute cache writes
    cache_read: float
    source: str
    min_prompt: int = 0  # a long-prompt rate applies to the whole request, not only the excess


class ModelInfo(NamedTuple):
    id: str
    tokenizer: str  # token counts carry over only between models with the same tokenizer
    status: str  # "active", "deprecated" or "retired"
    retires: str | None  # a deprecated model's retirement date
    replacement: str | None
    rates: tuple[Rates, ...]  # sorted by as_of, then min_prompt


class Usage(NamedTuple):
    input_tokens: int = 0
    output_tokens: int = 0
    cache_creation_input_tokens: int = 0
    cache_read_input_tokens: int = 0

    @property
    def prompt_tokens(self) -> int:
        return self.input_tokens + self.cache_creation_input_tokens + self.cache_read_input_tokens


_MD = "shared/MODELS.md (Anthropic list prices as of 2026-11)"
_DERIVED = f"{_MD}; cache rates not listed there: Anthropic's usual 1.25x write, 0.1x read"

# The literal price table. Add a dated Rates entry when a price changes; never edit an old one,
# since the ledger prices each call at the rates in effect on its day.
MODELS: dict[str, ModelInfo] = {
    "claude-haiku-5-5": ModelInfo("claude-haiku-5-5", "claude-5", "active", None, None, (
        Rates("2026-11-01", 0.10, 0.50, 0.125, 0.01, _MD),
        Rates("2026-11-01", 0.50, 2.50, 0.625, 0.05, f"{_MD}; long-prompt cache rates scaled like input", 100_000),
    )),
    "claude-sonnet-5-5": ModelInfo("claude-sonnet-5-5", "claude-5", "active", None, None, (
        Rates("2026-11-01", 2.00, 10.00, 2.50, 0.10, _MD),
    )),
    "claude-opus-5-5": ModelInfo("claude-opus-5-5", "claude-5", "active", None, None, (
        Rates("2026-11-01", 4.00, 20.00, 5.00, 0.20, _MD),
    )),
    "claude-haiku-4-5": ModelInfo("claude-haiku-4-5", "claude-4", "active", None, None, (
        Rates("2026-11-01", 1.00, 5.00, 1.25, 0.10, _DERIVED),
    )),
    "claude-sonnet-5": ModelInfo("claude-sonnet-5", "claude-5", "active", None, None, (
        Rates("2026-11-01", 2.00, 10.00, 2.50, 0.20, _DERIVED),
    )),
    "claude-opus-5": ModelInfo("claude-opus-5", "claude-5", "active", None, None, (
        Rates("2026-11-01", 5.00, 25.00, 6.25, 0.50, _DERIVED),
    )),
    "claude-sonnet-4-5": ModelInfo("claude-sonnet-4-5", "claude-4", "deprecated", "2026-11-30", "claude-sonnet-5-5", (
        Rates("2025-09-29", 3.00, 15.00, 3.75, 0.30, "Anthropic launch pricing for Claude Sonnet 4.5, 2025-09-29"),
    )),
    "claude-opus-4-1": ModelInfo("claude-opus-4-1", "claude-4", "retired", None, "claude-opus-5-5", (
        Rates("2025-08-05", 15.00, 75.00, 18.75, 1.50, "Anthropic launch pricing for Claude Opus 4.1, 2025-08-05"),
    )),
}  # fmt: skip

# The 5.x tokenizer counts about 30% more tokens than the 4.x one on the same text (MODELS.md).
TOKENS_PER_CHAR: dict[str, float] = {"claude-5": 1.3 / 4, "claude-4": 1 / 4}


def model_warning(model: str, today: str | None = None) -> str | None:
    """One line for a model the user should stop using, or that we cannot price; None if fine."""
    info = MODELS.get(model)
    if info is None:
        return f"model {model!r} is not in the price table ({', '.join(MODELS)}); its costs show as unpriced"
    day = today or dates.today()
    if info.status == "retired" or (info.retires is not None and day >= info.retires):
        return f"model {model!r} is retired and calls to it fail; use {info.replacement!r} instead"
    if info.status == "deprecated":
        return f"model {model!r} is deprecated and retires on {info.retires}; switch to {info.replacement!r}"
    return None


def is_retired(model: str, today: str | None = None) -> bool:
    warning = model_warning(model, today)
    return warning is not None and "is retired" in warning


_rates_memo: dict[tuple[str, str, bool], Rates | None] = {}


def rates_for(model: str, day: str, long_prompt: bool = False) -> Rates | None:
    """The rates of `model` in effect on `day` (ISO date), memoized for the cost report."""
    key = (model, day, long_prompt)
    if key not in _rates_memo:
        info = MODELS.get(model)
        _rates_memo[key] = None if info is None else select_rates(info.rates, day, long_prompt)
    return _rates_memo[key]


def select_rates(rates: tuple[Rates, ...], day: str, long_prompt: bool = False) -> Rates:
    """The latest entry dated on or before `day` (before the first one: the first one)."""
    latest = max((r.as_of for r in rates if r.as_of <= day), default=rates[0].as_of)
    candidates = [r for r in rates if r.as_of == latest and (long_prompt or r.min_prompt == 0)]
    return candidates[-1]


def cost_of(model: str, usage: Usage, day: str | None = None) -> tuple[float | None, str | None]:
    """Dollars for `usage` on `model` at the rates of `day` (default today), and those rates' date."""
    when = day or dates.today()
    base = rates_for(model, when)
    if base is None:
        return None, None
    long = rates_for(model, when, long_prompt=True)
    rates = long if long is not None and long.min_prompt and usage.prompt_tokens > long.min_prompt else base
    return price(rates, usage), rates.as_of


def long_prompt_threshold(model: str, day: str) -> int | None:
    """Prompt tokens above which `model` bills the whole request at its long-prompt rates, if it has them."""
    long = rates_for(model, day, long_prompt=True)
    return long.min_prompt if long is not None and long.min_prompt else None


def price(rates: Rates, usage: Usage) -> float:
    """Dollars for `usage` at `rates`: linear, so it also prices a sum of requests billed at the same rates."""
    return (
        usage.input_tokens * rates.input
        + usage.output_tokens * rates.output
        + usage.cache_creation_input_tokens * rates.cache_write
        + usage.cache_read_input_tokens * rates.cache_read
    ) / 1_000_000


def estimate_tokens(text: str, model: str) -> int:
    """A rough pre-call count; the bill always comes from the response's `usage`."""
    info = MODELS.get(model)
    per_char = TOKENS_PER_CHAR[info.tokenizer if info else "claude-5"]
    return max(1, round(len(text) * per_char))


def convert_tokens(count: int, from_model: str, to_model: str) -> tuple[int, bool]:
    """`count` tokens of `from_model` expressed in `to_model`'s tokenizer, and whether that changed anything."""
    source, target = MODELS.get(from_model), MODELS.get(to_model)
    if source is None or target is None or source.tokenizer == target.tokenizer:
        return count, False
    return round(count * TOKENS_PER_CHAR[target.tokenizer] / TOKENS_PER_CHAR[source.tokenizer]), True
