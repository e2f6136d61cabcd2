"""The `hooks:` section of `.empathy/config.yaml`: what each check does when it finds something."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from attune import paths

if TYPE_CHECKING:
    from pathlib import Path

    from attune.yamlio import KeyPath

MODES = ("block", "warn", "off")


class Policy(NamedTuple):
    secrets: str = "block"  # a secret in a write, an edit, a command or a prompt
    pii: str = "warn"  # personal data in a write or an edit
    prompt_pii: str = "warn"  # personal data in a prompt
    sensitive_files: str = "block"  # reading .env files, private keys, cloud credentials
    tool_output: str = "block"  # a secret in a tool's output: block redacts it from the model's view
    sensitive_globs: tuple[str, ...] = ()  # more files that hold secrets by nature
    allowed_globs: tuple[str, ...] = ()  # exceptions to the sensitive globs
    digest_tokens: int = 2000  # the SessionStart digest's cap
    session_records: bool = True  # keep .empathy/sessions/ records
    # A guarded call the hook could not decide (it crashed, the payload was unreadable, the
    # deadline passed): block denies it, allow lets it through as Claude Code would (issue 10).
    on_error: str = "block"
    deadline_seconds: float = 6.0  # when the hook gives up and answers on_error (issue 10)


DEFAULT = Policy()
ON_ERROR = ("block", "allow")
# `empathy hooks install` gives each hook 10 s; the verdict has to be out well before then.
MAX_DEADLINE = 8.0
_CHECKS = ("secrets", "pii", "prompt_pii", "sensitive_files", "tool_output")
_KEYS = (
    *_CHECKS,
    "sensitive_globs",
    "allowed_globs",
    "digest_tokens",
    "session_records",
    "on_error",
    "deadline_seconds",
)


def parse(value: object, report: Callable[[KeyPath, str], None]) -> Policy:
    if value is None:
        return DEFAULT
    if not isinstance(value, dict):
        report(("hooks",), "hooks must be a mapping, e.g. `hooks:` then `  pii: block` on the next line")
        return DEFAULT
    found: dict[str, object] = {}
    for key, setting in value.items():
        where: KeyPath = ("hooks", key)
        if key in _CHECKS:
            mode = "off" if setting is False else setting  # YAML 1.1 reads a bare `off` as false
            if mode not in MODES:
                report(where, f"hooks.{key} must be one of: {', '.join(MODES)}")
                continue
            found[key] = mode
        elif key in ("sensitive_globs", "allowed_globs"):
            if not isinstance(setting, list) or not all(isinstance(g, str) and g for g in setting):
                report(where, f'hooks.{key} must be a list of quoted globs, e.g. ["*.secret", "deploy/keys/**"]')
                continue
            found[key] = tuple(setting)
        elif key == "digest_tokens":
            if isinstance(setting, bool) or not isinstance(setting, int) or setting < 0:
                report(where, "hooks.digest_tokens must be a whole number of tokens, such as 2000")
                continue
            found[key] = setting
        elif key == "session_records":
            if not isinstance(setting, bool):
                report(where, "hooks.session_records must be true or false")
                continue
            found[key] = setting
        elif key == "on_error":
            if setting not in ON_ERROR:
                report(where, "hooks.on_error must be block (deny a call the hook could not check) or allow")
                continue
            found[key] = setting
        elif key == "deadline_seconds":
            if not _seconds(setting):
                report(where, f"hooks.deadline_seconds must be a number of seconds from 0.5 to {MAX_DEADLINE:g}")
                continue
            found[key] = float(setting)
        else:
            report(where, f"unknown key in hooks: {key!r} (known: {', '.join(_KEYS)})")
    return DEFAULT._replace(**found)  # type: ignore[arg-type]


_CACHE_FORMAT = "2"


def load(root: str | Path) -> Policy:
    """The project's hook policy, read from a per-user JSON cache while config.yaml is unchanged.

    Parsing the config costs more than the rest of a hook (YAML readers, every section's parser),
    and hooks run on every tool call. A config edited in the last two seconds is not cached, as
    for the pattern cache (coarse timestamps); a broken config gives the defaults. A cache entry
    that fails its check or holds a value this release does not understand is rebuilt from the
    config, never read as "off" (issue 11).
    """
    config = os.path.join(root, paths.CONFIG_FILE)
    try:
        stat = os.stat(config)
    except OSError:
        return DEFAULT
    key = f"{_CACHE_FORMAT}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ino}"
    target = _cache_file(str(root))
    try:
        with open(target, encoding="utf-8") as handle:
            cached = json.load(handle)
        if cached.get("key") == key and cached.get("check") == _check(key, cached["policy"]):
            policy = _from_json(cached["policy"])
            if policy is not None:
                return policy
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        pass
    from pathlib import Path

    from attune import atomic
    from attune import config as config_mod

    policy = config_mod.read(Path(root))[0].hooks
    if stat.st_mtime_ns < time.time_ns() - 2_000_000_000:
        plain = policy._asdict()
        entry = {"key": key, "policy": plain, "check": _check(key, plain)}
        try:
            os.makedirs(os.path.dirname(target), mode=0o700, exist_ok=True)
            atomic.write_atomic(Path(target), json.dumps(entry), durable=False)
        except OSError:
            pass  # a read-only cache costs speed, never protection
    return policy


def _cache_file(root: str) -> str:
    from attune import digest

    return paths.cache_dir("hooks", f"{digest.fingerprint(root, size=10)}.json")


def _check(key: str, policy: object) -> str:
    """A fingerprint of the entry: a damaged or hand-edited cache no longer matches and is rebuilt.

    Not a secret key: whoever can write the user's cache can recompute it. What keeps a guard on
    is that any value this release does not write reads as the safe default (issue 11).
    """
    from attune import digest

    return digest.fingerprint(key + "\n" + json.dumps(policy, sort_keys=True, ensure_ascii=True), size=16)


def _from_json(data: object) -> Policy | None:
    """The cached policy, or None when any value is not one this release writes (then: rebuild)."""
    if not isinstance(data, dict) or set(data) != set(_KEYS) or not all(_valid(k, v) for k, v in data.items()):
        return None
    values = {key: tuple(value) if isinstance(value, list) else value for key, value in data.items()}
    return DEFAULT._replace(**values)  # type: ignore[arg-type]


def _valid(key: str, value: object) -> bool:
    if key in _CHECKS:
        return value in MODES
    if key in ("sensitive_globs", "allowed_globs"):
        return isinstance(value, list) and all(isinstance(g, str) and g for g in value)
    if key == "digest_tokens":
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    if key == "session_records":
        return isinstance(value, bool)
    if key == "on_error":
        return value in ON_ERROR
    return _seconds(value)


def _seconds(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0.5 <= value <= MAX_DEADLINE
