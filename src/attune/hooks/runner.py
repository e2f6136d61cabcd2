"""Run one hook: read the payload, call its handler, answer before the deadline (issues 4 and 10).

Guards fail closed, everything else fails open. A guarded call (see attune.hooks.guard) that gets
no verdict, because the handler crashed, the payload could not be read or the deadline passed,
is denied with exit 2 and one line on stderr, unless `hooks.on_error: allow`; other events exit 1,
which Claude Code treats as a non-blocking error. An unknown event is accepted silently. What a
hook only records (audit log, session records, ledgers, caches, the error log) never stops a
verdict: a handler that fails in a library is asked again without the project's records.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, TextIO

from attune.hooks import HANDLERS, policy_cache
from attune.hooks import deadline as deadline_mod
from attune.hooks import payload as payload_mod
from attune.hooks import policy as policy_mod
from attune.hooks.deadline import Deadline, DeadlinePassed
from attune.hooks.payload import Answer, Context, Payload

if TYPE_CHECKING:
    from attune.hooks.guard import Fallback

Handler = Callable[[Payload, Context], Answer]
_DEEPEST = 20_000


class _Call:
    """What is known so far about the call, so that a failure at any point can still answer it."""

    def __init__(self, event: str, environ: Mapping[str, str], stderr_fd: int) -> None:
        self.event = event
        self.root: str | None = environ.get("CLAUDE_PROJECT_DIR") or None
        self.data: object = None
        self.policy = policy_mod.DEFAULT
        self.loaded = False  # self.policy is the project's
        self.writing = False  # the answer is going out: the deadline leaves it alone
        self.stderr_fd = stderr_fd  # for the hard exit, which cannot wait for a stream's lock

    def what(self) -> str:
        from attune.hooks import guard  # guard and log load only when something failed (start-up, issue 4)

        return guard.guarded(self.event, self.data, self.policy)


def run(
    event: str,
    stdin: TextIO,
    stdout: TextIO,
    stderr: TextIO,
    environ: Mapping[str, str] = os.environ,
    *,
    handlers: Mapping[str, str | Handler] = HANDLERS,
    deadline: float | None = None,
) -> int:
    target = handlers.get(event)
    if target is None:
        return 0  # an event this release does not know: accepted silently
    # Claude Code nests tool output as deep as the tool made it. json (and the redaction walk's
    # answer) recurse per level: at the default limit of 1,000 a deep payload failed open. 20,000
    # levels stay well inside the 8 MB C stack; deeper ones are refused as unreadable (issue 10).
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, _DEEPEST))
    # A hook is one short call: the cycle collector's passes over what its imports create cost a
    # write ~0.3 ms of the lease check alone, and reclaim nothing the exit would not (issue 14).
    collecting = gc.isenabled()
    gc.disable()
    call = _Call(event, environ, _fileno(stderr))
    fixed = deadline if deadline is not None else deadline_mod.from_environ(environ)
    seconds = fixed if fixed is not None else policy_mod.DEFAULT.deadline_seconds
    timer = Deadline(seconds, lambda: _expire(call, timer))
    try:
        return _run(call, target, stdin=stdin, stdout=stdout, stderr=stderr, environ=environ, timer=timer, fixed=fixed)
    except DeadlinePassed:  # wherever it struck, even in the error handling below
        from attune.hooks import guard, log

        timer.answering()
        fallback = guard.late(event, call.what(), call.policy, timer.seconds)
        log.error(call.root, event, None, f"no verdict within {timer.seconds:g} s")
        return _say(call, stderr, fallback)
    finally:
        timer.cancel()
        sys.setrecursionlimit(limit)  # run() may be called in-process (tests, the fuzzer): leave no trace
        if collecting:
            gc.enable()


def _run(
    call: _Call,
    target: str | Handler,
    *,
    stdin: TextIO,
    stdout: TextIO,
    stderr: TextIO,
    environ: Mapping[str, str],
    timer: Deadline,
    fixed: float | None,
) -> int:
    event = call.event
    try:
        try:
            raw = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read()
            call.data = payload_mod.decode(raw)
        except (ValueError, OSError, RecursionError) as exc:  # RecursionError: nested past _DEEPEST levels
            return _unreadable(call, timer, stdout, stderr, exc)
        payload = payload_mod.parse(event, call.data)
        context = payload_mod.make_context(payload, environ)
        call.root, call.policy, call.loaded = context.root, context.policy, True
        if fixed is None:
            timer.set(context.policy.deadline_seconds)
        handle = target if callable(target) else importlib.import_module(target).handle
        try:
            answer = handle(payload, context)
        except Exception as exc:  # retried once below, without records; a second failure is a crash
            if not context.library:
                raise
            from attune.hooks import log

            # Writing or reading what it records failed (a read-only checkout, a full disk, a file
            # where a folder should be, a damaged session file): the record is lost, not the
            # check. Ask again without the project's records (issue 10).
            where = log.error(context.root, event, exc)
            answer = handle(payload, context._replace(library=False))
            if answer == payload_mod.NOTHING:  # nothing to say but the lost record: a non-blocking error
                lost = f"attune-companion: {event} hook could not keep its record ({type(exc).__name__}); see {where}"
                answer = Answer(1, None, lost)
        timer.answering()
    except (KeyboardInterrupt, SystemExit, DeadlinePassed):
        raise
    except Exception as exc:  # noqa: BLE001 - a hook must never break the session: deny a guarded call, else exit 1
        from attune.hooks import guard, log

        _read_policy(call)
        timer.answering()
        where = log.error(call.root, event, exc)
        problem = f"failed with {type(exc).__name__} (details in {where})"
        return _say(call, stderr, guard.failed(event, call.what(), call.policy, problem))
    return _answer(call, answer, stdout, stderr)


def _unreadable(call: _Call, timer: Deadline, stdout: TextIO, stderr: TextIO, exc: BaseException) -> int:
    from attune.hooks import guard, log

    problem = (
        str(exc)
        if isinstance(exc, ValueError)
        else f"nested deeper than {_DEEPEST} levels"
        if isinstance(exc, RecursionError)
        else f"{type(exc).__name__} reading stdin"
    )
    _read_policy(call)
    timer.answering()
    log.error(call.root, call.event, exc)
    fallback = guard.unreadable(call.event, call.what(), call.policy, problem.replace("\n", " ")[:200])
    if fallback.exit_code == 2:
        return _say(call, stderr, fallback)
    # Nothing to judge and nothing of ours failed: the user is told, the session goes on, and the
    # exit code stays 0 or 2 as the hook fuzzer asks (issue 10). Our own crashes still exit 1.
    return _answer(call, Answer(0, {"systemMessage": _one_line(fallback.line)}), stdout, stderr)


def _read_policy(call: _Call) -> None:
    """The project's policy, when the hook failed before reading it: its on_error still counts."""
    if call.loaded:
        return
    try:
        call.root = call.root or payload_mod.git_top(os.getcwd())
        call.policy = policy_cache.load(call.root)
    except Exception:  # noqa: BLE001 - without a readable policy the default (block) stands
        call.policy = policy_mod.DEFAULT


