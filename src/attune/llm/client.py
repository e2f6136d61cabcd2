"""The one owner of the `anthropic` SDK: send one Messages request and classify what went wrong.

Importing the SDK takes about a second, so it happens inside `send`, never at module level.
The SDK's own retries are off (`max_retries=0`): they obey `retry-after` without a cap, and
one 429 could hold a process for minutes. `attune.llm.call` owns the deadline and the retry.
"""

from __future__ import annotations

import email.utils
import os
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple, cast

from attune.llm.prices import Usage
from attune.llm.router import Route

if TYPE_CHECKING:
    from anthropic import APIStatusError
    from anthropic.types import MessageParam, OutputConfigParam

KEY_VARIABLES = ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_PROFILE")


class Sent(NamedTuple):
    text: str  # the text blocks, joined; thinking blocks are never read as output
    usage: Usage
    stop_reason: str | None
    model: str


class CallFailed(Exception):
    """A request that did not produce a message: `outcome` names the reason for the ledger."""

    def __init__(self, outcome: str, message: str, *, transient: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.outcome = outcome
        self.transient = transient  # worth one retry and a breaker trip; otherwise a configuration problem
        self.retry_after = retry_after


def has_credentials(environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    return any(env.get(name, "").strip() for name in KEY_VARIABLES)


def send(
    route: Route,
    system: str,
    prompt: str,
    schema: Mapping[str, object],
    *,
    timeout: float,
    http_client: object | None = None,
) -> Sent:
    """One request with structured output; raises CallFailed for every API or network failure."""
    import anthropic

    client = anthropic.Anthropic(max_retries=0, timeout=timeout, http_client=http_client)  # type: ignore[arg-type]
    messages = [cast("MessageParam", {"role": "user", "content": prompt})]
    output = cast(
        "OutputConfigParam", {"effort": route.effort, "format": {"type": "json_schema", "schema": dict(schema)}}
    )
    try:
        message = client.messages.create(
            model=route.model, max_tokens=route.max_tokens, system=system, messages=messages, output_config=output
        )
    except TypeError as exc:  # the SDK raises this at call time when it finds no credentials
        raise CallFailed("no_key", f"no usable API credentials ({exc})", transient=False) from None
    except anthropic.APITimeoutError:
        raise CallFailed("timeout", f"no answer within {timeout:.0f} s", transient=True) from None
    except anthropic.APIConnectionError as exc:
        raise CallFailed("connection", f"cannot reach the API ({exc})", transient=True) from None
    except anthropic.APIStatusError as exc:
        raise _classify(exc, route) from None
    except anthropic.AnthropicError as exc:
        raise CallFailed("error", f"the API answer was not usable ({exc})", transient=False) from None
    finally:
        if http_client is None:
            client.close()  # a client passed in belongs to the caller, who may send through it again
    usage = message.usage
    text = "".join(block.text for block in message.content if block.type == "text")
    return Sent(
        text,
        Usage(
            usage.input_tokens,
            usage.output_tokens,
            usage.cache_creation_input_tokens or 0,
            usage.cache_read_input_tokens or 0,
        ),
        message.stop_reason,
        message.model,
    )


# Status -> (outcome, transient, what to tell the user). 408, 409 and 5xx are worth one retry.
_STATUS: dict[int, tuple[str, bool, str]] = {
    400: ("bad_request", False, "the API rejected the request (400)"),
    401: ("auth", False, "the API refused the credentials (401): check ANTHROPIC_API_KEY"),
    402: ("billing", False, "the API wants payment (402): check the account's billing"),
    403: ("permission", False, "the key may not use this model or feature (403)"),
    404: ("not_found", False, "model {model!r} was not found (404), perhaps retired: set llm.models.{tier} or {env}"),
    408: ("timeout", True, "the API timed out the request (408)"),
    409: ("conflict", True, "the API reported a conflict (409)"),
    413: ("too_large", False, "the prompt is too large for the API (413)"),
    429: ("rate_limited", True, "rate limited (429)"),
    529: ("overloaded", True, "the API is overloaded (529)"),
}


def _classify(exc: APIStatusError, route: Route) -> CallFailed:
    status = exc.status_code
    outcome, transient, text = _STATUS.get(status, ("unavailable", True, f"the API is unavailable ({status})"))
    if status not in _STATUS and status < 500:
        outcome, transient, text = "error", False, f"the API answered {status}"
    env = f"EMPATHY_MODEL_{route.tier.upper()}"
    message = text.format(model=route.model, tier=route.tier, env=env)
    detail = _detail(exc.body)
    return CallFailed(outcome, f"{message}: {detail}" if detail else message, transient=transient,
                      retry_after=_retry_after(exc.response.headers))  # fmt: skip


def _detail(body: object) -> str:
    error = body.get("error") if isinstance(body, dict) else None
    text = error.get("message") if isinstance(error, dict) else None
    return " ".join(str(text).split())[:200] if text else ""


def _retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds from `retry-after-ms` or `retry-after` (seconds or an HTTP date), if given."""
    millis = headers.get("retry-after-ms")
    try:
        if millis is not None:
            return max(0.0, float(millis) / 1000)
        value = headers.get("retry-after")
        if value is None:
            return None
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(str(headers.get("retry-after")))
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
