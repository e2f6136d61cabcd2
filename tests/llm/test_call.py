from __future__ import annotations

import contextlib
import io
import json

import pytest

from attune.llm import ledger, router
from attune.llm.call import Request, call
from attune.llm.prices import Usage
from attune.llm.state import State
from tests.fakes import replies
from tests.fakes.replies import Thinking
from tests.helpers import EMAIL, PHONE, fake_secret
from tests.llm.conftest import SCHEMA, answer


def outcomes(root):
    return [e.outcome for e in ledger.read(root).entries]


def test_request_body_carries_model_schema_effort_and_nothing_else(ctx, api, request_, cheap):
    api.script(answer("two failures", "high"))
    reply = call(ctx, request_, cheap)
    assert reply.outcome == "ok"
    assert reply.output == {"summary": "two failures", "risk": "high"}
    (body,) = api.bodies
    assert body == {
        "model": "claude-haiku-5-5",
        "max_tokens": 1500,
        "system": "Answer in JSON.",
        "messages": [{"role": "user", "content": "Summarize: the nightly build failed twice."}],
        "output_config": {"effort": "low", "format": {"type": "json_schema", "schema": SCHEMA}},
    }
    headers = api.requests[0].headers
    assert headers["x-stainless-retry-count"] == "0"
    assert "anthropic-version" in headers


def test_effort_and_model_follow_the_route(ctx, api, request_):
    api.script(answer())
    call(ctx, request_._replace(task="architectural_decision"), router.route("architectural_decision"))
    body = api.bodies[0]
    assert (body["model"], body["output_config"]["effort"], body["max_tokens"]) == ("claude-opus-5-5", "high", 8000)


def test_a_reply_that_begins_with_a_thinking_block_is_read_by_block_type(ctx, api, request_, cheap):
    api.script(
        replies.Reply((Thinking("Let me weigh the two failures."), replies.Text('{"summary": "s", "risk": "low"}')))
    )
    assert call(ctx, request_, cheap).output == {"summary": "s", "risk": "low"}


def test_usage_and_cost_reach_the_ledger_and_never_the_content(ctx, api, request_, cheap):
    api.script(answer(usage=replies.Usage(1200, 300, 400, 5000)))
    reply = call(ctx, request_, cheap)
    assert reply.usage == Usage(1200, 300, 400, 5000)
    (entry,) = ledger.read(ctx.root).entries
    expected = (1200 * 0.10 + 300 * 0.50 + 400 * 0.125 + 5000 * 0.01) / 1e6
    assert entry.cost_usd == pytest.approx(expected)
    assert (entry.wizard, entry.task, entry.tier, entry.model, entry.outcome) == (
        "demo",
        "summarize",
        "cheap",
        "claude-haiku-5-5",
        "ok",
    )
    text = (ctx.root / ".empathy" / "ledger.jsonl").read_text()
    assert "nightly" not in text and "summary" not in text


def test_identical_requests_are_answered_from_the_cache(ctx, api, request_, cheap):
    api.script(answer("first"), answer("second"))
    first = call(ctx, request_, cheap)
    again = call(ctx, request_, cheap)
    assert again.output == first.output == {"summary": "first", "risk": "low"}
    assert again.outcome == "cache_hit"
    assert len(api.requests) == 1
    hit = ledger.read(ctx.root).entries[1]
    assert hit.cache_hit and hit.cost_usd == 0 and hit.saved_usd == pytest.approx(first.cost_usd)
    # another prompt version, prompt or model is another key
    assert call(ctx, request_._replace(prompt_version="2"), cheap).output["summary"] == "second"
    assert len(api.requests) == 2


def test_429_with_a_long_retry_after_returns_without_waiting_and_pauses_every_process(ctx, api, request_, cheap, clock):
    api.script(replies.rate_limited(retry_after=600))
    reply = call(ctx, request_, cheap)
    assert reply.outcome == "rate_limited" and reply.output is None
    assert "retry-after 600 s is past the 60 s left" in reply.message
    assert clock.sleeps == [] and len(api.requests) == 1
    with State() as state:
        assert state.paused_for() > 590  # the server's retry-after, honoured without anyone waiting
    assert call(ctx, request_, cheap).outcome == "paused"
    assert len(api.requests) == 1
    assert outcomes(ctx.root) == ["rate_limited", "paused"]


