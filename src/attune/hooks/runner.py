"""Run one hook: read the payload, call its handler, answer. Never break a Claude Code session.

Exit 2 (and a deny or block answer) only ever comes from a handler's real finding. An unknown
event is accepted silently; a malformed payload or an internal error exits 1, which Claude
Code treats as a non-blocking error, with one line on stderr and an entry in the error log.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
from collections.abc import Mapping
from typing import TextIO

from attune import paths
from attune.hooks import HANDLERS
from attune.hooks import payload as payload_mod
from attune.hooks import policy as policy_mod
from attune.hooks.payload import Context


def run(event: str, stdin: TextIO, stdout: TextIO, stderr: TextIO, environ: Mapping[str, str] = os.environ) -> int:
    module_name = HANDLERS.get(event)
    if module_name is None:
        return 0  # an event this release does not know: accepted silently
    root: str | None = None
    try:
        data = json.loads(stdin.read())
        if not isinstance(data, dict):
            raise ValueError("the payload is not a JSON object")
        payload = payload_mod.parse(event, data)
        context = make_context(payload, environ)
        root = context.root
        handle = importlib.import_module(module_name).handle
        answer: payload_mod.Answer = handle(payload, context)
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # noqa: BLE001 - a hook must never break the session (issue 4): log, exit non-blocking
        where = log_error(root, event, exc)
        print(f"attune-companion: {event} hook error ({type(exc).__name__}); details in {where}", file=stderr)
        return 1
    if answer.output:
        stdout.write(json.dumps(answer.output, ensure_ascii=False) + "\n")
    if answer.stderr:
        stderr.write(answer.stderr.rstrip("\n") + "\n")
    return answer.exit_code


def make_context(payload: payload_mod.Payload, environ: Mapping[str, str]) -> Context:
    """The project is Claude Code's project directory, else the payload's cwd (or its git top level)."""
    root = environ.get("CLAUDE_PROJECT_DIR") or _git_top(payload.cwd or os.getcwd())
    library = os.path.isdir(os.path.join(root, paths.EMPATHY_DIR))
    # A broken config falls back to the defaults: the hooks still protect.
    return Context(root, library, policy_mod.load(root) if library else policy_mod.DEFAULT)


def _git_top(start: str) -> str:
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


def log_error(root: str | None, event: str, exc: BaseException) -> str:
    """Append the error to the project's hook log (or the user's, outside a library); return where."""
    if root is not None and os.path.isdir(os.path.join(root, paths.EMPATHY_DIR)):
        target = os.path.join(root, paths.EMPATHY_DIR, "logs", "hooks.log")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        target = os.path.join(base, "attune-companion", "logs", "hooks.log")
    message = str(exc).replace("\n", " ")[:500]
    try:
        from attune import scan

        message = scan.scrub(message, pii=False).text  # an error message must not carry a secret to disk
    except Exception:  # noqa: BLE001 - logging an error must not raise another one
        message = "(message withheld)"
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(f"{stamp} {event} {type(exc).__name__}: {message}\n")
    except OSError:
        return "(the error log could not be written)"
    return target


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
