"""The Redis store for the hooks, over a plain socket, and the wire format both Redis stores share (issue 14).

The official client takes 120 to 180 ms to import on an idle machine (it loads asyncio, the
cluster commands and its telemetry), forty times the lease check it would serve, and hooks
are a new process on every tool call. So the hooks speak RESP themselves, for the dozen
commands a hook uses; the CLI, the API and long-lived processes use the official client.
Both pass the shared suite (tests/team/test_store.py). Each call returns after Redis answered.

Both stores put the same things on the wire: the key's JSON, expiry in ms, the claim script.
They live here, not in a module of their own, so that every hook on Redis loads one module less;
attune.team.redis imports them from here (it loads the official client anyway).
"""

from __future__ import annotations

import _socket  # the C module under `socket`, whose import (selectors, math, enums) costs ~3 ms per hook
import json
import re
from collections.abc import Mapping, Sequence

from attune.team.store import Item, StoreDown

Reply = bytes | int | None | list["Reply"]
Command = Sequence[str | bytes]

# The wire format, shared with attune.team.redis. The claim: set unless another owner holds it,
# in one step on the server (issue 14: no two holders).
CLAIM = """
local held = redis.call('GET', KEYS[1])
if held then
  local ok, data = pcall(cjson.decode, held)
  if ok and type(data) == 'table' and type(data.value) == 'table' and data.value.owner ~= ARGV[1] then
    return {held, redis.call('PTTL', KEYS[1])}
  end
end
if tonumber(ARGV[3]) > 0 then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
else
  redis.call('SET', KEYS[1], ARGV[2])
end
return false
"""


def ms(ttl: float | None) -> int | None:
    return None if ttl is None else max(1, int(ttl * 1000))


def encode(key: str, value: Mapping[str, object]) -> str:
    return json.dumps({"key": key, "value": dict(value)}, ensure_ascii=False)


def item(raw: object, left: object) -> Item | None:
    if not isinstance(raw, bytes):
        return None
    try:
        data = json.loads(raw)
        key, value = data["key"], data["value"]
    except (ValueError, TypeError, KeyError):
        return None
    if not isinstance(key, str) or not isinstance(value, dict):
        return None
    expires = left / 1000 if isinstance(left, int) and left >= 0 else None
    return Item(key, value, expires)


def values(raw: object) -> list[dict[str, object]]:
    found = []
    for line in raw if isinstance(raw, list) else []:
        entry = item(line, -1)
        if entry is not None:
            found.append(entry.value)
    return found


def glob_escape(text: str) -> str:
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)


class RespError(Exception):
    """An error reply from Redis (-ERR ..., -NOAUTH ...)."""