def test_429_with_the_real_clock_returns_at_once(ctx, api, request_, cheap):
    import time

    ctx = ctx._replace(settings=ctx.settings._replace(deadline_seconds=5), clock=time.monotonic, sleep=time.sleep)
    api.script(replies.rate_limited(retry_after=600))
    assert call(ctx, request_, cheap).outcome == "rate_limited"  # had it slept 600 s, this test would hang


def test_a_short_retry_after_is_retried_once_inside_the_deadline(ctx, api, request_, cheap, clock):
    api.script(replies.rate_limited(retry_after=3), answer("after the wait"))
    reply = call(ctx, request_, cheap)
    assert reply.output["summary"] == "after the wait"
    assert clock.sleeps == [3.0] and len(api.requests) == 2
    assert outcomes(ctx.root) == ["ok"]


def test_only_one_retry(ctx, api, request_, cheap, clock):
    api.script(replies.overloaded(), replies.overloaded(), answer())
    assert call(ctx, request_, cheap).outcome == "overloaded"
    assert clock.sleeps == [1.0] and len(api.requests) == 2


@pytest.mark.parametrize(
    ("turn", "expected"),
    [
        (replies.overloaded(), ("overloaded", "the API is overloaded (529): Overloaded")),
        (replies.unavailable(), ("unavailable", "the API is unavailable (503): Service unavailable")),
        (replies.dropped(), ("connection", "cannot reach the API")),
    ],
)
def test_transient_failures_open_the_breaker(ctx, api, request_, turn, expected):
    cheap = router.route("summarize")
    api.script(turn, turn)
    reply = call(ctx, request_, cheap)
    assert reply.outcome == expected[0]
    assert reply.message.startswith(expected[1]) and reply.message.endswith("; API calls pause for 30 s")
    assert len(api.requests) == 2  # the one retry
    skipped = call(ctx, request_, cheap)
    assert skipped.outcome == "paused" and skipped.message.startswith("API calls are paused for 30 s")
    assert len(api.requests) == 2


def test_a_timeout_is_transient(ctx, api, request_, cheap):
    import httpx2

    api.script(httpx2.ReadTimeout("slow"), httpx2.ReadTimeout("slow"))
    reply = call(ctx, request_, cheap)
    assert reply.outcome == "timeout" and reply.message.startswith("no answer within")


def test_success_closes_the_breaker(ctx, api, request_, cheap):
    with State() as state:
        state.trip()
        state._cache.set("breaker", {"failures": 3, "until": 0})  # the pause ran out
    api.script(answer())
    assert call(ctx, request_, cheap).outcome == "ok"
    with State() as state:
        assert state.trip() == 30  # the count started again


def test_401_is_a_configuration_problem_and_does_not_pause(ctx, api, request_, cheap):
    api.script(replies.unauthorized())
    reply = call(ctx, request_, cheap)
    assert reply.outcome == "auth"
    assert reply.message == "the API refused the credentials (401): check ANTHROPIC_API_KEY: invalid x-api-key"
    assert len(api.requests) == 1
    api.script(answer())
    assert call(ctx, request_, cheap).outcome == "ok"


def test_404_names_the_model_and_how_to_change_it(ctx, api, request_):
    api.script(replies.not_found("claude-sonnet-5-5"))
    reply = call(ctx, request_, router.route("review_code"))
    assert reply.outcome == "not_found"
    assert reply.message.startswith(
        "model 'claude-sonnet-5-5' was not found (404), perhaps retired: set llm.models.capable or EMPATHY_MODEL_CAPABLE"
    )


def test_a_retired_model_is_never_called(ctx, api, request_):
    route = router.route("review_code", models={**router.DEFAULT_MODELS, "capable": "claude-opus-4-1"})
    reply = call(ctx, request_, route)
    assert reply.outcome == "retired_model" and "use 'claude-opus-5-5' instead" in reply.message
    assert api.requests == []


