"""Before a Bash command runs: would it read a file that holds secrets by nature, or print a secret?

A failing command's output cannot be redacted afterwards (PostToolUseFailure): `cat deploy.log;
exit 3` sent a Stripe key to the model (issue 10, part 4). So the files a command prints are
scanned first: regular files only, their first MAX_BYTES, never a FIFO or a device.
"""

from __future__ import annotations

import functools
import os
import re
import stat
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from attune.hooks import sensitive, tools
from attune.hooks.policy import Policy
from attune.scan import known

if TYPE_CHECKING:
    from attune.scan import Finding

MAX_BYTES = 1_000_000  # of each file scanned before the command runs
MAX_FILES = 20  # files scanned per command; globs expanded per command
_TOKEN = re.compile(r"[\w.*?\[\]/~%+-]+")  # a name inside code: open('.env'), HEAD:.env, --env-file=.env


class Exposure(NamedTuple):
    name: str  # the sensitive file, as the command names it
    glob: str  # the sensitive glob it matches
    use: tools.Use


class Printed(NamedTuple):
    name: str  # the file as the command names it
    secrets: list[Finding]
    values: list[known.Known]


def sensitive_use(uses: Sequence[tools.Use], cwd: str, policy: Policy) -> Exposure | None:
    """The first use of a sensitive file: a read, a copy under an unprotected name, or a mention in code."""
    expanded = [0]
    for use in uses:
        names = _candidates(use, cwd, expanded)
        for name in names:
            glob = sensitive.matches(name, policy) or (
                _could_match(name, policy) if "*" in name or "?" in name or "[" in name else None
            )
            if glob is None:
                continue
            if use.how == "copy" and sensitive.matches(use.target, policy):
                continue  # cp .env.example .env, mv .env.tmp .env: a sensitive file written
            return Exposure(name, glob, use)
    return None


def _candidates(use: tools.Use, cwd: str, expanded: list[int]) -> list[str]:
    if use.how == "maybe":
        return _TOKEN.findall(use.text)
    if use.how == "names":  # xargs reads file names from this file
        text = _head(os.path.join(cwd, os.path.expanduser(use.text)), 64_000)
        return [line.strip() for line in (text or "").splitlines() if line.strip()]
    if use.glob and expanded[0] < MAX_FILES:
        expanded[0] += 1
        return [use.text, *_expand(use.text, cwd)]
    return [use.text]


def _expand(pattern: str, cwd: str) -> list[str]:
    import glob
    import itertools

    full = os.path.join(cwd, os.path.expanduser(pattern))
    return [os.path.relpath(p, cwd) for p in itertools.islice(glob.iglob(full), 200)]


def _could_match(pattern: str, policy: Policy) -> str | None:
    """The sensitive glob a shell glob such as `.e*` or `.en?` could match, whatever files exist now."""
    name = pattern.rsplit("/", 1)[-1]
    if len(re.sub(r"[*?]|\[[^]]*\]", "", name)) < 2:
        return None  # `*` alone: judged by what it matches now, not by what it could
    wild = [i for i, c in enumerate(name) if c in "*?["]
    head, tail = name[: wild[0]], name[wild[-1] + 1 :] if name[wild[-1]] != "[" else ""
    examples = [
        (glob, example)
        for glob, example in _examples(policy.sensitive_globs)
        if example.startswith(head) and example.endswith(tail) and example.startswith(".") == name.startswith(".")
    ]
    if not examples:  # most globs: no compiling, so that 100,000 of them stay cheap
        return None
    import fnmatch

    matcher = re.compile(fnmatch.translate(name))
    return next((glob for glob, example in examples if matcher.match(example)), None)


@functools.lru_cache(maxsize=8)
def _examples(extra: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """A name each sensitive glob matches: `.env.*` gives `.env.x` and `.env.x.local`."""
    found = []
    for glob in (*sensitive.SENSITIVE, *extra):
        example = glob.rsplit("/", 1)[-1].replace("*", "x")
        found += [(glob, example), (glob, example + ".local")] if example.startswith(".env") else [(glob, example)]
    return tuple(found)


def printed_files(uses: Sequence[tools.Use], cwd: str) -> Iterable[tuple[str, str, tools.Use]]:
    """(name, path, use) of each regular file the command prints, at most MAX_FILES."""
    count = 0
    for use in uses:
        if use.how == "cd":  # `cd logs && cat deploy.log`
            cwd = os.path.join(cwd, os.path.expanduser(use.text))
            continue
        if use.how != "read" or not use.printed or not use.text or use.text == "-":
            continue
        names = _expand(use.text, cwd) if use.glob else [use.text]
        for name in names:
            path = os.path.join(cwd, os.path.expanduser(name))
            try:
                if not stat.S_ISREG(os.stat(path).st_mode):
                    continue
            except (OSError, ValueError):
                continue
            count += 1
            if count > MAX_FILES:
                return
            yield name, path, use


def variables_printed(uses: Sequence[tools.Use], values: Sequence[known.Known]) -> list[known.Known]:
    """Known secrets a command prints by name: `echo $AWS_SECRET_ACCESS_KEY`, `printenv GITHUB_TOKEN`."""
    printed = {use.text for use in uses if use.how == "variable" and use.printed}
    return [k for k in values if k.name in printed] if printed else []


def secrets_printed(uses: Sequence[tools.Use], cwd: str, values: Sequence[known.Known]) -> list[Printed]:
    found = []
    for name, path, use in printed_files(uses, cwd):
        text = _head(path, MAX_BYTES)
        if not text:
            continue
        text = _view(text, use.view)
        from attune import scan

        secrets = [f for f in scan.scan_text(text, name, pii=False) if f.kind == "secret"]
        present = known.found_in(text, values)
        if secrets or present:
            found.append(Printed(name, secrets, present))
    return found


def _head(path: str, size: int) -> str | None:
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # never open a FIFO or a device: it could block
            return None
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read(size)
    except (OSError, ValueError):
        return None


def _view(text: str, view: tuple[str, ...]) -> str:
    """The part of the file the command prints: head or tail lines, or the lines grep selects."""
    if not view:
        return text
    if view[0] in ("head", "tail"):
        lines = text.splitlines(keepends=True)
        count = int(view[1])
        return "".join(lines[:count] if view[0] == "head" else lines[-count:] if count else [])
    flags, pattern = view[1], view[2]
    try:
        matcher = re.compile(re.escape(pattern) if "F" in flags else pattern, re.IGNORECASE if "i" in flags else 0)
    except re.error:  # a grep-only syntax: judge the whole file
        return text
    return "".join(line for line in text.splitlines(keepends=True) if bool(matcher.search(line)) != ("v" in flags))
