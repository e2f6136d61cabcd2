"""Where a repository's live state lives, and its store, on files or on Redis when it answers (issue 14).

The hooks' lease check goes through here on every write, so this one module holds what it needs
to find and open the store: the team settings (from the per-user config cache), the file
store's folder, the repository's identity in Redis keys. Plain string and file work, no git
process, no regex.

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

from attune import configcache
from attune.team import settings as settings_mod
from attune.team.settings import DEFAULT, TeamSettings
from attune.team.store import Item, StoreDown

if TYPE_CHECKING:
    from attune.team.files import FileStore
    from attune.team.store import Store

T = TypeVar("T")
RETRY = 5.0
HOOK_TIMEOUT = 0.3  # seconds per Redis call in a hook; the hook's own deadline is 6 s


def load_settings(root: str) -> TeamSettings:
    """The project's team settings; the hooks read them on every write (the lease check).

    Here, not in attune.team.settings, which only parses, so that the config imports nothing that
    imports it back (issue 15, as hooks/policy_cache.py does for the hook policy).
    """
    return configcache.load(root, "team", decode=settings_mod.from_json, default=DEFAULT, version="2")


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

        return FileStore(state_dir(root))

    url = redis_url(settings, environ)
    if url is None:
        return Resilient(None, files, clock)
    from attune import digest

    def connect() -> Store:
        namespace = digest.fingerprint(identity(root), 8)
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


# Where the state lives. Every worktree of a repository shares one git common directory, so the
# file store lives there, not in one worktree's `.empathy/`.


def git_dir(root: str) -> str | None:
    """The worktree's git directory: `.git` itself, or where a `.git` file points."""
    dot_git = os.path.join(root, ".git")
    if os.path.isdir(dot_git):
        return dot_git
    try:
        with open(dot_git, encoding="utf-8") as handle:
            line = handle.readline().strip()
    except OSError:
        return None
    if not line.startswith("gitdir:"):
        return None
    return os.path.normpath(os.path.join(root, line.removeprefix("gitdir:").strip()))


def common_dir(root: str) -> str | None:
    """The git common directory shared by every worktree, or None outside a repository."""
    found = git_dir(root)
    if found is None:
        return None
    try:
        with open(os.path.join(found, "commondir"), encoding="utf-8") as handle:
            return os.path.normpath(os.path.join(found, handle.readline().strip()))
    except OSError:
        return found


def state_dir(root: str) -> str:
    """The file store's folder: `<git common dir>/attune/state`, else `.empathy/state` outside git."""
    common = common_dir(root)
    if common is None:
        return os.path.join(root, ".empathy", "state")
    return os.path.join(common, "attune", "state")


def identity(root: str) -> str:
    """The repository as every clone names it: its origin URL without credentials, else its common dir.

    Teammates on two machines share Redis keys only through the origin: a clone's path differs.
    """
    common = common_dir(root)
    if common is not None:
        url = _origin(os.path.join(common, "config"))
        if url:
            return _without_user(url).removesuffix(".git").rstrip("/")
    return os.path.realpath(common or root)


def _origin(config: str) -> str:
    try:
        with open(config, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return ""
    inside = False
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped.replace(" ", "").lower() == '[remote"origin"]'
        elif inside and stripped.split("=", 1)[0].strip().lower() == "url" and "=" in stripped:
            return stripped.split("=", 1)[1].strip()
    return ""


def _without_user(url: str) -> str:
    """`scheme://user:password@host/path` without `user:password@`; string work, no regex to compile
    on a hook's path (issue 14). Only what precedes the first `/` after the scheme is authority."""
    scheme, separator, rest = url.partition("://")
    if not separator or not _scheme(scheme):
        return url
    authority = rest.split("/", 1)[0]
    if "@" not in authority:
        return url
    return f"{scheme}://{rest.partition('@')[2]}"


def _scheme(text: str) -> bool:
    """`[a-z][a-z0-9+.-]*`, any case: a URL scheme."""
    return text[:1].isascii() and text[:1].isalpha() and all(c.isascii() and (c.isalnum() or c in "+.-") for c in text)
