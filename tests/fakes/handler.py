"""The HTTP side of the fake Messages API: one handler thread per connection, speaking the API's wire format."""

from __future__ import annotations

import contextlib
import json
import socket
import time
import traceback
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, NamedTuple

from tests.fakes import replies
from tests.fakes.replies import Drop, Failure, Reply, Turn

if TYPE_CHECKING:
    from tests.fakes.messages_api import FakeMessagesAPI


class Request(NamedTuple):
    method: str
    path: str
    query: str
    headers: dict[str, str]  # lower-cased names
    body: Any  # parsed JSON, or None
    at: float = 0.0  # time.monotonic() on arrival, so a measurement can time a client's start-up


# The model table of shared/MODELS.md, for clients that list models at start-up.
MODELS = (
    "claude-opus-5-5",
    "claude-sonnet-5-5",
    "claude-haiku-5-5",
    "claude-opus-5",
    "claude-sonnet-5",
    "claude-haiku-4-5",
)


class Server(ThreadingHTTPServer):
    daemon_threads = False  # so that server_close() joins every handler thread
    fake: FakeMessagesAPI

    def handle_error(self, request: Any, client_address: Any) -> None:
        self.fake.errors.append(traceback.format_exc())


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Server

    def setup(self) -> None:
        super().setup()
        self.server.fake.track(self.connection, add=True)

    def handle(self) -> None:
        # A client that hangs up, or a connection that stop() shut, is not the fake's failure.
        with contextlib.suppress(ConnectionResetError, BrokenPipeError):
            super().handle()

    def finish(self) -> None:
        self.server.fake.track(self.connection, add=False)
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
            self._answer(request.body, self.server.fake.take_turn(request.body))
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
        request = Request(method, path, query, {k.lower(): v for k, v in self.headers.items()}, body, time.monotonic())
        self.server.fake.record(request)
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
        elif isinstance(turn, Reply) and not self._wait(turn):
            self.close_connection = True  # the fake is stopping: no answer
        elif isinstance(body, dict) and body.get("stream"):
            self._stream(turn, model)
        elif isinstance(turn, Reply):
            self._send_json(200, replies.message_json(turn, model))
        else:
            self._send_json(200, replies.message_json(replies.text("cut"), model), cut=True)

    def _wait(self, reply: Reply) -> bool:
        """Sit out the reply's delay and hold; False if the fake stops meanwhile."""
        stopping = self.server.fake.stopping
        if stopping.wait(reply.delay):
            return False
        deadline = time.monotonic() + replies.HOLD_LIMIT
        # Past the limit the reply goes out anyway, and the test's own assertion says what was missing.
        while reply.hold is not None and not reply.hold() and time.monotonic() < deadline:
            if stopping.wait(0.02):
                return False
        return True

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
        return self.server.fake.next_request_id()


def _estimate_tokens(body: Any) -> int:
    # About four characters a token: enough for a client that only wants a number back.
    return max(1, len(json.dumps(body)) // 4)