class RespStore:
    name = "redis"

    def __init__(self, url: str, namespace: str, *, timeout: float = 0.3) -> None:
        self.prefix = f"attune:{namespace}:"
        self._url, self._timeout = url, timeout
        self._sock: _socket.socket | None = None
        self._buffer = b""

    def put(self, kind: str, key: str, value: Mapping[str, object], ttl: float | None) -> None:
        px = ms(ttl)
        self._run([["SET", self._key(kind, key), encode(key, value), *(["PX", str(px)] if px else [])]])

    def get(self, kind: str, key: str) -> Item | None:
        raw, left = self._run([["GET", self._key(kind, key)], ["PTTL", self._key(kind, key)]])
        return item(raw, left)

    def delete(self, kind: str, key: str) -> bool:
        return bool(self._run([["DEL", self._key(kind, key)]])[0])

    def items(self, kind: str, prefix: str = "") -> list[Item]:
        names = self._scan(self._key(kind, "") + glob_escape(prefix) + "*")
        if not names:
            return []
        commands: list[Command] = []
        for name in names:
            commands += [["GET", name], ["PTTL", name]]
        answers = self._run(commands)
        found = [item(answers[i], answers[i + 1]) for i in range(0, len(answers), 2)]
        return sorted(entry for entry in found if entry is not None and entry.key.startswith(prefix))

    def claim(self, kind: str, key: str, owner: str, value: Mapping[str, object], ttl: float | None) -> Item | None:
        text, px = encode(key, value), str(ms(ttl) or 0)
        (held,) = self._run([["EVAL", CLAIM, "1", self._key(kind, key), owner, text, px]])
        return item(held[0], held[1]) if isinstance(held, list) else None

    def push(self, kind: str, key: str, value: Mapping[str, object], ttl: float | None) -> None:
        name = self._list_key(kind, key)
        px = ms(ttl)
        self._atomic([["RPUSH", name, encode(key, value)], *([["PEXPIRE", name, str(px)]] if px else [])])

    def peek(self, kind: str, key: str) -> list[dict[str, object]]:
        return values(self._run([["LRANGE", self._list_key(kind, key), "0", "-1"]])[0])

    def drain(self, kind: str, key: str) -> list[dict[str, object]]:
        name = self._list_key(kind, key)
        raw, _ = self._atomic([["LRANGE", name, "0", "-1"], ["DEL", name]])
        return values(raw)

    def lists(self, kind: str) -> list[str]:
        names = self._scan(self._list_key(kind, "") + "*")
        firsts = self._run([["LINDEX", name, "0"] for name in names]) if names else []
        return sorted({entry.key for first in firsts if (entry := item(first, -1)) is not None})

    def clear(self, kind: str) -> int:
        names = self._scan(f"{self.prefix}{kind}:*")
        return int(self._run([["DEL", *names]])[0] or 0) if names else 0  # type: ignore[arg-type]

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def _key(self, kind: str, key: str) -> str:
        return f"{self.prefix}{kind}:e:{key}"

    def _list_key(self, kind: str, key: str) -> str:
        return f"{self.prefix}{kind}:l:{key}"

    def _scan(self, pattern: str) -> list[bytes]:
        cursor: bytes = b"0"
        names: list[bytes] = []
        while True:
            (answer,) = self._run([["SCAN", cursor, "MATCH", pattern, "COUNT", "500"]])
            if not isinstance(answer, list) or len(answer) != 2 or not isinstance(answer[0], bytes):
                raise StoreDown("Redis answered SCAN with something else")
            cursor, found = answer[0], answer[1]
            names += [name for name in found if isinstance(name, bytes)] if isinstance(found, list) else []
            if cursor == b"0":
                return names

    def _atomic(self, commands: Sequence[Command]) -> list[Reply]:
        """MULTI ... EXEC: nothing runs between them; the EXEC reply holds each command's answer."""
        answers = self._run([["MULTI"], *commands, ["EXEC"]])
        result = answers[-1]
        if not isinstance(result, list):
            raise StoreDown("Redis aborted a transaction")
        return result

    def _run(self, commands: Sequence[Command]) -> list[Reply]:
        """Send `commands` in one write (a pipeline) and read one reply each."""
        try:
            sock = self._sock or self._connect()
            sock.sendall(b"".join(_encode_command(command) for command in commands))
            return [self._reply() for _ in commands]
        except (OSError, RespError, ValueError) as exc:
            self.close()
            raise StoreDown(f"Redis did not answer: {type(exc).__name__}") from exc

    def _connect(self) -> _socket.socket:
        scheme, host, port, path, user, password, database = parse_url(self._url)
        if scheme == "rediss":
            import socket
            import ssl  # only for TLS: the two cost a few ms to load

            plain = socket.create_connection((host, port), self._timeout)
            sock: _socket.socket = ssl.create_default_context().wrap_socket(plain, server_hostname=host)
        elif scheme == "unix":
            sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
            sock.settimeout(self._timeout)
            sock.connect(path)
        else:
            sock = _tcp(host, port, self._timeout)
        sock.settimeout(self._timeout)
        self._sock, self._buffer = sock, b""
        if password is not None:
            self._answer(sock, ["AUTH", *([user] if user else []), password])
        if database:
            self._answer(sock, ["SELECT", str(database)])
        return sock

    def _answer(self, sock: _socket.socket, command: Command) -> Reply:
        sock.sendall(_encode_command(command))
        return self._reply()

    def _line(self) -> bytes:
        while b"\r\n" not in self._buffer:
            self._fill()
        line, _, self._buffer = self._buffer.partition(b"\r\n")
        return line

    def _fill(self) -> None:
        if self._sock is None:
            raise ConnectionError("not connected")
        chunk = self._sock.recv(65536)
        if not chunk:
            raise ConnectionError("Redis closed the connection")
        self._buffer += chunk

    def _reply(self) -> Reply:
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest
        if kind == b"-":
            raise RespError(rest.decode("utf-8", "replace")[:200])
        if kind == b":":
            return int(rest)
        if kind == b"$":
            size = int(rest)
            if size < 0:
                return None
            while len(self._buffer) < size + 2:
                self._fill()
            data, self._buffer = self._buffer[:size], self._buffer[size + 2 :]
            return data
        if kind == b"*":
            count = int(rest)
            return None if count < 0 else [self._reply() for _ in range(count)]
        raise ValueError(f"not a RESP reply: {line[:40]!r}")


