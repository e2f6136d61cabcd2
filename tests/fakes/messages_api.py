"""A loopback fake of the Anthropic Messages API for the real Claude Code CLI and the real anthropic SDK.

It is the only fake in the test suite (the network boundary): a standard-library HTTP server on
127.0.0.1, port 0, in a thread. Tests script the replies, read back every request, and ask for
failures. It also answers as an HTTP proxy that refuses every tunnel, so a client pointed at it
with HTTPS_PROXY can reach nothing else, and what it tried is recorded.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import socket
import threading
import traceback
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple

from tests.fakes import replies
from tests.fakes.replies import Drop, Failure, Reply, Turn


class Request(NamedTuple):
    method: str
    path: str
    query: str
    headers: dict[str, str]  # lower-cased names
    body: Any  # parsed JSON, or None


# The model table of shared/MODELS.md, for clients that list models at start-up.
MODELS = (
    "claude-opus-5-5",
    "claude-sonnet-5-5",
    "claude-haiku-5-5",
    "claude-opus-5",
    "claude-sonnet-5",
    "claude-haiku-4-5",
)


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
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._request_ids = itertools.count(1)
        self._server = _Server(("127.0.0.1", 0), _Handler)
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
        self._stopping.set()
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

    def _record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def _next_turn(self, body: Any) -> Turn:
        with self._lock:
            for index, (when, turn) in enumerate(self._script):
                if (when or self.scripted)(body):
                    del self._script[index]
                    return turn
        return self.default

    def _track(self, conn: socket.socket, *, add: bool) -> None:
        with self._lock:
            (self._connections.add if add else self._connections.discard)(conn)


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # so that server_close() joins every handler thread
    fake: FakeMessagesAPI

    def handle_error(self, request: Any, client_address: Any) -> None:
        self.fake.errors.append(traceback.format_exc())


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.fake._track(self.connection, add=True)

    def handle(self) -> None:
        # A client that hangs up, or a connection that stop() shut, is not the fake's failure.
        with contextlib.suppress(ConnectionResetError, BrokenPipeError):
            super().handle()

    def finish(self) -> None:
        self.server.fake._track(self.connection, add=False)
        with contextlib.suppress(OSError):  # the client or stop() closed the socket first
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        """Silence: pytest would otherwise show the access log of every request."""

    def do_CONNECT(self) -> None:
        self.server.fake.tunnels.append(self.path)
        self._read_request("CONNECT")
        self._send_json(403, {"type": "error", "error": {"type": "forbidden", "message": "no network in tests"}})

    def do_GET(self) -> None:
        request = self._read_request("GET")
        if self._refuse_proxying(request):
            return
        if request.path == "/v1/models":
            data = [{"type": "model", "id": m, "display_name": m, "created_at": "2026-01-01T00:00:00Z"} for m in MODELS]
            self._send_json(200, {"data": data, "has_more": False, "first_id": MODELS[0], "last_id": MODELS[-1]})
        elif request.path.startswith("/v1/models/"):
            model = request.path.rsplit("/", 1)[1]
            self._send_json(
                200, {"type": "model", "id": model, "display_name": model, "created_at": "2026-01-01T00:00:00Z"}
            )
        else:
            self._send_failure(Failure(404, "not_found_error", f"Not found: {request.path}"))

    def do_HEAD(self) -> None:
        request = self._read_request("HEAD")
        if not self._refuse_proxying(request):
            self._send_json(200, {})

    def do_POST(self) -> None:
        request = self._read_request("POST")
        if self._refuse_proxying(request):
            return
        if not (request.headers.get("x-api-key") or request.headers.get("authorization")):
            self._send_failure(replies.unauthorized("x-api-key header is required"))
        elif request.path == "/v1/messages/count_tokens":
            self._send_json(200, {"input_tokens": _estimate_tokens(request.body)})
        elif request.path == "/v1/messages":
            self._answer(request.body, self.server.fake._next_turn(request.body))
        else:
            self._send_failure(Failure(404, "not_found_error", f"Not found: {request.path}"))

    def _read_request(self, method: str) -> Request:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        path, _, query = self.path.partition("?")
        request = Request(method, path, query, {k.lower(): v for k, v in self.headers.items()}, body)
        self.server.fake._record(request)
        return request

    def _refuse_proxying(self, request: Request) -> bool:
        # A proxied plain-HTTP request carries an absolute URL; nothing leaves the machine.
        if not request.path.startswith(("http://", "https://")):
            return False
        self.server.fake.tunnels.append(request.path)
        self._send_json(403, {"type": "error", "error": {"type": "forbidden", "message": "no network in tests"}})
        return True

    def _answer(self, body: Any, turn: Turn) -> None:
        model = body.get("model", "") if isinstance(body, dict) else ""
        if isinstance(turn, Failure):
            self._send_failure(turn)
        elif isinstance(turn, Drop) and turn.after_events == 0:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
        elif isinstance(turn, Reply) and self.server.fake._stopping.wait(turn.delay):
            self.close_connection = True
        elif isinstance(body, dict) and body.get("stream"):
            self._stream(turn, model)
        elif isinstance(turn, Reply):
            self._send_json(200, replies.message_json(turn, model))
        else:
            self._send_json(200, replies.message_json(replies.text("cut"), model), cut=True)

    def _stream(self, turn: Reply | Drop, model: str) -> None:
        reply = turn if isinstance(turn, Reply) else replies.text("this stream is cut short " * 4)
        self.send_response(200)
        self.send_header("content-type", "text/event-stream; charset=utf-8")
        self.send_header("cache-control", "no-cache")
        self.send_header("transfer-encoding", "chunked")
        self.send_header("request-id", self._request_id())
        self.end_headers()
        for count, event in enumerate(replies.stream_events(reply, model)):
            if isinstance(turn, Drop) and count == turn.after_events:
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self._chunk(replies.sse(event))
        self._chunk(b"")

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _send_failure(self, failure: Failure) -> None:
        request_id = self._request_id()
        body = replies.error_body(failure, request_id)
        self._send_json(failure.status, body, failure.headers, request_id=request_id)

    def _send_json(
        self,
        status: int,
        payload: Any,
        headers: Iterable[tuple[str, str]] = (),
        *,
        cut: bool = False,
        request_id: str = "",
    ) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.send_header("request-id", request_id or self._request_id())
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if cut:  # a body shorter than its content-length, then a closed socket
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.wfile.write(data)

    def _request_id(self) -> str:
        return f"req_fake{next(self.server.fake._request_ids):014d}"


def _estimate_tokens(body: Any) -> int:
    # About four characters a token: enough for a client that only wants a number back.
    return max(1, len(json.dumps(body)) // 4)
