"""The `/bin/sh -c` command a settings file runs for each hook: find `empathy`, run it, fail closed without it.

Claude Code runs a hook's command through `/bin/sh -c` with the user's PATH, and any exit code
but 2 lets the call go on. A bare `empathy` that is not on PATH exits 127, so a Write of a
secret went through (issue 10). So the command tries each place `empathy` may be, and when none
runs, a guarded event exits 2 with one line saying what failed and how to fix it.

Every command we write ends with MARK, a sh comment: we own exactly the entries that carry it,
and the previous release's exact forms (`empathy hook EVENT`), so an upgrade replaces them
(issue 11).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import sys
from typing import NamedTuple

MARK = "# attune-companion"
GUARDED = ("PreToolUse", "UserPromptSubmit")  # events whose hook answers "no": they must not fail open


class Program(NamedTuple):
    candidates: tuple[str, ...]  # sh words, each an executable's path, tried in order
    args: tuple[str, ...]  # sh words between the program and `hook EVENT`
    missing: str  # what was looked for and not found, for the message
    fix: str


# The committed project file runs on every teammate's machine: the project's own virtual
# environment first (a Claude Code started from a desktop launcher has no venv on PATH), then PATH.
PROJECT = Program(
    ('"$CLAUDE_PROJECT_DIR"/.venv/bin/empathy', '"$CLAUDE_PROJECT_DIR"/venv/bin/empathy', '"$(command -v empathy)"'),
    (),
    "no .venv/bin/empathy or venv/bin/empathy in the project, none on PATH",
    "pip install attune-companion there, or run `empathy hooks install --scope local`",
)

# A plugin is installed by the user but runs in any project they open: it must not run a program
# the project ships (a cloned repository's .venv/bin/empathy), so it looks on PATH only.
PLUGIN = Program(
    ('"$(command -v empathy)"',),
    (),
    "not on the PATH Claude Code runs with",
    "pip install attune-companion where Claude Code finds it, or use `empathy hooks install --scope user`",
)


def this_installation() -> Program:
    """The `empathy` that is running now, by absolute path: for settings that stay on this machine."""
    script = os.path.abspath(sys.argv[0]) if os.path.basename(sys.argv[0]) == "empathy" else None
    beside = os.path.join(os.path.dirname(sys.executable), "empathy")
    found = shutil.which("empathy")
    for path in (script, beside, os.path.abspath(found) if found else None):
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return _absolute(path, ())
    return _absolute(os.path.abspath(sys.executable), ("-m", "attune"))


def from_words(command: str) -> Program:
    """`--command CMD`: CMD's first word is the program (looked up on PATH if it has no slash)."""
    words = shlex.split(command)
    if not words:
        raise ValueError("the command is empty")
    first, rest = words[0], tuple(shlex.quote(w) for w in words[1:])
    if "/" not in first:
        return Program((f'"$(command -v {shlex.quote(first)})"',), rest, f"no {first} on PATH", _reinstall())
    return _absolute(os.path.abspath(first), rest)


def _absolute(path: str, args: tuple[str, ...]) -> Program:
    return Program((shlex.quote(path),), args, f"{path} is missing or does not start", _reinstall())


def _reinstall() -> str:
    return "reinstall attune-companion, then run `empathy hooks install --scope local` again"


def command(event: str, program: Program) -> str:
    """`for e in CANDIDATES; do run the first that starts; done; else say so`, all POSIX sh.

    An exit of 126 or 127 means the program could not start (a venv whose Python was removed
    keeps a script with a dead `#!` line): the next candidate is tried, stdin still unread.
    """
    args = "".join(f" {a}" for a in program.args)
    run = f'[ -x "$e" ] && {{ "$e"{args} hook {event}; r=$?; [ $r = 126 ] || [ $r = 127 ] || exit $r; }}'
    problem = f"attune-companion: cannot find `empathy` ({program.missing}); {program.fix}"
    if event in GUARDED:
        fallback = f"echo {shlex.quote(problem)} >&2; exit 2"
    elif event == "SessionStart":  # the user hears about it once, at start, instead of never
        warning = json.dumps({"systemMessage": f"{problem}; guarded tool calls and prompts are denied until then"})
        fallback = f"echo {shlex.quote(warning)}; exit 0"
    else:  # a non-blocking error, silent: `empathy doctor` can tell it from a hook that ran
        fallback = "exit 1"
    return f"for e in {' '.join(program.candidates)}; do {run}; done; {fallback} {MARK}"


_LEGACY_PROGRAM = re.compile(r"(?:.*/)?empathy")
_LEGACY_PYTHON = re.compile(r"(?:.*/)?python[0-9.]*")


def ours(command: object) -> bool:
    """A command we wrote: it ends with MARK, or it is exactly a previous release's form."""
    if not isinstance(command, str):
        return False
    if command.endswith(" " + MARK):
        return True
    if " hook " not in command:  # most commands: no need to split them
        return False
    try:
        words = shlex.split(command)
    except ValueError:
        return False
    if shlex.join(words) != command or words[-2:-1] != ["hook"] or not words[-1].isidentifier():
        return False  # anything but plain words (`&&`, `;`, a pipe) is someone else's script
    program = words[:-2]
    if len(program) == 1:
        return bool(_LEGACY_PROGRAM.fullmatch(program[0]))
    return len(program) == 3 and program[1:] == ["-m", "attune"] and bool(_LEGACY_PYTHON.fullmatch(program[0]))


def describe(command: str) -> str:
    """What a command of ours runs, for `hooks status`: the places it tries."""
    found = re.match(r"for e in (.*?); do ", command)
    if found:
        return found.group(1)
    return command.rsplit(" hook ", 1)[0]
