"""The fake Messages API, checked with the real anthropic SDK and plain HTTP: what it answers is what clients parse."""

from __future__ import annotations

import http.client
import json
import threading

import pytest

from tests.fakes import replies
from tests.fakes.messages_api import FakeMessagesAPI
from tests.fakes.replies import Reply, Text, Thinking, ToolUse, Usage

USER = [{"role": "user", "content": "hello"}]


@pytest.fixture
def client(fake_api):
    import anthropic

    with anthropic.Anthropic(api_key="sk-ant-test", base_url=fake_api.url, max_retries=0, timeout=10) as sdk:
        yield sdk


def test_a_json_reply_parses_with_its_usage_and_the_request_is_recorded(fake_api, client):
    fake_api.script(
        replies.text("hi there", usage=Usage(input_tokens=321, output_tokens=7, cache_read_input_tokens=50))
    )
    message = client.messages.create(model="claude-haiku-5-5", max_tokens=64, messages=USER)
    assert [block.text for block in message.content if block.type == "text"] == ["hi there"]
    assert message.model == "claude-haiku-5-5"
    assert message.stop_reason == "end_turn"
    assert (message.usage.input_tokens, message.usage.output_tokens, message.usage.cache_read_input_tokens) == (
        321,
        7,
        50,
    )
    (request,) = fake_api.requests
    assert (request.method, request.path) == ("POST", "/v1/messages")
    # The Python SDK 2.x sends the key as a bearer token; Claude Code sends x-api-key.
    assert request.headers["authorization"] == "Bearer sk-ant-test"
    assert request.body["messages"] == USER
    assert fake_api.messages() == [request.body]


def test_a_streamed_tool_call_arrives_whole(fake_api, client):
    tool_input = {"file_path": "/tmp/x.py", "content": "print('a long enough body to be cut into many deltas')\n" * 3}
    fake_api.script(replies.tool_use("Write", tool_input, preface="Writing the file."))
    with client.messages.stream(model="claude-sonnet-5-5", max_tokens=64, messages=USER) as stream:
        message = stream.get_final_message()
    assert message.stop_reason == "tool_use"
    text, call = message.content
    assert text.text == "Writing the file."
    assert (call.type, call.name, call.input) == ("tool_use", "Write", tool_input)
    assert call.id.startswith("toolu_")
    assert fake_api.messages()[0]["stream"] is True


def test_the_stream_is_the_real_event_sequence(fake_api):
    fake_api.script(Reply((Thinking("let me think"), Text("answer"), ToolUse("Read", {"file_path": "/a"}))))
    events = _raw_stream(fake_api)
    kinds = [event["type"] for event in events]
    assert kinds[0] == "message_start"
    assert kinds[-2:] == ["message_delta", "message_stop"]
    starts = [e["content_block"]["type"] for e in events if e["type"] == "content_block_start"]
    assert starts == ["thinking", "text", "tool_use"]
    assert kinds.count("content_block_stop") == 3
    deltas = {e["delta"]["type"] for e in events if e["type"] == "content_block_delta"}
    assert deltas == {"thinking_delta", "signature_delta", "text_delta", "input_json_delta"}
    assert events[-2]["delta"]["stop_reason"] == "tool_use"
    assert events[-2]["usage"]["output_tokens"] == Usage().output_tokens


def test_a_reply_may_begin_with_a_thinking_block(fake_api, client):
    fake_api.script(Reply((Thinking("hmm"), Text("the answer"))))
    message = client.messages.create(model="claude-opus-5-5", max_tokens=64, messages=USER)
    assert [block.type for block in message.content] == ["thinking", "text"]
    assert next(block.text for block in message.content if block.type == "text") == "the answer"


def test_the_default_answers_once_the_script_is_spent(fake_api, client):
    fake_api.default = replies.text("fallback")
    fake_api.script(replies.text("first"))
    answers = [client.messages.create(model="m", max_tokens=8, messages=USER).content[0].text for _ in range(3)]
    assert answers == ["first", "fallback", "fallback"]
    assert fake_api.unused == []


def test_each_request_takes_the_oldest_turn_its_lane_accepts(fake_api, client):
    def lane(name):
        return lambda body: body["metadata"]["user_id"] == name

    fake_api.script(replies.text("a1"), replies.text("a2"), when=lane("a"))
    fake_api.script(replies.text("b1"), when=lane("b"))

    def ask(name):
        return (
            client.messages.create(model="m", max_tokens=8, messages=USER, metadata={"user_id": name}).content[0].text
        )

    assert [ask("b"), ask("a"), ask("a")] == ["b1", "a1", "a2"]


@pytest.mark.parametrize(
    ("failure", "error", "status"),
    [
        (replies.rate_limited(retry_after=120), "RateLimitError", 429),
        (replies.overloaded(), "OverloadedError", 529),
        (replies.unavailable(), "ServiceUnavailableError", 503),
        (replies.unauthorized(), "AuthenticationError", 401),
        (replies.not_found("claude-opus-4-1"), "NotFoundError", 404),
    ],
)
def test_canned_failures_raise_the_sdk_error_of_their_status(fake_api, client, failure, error, status):
    import anthropic

    fake_api.script(failure, replies.text("later"))
    with pytest.raises(getattr(anthropic, error)) as raised:
        client.messages.create(model="claude-opus-4-1", max_tokens=8, messages=USER)
    assert raised.value.status_code == status
    assert raised.value.body["error"]["type"] == failure.error_type
    assert raised.value.response.headers["request-id"] == raised.value.body["request_id"]
    if status == 429:
        assert raised.value.response.headers["retry-after"] == "120"
    assert client.messages.create(model="m", max_tokens=8, messages=USER).content[0].text == "later"


