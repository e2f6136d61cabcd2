"""What the fake Messages API answers: scripted replies and failures, encoded as the real API encodes them."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

_ids = itertools.count(1)


class Text(NamedTuple):
    text: str


class ToolUse(NamedTuple):
    name: str
    input: dict[str, Any]
    id: str = ""  # filled in when the reply is built, so a test can leave it out


class Thinking(NamedTuple):
    thinking: str
    signature: str = "c2lnbmF0dXJl"


Block = Text | ToolUse | Thinking


class Usage(NamedTuple):
    input_tokens: int = 120
    output_tokens: int = 12
    cache_creation_input_tokens: int = 0
    cache_read_input_tokens: int = 0


class Reply(NamedTuple):
    """One assistant message. An empty `model` echoes the request's; `delay` waits before answering.

    `hold` keeps the answer back until it returns true (checked every 20 ms, for at most
    HOLD_LIMIT seconds): a test can keep a client busy until something it started has happened.
    """

    content: tuple[Block, ...]
    stop_reason: str = ""
    usage: Usage = Usage()
    model: str = ""
    delay: float = 0.0
    hold: Callable[[], bool] | None = None


HOLD_LIMIT = 30.0


class Failure(NamedTuple):
    """An HTTP error with the API's error body."""

    status: int
    error_type: str
    message: str
    headers: tuple[tuple[str, str], ...] = ()


class Drop(NamedTuple):
    """Close the connection: before any response (`after_events=0`) or in the middle of a stream."""

    after_events: int = 0


Turn = Reply | Failure | Drop


def text(value: str, **kwargs: Any) -> Reply:
    return Reply((Text(value),), **kwargs)


def tool_use(name: str, tool_input: dict[str, Any], *, preface: str = "", **kwargs: Any) -> Reply:
    blocks: tuple[Block, ...] = (ToolUse(name, tool_input),)
    return Reply(((Text(preface), *blocks) if preface else blocks), **kwargs)


def rate_limited(retry_after: int = 30) -> Failure:
    return Failure(
        429,
        "rate_limit_error",
        "Number of request tokens has exceeded your rate limit.",
        (("retry-after", str(retry_after)),),
    )


def overloaded() -> Failure:
    return Failure(529, "overloaded_error", "Overloaded")


def unavailable() -> Failure:
    return Failure(503, "api_error", "Service unavailable")


def unauthorized(message: str = "invalid x-api-key") -> Failure:
    return Failure(401, "authentication_error", message)


def not_found(model: str = "claude-opus-4-1") -> Failure:
    return Failure(404, "not_found_error", f"model: {model}")


def dropped(after_events: int = 0) -> Drop:
    return Drop(after_events)


def error_body(failure: Failure, request_id: str) -> dict[str, Any]:
    return {
        "type": "error",
        "error": {"type": failure.error_type, "message": failure.message},
        "request_id": request_id,
    }


def _with_ids(reply: Reply) -> tuple[Block, ...]:
    return tuple(
        block._replace(id=f"toolu_fake{next(_ids):014d}") if isinstance(block, ToolUse) and not block.id else block
        for block in reply.content
    )


def _stop_reason(reply: Reply, blocks: tuple[Block, ...]) -> str:
    if reply.stop_reason:
        return reply.stop_reason
    return "tool_use" if any(isinstance(block, ToolUse) for block in blocks) else "end_turn"


def _block_json(block: Block) -> dict[str, Any]:
    if isinstance(block, Text):
        return {"type": "text", "text": block.text}
    if isinstance(block, ToolUse):
        return {"type": "tool_use", "id": block.id, "name": block.name, "input": block.input}
    return {"type": "thinking", "thinking": block.thinking, "signature": block.signature}


def message_json(reply: Reply, model: str) -> dict[str, Any]:
    """The non-streaming response body."""
    return _message(reply, model, _with_ids(reply))


def _message(reply: Reply, model: str, blocks: tuple[Block, ...]) -> dict[str, Any]:
    return {
        "id": f"msg_fake{next(_ids):014d}",
        "type": "message",
        "role": "assistant",
        "model": reply.model or model,
        "content": [_block_json(block) for block in blocks],
        "stop_reason": _stop_reason(reply, blocks),
        "stop_sequence": None,
        "usage": reply.usage._asdict(),
    }


def _pieces(value: str, size: int = 16) -> list[str]:
    # Several deltas per block, as the real API sends, so that clients must accumulate them.
    return [value[i : i + size] for i in range(0, len(value), size)] or [""]


def _block_events(index: int, block: Block) -> Iterator[dict[str, Any]]:
    if isinstance(block, Text):
        yield {"type": "content_block_start", "index": index, "content_block": {"type": "text", "text": ""}}
        deltas = [{"type": "text_delta", "text": piece} for piece in _pieces(block.text)]
    elif isinstance(block, ToolUse):
        start = {"type": "tool_use", "id": block.id, "name": block.name, "input": {}}
        yield {"type": "content_block_start", "index": index, "content_block": start}
        deltas = [{"type": "input_json_delta", "partial_json": piece} for piece in _pieces(json.dumps(block.input))]
    else:
        start = {"type": "thinking", "thinking": "", "signature": ""}
        yield {"type": "content_block_start", "index": index, "content_block": start}
        deltas = [{"type": "thinking_delta", "thinking": piece} for piece in _pieces(block.thinking)]
        deltas.append({"type": "signature_delta", "signature": block.signature})
    for delta in deltas:
        yield {"type": "content_block_delta", "index": index, "delta": delta}
    yield {"type": "content_block_stop", "index": index}


def stream_events(reply: Reply, model: str) -> Iterator[dict[str, Any]]:
    """The server-sent events of a streamed response, in the real API's order."""
    blocks = _with_ids(reply)
    message = _message(reply, model, blocks)
    usage = message["usage"]
    start = {**message, "content": [], "stop_reason": None, "usage": {**usage, "output_tokens": 1}}
    yield {"type": "message_start", "message": start}
    for index, block in enumerate(blocks):
        yield from _block_events(index, block)
        if index == 0:
            yield {"type": "ping"}
    delta = {"stop_reason": message["stop_reason"], "stop_sequence": None}
    yield {"type": "message_delta", "delta": delta, "usage": usage}
    yield {"type": "message_stop"}


def sse(event: dict[str, Any]) -> bytes:
    return f"event: {event['type']}\ndata: {json.dumps(event)}\n\n".encode()
