"""The file store, the default: live state in the git common directory, shared by every worktree (issue 14).

One JSON file per entry (`<kind>/<fingerprint>.json`) and per list (`.jsonl`), written with
`os.replace`, so a reader never needs a lock and never sees half a value. Whatever reads and
then writes (claim, push, drain, delete, sweeping expired entries) holds `<kind>.lock` with
`flock`: process-safe on one machine, which is what files can promise. Files not durable
(no fsync): this is live state, rebuilt by the next write.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Iterator, Mapping

from attune import digest, safefile
from attune.team.store import Item

_ENTRY, _LIST = ".json", ".jsonl"
# bytes: an entry is a lease, a session or a working-memory value; a larger file is no entry of ours
ENTRY_LIMIT = 64 << 20


class FileStore:
    name = "files"

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def put(self, kind: str, key: str, value: Mapping[str, object], ttl: float | None) -> None:
        with self._locked(kind):
            self._write(kind, key, value, ttl)

    def get(self, kind: str, key: str) -> Item | None:
        return _read(self._path(kind, key, _ENTRY), time.time())

    def delete(self, kind: str, key: str) -> bool:
        with self._locked(kind):
            path = self._path(kind, key, _ENTRY)
            found = _read(path, time.time()) is not None
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            return found

    def items(self, kind: str, prefix: str = "") -> list[Item]:
        now, found, stale = time.time(), [], False
        for name in self._names(kind, _ENTRY):
            item = _read(os.path.join(self.folder, kind, name), now)
            stale = stale or item is None
            if item is not None and item.key.startswith(prefix):
                found.append(item)
        if stale:
            self._sweep(kind)
        return sorted(found)

    def claim(self, kind: str, key: str, owner: str, value: Mapping[str, object], ttl: float | None) -> Item | None:
        with self._locked(kind):
            held = _read(self._path(kind, key, _ENTRY), time.time())
            if held is not None and held.value.get("owner") != owner:
                return held
            self._write(kind, key, value, ttl)
            return None

    def push(self, kind: str, key: str, value: Mapping[str, object], ttl: float | None) -> None:
        """Append to the list; a time to live is the whole list's from now on, as Redis's PEXPIRE sets it."""
        now = time.time()
        expires = now + ttl if ttl is not None else None
        line = json.dumps({"key": key, "value": dict(value), "expires": expires}, ensure_ascii=False) + "\n"
        with self._locked(kind):
            path = self._path(kind, key, _LIST)
            if _expired(_list(path)[2], now):  # pruned when written: an expired list starts afresh
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                os.write(fd, line.encode("utf-8", "surrogatepass"))
            finally:
                os.close(fd)

    def peek(self, kind: str, key: str) -> list[dict[str, object]]:
        _, found, expires = _list(self._path(kind, key, _LIST))
        if _expired(expires, time.time()):
            self._prune(kind, key)
            return []
        return found

    def drain(self, kind: str, key: str) -> list[dict[str, object]]:
        path = self._path(kind, key, _LIST)
        if not os.path.exists(path):  # the common case, without the lock: nothing pending
            return []
        with self._locked(kind):
            _, found, expires = _list(path)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            return [] if _expired(expires, time.time()) else found

    def lists(self, kind: str) -> list[str]:
        now, keys = time.time(), set()
        for name in self._names(kind, _LIST):
            key, found, expires = _list(os.path.join(self.folder, kind, name))
            if key is not None and _expired(expires, now):
                self._prune(kind, key)
            elif key is not None and found:
                keys.add(key)
        return sorted(keys)

    def clear(self, kind: str) -> int:
        with self._locked(kind):
            now, count = time.time(), 0
            for name in self._names(kind, _ENTRY) + self._names(kind, _LIST):
                path = os.path.join(self.folder, kind, name)
                if name.endswith(_LIST):
                    count += 0 if _expired(_list(path)[2], now) else 1
                else:
                    count += 0 if _read(path, now) is None else 1
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
            return count

    def close(self) -> None:
        pass

    def _write(self, kind: str, key: str, value: Mapping[str, object], ttl: float | None) -> None:
        expires = time.time() + ttl if ttl is not None else None
        text = json.dumps({"key": key, "value": dict(value), "expires": expires}, ensure_ascii=False)
        from attune import atomic  # only for a write: a renewed lease is read, not written (issue 14)

        atomic.write_atomic(self._path(kind, key, _ENTRY), text, mode=0o600, durable=False)

    def _sweep(self, kind: str) -> None:
        with self._locked(kind):
            now = time.time()
            for name in self._names(kind, _ENTRY):
                path = os.path.join(self.folder, kind, name)
                if _read(path, now) is None:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(path)

    def _prune(self, kind: str, key: str) -> None:
        """Remove the list under `key` if it expired; under the lock, so that a push racing this stays."""
        with self._locked(kind):
            path = self._path(kind, key, _LIST)
            if _expired(_list(path)[2], time.time()):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)

    def _path(self, kind: str, key: str, suffix: str) -> str:
        return os.path.join(self.folder, kind, digest.fingerprint(key.encode("utf-8", "surrogatepass"), 16) + suffix)

    def _names(self, kind: str, suffix: str) -> list[str]:
        try:
            return [n for n in os.listdir(os.path.join(self.folder, kind)) if n.endswith(suffix) and n[0] != "."]
        except FileNotFoundError:
            return []

    @contextlib.contextmanager
    def _locked(self, kind: str) -> Iterator[None]:
        _folder(self.folder)
        _folder(os.path.join(self.folder, kind))
        lock = os.path.join(self.folder, f"{kind}.lock")
        import fcntl  # only when locking: a renewed lease takes no lock (issue 14)

        fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock


def _read(path: str, now: float) -> Item | None:
    """The entry, or None when absent or expired. A damaged entry is moved aside, with one warning.

    Read through attune.safefile: an entry that is a link, a folder, a pipe (issue 15), larger than
    ENTRY_LIMIT, unreadable or not our JSON is damage, kept under another name for whoever wants
    to look, never deleted (issue 11's rule).
    """
    try:
        data = json.loads(safefile.load(path, ENTRY_LIMIT).data)
        key, value, expires = data["key"], data["value"], data["expires"]
    except safefile.Refused as exc:
        if exc.reason != "missing":
            _damaged(path)
        return None
    except (ValueError, TypeError, KeyError):
        _damaged(path)
        return None
    if not isinstance(key, str) or not isinstance(value, dict) or not (expires is None or _number(expires)):
        _damaged(path)
        return None
    if expires is not None and expires <= now:
        return None
    return Item(key, value, None if expires is None else expires - now)


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _damaged(path: str) -> None:
    aside = _aside(path)
    if aside:
        print(f"empathy: warning: the live-state entry {path} was damaged; moved aside to "
              f"{os.path.basename(aside)}; the next write rebuilds it", file=sys.stderr)  # fmt: skip


def _aside(path: str) -> str | None:
    aside = f"{path}.damaged-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
    try:
        os.rename(path, aside)
    except OSError:
        return None  # moved by another process already
    return aside


def _folder(path: str) -> None:
    """`path` as a folder; a file or link in its place is moved aside first, with a warning."""
    if os.path.lexists(path) and (os.path.islink(path) or not os.path.isdir(path)):
        _damaged(path)
    os.makedirs(path, mode=0o700, exist_ok=True)


def _list(path: str) -> tuple[str | None, list[dict[str, object]], float | None]:
    """A list's key, its values, and when it expires: the last push that gave a time to live set it.

    Signals expire as they do on Redis, a day after the last one sent (issue 14); a line written
    before lists expired (no `expires`) gives the list no expiry of its own.
    """
    text = safefile.text(path, ENTRY_LIMIT)  # a link, a pipe, a giant: no signals rather than a hung hook
    key: str | None = None
    found: list[dict[str, object]] = []
    expires: float | None = None
    for line in (text or "").splitlines():
        with contextlib.suppress(ValueError, TypeError, KeyError):
            data = json.loads(line)
            value = data["value"]
            key = key if key is not None else str(data["key"])
            if _number(data.get("expires")):
                expires = data["expires"]
            if isinstance(value, dict):
                found.append(value)
    return key, found, expires


def _expired(expires: float | None, now: float) -> bool:
    return expires is not None and expires <= now