def test_a_dropped_connection_is_a_connection_error(fake_api, client):
    import anthropic

    fake_api.script(replies.dropped(), replies.dropped(after_events=3))
    with pytest.raises(anthropic.APIConnectionError):
        client.messages.create(model="m", max_tokens=8, messages=USER)
    with pytest.raises(anthropic.APIConnectionError):
        client.messages.create(model="m", max_tokens=8, messages=USER)


def test_a_stream_cut_short_is_a_connection_error(fake_api, client):
    # The fake really drops the connection mid-stream. Since anthropic 2.17 (pinned in
    # constraints.txt) the SDK wraps the transport's error in APIConnectionError, which
    # attune.llm.client classifies as transient; 2.16 and older let httpx2.TransportError out.
    import anthropic
    import httpx2

    fake_api.script(replies.dropped(after_events=3))
    with (
        pytest.raises(anthropic.APIConnectionError) as raised,
        client.messages.stream(model="m", max_tokens=8, messages=USER) as stream,
    ):
        stream.get_final_message()
    assert isinstance(raised.value.__cause__, httpx2.TransportError)


def test_a_slow_reply_times_the_client_out_and_does_not_hold_up_stop():
    import anthropic

    with FakeMessagesAPI() as api:
        api.script(replies.text("too late", delay=60))
        sdk = anthropic.Anthropic(api_key="k", base_url=api.url, max_retries=0, timeout=0.3)
        with pytest.raises(anthropic.APITimeoutError):
            sdk.messages.create(model="m", max_tokens=8, messages=USER)
        sdk.close()
    assert len(api.requests) == 1


def test_a_held_reply_waits_for_its_condition(fake_api, client):
    released = threading.Event()
    fake_api.script(replies.text("now", hold=released.is_set))
    timer = threading.Timer(0.2, released.set)
    timer.start()
    message = client.messages.create(model="m", max_tokens=8, messages=USER)
    answered_after_release = released.is_set()  # without the hold the answer would beat the timer
    timer.join()
    assert message.content[0].text == "now"
    assert answered_after_release


def test_stop_closes_connections_that_a_client_keeps_alive():
    import anthropic

    with FakeMessagesAPI() as api:
        sdk = anthropic.Anthropic(api_key="k", base_url=api.url, max_retries=0)
        sdk.messages.create(model="m", max_tokens=8, messages=USER)
    # The SDK's pooled connection was still open when the fake stopped; the thread guard would catch a hang.
    sdk.close()
    assert not [t for t in threading.enumerate() if t.name == "fake-messages-api"]


def test_count_tokens_and_the_model_list_answer(fake_api, client):
    count = client.messages.count_tokens(model="claude-haiku-5-5", messages=USER)
    assert count.input_tokens > 0
    assert "claude-haiku-5-5" in [model.id for model in client.models.list()]
    assert [r.path for r in fake_api.requests] == ["/v1/messages/count_tokens", "/v1/models"]
    assert fake_api.messages() == []


def test_a_request_without_a_key_is_refused_as_the_real_api_does(fake_api):
    status, body = _post(fake_api, "/v1/messages", {"model": "m", "max_tokens": 8, "messages": USER}, key=None)
    assert status == 401
    assert body["error"]["type"] == "authentication_error"
    assert fake_api.unused == []  # a refused request takes no scripted turn


def test_an_unknown_endpoint_is_a_recorded_404(fake_api):
    status, body = _post(fake_api, "/v1/complete", {"prompt": "x"})
    assert status == 404
    assert body["error"]["type"] == "not_found_error"
    assert fake_api.requests[0].body == {"prompt": "x"}


def test_as_a_proxy_it_refuses_every_tunnel_and_records_the_host(fake_api):
    host, port = fake_api.url.removeprefix("http://").split(":")
    conn = http.client.HTTPSConnection(host, int(port), timeout=5)
    conn.set_tunnel("api.anthropic.com", 443)
    with pytest.raises(OSError, match="403"):
        conn.request("GET", "/")
    conn.close()
    status, _ = _request(fake_api, "GET", "http://example.com/telemetry")
    assert status == 403
    assert fake_api.tunnels == ["api.anthropic.com:443", "http://example.com/telemetry"]


def _request(api, method, path, body=None, key="sk-ant-test"):
    host, port = api.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    headers = {"content-type": "application/json"} | ({"x-api-key": key} if key else {})
    try:
        data = json.dumps(body).encode() if body is not None else None
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _post(api, path, body, key="sk-ant-test"):
    status, raw = _request(api, "POST", path, body, key)
    return status, json.loads(raw)


def _raw_stream(api):
    status, raw = _request(
        api, "POST", "/v1/messages", {"model": "m", "max_tokens": 8, "messages": USER, "stream": True}
    )
    assert status == 200
    events = []
    for chunk in raw.decode().split("\n\n"):
        if chunk.strip():
            name, data = chunk.split("\n")
            event = json.loads(data.removeprefix("data: "))
            assert name == f"event: {event['type']}"
            events.append(event)
    return events
