"""One progress line on a terminal for long work: scanning a tree, reviewing a library, reading history (issue 15).

Drawn on standard error, only when it is a terminal and the user did not ask for quiet, at most
ten times a second, and erased when the work ends, so that what the command prints afterwards
(findings, a review, one line per commit) reads as if no progress had been shown. Piped or
redirected output never holds a progress line.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TextIO, TypeVar

T = TypeVar("T")
_INTERVAL = 0.1  # seconds between redraws: often enough to look alive, rarely enough to cost nothing


class Progress:
    def __init__(
        self,
        label: str,
        total: int | None = None,
        *,
        unit: str = "",
        quiet: bool = False,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = sys.stderr if stream is None else stream
        self.label, self.total, self.unit, self.done, self.clock = label, total, unit, 0, clock
        try:
            self.enabled = not quiet and self.stream.isatty()
        except (AttributeError, ValueError):  # a closed or unusual stream: no progress, never an error
            self.enabled = False
        self._drawn_at: float | None = None
        self._width = 0

    def advance(self, count: int = 1, note: str = "") -> None:
        self.done += count
        if not self.enabled:
            return
        now = self.clock()
        if self._drawn_at is not None and now - self._drawn_at < _INTERVAL and self.done != self.total:
            return
        self._drawn_at = now
        of = f"/{self.total}" if self.total is not None else ""
        words = " ".join(word for word in (self.unit, note) if word)
        self._draw(f"{self.label}: {self.done}{of}{f' {words}' if words else ''}")

    def finish(self) -> None:
        """Erase the line, so that the next output starts on a clean one."""
        if self.enabled and self._width:
            self._write("\r" + " " * self._width + "\r")
            self._width = 0

    def over(self, items: Iterable[T]) -> Iterator[T]:
        """Each item of `items`, counted as it is handed out; the line is erased at the end."""
        self.advance(0)
        try:
            for item in items:
                yield item
                self.advance()
        finally:
            self.finish()

    def _draw(self, line: str) -> None:
        line = line[:200]
        self._write("\r" + line + " " * max(0, self._width - len(line)))
        self._width = len(line)

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # progress is decoration: losing it must never stop the work
            self.enabled = False
