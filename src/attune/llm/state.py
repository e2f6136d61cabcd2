"""The LLM state: the response cache, the circuit breaker and the daily spend, shared by processes.

Stored through `attune.diskstore` (JSON rows only, a directory only the user can read).
"""

from __future__ import annotations

import datetime
import os
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from attune import diskstore, paths
from attune.diskstore import UnsafeCacheError, file_system_type, secure_directory

__all__ = ["State", "UnsafeCacheError", "default_directory", "file_system_type", "secure_directory"]

BREAKER_BASE_SECONDS = 30.0  # the first pause after a failed call; it doubles with each failure in a row
BREAKER_MAX_SECONDS = 1800.0


def default_directory() -> Path:
    """`$EMPATHY_CACHE_DIR`, else `$XDG_CACHE_HOME/attune-companion/llm`, else `~/.cache/attune-companion/llm`.

    Per user rather than per project: the breaker and the spend ceiling protect one API key.
    """
    explicit = os.environ.get("EMPATHY_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    return Path(paths.cache_dir("llm"))


class State:
    """An open cache directory. Close it (or use `with`) when done; every method is process-safe."""

    def __init__(self, directory: Path | None = None, *, clock: Callable[[], float] = time.time) -> None:
        self.directory = directory or default_directory()
        self.clock = clock
        # A damaged cache.db is moved aside and rebuilt with one warning, not a traceback (issue 11).
        warn = diskstore.warn_on_stderr(f"the LLM cache {self.directory / diskstore.DATABASE}")
        self._cache = diskstore.open_repaired(self.directory, warn)

    def __enter__(self) -> State:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._cache.close()

    def lookup(self, key: str) -> dict[str, Any] | None:
        value = self._cache.get(f"response:{key}")
        return value if isinstance(value, dict) else None

    def store(self, key: str, value: dict[str, Any], ttl_seconds: float) -> None:
        if ttl_seconds > 0:
            self._cache.set(f"response:{key}", value, expire=ttl_seconds)

    def paused_for(self) -> float:
        """Seconds until calls may go out again; 0 when the breaker is closed."""
        state = self._cache.get("breaker")
        until = float(state.get("until", 0)) if isinstance(state, dict) else 0.0
        return max(0.0, until - self.clock())

    def trip(self, at_least: float = 0.0) -> float:
        """Record a call that failed for a transient reason; returns the pause that now applies.

        `at_least` is the server's retry-after: every process honours it without waiting for it.
        """
        with self._cache.transact():
            state = self._cache.get("breaker")
            failures = int(state.get("failures", 0)) + 1 if isinstance(state, dict) else 1
            growing = min(BREAKER_BASE_SECONDS * 2.0 ** (failures - 1), BREAKER_MAX_SECONDS)
            pause = max(growing, min(at_least, BREAKER_MAX_SECONDS))
            self._cache.set("breaker", {"failures": failures, "until": self.clock() + pause})
        return pause

    def reset_breaker(self) -> None:
        self._cache.delete("breaker")

    def spent_today(self) -> float:
        return int(self._cache.get(self._spend_key(), 0)) / 1_000_000

    def spend(self, usd: float) -> float:
        """Add to today's spend (whole micro-dollars, so that `incr` stays atomic); returns the new total."""
        key = self._spend_key()
        total = self._cache.incr(key, round(usd * 1_000_000))
        self._cache.touch(key, expire=3 * 86400)
        return int(total) / 1_000_000

    def _spend_key(self) -> str:
        return f"spend:{datetime.date.fromtimestamp(self.clock()).isoformat()}"
