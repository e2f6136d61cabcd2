"""Working memory: short-lived values shared by processes, worktrees and (on Redis) teammates (issues 5, 14).

Entries live in the team's live-state store (attune.team): by default files in the git common
directory, which every worktree shares; Redis when `team.state` or EMPATHY_REDIS_URL names one.

A key's prefix picks its time to live: `working:` (the default, 1 hour), `staged:` (24 h),
`coordination:` (5 min), `session:` (30 min), all configurable under `memory: ttl:`. A value
holding a secret is refused, with the reason and an audit entry; personal data is scrubbed
before it is stored. An entry stashed for an agent is that agent's; others see shared entries.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from attune import audit, paths
from attune.errors import UserError
from attune.memory import settings
from attune.memory.settings import Settings

if TYPE_CHECKING:
    from attune.team.connect import Resilient


_AGENT_SEPARATOR = "\x1f"


class MemoryRefused(UserError):
    """A write the scanner refused; the message names the finding's type, never its value."""


class Entry(NamedTuple):
    key: str
    value: object
    agent: str | None
    stored: str
    expires_in: float | None  # seconds left
    classification: str


def _root(root: Path | None) -> Path:
    top = root if root is not None else paths.find_root()
    if not (top / paths.EMPATHY_DIR).is_dir():
        raise UserError(f"no {paths.EMPATHY_DIR}/ in {top}: run `empathy init` there, or pass --root")
    return top


def _settings(root: Path) -> Settings:
    from attune import config

    return config.read(root)[0].memory


KIND = "memory"


def _store(root: Path) -> Resilient:
    """The live-state store; a fallback from Redis to files is said on stderr (issue 14)."""
    from attune.team import api

    return api.open_store(str(root))


def _said(store: Resilient) -> None:
    if store.warning:
        print(f"empathy: warning: {store.warning}", file=sys.stderr)


def _internal(key: str, agent_id: str | None) -> str:
    return f"{agent_id}{_AGENT_SEPARATOR}{key}" if agent_id else key


def _check_key(key: str) -> None:
    if not key or len(key) > 200 or not key.isprintable() or _AGENT_SEPARATOR in key:
        raise UserError(f"memory key {_shown(key)} must be 1 to 200 printable characters")


def _check_names(root: Path, key: str | None, agent_id: str | None) -> None:
    """Keys and agent ids are names: stored as they are and echoed, so they are scanned too (issue 10).

    A name cannot be scrubbed, so one holding a secret or personal data is refused, masked.
    """
    from attune import names

    for what, name in (("key", key), ("agent id", agent_id)):
        findings = names.findings(name) if name else []
        if findings:
            kind = "a secret" if any(f.kind == "secret" for f in findings) else "personal data"
            found = ", ".join(f"{f.type} ({f.masked})" for f in findings[:3])
            audit.record(root, "memory.refused", name=what, findings=[f.type for f in findings])
            raise MemoryRefused(f"refused: the memory {what} holds {kind}: {found}; choose a name without it")


def _shown(text: str) -> str:
    from attune import scan

    return repr(scan.scrub(text[:40]).text)


def stash(
    key: str, value: object, ttl: float | None = None, *, agent_id: str | None = None, root: Path | None = None
) -> Entry:
    """Store `value` (JSON-serialisable) under `key` for `ttl` seconds (default: the key's class)."""
    top = _root(root)
    _check_key(key)
    _check_names(top, key, agent_id)
    if ttl is not None and ttl <= 0:
        raise UserError("--ttl must be a positive number of seconds")
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise UserError(f"memory values must be JSON data (text, numbers, lists, objects): {exc}") from None
    from attune import scan
    from attune.memory import classify

    findings = scan.scan_text(text)
    secrets = [f for f in findings if f.kind == "secret"]
    if secrets:
        kinds = ", ".join(f"{f.type} ({f.masked})" for f in secrets[:3])
        audit.record(top, "memory.refused", key=key, agent=agent_id, findings=[f.type for f in secrets])
        raise MemoryRefused(
            f"refused to remember {key!r}: the value holds a secret: {kinds}; store a reference instead"
        )
    from attune.scan import known

    # The bare value of a secret-named variable matches no pattern; it is refused by value (issue 10).
    exact = known.found_in(text, known.load([str(top)]))
    if exact:
        audit.record(top, "memory.refused", key=key, agent=agent_id, findings=["known-value"])
        raise MemoryRefused(
            f"refused to remember {key!r}: the value holds the value of {known.describe(exact)}; "
            "store the variable's name instead"
        )
    if findings:
        value = _scrubbed(value)
        audit.record(top, "memory.scrubbed", key=key, agent=agent_id, findings=[f.type for f in findings])
    level = classify.classify(text, findings).level
    seconds = float(ttl) if ttl is not None else settings.ttl_for(key, _settings(top))
    stored = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    record = {"value": value, "agent": agent_id, "stored": stored, "classification": level}
    store = _store(top)
    store.put(KIND, _internal(key, agent_id), record, seconds)
    _said(store)
    return Entry(key, value, agent_id, stored, seconds, level)


def retrieve(key: str, agent_id: str | None = None, *, root: Path | None = None) -> object | None:
    """The value, or None when absent or expired. An agent sees its own entry first, then the shared one."""
    entry = get_entry(key, agent_id, root=root)
    return entry.value if entry is not None else None


def get_entry(key: str, agent_id: str | None = None, *, root: Path | None = None) -> Entry | None:
    top = _root(root)
    _check_names(top, key, agent_id)
    store = _store(top)
    for internal in ([_internal(key, agent_id)] if agent_id else []) + [key]:
        found = store.get(KIND, internal)
        if found is not None:
            _said(store)
            return _entry(key, found.value, found.expires_in)
    _said(store)
    return None


def forget(key: str, *, agent_id: str | None = None, root: Path | None = None) -> bool:
    top = _root(root)
    _check_names(top, key, agent_id)
    store = _store(top)
    gone = store.delete(KIND, _internal(key, agent_id))
    _said(store)
    return gone


def keys(prefix: str = "", *, agent_id: str | None = None, root: Path | None = None) -> list[str]:
    """Live keys starting with `prefix`: the shared ones, and the agent's own when given."""
    return sorted(entry.key for entry in entries(prefix, agent_id=agent_id, root=root))


def entries(prefix: str = "", *, agent_id: str | None = None, root: Path | None = None) -> list[Entry]:
    top = _root(root)
    _check_names(top, None, agent_id)
    store = _store(top)
    found = []
    for item in store.items(KIND):
        owner, _, key = item.key.rpartition(_AGENT_SEPARATOR)
        if (owner and owner != agent_id) or not key.startswith(prefix):
            continue
        found.append(_entry(key, item.value, item.expires_in))
    _said(store)
    return found


def clear(*, root: Path | None = None) -> int:
    store = _store(_root(root))
    count = store.clear(KIND)
    _said(store)
    return count


def _entry(key: str, found: dict[str, object], left: float | None) -> Entry:
    agent = found.get("agent")
    return Entry(key, found.get("value"), agent if isinstance(agent, str) else None, str(found.get("stored", "")),
                 left, str(found.get("classification", "PUBLIC")))  # fmt: skip


def _scrubbed(value: object) -> object:
    from attune import scan

    if isinstance(value, str):
        return scan.scrub(value).text
    if isinstance(value, list):
        return [_scrubbed(item) for item in value]
    if isinstance(value, dict):  # the keys too: `{"jane@example.com": ...}` is personal data (issue 10)
        return {scan.scrub(key).text if isinstance(key, str) else key: _scrubbed(item) for key, item in value.items()}
    return value
