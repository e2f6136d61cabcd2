"""The one owner of diskcache: the response cache, the circuit breaker and the daily spend, shared by processes.

diskcache pickles by default, so anyone who can write its directory can run code in every
process that reads it (CVE-2025-69872). Here rows are JSON or plain integers, a pickled row
is refused rather than loaded, and the directory is the user's alone on a local disk.
"""

from __future__ import annotations

import datetime
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from attune.errors import UserError

BREAKER_BASE_SECONDS = 30.0  # the first pause after a failed call; it doubles with each failure in a row
BREAKER_MAX_SECONDS = 1800.0
_NETWORK_FILE_SYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smb3", "smbfs", "afs", "9p", "ceph", "glusterfs", "lustre", "fuse.sshfs", "davfs"}
)
_disk_class: type | None = None


class UnsafeCacheError(UserError):
    """The cache holds a row we will not load; the message says which directory to delete."""


def default_directory() -> Path:
    """`$EMPATHY_CACHE_DIR`, else `$XDG_CACHE_HOME/attune-companion/llm`, else `~/.cache/attune-companion/llm`.

    Per user rather than per project: the breaker and the spend ceiling protect one API key.
    """
    explicit = os.environ.get("EMPATHY_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "attune-companion" / "llm"


class State:
    """An open cache directory. Close it (or use `with`) when done; every method is process-safe."""

    def __init__(self, directory: Path | None = None, *, clock: Callable[[], float] = time.time) -> None:
        import diskcache

        self.directory = directory or default_directory()
        self.clock = clock
        secure_directory(self.directory)
        # A short SQLite timeout: a hook would rather skip the cache than wait on another process.
        self._cache = diskcache.Cache(str(self.directory), disk=_json_disk(), timeout=5)

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


def secure_directory(path: Path) -> None:
    """Create `path` for the user alone; refuse one owned by someone else or on a network file system."""
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = path.stat()
    except OSError as exc:
        raise UserError(f"cannot use {path} as the cache directory ({exc.strerror}); set EMPATHY_CACHE_DIR") from None
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise UserError(f"cache directory {path} belongs to another user; set EMPATHY_CACHE_DIR to one of yours")
    if info.st_mode & 0o077:
        path.chmod(0o700)
    kind = file_system_type(path)
    if kind in _NETWORK_FILE_SYSTEMS:
        raise UserError(
            f"cache directory {path} is on a network file system ({kind}); "
            "set EMPATHY_CACHE_DIR to a local directory (SQLite locking is unreliable there)"
        )


def file_system_type(path: Path, mounts: str | None = None) -> str | None:
    """The type of the file system holding `path`, from /proc/self/mounts (None where there is none)."""
    if mounts is None:
        try:
            mounts = Path("/proc/self/mounts").read_text(encoding="utf-8")
        except OSError:
            return None
    target = str(path.resolve())
    best, kind = "", None
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, fields[2]
    return kind


def _json_disk() -> type:
    """A diskcache Disk that stores integers raw and everything else as JSON, and never unpickles."""
    global _disk_class  # noqa: PLW0603 - one class per process, built on first use so diskcache loads lazily
    if _disk_class is not None:
        return _disk_class
    import diskcache
    from diskcache.core import MODE_PICKLE, UNKNOWN

    class JsonOnlyDisk(diskcache.Disk):  # type: ignore[misc]
        def put(self, key: object) -> tuple[object, bool]:
            if type(key) is not str:
                raise TypeError(f"cache keys are strings, not {type(key).__name__}")
            return super().put(key)  # type: ignore[no-any-return]

        def get(self, key: object, raw: bool) -> object:
            if not raw:
                raise _unsafe(self._directory)
            return super().get(key, raw)

        def store(self, value: object, read: bool, key: object = UNKNOWN) -> tuple[object, ...]:
            if type(value) is int:  # spend counters: `Cache.incr` adds to the raw column
                return super().store(value, read, key=key)  # type: ignore[no-any-return]
            return super().store(json.dumps(value).encode(), False, key=key)  # type: ignore[no-any-return]

        def fetch(self, mode: int, filename: str | None, value: object, read: bool) -> object:
            if mode == MODE_PICKLE:
                raise _unsafe(self._directory)
            data = super().fetch(mode, filename, value, read)
            return data if type(data) is int else json.loads(data)

    _disk_class = JsonOnlyDisk
    return _disk_class


def _unsafe(directory: str) -> UnsafeCacheError:
    return UnsafeCacheError(
        f"cache directory {directory} holds a pickled entry, which could run code (CVE-2025-69872); "
        "delete that directory and run again"
    )
