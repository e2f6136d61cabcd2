"""How particular tools take their arguments: which are files read, which are written (issue 10, part 5)."""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from attune.hooks.shell import Word

_COUNT = re.compile(r"-[0-9]+")
_LINES = re.compile(r"-n[0-9]+|--lines=[0-9]+")
_REMOTE = re.compile(r"[\w.@-]+:")


class Use(NamedTuple):
    # "read", "maybe", "copy", "names" (a file listing file names), "variable" (printed), "cd",
    # or "computed" (a read of a name known only when the command runs)
    how: str
    text: str  # a path ("read", "copy": the source), or text that may name one ("maybe")
    by: str  # the command, for the reason: "cat", "python -c", "cp to /tmp/x"
    glob: bool = False  # an unquoted glob: it names whatever it matches
    target: str = ""  # "copy": the destination
    printed: bool = True  # "read": its output reaches the conversation (last in its pipeline, not redirected)
    view: tuple[str, ...] = ()  # "read": the part printed: ("head", "5"), ("tail", "5"), ("grep", flags, pattern)


_COPY_VALUES = {"cp": "tS", "mv": "tS", "ln": "tS", "install": "tSmog", "scp": "iPoFJlcS", "rsync": "efBT"}
_RSYNC_LONG = ("--exclude", "--include", "--filter", "--exclude-from", "--include-from", "--rsh", "--chmod")
_GIT_READS = frozenset((
    "show", "diff", "log", "blame", "annotate", "cat-file", "grep", "format-patch", "archive", "difftool",
    "range-diff", "whatchanged",
))  # fmt: skip


def positional(args: Sequence[Word], values: tuple[str, ...] = ()) -> list[Word]:
    """The operands: options, and the values of the options in `values`, left out."""
    ended = skip = False
    found = []
    for word in args:
        if skip:
            skip = False
        elif not ended and word.text == "--":
            ended = True
        elif ended or not word.text.startswith("-") or word.text == "-":
            found.append(word)
        else:
            skip = word.text in values
    return found


def head_tail(name: str, args: Sequence[Word]) -> tuple[str, ...]:
    """`head -n 5`, `tail -20`: only those lines are printed."""
    if name not in ("head", "tail"):
        return ()
    count = "10"
    for before, word in zip([None, *args], args, strict=False):
        if _COUNT.fullmatch(word.text):
            count = word.text[1:]
        elif _LINES.fullmatch(word.text):
            count = re.sub(r"\D", "", word.text)
        elif before is not None and before.text in ("-n", "--lines") and word.text.isdigit():
            count = word.text
        elif word.text.startswith(("-c", "--bytes", "-f", "--follow", "-F", "+")) or word.text.startswith("-n+"):
            return ()  # bytes, following, `-n +5`: judge the whole file
    return (name, count)


def copy(name: str, args: Sequence[Word]) -> Iterable[Use]:
    positional: list[Word] = []
    target = ""
    values = _COPY_VALUES.get(name, "")
    skip = False
    for word in args:
        text = word.text
        if skip:
            skip = False
            if target == "?":
                target = text
        elif text.startswith("--target-directory="):
            target = text.split("=", 1)[1]
        elif text in _RSYNC_LONG and name == "rsync":
            skip = True
        elif text.startswith("-") and len(text) > 1:
            skip = len(text) == 2 and text[1] in values
            target = "?" if text == "-t" else target
        else:
            positional.append(word)
    if not target and len(positional) >= 2:
        target, positional = positional[-1].text, positional[:-1]
    directory = not target or target.endswith(("/", ":")) or os.path.basename(target) in (".", "..", "~")
    for word in positional:
        source = word.text.split(":", 1)[1] if _REMOTE.match(word.text) else word.text
        landing = os.path.basename(source.rstrip("/")) if directory else target.split(":")[-1]
        yield Use("copy", source, f"{name} to {target or 'another name'}", word.glob, target=landing)


def git(args: Sequence[Word]) -> Iterable[Use]:
    i = 0
    while i < len(args) and args[i].text.startswith("-"):
        i += 2 if args[i].text in ("-C", "-c", "--git-dir", "--work-tree", "--namespace") else 1
    if i >= len(args) or args[i].text not in _GIT_READS:
        return
    operands = positional(args[i + 1 :])
    if args[i].text == "grep" and operands:
        operands = operands[1:]
    for word in operands:  # `HEAD:.env`, `main:config/.env`
        yield Use("read", word.text.rsplit(":", 1)[-1], f"git {args[i].text}", word.glob)


def curl(args: Sequence[Word]) -> Iterable[Use]:
    skip = False
    for word in args:
        text = word.text
        if skip:
            skip = False
        elif text in ("-o", "--output", "-D", "--dump-header", "-c", "--cookie-jar"):
            skip = True  # written, not read
        elif text.startswith("file://"):
            yield Use("read", text[7:], "curl file://")
        elif "@" in text or text.startswith("<") or "=<" in text:  # -d @.env, -F f=@.env, -T follows
            yield Use("read", re.split(r"@|=<|^<", text)[-1].split(";")[0], "curl (uploads it)", word.glob)
    for before, word in itertools.pairwise(args):
        if before.text in ("-T", "--upload-file", "-K", "--config"):
            yield Use("read", word.text, f"curl {before.text}", word.glob)


def openssl(args: Sequence[Word]) -> Iterable[Use]:
    """`openssl rsa -in server.key` prints the key; `-out` sends it to a file, as genrsa or req do."""
    texts = [w.text for w in args]
    if "-out" in texts:
        return
    for before, word in itertools.pairwise(args):
        if before.text in ("-in", "-inkey", "-key"):
            yield Use("read", word.text, f"openssl {before.text}", word.glob)


def ssh(args: Sequence[Word]) -> Iterable[Use]:
    """`ssh -i ~/.ssh/id_ed25519 host uptime` uses the key without printing it; the remote command may read."""
    skip = False
    operands: list[Word] = []
    for word in args:
        if skip:
            skip = False
        elif operands or not word.text.startswith("-"):
            operands.append(word)
        else:
            skip = len(word.text) == 2 and word.text[1] in "BbcDEeFIiJLlmOoPpQRSWw"
    return (Use("maybe", w.text, "ssh (on the remote host)", w.glob) for w in operands[1:] if w.text)
