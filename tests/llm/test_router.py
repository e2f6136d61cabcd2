from __future__ import annotations

import pytest

from attune.errors import UserError
from attune.llm import prices, router
from attune.llm.prices import Rates, Usage


@pytest.mark.parametrize(
    ("task", "tier", "model", "effort"),
    [
        ("summarize", "cheap", "claude-haiku-5-5", "low"),
        ("classify", "cheap", "claude-haiku-5-5", "low"),
        ("triage", "cheap", "claude-haiku-5-5", "low"),
        ("match_pattern", "cheap", "claude-haiku-5-5", "low"),
        ("extract", "cheap", "claude-haiku-5-5", "low"),
        ("generate_code", "capable", "claude-sonnet-5-5", "medium"),
        ("fix_bug", "capable", "claude-sonnet-5-5", "medium"),
        ("review_security", "capable", "claude-sonnet-5-5", "medium"),
        ("write_tests", "capable", "claude-sonnet-5-5", "medium"),
        ("review_code", "capable", "claude-sonnet-5-5", "medium"),
        ("coordinate", "premium", "claude-opus-5-5", "high"),
        ("synthesize_results", "premium", "claude-opus-5-5", "high"),
        ("architectural_decision", "premium", "claude-opus-5-5", "high"),
    ],
)
def test_every_task_type_routes_to_its_tier(task, tier, model, effort):
    chosen = router.route(task)
    assert (chosen.tier, chosen.model, chosen.effort) == (tier, model, effort)
    assert 0 < chosen.max_tokens <= 8000


def test_unknown_task_lists_the_known_ones():
    with pytest.raises(UserError) as caught:
        router.route("summarise")
    message = str(caught.value)
    assert message.startswith("unknown task type 'summarise'; known: summarize, classify,")
    assert "architectural_decision" in message


def test_tier_override_and_unknown_tier():
    assert router.route("summarize", tier="premium").model == "claude-opus-5-5"
    with pytest.raises(UserError, match="unknown tier 'gold'; known: cheap, capable, premium"):
        router.route("summarize", tier="gold")


def test_environment_beats_config_beats_defaults(monkeypatch):
    configured = {"cheap": "claude-haiku-4-5", "capable": "claude-sonnet-5"}
    monkeypatch.setenv("EMPATHY_MODEL_CAPABLE", "claude-opus-5")
    models = router.tier_models(configured)
    assert models == {"cheap": "claude-haiku-4-5", "capable": "claude-opus-5", "premium": "claude-opus-5-5"}
    assert router.route("fix_bug", models=models).model == "claude-opus-5"
    assert router.route("fix_bug").model == "claude-opus-5"  # the environment applies without a config too


def test_cost_comes_from_the_dated_rates():
    usage = Usage(input_tokens=1_000_000, output_tokens=1_000_000, cache_creation_input_tokens=0)
    assert prices.cost_of("claude-sonnet-5-5", usage, "2026-11-22") == (pytest.approx(12.0), "2026-11-01")
    cached = Usage(0, 0, cache_creation_input_tokens=1_000_000, cache_read_input_tokens=1_000_000)
    assert prices.cost_of("claude-opus-5-5", cached, "2026-11-22")[0] == pytest.approx(5.20)
    assert prices.cost_of("claude-made-up", usage) == (None, None)


def test_long_prompts_on_haiku_pay_the_long_rate_for_the_whole_request():
    short = prices.cost_of("claude-haiku-5-5", Usage(100_000, 1000), "2026-11-22")[0]
    long = prices.cost_of("claude-haiku-5-5", Usage(100_001, 1000), "2026-11-22")[0]
    assert short == pytest.approx((100_000 * 0.10 + 1000 * 0.50) / 1e6)
    assert long == pytest.approx((100_001 * 0.50 + 1000 * 2.50) / 1e6)
    # cache reads count towards the prompt size
    mixed = prices.cost_of("claude-haiku-5-5", Usage(1000, 0, 0, 150_000), "2026-11-22")[0]
    assert mixed == pytest.approx((1000 * 0.50 + 150_000 * 0.05) / 1e6)


