"""Task types to tiers to models (config and environment overrides), cost estimates, comparisons and savings."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import NamedTuple

from attune.errors import UserError
from attune.llm.prices import Usage, convert_tokens, cost_of


class Task(NamedTuple):
    tier: str
    effort: str  # output_config.effort: the main cost lever after the model (MODELS.md)
    max_tokens: int


class Route(NamedTuple):
    task: str
    tier: str
    model: str
    effort: str
    max_tokens: int


class Cost(NamedTuple):
    tier: str
    model: str
    usd: float | None  # None: the model is not in the price table
    as_of: str | None  # the date of the rates used
    converted: bool = False  # token counts were scaled from another tokenizer: an estimate of an estimate


class Savings(NamedTuple):
    chosen: Cost
    premium: Cost
    saved_usd: float
    percent: float


TIERS = ("cheap", "capable", "premium")
DEFAULT_MODELS: dict[str, str] = {
    "cheap": "claude-haiku-5-5",
    "capable": "claude-sonnet-5-5",
    "premium": "claude-opus-5-5",
}
ENV_VARS: dict[str, str] = {tier: f"EMPATHY_MODEL_{tier.upper()}" for tier in TIERS}

TASKS: dict[str, Task] = {
    "summarize": Task("cheap", "low", 1500),
    "classify": Task("cheap", "low", 500),
    "triage": Task("cheap", "low", 800),
    "match_pattern": Task("cheap", "low", 800),
    "extract": Task("cheap", "low", 1500),
    "generate_code": Task("capable", "medium", 4000),
    "fix_bug": Task("capable", "medium", 3000),
    "review_security": Task("capable", "medium", 4000),
    "write_tests": Task("capable", "medium", 4000),
    "review_code": Task("capable", "medium", 3000),
    "coordinate": Task("premium", "high", 6000),  # adaptive thinking is always on: room for it
    "synthesize_results": Task("premium", "high", 6000),
    "architectural_decision": Task("premium", "high", 8000),
}


def tier_models(
    configured: Mapping[str, str] | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Tier -> model: the packaged defaults, then `.empathy/config.yaml`, then EMPATHY_MODEL_<TIER>."""
    env = os.environ if environ is None else environ
    models = {**DEFAULT_MODELS, **(configured or {})}
    for tier, name in ENV_VARS.items():
        value = env.get(name, "").strip()
        if value:
            models[tier] = value
    return models


def route(task: str, *, tier: str | None = None, models: Mapping[str, str] | None = None) -> Route:
    spec = TASKS.get(task)
    if spec is None:
        raise UserError(f"unknown task type {task!r}; known: {', '.join(TASKS)}")
    chosen = spec.tier if tier is None else tier
    if chosen not in TIERS:
        raise UserError(f"unknown tier {chosen!r}; known: {', '.join(TIERS)}")
    model = (tier_models() if models is None else models)[chosen]
    return Route(task, chosen, model, spec.effort, spec.max_tokens)


def lower_tier(tier: str) -> str:
    return TIERS[max(TIERS.index(tier) - 1, 0)]


def estimate_cost(
    task: str,
    input_tokens: int,
    output_tokens: int,
    *,
    tier: str | None = None,
    models: Mapping[str, str] | None = None,
) -> Cost:
    chosen = route(task, tier=tier, models=models)
    usd, as_of = cost_of(chosen.model, Usage(input_tokens, output_tokens))
    return Cost(chosen.tier, chosen.model, usd, as_of)


def compare_costs(
    task: str,
    input_tokens: int,
    output_tokens: int,
    *,
    tier: str | None = None,
    models: Mapping[str, str] | None = None,
) -> tuple[Cost, ...]:
    """The same work on every tier; token counts are in the tokenizer of the model `task` routes to."""
    resolved = tier_models() if models is None else models
    home = route(task, tier=tier, models=resolved).model
    costs = []
    for each in TIERS:
        model = resolved[each]
        tokens_in, changed_in = convert_tokens(input_tokens, home, model)
        tokens_out, changed_out = convert_tokens(output_tokens, home, model)
        usd, as_of = cost_of(model, Usage(tokens_in, tokens_out))
        costs.append(Cost(each, model, usd, as_of, changed_in or changed_out))
    return tuple(costs)


def calculate_savings(
    task: str,
    input_tokens: int,
    output_tokens: int,
    *,
    tier: str | None = None,
    models: Mapping[str, str] | None = None,
) -> Savings:
    """What routing `task` saves against always using the premium tier, for the same work."""
    resolved = tier_models() if models is None else models
    chosen_tier = route(task, tier=tier, models=resolved).tier
    by_tier = {c.tier: c for c in compare_costs(task, input_tokens, output_tokens, tier=tier, models=resolved)}
    chosen, premium = by_tier[chosen_tier], by_tier["premium"]
    if chosen.usd is None or premium.usd is None or premium.usd == 0:
        return Savings(chosen, premium, 0.0, 0.0)
    saved = premium.usd - chosen.usd
    return Savings(chosen, premium, saved, 100 * saved / premium.usd)
