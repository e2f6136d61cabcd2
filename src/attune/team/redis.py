"""The Redis store: live state shared across machines, through the official `redis` client (issue 14).

Imported only when the config or EMPATHY_REDIS_URL names a Redis server. Keys are
`attune:<repository fingerprint>:<kind>:e:<key>` (lists under `:l:`), so several
repositories share one server; expiry is Redis's own (`PX`). Every call returns only after
Redis answered it, and any failure to get an answer is StoreDown: the caller falls back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, TypeVar

from attune.team import resp as wire  # the wire format both Redis stores share
from attune.team.store import Item, StoreDown

if TYPE_CHECKING:
    import redis

T = TypeVar("T")


class RedisStore:
    name = "redis"

    def __init__(self, url: str, namespace: str, *, timeout: float = 0.5) -> None:
        try:
            import redis as redis_lib

            self.client: redis.Redis = redis_lib.Redis.from_url(
                url, socket_timeout=timeout, socket_connect_timeout=timeout, retry_on_timeout=False
            )
        except (ImportError, ValueError) as exc:  # not installed, or a URL it cannot read: fall back
            raise StoreDown(f"cannot use {_shown(url)}: {exc}") from exc
        self.prefix = f"attune:{namespace}:"
        self._errors: tuple[type[BaseException], ...] = (redis_lib.RedisError, OSError)

    def put(self, kind: str, key: str, value: Mapping[str, object], ttl: float | None) -> None:
        text = wire.encode(key, value)
        self._call(lambda: self.client.set(self._key(kind, key), text, px=wire.ms(ttl)))

    def get(self, kind: str, key: str) -> Item | None:
        pipe = self.client.pipeline(transaction=False)
        pipe.get(self._key(kind, key))
        pipe.pttl(self._key(kind, key))
        raw, left = self._call(pipe.execute)
        return wire.item(raw, left)

    def delete(self, kind: str, key: str) -> bool:
        return bool(self._call(lambda: self.client.delete(self._key(kind, key))))

    def items(self, kind: str, prefix: str = "") -> list[Item]:
        names = self._scan(self._key(kind, "") + wire.glob_escape(prefix) + "*")
        if not names:
            return []
        pipe = self.client.pipeline(transaction=False)
        for name in names:
            pipe.get(name)
            pipe.pttl(name)
        answers = self._call(pipe.execute)
        found = [wire.item(answers[i], answers[i + 1]) for i in range(0, len(answers), 2)]
        return sorted(item for item in found if item is not None and item.key.startswith(prefix))

    def claim(self, kind: str, key: str, owner: str, value: Mapping[str, object], ttl: float | None) -> Item | None:
        text = wire.encode(key, value)
        held = self._call(lambda: self.client.eval(wire.CLAIM, 1, self._key(kind, key), owner, text, wire.ms(ttl) or 0))
        return wire.item(held[0], held[1]) if held else None

    def push(self, kind: str, key: str, value: Mapping[str, object], ttl: float | None) -> None:
        name = self._list_key(kind, key)
        pipe = self.client.pipeline(transaction=True)
        pipe.rpush(name, wire.encode(key, value))
        if ttl is not None:
            pipe.pexpire(name, wire.ms(ttl) or 1)
        self._call(pipe.execute)

    def peek(self, kind: str, key: str) -> list[dict[str, object]]:
        raw = self._call(lambda: self.client.lrange(self._list_key(kind, key), 0, -1))
        return wire.values(raw)

    def drain(self, kind: str, key: str) -> list[dict[str, object]]:
        name = self._list_key(kind, key)
        pipe = self.client.pipeline(transaction=True)  # MULTI: nothing pushed between the read and the delete
        pipe.lrange(name, 0, -1)
        pipe.delete(name)
        raw, _ = self._call(pipe.execute)
        return wire.values(raw)

    def lists(self, kind: str) -> list[str]:
        keys = set()
        names = self._scan(self._list_key(kind, "") + "*")
        if not names:
            return []
        pipe = self.client.pipeline(transaction=False)
        for name in names:
            pipe.lindex(name, 0)
        for first in self._call(pipe.execute):
            item = wire.item(first, -1)
            if item is not None:
                keys.add(item.key)
        return sorted(keys)

    def clear(self, kind: str) -> int:
        names = self._scan(f"{self.prefix}{kind}:*")
        return int(self._call(lambda: self.client.delete(*names))) if names else 0

    def close(self) -> None:
        self.client.close()

    def _scan(self, pattern: str) -> list[bytes]:
        return self._call(lambda: list(self.client.scan_iter(match=pattern, count=500)))

    def _key(self, kind: str, key: str) -> str:
        return f"{self.prefix}{kind}:e:{key}"

    def _list_key(self, kind: str, key: str) -> str:
        return f"{self.prefix}{kind}:l:{key}"

    def _call(self, action: Callable[[], T]) -> T:
        try:
            return action()
        except self._errors as exc:
            raise StoreDown(f"Redis did not answer: {type(exc).__name__}") from exc


def _shown(url: str) -> str:
    """The URL without its credentials: it may go into a warning (issue 14)."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.rsplit('@', 1)[-1]}" if rest else url