def _answer(call: _Call, answer: Answer, stdout: TextIO, stderr: TextIO) -> int:
    """Write the handler's answer: ASCII JSON, so that no string (a lone surrogate, say) can fail to encode."""
    call.writing = True
    if answer.output:
        try:
            text = json.dumps(answer.output) + "\n"
        except (TypeError, ValueError) as exc:  # a handler's bug: no verdict to give
            from attune.hooks import guard, log

            where = log.error(call.root, call.event, exc)
            problem = f"failed with {type(exc).__name__} (details in {where})"
            return _say(call, stderr, guard.failed(call.event, call.what(), call.policy, problem))
        try:
            stdout.write(text)
            stdout.flush()
        except (OSError, ValueError) as exc:
            from attune.hooks import guard, log

            if _blocks(answer.output):  # the deny did not get out: say it the other way (issue 10)
                return _say(call, stderr, guard.Fallback(2, _reason(answer.output)))
            log.error(call.root, call.event, exc)
            return 1
    if answer.stderr:
        _write(stderr, answer.stderr.rstrip("\n") + "\n")
    return answer.exit_code


def _blocks(output: Mapping[str, object]) -> bool:
    specific = output.get("hookSpecificOutput")
    decision = specific.get("permissionDecision") if isinstance(specific, dict) else None
    return decision == "deny" or output.get("decision") == "block"


def _reason(output: Mapping[str, object]) -> str:
    specific = output.get("hookSpecificOutput")
    reason = specific.get("permissionDecisionReason") if isinstance(specific, dict) else output.get("reason")
    return str(reason or "attune-companion: denied")


def _say(call: _Call, stderr: TextIO, fallback: Fallback) -> int:
    call.writing = True
    _write(stderr, _one_line(fallback.line) + "\n")
    return fallback.exit_code


def _expire(call: _Call, timer: Deadline) -> None:
    """The hard way out, when the hook could not be stopped in time: answer on fd 2 and exit now."""
    if call.writing:
        return  # the answer is going out already
    call.writing = True
    try:
        from attune.hooks import guard

        code, line = guard.late(call.event, call.what(), call.policy, timer.seconds)
    except Exception:  # noqa: BLE001 - whatever broke, a guarded event is still denied
        guarded = call.event in ("PreToolUse", "UserPromptSubmit")
        code, line = (2 if guarded else 1), f"attune-companion: no verdict within {timer.seconds:g} s"
    try:
        os.write(call.stderr_fd, (_one_line(line) + "\n").encode("utf-8", "replace"))
    finally:
        os._exit(code)


def _write(stream: TextIO, text: str) -> None:
    try:
        stream.write(text.encode("utf-8", "replace").decode("utf-8"))
        stream.flush()
    except (OSError, ValueError):
        pass  # stderr is gone: the exit code still carries the verdict


def _one_line(text: str) -> str:
    return " ".join(text.split("\n")).replace("\r", " ")


def _fileno(stream: TextIO) -> int:
    try:
        return stream.fileno()
    except (OSError, ValueError, AttributeError):  # an in-memory stream (tests): fd 2 serves the hard exit
        return 2


def main(argv: list[str]) -> int:
    """`empathy hook EVENT`: the event name is checked here, not by argparse, so a typo never exits 2."""
    if len(argv) == 1 and argv[0] not in ("-h", "--help"):
        return run(argv[0], sys.stdin, sys.stdout, sys.stderr)
    asked = argv in (["-h"], ["--help"])
    print(
        "usage: empathy hook EVENT  (reads Claude Code's JSON payload on stdin)\n"
        f"events: {', '.join(HANDLERS)}; `empathy hooks install` configures them",
        file=sys.stdout if asked else sys.stderr,
    )
    return 0 if asked else 1  # 1, not 2: a broken hook command must not block Claude Code
