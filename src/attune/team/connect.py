"""Open the live-state store the settings name, falling back to files when Redis does not answer (issue 14).

A hook never waits long for Redis and never fails because of it: the first call that gets no
answer switches this process to the file store, and `warning` says so once. A long-lived
process (the CLI's watch, the MCP server) tries Redis again after RETRY seconds: it
reconnects on its own. Nothing is reported as stored in Redis that Redis did not acknowledge.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, TypeVar

from attune.team import where
from attune.team.settings import DEFAULT, TeamSettings
from attune.team.store import Item, Store, StoreDown

if TYPE_CHECKING:
    from attune.team.files import FileStore

T = TypeVar("T")
RETRY = 5.0
HOOK_TIMEOUT = 0.3  # seconds per Redis call in a hook; the hook's own deadline is 6 s


def redis_url(settings: TeamSettings, environ: Mapping[str, str]) -> str | None:
    url = environ.get("EMPATHY_REDIS_URL") or (settings.state if settings.state != "files" else "")
    return url or None


def open_store(
    root: str,
    settings: TeamSettings = DEFAULT,
    environ: Mapping[str, str] = os.environ,
    *,
    timeout: float = HOOK_TIMEOUT,
    clock: Callable[[], float] = time.monotonic,
    lean: bool = True,
) -> Resilient:
    """The store for `root`. `lean` (hooks): Redis through attune.team.resp, which costs no import;
    else through the official client (the CLI, the API, long-lived processes)."""

    def files() -> FileStore:  # built when first used: a hook that Redis answers never needs it (issue 14)
        from attune.team.files import FileStore

        return FileStore(where.state_dir(root))

    url = redis_url(settings, environ)
    if url is None:
        return Resilient(None, files, clock)
    from attune import digest

    def connect() -> Store:
        namespace = digest.fingerprint(where.identity(root), 8)
        if lean:
            from attune.team.resp import RespStore

            return RespStore(url, namespace, timeout=timeout)
        from attune.team.redis import RedisStore

        return RedisStore(url, namespace, timeout=timeout)

    return Resilient(connect, files, clock)


class Resilient:
    """The configured store, or the file store while the configured one does not answer."""

    def __init__(
        self, connect: Callable[[], Store] | None, files: Callable[[], FileStore], clock: Callable[[], float]
    ) -> None:
        self._connect, self._make_files, self._clock = connect, files, clock
        self._files: FileStore | None = None
        self._primary: Store | None = None
        self._down_since: float | None = None
        self.warning = ""  # set when this process fell back

    @property
    def files(self) -> FileStore:
        """The file store: the fallback, and where the once-per-session warning is marked."""
        if self._files is None:
            self._files = self._make_files()
        return self._files

    @property
    def name(self) -> str:
        return self.files.name if self._connect is None or self._down_since is not None else "redis"

    def _use(self, action: Callable[[Store], T]) -> T:
        if self._connect is None:
            return action(self.files)
        if self._down_since is not None and self._clock() - self._down_since < RETRY:
            return action(self.files)
        try:
            if self._primary is None:
                self._primary = self._connect()
            answer = action(self._primary)
        except StoreDown as exc:
            self._down_since = self._clock()
            self.warning = f"Redis did not answer ({exc.__cause__.__class__.__name__}): using the file store"
            return action(self.files)
        self._down_since = None
        return answer

    def put(self, kind: str, key: str, value: Mapping[str, object], ttl: float | None) -> None:
        self._use(lambda s: s.put(kind, key, value, ttl))

    def get(self, kind: str, key: str) -> Item | None:
        return self._use(lambda s: s.get(kind, key))

    def delete(self, kind: str, key: str) -> bool:
        return self._use(lambda s: s.delete(kind, key))

    def items(self, kind: str, prefix: str = "") -> list[Item]:
        return self._use(lambda s: s.items(kind, prefix))

    def claim(self, kind: str, key: str, owner: str, value: Mapping[str, object], ttl: float | None) -> Item | None:
        return self._use(lambda s: s.claim(kind, key, owner, value, ttl))

    def push(self, kind: str, key: str, value: Mapping[str, object], ttl: float | None) -> None:
        self._use(lambda s: s.push(kind, key, value, ttl))

    def peek(self, kind: str, key: str) -> list[dict[str, object]]:
        return self._use(lambda s: s.peek(kind, key))

    def drain(self, kind: str, key: str) -> list[dict[str, object]]:
        return self._use(lambda s: s.drain(kind, key))

    def lists(self, kind: str) -> list[str]:
        return self._use(lambda s: s.lists(kind))

    def clear(self, kind: str) -> int:
        return self._use(lambda s: s.clear(kind))

    def close(self) -> None:
        if self._primary is not None:
            self._primary.close()
