"""The `hooks:` section of `.empathy/config.yaml`: what each check does when it finds something.

Parse-only: the per-user cache that spares a hook this parse is `hooks/policy_cache.py` (issue 15).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
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


def from_plain(data: object) -> Policy | None:
    """The policy in `data` (a JSON object as `Policy._asdict()` writes it), or None when any value
    is not one this release writes: the caller then rebuilds it from the config (issue 11)."""
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
