"""`empathy route` and `empathy costs`, and the settings every LLM command starts from."""

from __future__ import annotations

import datetime
import json
import os
import sys
from pathlib import Path
from typing import NamedTuple

from attune import config as config_mod
from attune import paths
from attune.config import Config
from attune.errors import UserError
from attune.llm import costs as costs_mod
from attune.llm import ledger, prices, router

DEFAULT_INPUT_TOKENS = 2000
DEFAULT_OUTPUT_TOKENS = 500


class Resolved(NamedTuple):
    root: Path
    config: Config
    models: dict[str, str]  # tier -> model after the config and the environment
    warnings: list[str]  # whole lines for stderr: config warnings, deprecated or unknown models


def resolve(root: Path) -> Resolved:
    """The project's config (errors raise, warnings are kept) and the tier models in effect."""
    config, problems = config_mod.read(root)
    if any(not p.warning for p in problems):
        config_mod.load(root)  # raises the first error, as every command does
    warnings = [str(p) for p in problems if p.warning]
    for variable in router.ENV_VARS.values():
        value = os.environ.get(variable, "").strip()
        warning = prices.model_warning(value) if value else None
        if warning:
            warnings.append(f"empathy: warning: {variable}={value}: {warning}")
    return Resolved(root, config, router.tier_models(config.llm.models), warnings)


def warn(lines: list[str]) -> None:
    for line in lines:
        print(line, file=sys.stderr)


def route(
    *,
    task: str,
    input_tokens: int | None,
    output_tokens: int | None,
    tier: str | None,
    json_output: bool,
    root: str | None,
) -> int:
    top = Path(root).resolve() if root else paths.find_root()
    settings = resolve(top)
    warn(settings.warnings)
    tokens_in = DEFAULT_INPUT_TOKENS if input_tokens is None else input_tokens
    tokens_out = DEFAULT_OUTPUT_TOKENS if output_tokens is None else output_tokens
    if tokens_in < 0 or tokens_out < 0:
        raise UserError("--input-tokens and --output-tokens must be 0 or more")
    chosen = router.route(task, tier=tier, models=settings.models)
    comparison = router.compare_costs(task, tokens_in, tokens_out, tier=tier, models=settings.models)
    savings = router.calculate_savings(task, tokens_in, tokens_out, tier=tier, models=settings.models)
    estimate = next(c for c in comparison if c.tier == chosen.tier)
    if json_output:
        print(json.dumps({
            "route": chosen._asdict(), "input_tokens": tokens_in, "output_tokens": tokens_out,
            "estimate": estimate._asdict(), "comparison": [c._asdict() for c in comparison],
            "savings": {"saved_usd": savings.saved_usd, "percent": savings.percent, "premium_usd": savings.premium.usd},
        }, indent=2))  # fmt: skip
        return 0
    print(f"task      {chosen.task}")
    print(f"tier      {chosen.tier}")
    print(f"model     {chosen.model} (effort {chosen.effort}, max_tokens {chosen.max_tokens})")
    print(
        f"estimate  {_usd(estimate.usd)} for {tokens_in:,} input and {tokens_out:,} output tokens "
        f"(an estimate at the rates of {estimate.as_of or 'unknown'}; the bill comes from the response's usage)"
    )
    for index, cost in enumerate(comparison):
        label = "compare " if index == 0 else "        "
        note = "  (token counts converted between tokenizers)" if cost.converted else ""
        print(f"{label}  {cost.tier:<8} {cost.model:<20} {_usd(cost.usd)}{note}")
    print(f"savings   {_usd(savings.saved_usd)} ({savings.percent:.1f}%) against always using {savings.premium.model}")
    return 0


def costs(*, since: str | None, json_output: bool, root: str | None) -> int:

    if since is not None:
        try:
            since = datetime.date.fromisoformat(since).isoformat()
        except ValueError:
            raise UserError(f"--since {since}: not a date; use YYYY-MM-DD, e.g. 2026-11-01") from None
    top = paths.project_root(root)
    settings = resolve(top)
    result = costs_mod.report(ledger.load(top, since), settings.models["premium"], since)
    for number in result.bad_lines[:5]:
        print(f"{ledger.LEDGER}:{number}: not a ledger record; skipped", file=sys.stderr)
    print(json.dumps(result._asdict(), indent=2) if json_output else costs_mod.render(result))
    return 0


def _usd(value: float | None) -> str:
    return "unpriced" if value is None else f"${value:.6f}"