# scheme, host, port, the socket's path (unix://), user, password, database. A plain tuple, not a
# NamedTuple: the record class would cost every hook on Redis ~0.15 ms to build (issue 14).
Url = tuple[str, str, int, str, str | None, str | None, int]


def parse_url(url: str) -> Url:
    """`redis://[user[:password]@]host[:port][/db]`, `rediss://...` or `unix://path[?db=N]`.

    Written out rather than urllib.parse, which loads ipaddress (~3 ms) on a hook's path.
    """
    scheme, separator, rest = url.partition("://")
    if not separator or scheme not in ("redis", "rediss", "unix"):
        raise ValueError("not a redis://, rediss:// or unix:// URL")
    rest, _, query = rest.partition("?")
    database = int(query.partition("db=")[2].split("&")[0] or 0) if "db=" in query else 0
    if scheme == "unix":
        return scheme, "", 0, _unquote(rest), None, None, database
    authority, _, path = rest.partition("/")
    credentials, _, hostport = authority.rpartition("@")
    user, has_password, password = credentials.partition(":")
    if hostport.startswith("["):  # [::1]:6379
        host, _, port = hostport[1:].partition("]")
        port = port.removeprefix(":")
    else:
        host, _, port = hostport.partition(":")
    return (
        scheme,
        host or "localhost",
        int(port or 6379),
        "",
        _unquote(user) or None,
        _unquote(password) if has_password else None,
        int(path.strip("/") or database),
    )


def _unquote(text: str) -> str:
    return re.sub(r"%([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), text) if "%" in text else text


def _tcp(host: str, port: int, timeout: float) -> _socket.socket:
    """socket.create_connection, on the C module: each address in turn until one connects."""
    failure: OSError = OSError(f"no address for {host}")
    # An ASCII name goes as bytes: a str is encoded through the idna codec, ~1 ms of imports per hook.
    name: str | bytes = host.encode("ascii") if host.isascii() else host
    for family, kind, proto, _, address in _socket.getaddrinfo(name, port, 0, _socket.SOCK_STREAM):
        sock = _socket.socket(family, kind, proto)
        sock.settimeout(timeout)
        try:
            sock.connect(address)
        except OSError as exc:
            sock.close()
            failure = exc
            continue
        return sock
    raise failure


def _encode_command(command: Command) -> bytes:
    parts = [arg if isinstance(arg, bytes) else arg.encode("utf-8", "surrogatepass") for arg in command]
    return b"*%d\r\n" % len(parts) + b"".join(b"$%d\r\n%s\r\n" % (len(part), part) for part in parts)
