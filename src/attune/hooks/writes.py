"""Which files a shell command writes: redirections, tee, sed -i, cp/mv/install/ln, touch, dd of=.

The pinned CLI loads a path-scoped rule when Bash reads a file but not when Bash writes one
(tests/e2e/OBSERVED.md), so PreToolUse delivers the rule for these paths itself (issue 13).
A name built at run time (`> "$OUT"`) is unknown here and left out: delivery fails open.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterable, Sequence

from attune.hooks import shell, tools
from attune.hooks.shell import Simple, Word

_TO_FILE = (">", ">>", ">|", "&>", "&>>")
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
_WRAPPERS = frozenset(("sudo", "env", "command", "builtin", "exec", "nohup", "time", "nice", "stdbuf", "timeout"))
_IN_PLACE = re.compile(r"-[a-zA-Z]*i\S*|--in-place\S*")
_SCRIPT_GIVEN = ("-e", "-f", "--expression", "--file")


def targets(command: str, cwd: str) -> list[str]:
    """The absolute paths `command` writes, in order, each once."""
    with shell.paused_gc():
        parsed = shell.parse(command)
    here = cwd
    found: list[str] = []
    for pipeline in parsed.pipelines:
        for simple in pipeline:
            words = _command_words(simple.words)
            name = os.path.basename(words[0].text) if words and not words[0].dynamic else ""
            if name in ("cd", "pushd") and len(words) > 1 and not words[-1].dynamic:
                here = os.path.normpath(os.path.join(here, os.path.expanduser(words[-1].text)))
                continue
            for written in _written(simple, name, words[1:], here):
                path = os.path.normpath(os.path.join(here, os.path.expanduser(written)))
                if path not in found:
                    found.append(path)
    return found


def _written(simple: Simple, name: str, args: Sequence[Word], here: str) -> Iterable[str]:
    for operator, target in simple.redirects:
        if operator in _TO_FILE and target.text and not target.dynamic and not target.text.startswith(("&", "/dev/")):
            yield target.text
    if name in ("tee", "touch", "truncate"):
        yield from _known(tools.positional(args))
    elif name in ("sed", "gsed", "perl") and any(_IN_PLACE.fullmatch(w.text) for w in args):
        given = any(w.text in _SCRIPT_GIVEN or w.text.startswith("--expression=") for w in args)
        operands = tools.positional(args, _SCRIPT_GIVEN)
        yield from _known(operands if given else operands[1:])
    elif name in ("cp", "mv", "install", "ln", "rsync"):
        for use in tools.copy(name, args):
            destination = _destination(args, use.text, use.target, here)
            if destination:
                yield destination
    elif name == "dd":
        yield from (w.text[3:] for w in args if w.text.startswith("of=") and len(w.text) > 3)


def _known(words: Sequence[Word]) -> list[str]:
    return [w.text for w in words if w.text and not w.dynamic and not w.glob]


def _destination(args: Sequence[Word], source: str, landing: str, here: str) -> str:
    """Where a copy lands: `cp a.py src/api/` -> src/api/a.py; `cp a.py src/api/b.py` -> itself."""
    operands = [w.text for w in tools.positional(args)]
    folder = next((w.text.split("=", 1)[1] for w in args if w.text.startswith("--target-directory=")), "")
    for before, word in itertools.pairwise(args):
        if before.text == "-t":
            folder = word.text
    if folder:
        return os.path.join(folder, os.path.basename(source.rstrip("/")))
    if len(operands) >= 2:
        last = operands[-1]
        folder = last if last.endswith("/") or os.path.isdir(os.path.join(here, last)) or len(operands) > 2 else ""
        if not folder:
            return last
    return os.path.join(folder, landing) if folder else ""


def _command_words(words: Sequence[Word]) -> Sequence[Word]:
    i = 0
    while i < len(words) and (_ASSIGNMENT.match(words[i].text) or words[i].text in _WRAPPERS):
        i += 1
    return words[i:]
