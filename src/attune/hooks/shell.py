"""A linear-time reading of a shell command: simple commands, their words and redirections.

Not a shell: just enough to know which files a command reads (issue 10, part 5). Every character
is visited a bounded number of times: runs of plain characters go through one regex, and each
nested level (`$(...)`, backticks, `bash -c "..."`) is read once more at most, up to MAX_DEPTH.
shlex, which this replaces, took 19 s on a 1 MB command (it grows its tokens one character at a time).
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterator
from typing import NamedTuple

MAX_DEPTH = 4  # nested shells deeper than this are judged by the names they mention
_PLAIN = re.compile(r"[^\s'\"\\$`|&;()<>]+")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SPECIAL = re.compile(r"[0-9@*#?$!-]")
_DQ_SPECIAL = re.compile(r'["\\$`]')
_OPERATORS = ("&&", "||", ";;", "|&", ";", "|", "&", "(", ")", "\n")
_REDIRECTS = ("<<<", "<<-", "&>>", "<<", ">>", "<>", "<&", ">&", ">|", "&>", "<", ">")
GLOB_CHARS = frozenset("*?[")


class Word(NamedTuple):
    text: str  # with quotes removed; a substitution contributes nothing
    glob: bool  # holds an unquoted *, ? or [
    dynamic: bool  # holds a substitution or a variable: its value is unknown here
    variables: tuple[str, ...] = ()  # the variables it expands: $TOKEN, ${TOKEN}, ${TOKEN:-x}


class Simple(NamedTuple):
    words: list[Word]
    redirects: list[tuple[str, Word]]  # (operator, target), e.g. ("<", Word(".env", ...))


class Parsed(NamedTuple):
    pipelines: list[list[Simple]]  # every pipeline, nested substitutions' included
    too_deep: list[str]  # the text of substitutions nested beyond MAX_DEPTH


def parse(text: str, depth: int = 0) -> Parsed:
    parsed = Parsed([], [])
    with paused_gc():
        _Lexer(text, depth, parsed).run(0, "")
    return parsed


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Millions of small records and no cycles: the cyclic collector's passes over them made a 1 MB
    command of short commands twice as slow, growing faster than its length (issue 10, part 5)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


class _Lexer:
    """One pass over `text`; appends pipelines to `out` as it completes them."""

    def __init__(self, text: str, depth: int, out: Parsed) -> None:
        self.text, self.depth, self.out = text, depth, out

    def nested(self, start: int, closer: str) -> int:
        """A `$(...)` or `<(...)` starting at `start`: lexed in place; returns the position after `)`."""
        if self.depth >= MAX_DEPTH:
            end = self.text.find(")", start)
            end = len(self.text) if end < 0 else end + 1
            self.out.too_deep.append(self.text[start:end])
            return end
        self.depth += 1
        end = self.run(start, closer)
        self.depth -= 1
        return end

    def backtick(self, start: int) -> int:
        end = start
        while True:
            end = self.text.find("`", end)
            if end < 0 or self.text[end - 1] != "\\":
                break
            end += 1
        end = len(self.text) if end < 0 else end
        inner = self.text[start:end].replace("\\`", "`")
        if self.depth >= MAX_DEPTH:
            self.out.too_deep.append(inner)
        else:
            _Lexer(inner, self.depth + 1, self.out).run(0, "")
        return end + 1

    def run(self, i: int, closer: str) -> int:
        text, n = self.text, len(self.text)
        pipeline: list[Simple] = []
        words: list[Word] = []
        redirects: list[tuple[str, Word]] = []
        heredocs: list[tuple[str, bool]] = []
        pending: str | None = None  # a redirection waiting for its target
        parts: list[str] = []
        names: list[str] = []
        glob = dynamic = started = False
        parens = 0

        def finish_word() -> None:
            nonlocal parts, names, glob, dynamic, started, pending
            if not started:
                return
            word = Word("".join(parts), glob, dynamic, tuple(names))
            if pending is not None:
                if pending in ("<<", "<<-"):
                    heredocs.append((word.text, pending == "<<-"))
                redirects.append((pending, word))
                pending = None
            else:
                words.append(word)
            parts, names, glob, dynamic, started = [], [], False, False, False

        def finish_command() -> None:
            nonlocal words, redirects
            finish_word()
            if words or redirects:
                pipeline.append(Simple(words, redirects))
            words, redirects = [], []

        def finish_pipeline() -> None:
            nonlocal pipeline
            finish_command()
            if pipeline:
                self.out.pipelines.append(pipeline)
            pipeline = []

        while i < n:
            char = text[i]
            plain = _PLAIN.match(text, i)
            if plain:
                chunk = plain.group(0)
                if not started and chunk.startswith("#"):  # a comment, to the end of the line
                    end = text.find("\n", i)
                    i = n if end < 0 else end
                    continue
                parts.append(chunk)
                glob = glob or not GLOB_CHARS.isdisjoint(chunk)
                started = True
                i = plain.end()
            elif char in " \t\r":
                finish_word()
                i += 1
            elif char == "'":
                end = text.find("'", i + 1)
                end = n if end < 0 else end
                parts.append(text[i + 1 : end])
                started = True
                i = end + 1
            elif char == '"':
                started = True
                i += 1
                while i < n:
                    special = _DQ_SPECIAL.search(text, i)
                    if special is None:
                        parts.append(text[i:])
                        i = n
                        break
                    parts.append(text[i : special.start()])
                    i = special.start()
                    mark = text[i]
                    if mark == '"':
                        i += 1
                        break
                    if mark == "\\":
                        parts.append(text[i + 1 : i + 2])
                        i += 2
                    elif mark == "`":
                        dynamic = True
                        i = self.backtick(i + 1)
                    else:
                        i, dynamic = self.dollar(i, parts, names, dynamic)
            elif char == "\\":
                if text[i + 1 : i + 2] != "\n":
                    parts.append(text[i + 1 : i + 2])
                    started = True
                i += 2
            elif char == "$":
                started = True
                i, dynamic = self.dollar(i, parts, names, dynamic)
            elif char == "`":
                started = dynamic = True
                i = self.backtick(i + 1)
            elif char in "<>" and text[i + 1 : i + 2] == "(":
                started = dynamic = True  # process substitution: <(cmd) reads like $(cmd)
                i = self.nested(i + 2, ")")
            elif char in "<>&" and (op := next((r for r in _REDIRECTS if text.startswith(r, i)), None)):
                if started and not glob and not dynamic and "".join(parts).isdigit():
                    parts, started = [], False  # `2>`: the digits name a descriptor
                finish_word()
                pending = op
                i += len(op)
            elif char == ")" and closer and parens == 0:
                finish_pipeline()
                return i + 1
            else:
                op = next((o for o in _OPERATORS if text.startswith(o, i)), char)
                finish_command() if op in ("|", "|&") else finish_pipeline()
                parens += (op == "(") - (op == ")")
                i += len(op)
                if op == "\n" and heredocs:
                    i = _skip_heredocs(text, i, heredocs)
                    heredocs = []
        finish_pipeline()
        return n

    def dollar(self, i: int, parts: list[str], names: list[str], dynamic: bool) -> tuple[int, bool]:
        text = self.text
        follow = text[i + 1 : i + 2]
        if follow == "(":
            return self.nested(i + 2, ")"), True
        if follow == "{":
            end = text.find("}", i)
            braced = _NAME.match(text, i + 2)
            if braced:
                names.append(braced.group(0))
            return (len(text) if end < 0 else end + 1), True
        if follow == "'":  # $'...': ANSI-C quoting, read as a plain single-quoted string
            end = text.find("'", i + 2)
            end = len(text) if end < 0 else end
            parts.append(text[i + 2 : end])
            return end + 1, dynamic
        name = _NAME.match(text, i + 1) or _SPECIAL.match(text, i + 1)
        if name:
            names.append(name.group(0))
            return name.end(), True
        parts.append("$")
        return i + 1, dynamic


def _skip_heredocs(text: str, i: int, heredocs: list[tuple[str, bool]]) -> int:
    """The position after the bodies of the here-documents opened on the line just ended."""
    for delimiter, strip_tabs in heredocs:
        while i < len(text):
            end = text.find("\n", i)
            end = len(text) if end < 0 else end
            line = text[i:end]
            i = end + 1
            if (line.lstrip("\t") if strip_tabs else line) == delimiter:
                break
    return i
