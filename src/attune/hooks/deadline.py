"""The hook's own deadline: a verdict always comes back before Claude Code's timeout (issue 10).

Claude Code lets a tool call through when its hook times out, so the hook has to answer first.
In the main thread on POSIX, SIGALRM raises DeadlinePassed wherever the hook is: in Python code,
in a blocking read (the read returns EINTR and Python runs the handler) and inside a regular
expression (the `re` engine checks for signals while it holds the GIL, where a watchdog thread
would starve). Raised inside a __del__ or a weakref callback, where Python drops exceptions, it
is raised again a millisecond later. If the hook then takes more than GRACE seconds to answer,
the next alarm calls `expire`, which answers and ends the process. Elsewhere (another thread,
no setitimer) a daemon thread calls `expire` at the deadline.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import signal
    from types import FrameType
else:
    try:  # the C module behind `signal`, without its enum classes: 0.5 ms of every hook's start-up
        import _signal as signal
    except ImportError:  # an interpreter without it
        import signal

GRACE = 1.0  # from the first alarm to the hard exit; the deadline plus this stays under the timeout
VARIABLE = "EMPATHY_HOOK_DEADLINE"  # seconds, for tests and slow machines; beats the config
# One deadline for every event. Only PreToolUse and UserPromptSubmit have a verdict to deliver in
# time; cutting SessionEnd short of the CLI's own limit (about 1.5 s interactive, a 5 s hook was
# waited for under -p: tests/e2e/OBSERVED.md) would only lose its record.


def from_environ(environ: Mapping[str, str]) -> float | None:
    """EMPATHY_HOOK_DEADLINE: a positive number of seconds, at most policy.MAX_DEADLINE, or None.

    Capped like the config's value: a longer deadline would outlast the timeout `hooks install`
    gives the hook, and Claude Code runs a call whose hook timed out (issue 10).
    """
    from attune.hooks.policy import MAX_DEADLINE

    try:
        value = float(environ.get(VARIABLE) or "nan")
    except ValueError:
        return None
    return min(value, MAX_DEADLINE) if value > 0 else None


class DeadlinePassed(BaseException):
    """Raised into the hook at its deadline: a BaseException, so that no `except Exception` swallows it."""


class Deadline:
    """Armed when made; `answering()` once the verdict is being written; `cancel()` when done.

    `expire` must answer for the hook and end the process (os._exit): it runs when raising
    DeadlinePassed cannot work or did not end the hook in time.
    """

    def __init__(self, seconds: float, expire: Callable[[], None]) -> None:
        self.seconds = seconds
        self._start = time.monotonic()
        self._expire = expire
        self._raised = False
        self._first = 0.0  # when the alarm first rang
        self._answering = False
        self._done = False
        self._previous: Any = None
        self._old_timer = 0.0
        self._watch: Any = None  # the fallback thread's condition, when there is one
        try:
            self._previous = signal.signal(signal.SIGALRM, self._ring)
        except (AttributeError, ValueError):  # no SIGALRM (Windows), or not the main thread
            self._start_thread()
            return
        self._old_timer = signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001))[0]
        self._old_hook = sys.unraisablehook
        sys.unraisablehook = self._unraisable

    def set(self, seconds: float) -> None:
        """Move the deadline to `seconds` after the start (the config's own deadline, once it is read)."""
        self.seconds = seconds
        if self._watch is not None:
            with self._watch:
                self._watch.notify()
        elif not self._raised:
            signal.setitimer(signal.ITIMER_REAL, max(self.left(), 0.001))

    def left(self) -> float:
        return self.seconds - (time.monotonic() - self._start)

    def answering(self) -> None:
        """From now on an alarm no longer raises: it calls `expire` (which leaves a verdict being written alone)."""
        self._answering = True

    def cancel(self) -> None:
        if self._watch is not None:
            with self._watch:
                self._done = True
                self._watch.notify()
            self._thread.join()
            return
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self._previous)
        sys.unraisablehook = self._old_hook
        if self._old_timer:  # someone else's alarm (pytest-timeout, say) keeps what is left of its time
            elapsed = time.monotonic() - self._start
            signal.setitimer(signal.ITIMER_REAL, max(self._old_timer - elapsed, 0.001))

    def _ring(self, signum: int, frame: FrameType | None) -> None:
        if self.left() > 0.0005:  # moved later by set() while the old alarm was already on its way
            signal.setitimer(signal.ITIMER_REAL, self.left())
            return
        now = time.monotonic()
        self._first = self._first or now
        if self._raised or self._answering or now - self._first >= GRACE:
            self._expire()
            return
        self._raised = True
        signal.setitimer(signal.ITIMER_REAL, GRACE - (now - self._first))
        raise DeadlinePassed

    def _unraisable(self, info: Any) -> None:
        """DeadlinePassed raised inside a __del__ or a weakref callback is dropped there: raise it again."""
        if isinstance(info.exc_value, DeadlinePassed) and not self._answering:
            self._raised = False
            signal.setitimer(signal.ITIMER_REAL, 0.001)
            return
        self._old_hook(info)

    def _start_thread(self) -> None:
        import threading  # only here: the main thread on POSIX never needs it (start-up, issue 4)

        self._watch = threading.Condition()
        self._thread = threading.Thread(target=self._wait, name="attune-hook-deadline", daemon=True)
        self._thread.start()

    def _wait(self) -> None:
        with self._watch:
            while not self._done and self.left() > 0:
                self._watch.wait(self.left())
            if self._done:
                return
        self._expire()
