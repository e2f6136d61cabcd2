"""The hook payload read from stdin, and the answer written back, as records."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

from attune.hooks.policy import Policy

if TYPE_CHECKING:
    from pathlib import Path


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
