"""The hook's own deadline (issue 10): a verdict always comes back, never a timeout that lets the call run."""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from attune.hooks import deadline, runner
from tests.helpers import build_tree
from tests.hooks.real import payload_of, run_hook

WRITE = {"tool_name": "Write", "tool_input": {"file_path": "/p/a.py", "content": "x = 1\n"}}


def slow(payload, context):
    time.sleep(30)  # a test that fails takes 30 s, and then fails on its verdict
    raise AssertionError("the deadline did not stop the handler")


def swallowing(payload, context):
    """A handler that catches everything, as careless code does: `except Exception` must not stop the deadline."""
    with contextlib.suppress(Exception):
        time.sleep(30)
    raise AssertionError("the deadline did not stop the handler")


def run_in_process(event, project, handler, **kwargs):
    stdin = io.StringIO(json.dumps(payload_of(event, WRITE, project)))
    out, err = io.StringIO(), io.StringIO()
    environ = {"CLAUDE_PROJECT_DIR": str(project)}
    code = runner.run(event, stdin, out, err, environ, handlers={event: handler}, **kwargs)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("handler", [slow, swallowing])
def test_a_guarded_call_past_its_deadline_is_denied(project, handler):
    before = signal.getsignal(signal.SIGALRM)
    code, out, err = run_in_process("PreToolUse", project, handler, deadline=0.2)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert err.startswith("attune-companion: denied this Write because its check did not finish within 0.2 s")
    assert "hooks.deadline_seconds" in err and "hooks.on_error: allow" in err
    assert "no verdict within 0.2 s" in (project / ".empathy/logs/hooks.log").read_text()
    assert signal.getsignal(signal.SIGALRM) == before and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_an_unguarded_event_past_its_deadline_does_not_block(project):
    code, out, err = run_in_process("Stop", project, slow, deadline=0.2)
    assert (code, out) == (1, "")
    assert err == "attune-companion: Stop hook stopped after 0.2 s without an answer\n"


def test_the_config_sets_the_deadline_and_on_error(project):
    build_tree(project, {".empathy/config.yaml": "hooks:\n  deadline_seconds: 0.5\n"})
    code, _, err = run_in_process("PreToolUse", project, slow)
    assert code == 2 and "did not finish within 0.5 s" in err
    build_tree(project, {".empathy/config.yaml": "hooks:\n  deadline_seconds: 0.5\n  on_error: allow\n"})
    code, _, err = run_in_process("UserPromptSubmit", project, slow)
    assert code == 1 and "UserPromptSubmit hook stopped after 0.5 s" in err


def test_someone_elses_alarm_is_left_as_it_was(project):
    def theirs(signum, frame):
        raise AssertionError("their alarm rang during the test")

    previous = signal.signal(signal.SIGALRM, theirs)
    signal.setitimer(signal.ITIMER_REAL, 100)
    try:
        code, _, _ = run_in_process("PreToolUse", project, lambda p, c: runner.payload_mod.NOTHING, deadline=5)
        assert code == 0
        assert signal.getsignal(signal.SIGALRM) is theirs
        assert 90 < signal.getitimer(signal.ITIMER_REAL)[0] <= 100
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize(("event", "code"), [("PreToolUse", 2), ("UserPromptSubmit", 2), ("Stop", 1)])
def test_the_real_hook_answers_while_its_stdin_never_ends(project, event, code):
    """Claude Code never closing stdin is a blocking read: the alarm still ends it."""
    hook = subprocess.Popen(
        [sys.executable, "-m", "attune", "hook", event],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "CLAUDE_PROJECT_DIR": str(project), deadline.VARIABLE: "0.3"},
    )
    hook.stdin.write(b'{"session_id": "s", "tool_name": "Write", "tool_input": {"content": "')
    hook.stdin.flush()
    try:
        hook.wait(timeout=30)  # stdin stays open: the hook must not wait for its end
    except subprocess.TimeoutExpired:
        hook.kill()
        raise
    finally:
        hook.stdin.close()
    out, err = hook.stdout.read(), hook.stderr.read()
    hook.stdout.close()
    hook.stderr.close()
    assert hook.returncode == code
    assert out == b""
    assert b"0.3 s" in err and err.count(b"\n") == 1


def test_the_real_hook_denies_a_write_too_slow_to_scan(project):
    """A megabyte of candidate assignments takes the real scanner far longer than 50 ms."""
    content = "".join(f'password_{n} = "Zq8{n:06d}Xw2Lm9Vn4Bc7Tk1R"\n' for n in range(25_000))
    write = {"tool_name": "Write", "tool_input": {"file_path": str(project / "a.py"), "content": content}}
    run = run_hook("PreToolUse", write, project=project, env={deadline.VARIABLE: "0.05"})
    assert (run.code, run.out) == (2, "")
    # "this Write", or "this tool call" on a machine so slow that the deadline struck while reading stdin
    assert run.err.startswith("attune-companion: denied this ") and run.err.count("\n") == 1
    assert "because its check did not finish within 0.05 s" in run.err


SCRIPT = """
import io, json, re, sys, threading, time
from attune.hooks import deadline, runner

def regex(payload, context):  # C code that holds the GIL: a watchdog thread would starve here
    re.match(r"(a+)+$", "a" * 64 + "b")

def swallowing(payload, context):  # catches even the deadline: the hard exit still answers
    while True:
        try:
            time.sleep(30)
        except BaseException:
            pass

class Slow:
    def __del__(self):  # Python drops an exception raised here, printing "Exception ignored"
        time.sleep(30)

def in_del(payload, context):  # the deadline strikes inside __del__: it must be raised again
    Slow()
    time.sleep(30)

def call():
    sys.exit(runner.run("PreToolUse", sys.stdin, sys.stdout, sys.stderr, handlers={"PreToolUse": HANDLER},
                        deadline=0.2))

HANDLER = {"regex": regex, "swallowing": swallowing, "thread": swallowing, "del": in_del}[sys.argv[1]]
if sys.argv[1] == "thread":  # not the main thread: no SIGALRM, the watchdog thread answers
    worker = threading.Thread(target=call)
    worker.start()
    worker.join()
    sys.exit(0)
call()
"""


@pytest.mark.parametrize("case", ["regex", "swallowing", "thread", "del"])
def test_the_deadline_holds_in_c_code_in_a_swallowing_handler_in_del_and_off_the_main_thread(project, case):
    command = [sys.executable, "-c", textwrap.dedent(SCRIPT), case]
    run = run_hook("PreToolUse", WRITE, project=project, command=command, timeout=30)
    assert (run.code, run.out) == (2, "")
    assert run.err == f"attune-companion: denied this Write because its check did not finish within 0.2 s. {TAIL}\n"


TAIL = (
    "Try a smaller change, raise `hooks.deadline_seconds` (at most 8), or set `hooks.on_error: allow` "
    "in .empathy/config.yaml to let unchecked calls through."
)


@pytest.mark.parametrize(
    ("value", "seconds"), [("0.2", 0.2), ("8", 8.0), ("20", 8.0), ("1e9", 8.0), ("0", None), ("x", None)]
)
def test_the_variable_never_outlasts_the_hook_timeout(value, seconds):
    from attune.hooks import deadline

    assert deadline.from_environ({"EMPATHY_HOOK_DEADLINE": value}) == seconds
