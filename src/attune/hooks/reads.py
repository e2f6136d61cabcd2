"""What a shell command reads, and how: judged from its commands, not from the names it mentions.

Issue 10, part 5: `cat .env` was caught but `python -c "print(open('.env').read())"`, `dd if=.env`
or `git show HEAD:.env` were not, while `cp .env.example .env` or `echo X=1 >> .env` were blocked.
Each simple command yields Uses: a file it reads ("read"), text that may name a file it reads
("maybe": code for an interpreter, an unknown command's arguments), or a copy ("copy": a file
put under another name, which a later `cat` would print).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence

from attune.hooks import shell, tools
from attune.hooks.shell import Simple, Word
from attune.hooks.tools import Use

READERS = frozenset((
    "cat", "tac", "head", "tail", "less", "more", "most", "bat", "batcat", "nl", "strings", "xxd", "od",
    "hexdump", "hd", "base64", "base32", "basenc", "cut", "sort", "uniq", "diff", "diff3", "sdiff", "cmp",
    "colordiff", "comm", "join", "paste", "fold", "fmt", "pr", "expand", "unexpand", "rev", "column", "iconv",
    "view", "vi", "vim", "nvim", "nano", "emacs", "code", "open", "xdg-open", "zcat", "zless", "bzcat",
    "xzcat", "look", "source", ".",
))  # fmt: skip
PATTERN_FIRST = frozenset(("grep", "egrep", "fgrep", "zgrep", "rg", "ag", "ack"))
PROGRAM_FIRST = frozenset(("awk", "gawk", "mawk", "nawk", "sed", "jq", "yq"))
SHELLS = frozenset(("bash", "sh", "zsh", "dash", "ksh", "mksh", "ash", "fish"))
INTERPRETER = re.compile(
    r"(?:python|pypy|perl|php|lua|ruby)[0-9.]*|node|nodejs|deno|bun|Rscript|pwsh|powershell|tclsh|julia|"
    r"osascript|ts-node|tsx|irb|groovy"
)
COPIES = frozenset(("cp", "mv", "ln", "install", "rsync", "scp"))
# Commands that look at names, metadata or counts, or only write: their arguments are never printed.
BENIGN = frozenset((
    "ls", "stat", "file", "wc", "du", "df", "test", "[", "[[", "echo", "printf", "touch", "mkdir", "rm",
    "rmdir", "unlink", "chmod", "chown", "chgrp", "truncate", "shred", "md5sum", "sha1sum", "sha256sum",
    "sha512sum", "b2sum", "cksum", "realpath", "readlink", "basename", "dirname", "tee", ":", "true", "false",
    "cd", "pushd", "popd", "export", "unset", "set", "read", "sleep", "which", "type", "exit", "return",
    "ssh-keygen", "ssh-add", "wget", "mktemp", "npm", "pip", "pip3", "yarn", "pnpm", "make", "pytest", "git-lfs",
    "local", "declare", "readonly", "shift", "wait", "kill", "ps", "date", "whoami", "id", "pwd", "clear",
))  # fmt: skip
WRAPPERS = frozenset((
    "sudo", "doas", "env", "command", "builtin", "exec", "nohup", "time", "nice", "ionice", "stdbuf",
    "timeout", "watch", "setsid", "unbuffer", "!", "{", "}", "if", "then", "else", "elif", "fi", "do", "done",
    "while", "until", "function", "strace", "ltrace",
))  # fmt: skip
_WRAPPER_VALUES = {"sudo": "ugCDhpr", "doas": "uC", "env": "uCS", "nice": "n", "ionice": "cnp", "watch": "nd",
                   "timeout": "sk", "stdbuf": "ioe"}  # fmt: skip


# Compiled once: re.match with a string pattern costs a cache lookup per word (issue 10, part 5).
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
_QUIET = re.compile(r"-[a-zA-Z]*[qlLc][a-zA-Z]*|--(quiet|silent|count|files-with(out)?-match(es)?)")
_IN_PLACE = re.compile(r"-[a-zA-Z]*i\S*|--in-place\S*")
_SHORT = re.compile(r"-[a-zA-Z]+")
_DASH_C = re.compile(r"-[a-z]*c[a-z]*")


def uses(command: str) -> list[Use]:
    with shell.paused_gc():
        return _uses(command)


def _uses(command: str) -> list[Use]:
    parsed = shell.parse(command)
    found: list[Use] = [Use("maybe", text, "a deeply nested substitution") for text in parsed.too_deep]
    for pipeline in parsed.pipelines:
        for simple in pipeline:
            shown = simple is pipeline[-1] and not any(_to_file(op, t.text) for op, t in simple.redirects)
            found.extend(u if shown else u._replace(printed=False) for u in _simple(simple, pipeline, 0))
    computed = next((u for u in found if u.how == "computed"), None)
    if computed is not None:  # `cat $(echo .env)`, `for f in .env; do cat $f; done`: any name may be the one
        found.append(Use("maybe", command, f"{computed.by} of a computed name"))
    return found


def _to_file(operator: str, target: str) -> bool:
    """`> out.txt` sends the output to a file; `>&2`, `> /dev/stderr` still show it."""
    return operator in (">", ">>", ">|", "&>", "&>>") and not target.startswith(("&", "/dev/std", "/dev/tty"))


def _simple(simple: Simple, pipeline: Sequence[Simple], depth: int) -> Iterable[Use]:
    for operator, target in simple.redirects:
        if operator in ("<", "<>"):
            yield Use("read", target.text, "a `<` redirection", target.glob)
    words = _command_words(simple.words)
    if not words:
        return
    name = os.path.basename(words[0].text)
    args = words[1:]
    if words[0].dynamic:  # `$EDITOR .env`: unknown command
        yield from _maybe(args, words[0].text or "a command from a variable")
    elif name in ("cd", "pushd") and args and not args[-1].dynamic:  # later relative paths start there
        yield Use("cd", args[-1].text, name)
    elif name in ("echo", "printf", "printenv"):  # `echo $AWS_SECRET_ACCESS_KEY`: the value itself
        names = [w.text for w in args] if name == "printenv" else [v for w in args for v in w.variables]
        yield from (Use("variable", v, name) for v in names)
    elif name in BENIGN:
        return
    elif name in READERS:
        view = tools.head_tail(name, args)
        values = ("-n", "-c", "--lines", "--bytes") if name in ("head", "tail") else ()
        for word in tools.positional(args, values):
            yield Use("computed" if word.dynamic and not word.text else "read", word.text, name, word.glob, view=view)
    elif name in PATTERN_FIRST or name in PROGRAM_FIRST:
        yield from _filter(name, args)
    elif name in SHELLS or name == "eval":
        yield from _shell(name, args, depth)
    elif name in COPIES:
        yield from tools.copy(name, args)
    elif name == "dd":
        yield from (Use("read", w.text[3:], "dd", w.glob) for w in args if w.text.startswith("if="))
    elif name == "git":
        yield from tools.git(args)
    elif name == "find":
        yield from _find(args)
    elif name == "xargs":
        yield from _xargs(args, simple, pipeline, depth)
    elif name == "curl":
        yield from tools.curl(args)
    elif name in ("ssh", "mosh"):
        yield from tools.ssh(args)
    elif name == "openssl":
        yield from tools.openssl(args)
    elif name in ("docker", "podman", "kubectl") and args and args[0].text == "cp":
        yield from tools.copy("cp", args[1:])
    else:  # an interpreter, ssh, docker, an unknown tool: whatever names a file may be read
        yield from _maybe(args, name)


def _command_words(words: Sequence[Word]) -> Sequence[Word]:
    """The words from the command on: assignments, sudo-like wrappers and their options skipped."""
    i, wrapper = 0, ""
    while i < len(words):
        word = words[i].text
        if wrapper and word.startswith("-") and len(word) > 1:
            i += 2 if len(word) == 2 and word[1] in _WRAPPER_VALUES.get(wrapper, "") else 1
        elif _ASSIGNMENT.match(word) or (wrapper == "timeout" and word[:1].isdigit()):
            i += 1
        elif word in WRAPPERS:
            wrapper = word
            i += 1
        else:
            break
    return words[i:]


def _maybe(words: Sequence[Word], by: str) -> Iterable[Use]:
    return (Use("maybe", w.text, by, w.glob) for w in words if w.text)


def _filter(name: str, args: Sequence[Word]) -> Iterable[Use]:
    """grep PATTERN FILE..., awk PROGRAM FILE...: the first positional is not a file unless -e or -f gave it."""
    texts = [w.text for w in args]
    quiet = any(_QUIET.fullmatch(t)
                for t in texts) and name in PATTERN_FIRST  # fmt: skip
    if name == "sed" and any(_IN_PLACE.fullmatch(t) for t in texts):
        return  # an in-place edit prints nothing
    given = any(t in ("-e", "-f", "--regexp", "--file", "--from-file") or t.startswith(("--regexp=", "--file="))
                for t in texts)  # fmt: skip
    positional = tools.positional(args)
    program = Word("", False, False)
    if positional and not given:
        program, positional = positional[0], positional[1:]
        if name in PROGRAM_FIRST:  # awk 'getline < ".env"' reads what it names
            yield Use("maybe", program.text, name)
    if quiet:
        return
    flags = "".join(sorted({c for t in texts if _SHORT.fullmatch(t) for c in t[1:] if c in "viFwx"}))
    view = ("grep", flags, program.text) if name in PATTERN_FIRST and positional and not given else ()
    for word in positional:
        yield Use("read", word.text, name, word.glob, view=view)


def _shell(name: str, args: Sequence[Word], depth: int) -> Iterable[Use]:
    code = next((i for i, w in enumerate(args) if _DASH_C.fullmatch(w.text)), None)
    if name == "eval":
        text = " ".join(w.text for w in args)
    elif code is not None and code + 1 < len(args):
        text = args[code + 1].text
    else:
        script = tools.positional(args)
        if script:
            yield Use("read", script[0].text, name, script[0].glob)
        return
    if depth + 1 >= shell.MAX_DEPTH:
        yield Use("maybe", text, f"{name} -c")
        return
    parsed = shell.parse(text, depth + 1)
    yield from (Use("maybe", t, f"{name} -c") for t in parsed.too_deep)
    for pipeline in parsed.pipelines:
        for simple in pipeline:
            yield from _simple(simple, pipeline, depth + 1)


def _find(args: Sequence[Word]) -> Iterable[Use]:
    texts = [w.text for w in args]
    runs = [i for i, t in enumerate(texts) if t in ("-exec", "-execdir", "-ok", "-okdir")]
    if not runs:
        return
    names = [
        texts[i + 1] for i, t in enumerate(texts[:-1]) if t in ("-name", "-iname", "-path", "-ipath", "-wholename")
    ]
    command = [w for w in args[runs[0] + 1 :] if w.text not in (";", "+", "{}")]
    harmless = command and os.path.basename(command[0].text) in BENIGN
    if not harmless:
        by = f"find -exec {command[0].text if command else ''}".strip()
        if not names:
            yield Use("maybe", "every file, .env included", by)
        yield from (Use("maybe", n, by, glob=any(c in shell.GLOB_CHARS for c in n)) for n in names)


def _xargs(args: Sequence[Word], simple: Simple, pipeline: Sequence[Simple], depth: int) -> Iterable[Use]:
    i = 0
    while i < len(args) and args[i].text.startswith("-"):
        if args[i].text in ("-a", "--arg-file"):
            yield Use("names", args[i + 1].text if i + 1 < len(args) else "", "xargs -a")
        i += 2 if args[i].text in ("-n", "-I", "-d", "-a", "-P", "-L", "-s", "-E") else 1
    inner = args[i:]
    yield from _simple(Simple(list(inner), []), pipeline, depth)
    if inner and os.path.basename(inner[0].text) in BENIGN:
        return
    # The names come from stdin: from a file, or from the commands before it in the pipeline.
    by = f"xargs {inner[0].text if inner else 'echo'}"
    for operator, target in simple.redirects:
        if operator == "<":
            yield Use("names", target.text, by)
    for other in pipeline:
        if other is not simple:
            yield from (Use("maybe", w.text, by, w.glob) for w in other.words if w.text)
