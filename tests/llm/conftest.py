"""The network boundary for LLM tests: the real anthropic SDK on an httpx2.MockTransport."""

from __future__ import annotations

import json

import pytest

from attune.llm import router, settings
from attune.llm.call import Context, Request
from tests.fakes import replies
from tests.fakes.replies import Drop, Failure

SCHEMA = {
    "type": "object",
    "properties": {"summary": {"type": "string"}, "risk": {"type": "string", "enum": ["low", "high"]}},
    "required": ["summary", "risk"],
    "additionalProperties": False,
}


class MockAPI:
    """Scripted turns (tests/fakes/replies), answered in order; every request is kept."""

    def __init__(self):
        import anthropic
        import httpx2

        self.turns = []
        self.requests = []
        self.http_client = anthropic.DefaultHttpxClient(transport=httpx2.MockTransport(self.handler))

    def script(self, *turns):
        self.turns.extend(turns)

    @property
    def bodies(self):
        return [json.loads(r.content) for r in self.requests]

    def handler(self, request):
        import httpx2

        self.requests.append(request)
        turn = self.turns.pop(0) if self.turns else replies.text(json.dumps({"summary": "default", "risk": "low"}))
        if isinstance(turn, Drop):
            raise httpx2.ConnectError("connection refused", request=request)
        if isinstance(turn, Failure):
            return httpx2.Response(turn.status, json=replies.error_body(turn, "req_mock"), headers=list(turn.headers))
        if isinstance(turn, Exception):
            raise turn
        return httpx2.Response(200, json=replies.message_json(turn, json.loads(request.content)["model"]))


class Clock:
    """A monotonic clock whose sleep only moves time forward, so no test waits."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def answer(summary="ok", risk="low", **kwargs):
    return replies.text(json.dumps({"summary": summary, "risk": risk}), **kwargs)


@pytest.fixture
def api():
    mock = MockAPI()
    yield mock
    mock.http_client.close()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def state():
    from attune.llm.state import State

    with State() as opened:
        yield opened


@pytest.fixture
def ctx(repo, api, clock, state, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "test-key-not-a-secret")
    (repo / ".empathy").mkdir()
    return Context(repo, settings.DEFAULT, state, http_client=api.http_client, clock=clock, sleep=clock.sleep)


@pytest.fixture
def request_():
    return Request("demo", "summarize", "Answer in JSON.", "Summarize: the nightly build failed twice.", SCHEMA, "1")


@pytest.fixture
def cheap():
    return router.route("summarize")
