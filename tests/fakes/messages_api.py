"""A loopback fake of the Anthropic Messages API for the real Claude Code CLI and the real anthropic SDK.

It is the only fake in the test suite (the network boundary): a standard-library HTTP server on
127.0.0.1, port 0, in a thread. Tests script the replies, read back every request, and ask for
failures. It also answers as an HTTP proxy that refuses every tunnel, so a client pointed at it
with HTTPS_PROXY can reach nothing else, and what it tried is recorded.
"""

from __future__ import annotations

import contextlib
import itertools
import socket
import threading
from collections.abc import Callable
from typing import Any

from tests.fakes import replies
from tests.fakes.handler import MODELS, Handler, Request, Server
from tests.fakes.replies import Turn

__all__ = ["MODELS", "FakeMessagesAPI", "Request", "main_loop"]


def main_loop(body: Any) -> bool:
    """Whether a /v1/messages request is an agent turn (it offers tools), not a side request."""
    return isinstance(body, dict) and bool(body.get("tools"))


class FakeMessagesAPI:
    """Start with `start()` (or `with`); `script()` queues turns; `requests` records everything."""

    def __init__(self, *, default: Turn | None = None, scripted: Callable[[Any], bool] | None = None) -> None:
        self.default: Turn = default or replies.text("done")
        # Which /v1/messages requests take the next scripted turn; the others get `default`.
        self.scripted = scripted or (lambda _body: True)
        self.requests: list[Request] = []
        self.tunnels: list[str] = []  # hosts a client tried to reach through us as a proxy
        self.errors: list[str] = []  # tracebacks of the fake's own failures: a test should see none
        self._script: list[tuple[Callable[[Any], bool] | None, Turn]] = []
        self._lock = threading.Lock()
        self.stopping = threading.Event()  # set by stop(): held replies give up
        self._connections: set[socket.socket] = set()
        self._request_ids = itertools.count(1)
        self._server = Server(("127.0.0.1", 0), Handler)
        self._server.fake = self
        # A short poll interval, so that stop() returns quickly.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="fake-messages-api")

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeMessagesAPI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        with self._lock:
            for conn in self._connections:
                # Keep-alive connections would otherwise hold their handler threads until the client goes.
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
        self._server.server_close()  # joins the handler threads
        self._thread.join()

    def __enter__(self) -> FakeMessagesAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def script(self, *turns: Turn, when: Callable[[Any], bool] | None = None) -> None:
        """Queue turns for the requests that `when` accepts (by default, those that `scripted` accepts).

        Each request takes the oldest queued turn whose condition it meets, so that two lanes (the
        main agent and a subagent running beside it, say) can be scripted independently.
        """
        with self._lock:
            self._script.extend((when, turn) for turn in turns)

    @property
    def unused(self) -> list[Turn]:
        with self._lock:
            return [turn for _when, turn in self._script]

    def messages(self, *, scripted_only: bool = False) -> list[Any]:
        """The JSON bodies of the POST /v1/messages requests, oldest first."""
        return [
            r.body
            for r in self.requests
            if r.method == "POST" and r.path == "/v1/messages" and (not scripted_only or self.scripted(r.body))
        ]

    # Called by the handler threads (tests/fakes/handler.py).

    def record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def take_turn(self, body: Any) -> Turn:
        with self._lock:
            for index, (when, turn) in enumerate(self._script):
                if (when or self.scripted)(body):
                    del self._script[index]
                    return turn
        return self.default

    def track(self, conn: socket.socket, *, add: bool) -> None:
        with self._lock:
            (self._connections.add if add else self._connections.discard)(conn)

    def next_request_id(self) -> str:
        return f"req_fake{next(self._request_ids):014d}"
