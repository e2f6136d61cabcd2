"""The hook payload read from stdin, the project it runs in, and the answer written back, as records."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

from attune import paths
from attune.hooks import policy as policy_mod
from attune.hooks import policy_cache
from attune.hooks.policy import Policy

if TYPE_CHECKING:
    from pathlib import Path


WRITES = frozenset({"Write", "Edit", "MultiEdit", "NotebookEdit"})  # the tools that change a file


class Payload(NamedTuple):
    event: str
    session_id: str
    cwd: str
    fields: Mapping[str, object]  # the whole JSON object; read it through the accessors below

    def text(self, key: str) -> str:
        value = self.fields.get(key)
        return value if isinstance(value, str) else ""

    def mapping(self, key: str) -> Mapping[str, object]:
        value = self.fields.get(key)
        return value if isinstance(value, dict) else {}


class Context(NamedTuple):
    root: str  # the project Claude Code runs in (a string: PreToolUse never needs pathlib, ~4 ms)
    library: bool  # it has .empathy/: session records and ledgers are kept there
    policy: Policy

    @property
    def path(self) -> Path:
        from pathlib import Path

        return Path(self.root)


class Answer(NamedTuple):
    """What a handler tells Claude Code: an exit code, a JSON object for stdout, text for stderr."""

    exit_code: int = 0
    output: Mapping[str, object] | None = None
    stderr: str = ""


NOTHING = Answer()


_SURROGATE = re.compile("[\ud800-\udfff]")


def decode(raw: str | bytes) -> dict[str, object]:
    """The payload's JSON object, every string of it encodable (issue 10).

    Invalid UTF-8 and lone surrogates (JSON `"\\ud800"`) become U+FFFD, so that what follows can
    scan, write, log and answer any string without a UnicodeError. A ValueError says what is wrong.
    """
    if isinstance(raw, bytes):
        text = raw.decode("utf-8-sig", "replace")  # -sig: a byte-order mark is no reason to fail
        lone = "\\ud" in text or "\\uD" in text  # only an escape can make a surrogate now
    else:
        text = raw.removeprefix("\ufeff")
        lone = "\\ud" in text or "\\uD" in text or _SURROGATE.search(text) is not None
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError(f"the payload is a JSON {type(data).__name__}, not an object")
    if not lone:
        return data
    try:
        cleaned = _clean(data)
    except RecursionError:
        raise ValueError("the payload is nested too deeply") from None
    return cleaned if isinstance(cleaned, dict) else {}


def _clean(value: object) -> object:
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_clean(key): _clean(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value


def parse(event: str, data: object) -> Payload:
    """The payload; unknown fields are kept and ignored, missing ones read as empty."""
    fields = data if isinstance(data, dict) else {}
    session = fields.get("session_id")
    cwd = fields.get("cwd")
    return Payload(event, session if isinstance(session, str) else "", cwd if isinstance(cwd, str) else "", fields)


def text_of(mapping: Mapping[str, object], key: str) -> str:
    value = mapping.get(key)
    return value if isinstance(value, str) else ""


def specific(event: str, **fields: object) -> dict[str, object]:
    """`hookSpecificOutput`, which must name its event."""
    return {"hookSpecificOutput": {"hookEventName": event, **fields}}


def make_context(payload: Payload, environ: Mapping[str, str]) -> Context:
    """The project is Claude Code's project directory, else the payload's cwd (or its git top level)."""
    root = environ.get("CLAUDE_PROJECT_DIR") or git_top(payload.cwd or os.getcwd())
    library = os.path.isdir(os.path.join(root, paths.EMPATHY_DIR))
    # A broken config falls back to the defaults: the hooks still protect.
    return Context(root, library, policy_cache.load(root) if library else policy_mod.DEFAULT)


def git_top(start: str) -> str:
    """`paths.find_root` with strings: the hook path does without pathlib."""
    here = os.path.abspath(start)
    candidate = here
    while True:
        if os.path.exists(os.path.join(candidate, ".git")):
            return candidate
        parent = os.path.dirname(candidate)
        if parent == candidate:
            return here
        candidate = parent
