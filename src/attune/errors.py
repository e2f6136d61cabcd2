"""Errors the user can fix, and problems that validators report as `path:line: message`."""

from __future__ import annotations

from typing import NamedTuple


class UserError(RuntimeError):
    """Something the user can fix: the message says what, where and how, on one line."""


class Problem(NamedTuple):
    path: str  # relative to the project root, with forward slashes
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        kind = "warning: " if self.warning else ""
        return f"{self.path}:{self.line}: {kind}{self.message}"