def test_no_key_skips_with_one_line_and_sends_nothing(ctx, api, request_, cheap, monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    reply = call(ctx, request_, cheap)
    assert (reply.outcome, reply.message) == (
        "no_key",
        "no API key: set ANTHROPIC_API_KEY (Claude Code may scrub it from hook environments)",
    )
    assert api.requests == []


def test_the_daily_ceiling_stops_calls(ctx, api, request_, cheap):
    api.script(answer(usage=replies.Usage(1000, 199_800)))
    assert call(ctx._replace(settings=ctx.settings._replace(daily_limit_usd=0.1005)), request_, cheap).outcome == "ok"
    with State() as state:
        assert state.spent_today() == pytest.approx(0.10)
    reply = call(
        ctx._replace(settings=ctx.settings._replace(daily_limit_usd=0.1005)), request_._replace(prompt="other"), cheap
    )
    assert reply.outcome == "over_budget"
    assert reply.message.startswith(
        "today's spend $0.1000 plus this call (up to $0.0008) passes llm.daily_limit_usd $0.1005"
    )
    assert len(api.requests) == 1


def test_invalid_output_is_billed_recorded_and_not_cached(ctx, api, request_, cheap):
    api.script(replies.text('{"summary": 3, "risk": "medium"}'), replies.text("not json"), answer())
    first = call(ctx, request_, cheap)
    assert first.outcome == "invalid"
    assert first.problems == ("$.summary: expected string, got integer", "$.risk: 'medium' is not one of 'low', 'high'")
    assert call(ctx, request_, cheap).message.startswith("the reply failed validation: the reply is not JSON")
    assert call(ctx, request_, cheap).outcome == "ok"
    assert outcomes(ctx.root) == ["invalid", "invalid", "ok"]
    assert all(e.cost_usd > 0 for e in ledger.read(ctx.root).entries)


def test_the_wizard_check_runs_after_the_schema(ctx, api, request_, cheap):
    api.script(answer("", "low"))
    checked = request_._replace(check=lambda out: [] if out["summary"] else ["$.summary: empty"])
    assert call(ctx, checked, cheap).problems == ("$.summary: empty",)


def test_a_prompt_with_a_secret_is_refused_before_anything_else(ctx, api, cheap):
    token = fake_secret("github")
    request = Request("demo", "summarize", "s", f"config:\nGITHUB_TOKEN = '{token}'\n", SCHEMA, "1")
    reply = call(ctx, request, cheap)
    assert reply.outcome == "refused_secret"
    assert "github-token at line 2" in reply.message and token not in reply.message and "ghp_" not in reply.message
    assert api.requests == []
    assert outcomes(ctx.root) == ["refused_secret"]


def test_personal_data_is_scrubbed_before_sending(ctx, api, cheap):
    api.script(answer())
    request = Request("demo", "summarize", "s", f"Reported by {EMAIL}, phone {PHONE}", SCHEMA, "1")
    call(ctx, request, cheap)
    sent = api.bodies[0]["messages"][0]["content"]
    assert sent == "Reported by [EMAIL], phone [PHONE]"


def test_ledger_totals_match_the_usage_served(ctx, api, request_, cheap):
    served = [replies.Usage(1000 * n, 100 * n, 10 * n, 50 * n) for n in range(1, 6)]
    api.script(*(answer(str(n), usage=u) for n, u in enumerate(served)))
    for n in range(5):
        call(ctx, request_._replace(prompt=f"prompt {n}"), cheap)
    from attune.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["costs", "--json", "--root", str(ctx.root)]) == 0
    total = json.loads(out.getvalue())["total_usd"]
    expected = (
        sum(
            u.input_tokens * 0.10
            + u.output_tokens * 0.50
            + u.cache_creation_input_tokens * 0.125
            + u.cache_read_input_tokens * 0.01
            for u in served
        )
        / 1e6
    )
    assert total == pytest.approx(expected)
