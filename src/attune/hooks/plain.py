"""The cheap first look at a Bash command, before the shell reader is imported (hook start-up, issue 4).

Most commands Claude Code runs are plain: `git status && ls -la`, `pytest -q`. Parsing them
(attune.hooks.reads, shell, tools, exposure) and loading the rules index (attune.hooks.deliver)
costs more than the rest of the hook. These checks answer "nothing to look at" only when that
is certain; anything else goes the full way.
"""

from __future__ import annotations

import re  # only for a command that names a writer: no pattern is compiled at import

# Commands that may write a file without a `>`: only these are parsed for the rules to deliver (issue 13).
WRITERS = ("tee", "sed", "gsed", "perl", "cp", "mv", "install", "ln", "rsync", "touch", "truncate", "dd")
MAY_WRITE = r"\b(?:" + "|".join(WRITERS) + r")\b"
# Only words of these characters: no quotes, `$`, backquotes, globs, redirections, braces or comments.
_PLAIN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./=:,+@%- \t;")
_QUOTING = "\"'$`"  # none of them plain: a command that holds one is refused before it is split
# A subset of attune.hooks.reads.BENIGN (names, metadata or counts; their arguments never printed),
# without the commands reads.py treats before BENIGN (cd, echo, printf); tests keep it a subset.
QUIET = frozenset((
    "ls", "stat", "file", "wc", "du", "df", "test", "touch", "mkdir", "rm", "rmdir", "chmod", "md5sum",
    "sha256sum", "realpath", "readlink", "basename", "dirname", "true", "false", "sleep", "which", "type",
    "pwd", "date", "whoami", "id", "ps", "make", "pytest", "npm", "pip", "pip3", "yarn", "pnpm", "mktemp",
))  # fmt: skip
# git subcommands that print no file's content; tests keep them apart from attune.hooks.tools' reads.
QUIET_GIT = frozenset((
    "status", "add", "commit", "push", "pull", "fetch", "branch", "checkout", "switch", "init", "rev-parse",
    "remote", "tag", "merge", "rebase", "restore", "worktree",
))  # fmt: skip


def may_write(command: str) -> bool:
    """False when the command surely writes no file: no `>` and none of the commands that write without one.

    No pattern is compiled (~0.3 ms) unless one of the names occurs at all.
    """
    if ">" in command:
        return True
    return any(name in command for name in WRITERS) and re.search(MAY_WRITE, command) is not None


def reads_nothing(command: str) -> bool:
    """True only when every simple command is a QUIET one in plain words: reads.uses() would find nothing."""
    if any(char in command for char in _QUOTING):
        return False  # at memchr speed: the replaces and the set below cost 9 ms for a 1 MB quoted string (issue 15)
    pieces = command.replace("&&", ";").replace("||", ";").replace("|", ";").replace("\n", ";")
    if not set(pieces) <= _PLAIN_CHARS:  # a lone `&` is left over, and refused, here
        return False
    for piece in pieces.split(";"):
        words = piece.split()
        if not words:
            return False
        quiet_git = words[0] == "git" and len(words) > 1 and words[1] in QUIET_GIT
        if words[0] not in QUIET and not quiet_git:
            return False
    return True
