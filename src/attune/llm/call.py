"""One LLM call, guarded, cached, accounted, and bounded by a wall-clock deadline, a breaker and a spend ceiling."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from attune.llm import client, guard, ledger, prices, schema
from attune.llm.prices import Usage
from attune.llm.router import Route
from attune.llm.settings import LlmSettings
from attune.llm.state import State

MIN_ATTEMPT_SECONDS = 2.0  # a retry needs at least this much of the deadline left after its wait
DEFAULT_RETRY_WAIT = 1.0
NO_KEY = "no API key: set ANTHROPIC_API_KEY (Claude Code may scrub it from hook environments)"


class Context(NamedTuple):
    root: Path
    settings: LlmSettings
    state: State  # opened once per process: opening the SQLite cache costs more than a cache hit
    http_client: object | None = None  # tests pass an SDK client on a mock transport
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


class Request(NamedTuple):
    wizard: str
    task: str
    system: str
    prompt: str  # as rendered; the guard runs inside `call`, before anything else
    schema: Mapping[str, object]
    prompt_version: str
    check: Callable[[dict[str, Any]], list[str]] | None = None  # the wizard's own validators


class Reply(NamedTuple):
    output: dict[str, Any] | None  # None unless the outcome is ok or cache_hit
    route: Route
    outcome: str  # ok, cache_hit, invalid, or why nothing usable came back
    message: str  # one line for the user when there is no output
    usage: Usage = Usage()
    cost_usd: float | None = 0.0
    problems: tuple[str, ...] = ()


def cache_key(route: Route, system: str, prompt: str, output_schema: Mapping[str, object], version: str) -> str:
    blob = json.dumps([route.model, route.effort, system, prompt, output_schema, version], sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


def call(ctx: Context, request: Request, route: Route, attempt: int = 1) -> Reply:
    def record(reply: Reply, *, hit: bool = False, saved: float = 0.0) -> Reply:
        cost, as_of = (reply.cost_usd, None) if hit else prices.cost_of(route.model, reply.usage)
        ledger.append(ctx.root, ledger.Entry(
            ledger.now(), request.wizard, request.task, route.tier, route.model, reply.usage,
            cost, hit, saved, reply.outcome, attempt, as_of,
        ))  # fmt: skip
        return reply

    try:
        prompt = guard.guard_prompt(request.prompt, f"{request.wizard} prompt")
    except guard.PromptRefused as exc:
        return record(Reply(None, route, "refused_secret", str(exc)))
    if prices.is_retired(route.model):
        return record(Reply(None, route, "retired_model", str(prices.model_warning(route.model))))
    key = cache_key(route, request.system, prompt, request.schema, request.prompt_version)
    state = ctx.state
    hit = state.lookup(key)
    if hit is not None:
        saved = float(hit.get("cost_usd") or 0.0)
        return record(Reply(hit["output"], route, "cache_hit", "", Usage(), 0.0), hit=True, saved=saved)
    if not client.has_credentials():
        return record(Reply(None, route, "no_key", NO_KEY))
    paused = state.paused_for()
    if paused > 0:
        return record(Reply(None, route, "paused", f"API calls are paused for {paused:.0f} s after failures"))
    worst = prices.cost_of(route.model, Usage(prices.estimate_tokens(request.system + prompt, route.model),
                                              route.max_tokens))[0] or 0.0  # fmt: skip
    spent, limit = state.spent_today(), ctx.settings.daily_limit_usd
    if spent + worst > limit:
        message = (
            f"today's spend ${spent:.4f} plus this call (up to ${worst:.4f}) passes llm.daily_limit_usd ${limit:g}"
        )
        return record(Reply(None, route, "over_budget", message))
    try:
        sent = _send_within_deadline(ctx, request.system, prompt, request.schema, route)
    except client.CallFailed as failure:
        message = str(failure)
        if failure.transient:
            pause = state.trip(at_least=failure.retry_after or 0.0)
            message += f"; API calls pause for {pause:.0f} s"
        return record(Reply(None, route, failure.outcome, message))
    state.reset_breaker()
    cost = prices.cost_of(route.model, sent.usage)[0]
    state.spend(cost or 0.0)
    output, problems = _parse(sent, request)
    if output is None:
        shown = "; ".join(problems[:3])
        reply = Reply(None, route, "invalid", f"the reply failed validation: {shown}", sent.usage, cost, problems)
        return record(reply)
    state.store(key, {"output": output, "cost_usd": cost}, ctx.settings.cache_ttl_hours * 3600)
    return record(Reply(output, route, "ok", "", sent.usage, cost))


def _send_within_deadline(
    ctx: Context, system: str, prompt: str, output_schema: Mapping[str, object], route: Route
) -> client.Sent:
    """At most two attempts, both inside the deadline; a retry-after past the deadline is not waited for."""
    deadline = ctx.clock() + ctx.settings.deadline_seconds
    for attempt in (1, 2):
        remaining = deadline - ctx.clock()
        try:
            return client.send(route, system, prompt, output_schema, timeout=remaining, http_client=ctx.http_client)
        except client.CallFailed as failure:
            if not failure.transient or attempt == 2:
                raise
            wait = DEFAULT_RETRY_WAIT if failure.retry_after is None else failure.retry_after
            left = deadline - ctx.clock()
            if wait + MIN_ATTEMPT_SECONDS > left:
                if failure.retry_after is not None:
                    failure.args = (f"{failure}; retry-after {wait:.0f} s is past the {left:.0f} s left",)
                raise
            ctx.sleep(wait)
    raise AssertionError("unreachable: the second attempt returns or raises")


def _parse(sent: client.Sent, request: Request) -> tuple[dict[str, Any] | None, tuple[str, ...]]:
    if sent.stop_reason == "refusal":
        return None, ("the model declined to answer",)
    cut = " (the reply was cut off at max_tokens)" if sent.stop_reason == "max_tokens" else ""
    try:
        output = json.loads(sent.text)
    except json.JSONDecodeError as exc:
        return None, (f"the reply is not JSON: {exc.msg} at character {exc.pos}{cut}",)
    problems = schema.problems(output, request.schema)
    if not problems and request.check is not None:
        problems = request.check(output)
    if problems or not isinstance(output, dict):
        return None, tuple(problems or ["$: expected object"])
    return output, ()