def test_rates_are_selected_by_date():
    table = (
        Rates("2026-01-01", 1.0, 5.0, 1.25, 0.1, "a"),
        Rates("2026-06-01", 2.0, 8.0, 2.5, 0.2, "b"),
        Rates("2026-06-01", 4.0, 16.0, 5.0, 0.4, "b long", 200_000),
    )
    assert prices.select_rates(table, "2025-12-31").source == "a"  # before the table: its first entry
    assert prices.select_rates(table, "2026-05-31").source == "a"
    assert prices.select_rates(table, "2026-06-01").source == "b"
    assert prices.select_rates(table, "2027-01-01", long_prompt=True).source == "b long"


def test_every_price_has_a_date_and_a_source_and_every_tier_a_model():
    for info in prices.MODELS.values():
        assert info.rates, info.id
        for rates in info.rates:
            assert rates.source and rates.as_of[:2] == "20"
        assert list(info.rates) == sorted(info.rates, key=lambda r: (r.as_of, r.min_prompt))
    assert set(router.DEFAULT_MODELS.values()) <= set(prices.MODELS)
    assert {t.tier for t in router.TASKS.values()} == set(router.TIERS)


def test_deprecated_retired_and_unknown_models_warn():
    assert prices.model_warning("claude-sonnet-5-5") is None
    assert prices.model_warning("claude-sonnet-4-5", "2026-11-22") == (
        "model 'claude-sonnet-4-5' is deprecated and retires on 2026-11-30; switch to 'claude-sonnet-5-5'"
    )
    assert "is retired" in prices.model_warning("claude-sonnet-4-5", "2026-11-30")
    assert prices.model_warning("claude-opus-4-1") == (
        "model 'claude-opus-4-1' is retired and calls to it fail; use 'claude-opus-5-5' instead"
    )
    assert prices.is_retired("claude-opus-4-1")
    assert "not in the price table" in prices.model_warning("claude-next")


def test_compare_costs_covers_every_tier_and_savings_are_against_premium():
    costs = router.compare_costs("summarize", 10_000, 1_000)
    assert [c.tier for c in costs] == ["cheap", "capable", "premium"]
    assert [round(c.usd, 6) for c in costs] == [0.0015, 0.03, 0.06]
    assert not any(c.converted for c in costs)
    savings = router.calculate_savings("summarize", 10_000, 1_000)
    assert savings.chosen.model == "claude-haiku-5-5"
    assert savings.saved_usd == pytest.approx(0.0585)
    assert savings.percent == pytest.approx(97.5)
    assert router.calculate_savings("coordinate", 10_000, 1_000).saved_usd == 0


def test_token_counts_do_not_carry_across_tokenizers():
    models = router.tier_models({"cheap": "claude-haiku-4-5"})
    costs = {c.tier: c for c in router.compare_costs("fix_bug", 13_000, 1_300, models=models)}
    assert costs["cheap"].converted and not costs["premium"].converted
    # 13,000 tokens of the 5.x tokenizer are about 10,000 of the 4.x one
    assert costs["cheap"].usd == pytest.approx((10_000 * 1.0 + 1_000 * 5.0) / 1e6)
    assert prices.estimate_tokens("x" * 4000, "claude-haiku-4-5") == 1000
    assert prices.estimate_tokens("x" * 4000, "claude-haiku-5-5") == 1300


def test_estimate_cost_and_tier_steps():
    cost = router.estimate_cost("review_code", 2000, 500)
    assert cost == router.Cost("capable", "claude-sonnet-5-5", pytest.approx(0.009), "2026-11-01")
    assert router.lower_tier("capable") == "cheap" and router.lower_tier("cheap") == "cheap"
