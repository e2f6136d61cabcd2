"""Secret values the hook can know: secret-named variables of its environment and the project's .env files.

A bare 40-character AWS secret printed by `echo $AWS_SECRET_ACCESS_KEY` matches no pattern (issue 10,
part 4), but the hook runs in the same environment and next to the same `.env` files, so it can
look for those exact values. They live only in this process: never written to disk or logged.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

# Files named like secrets that hold none (examples, templates, public keys); hooks.sensitive uses it too.
ALLOWED = (
    ".env.example", ".env.sample", ".env.template", ".env.dist", ".env.defaults", "*.example.env",
    "*.pub", "*.pem.example", "*.key.example",
)  # fmt: skip

MIN_LENGTH = 8  # `true`, `8080`, `prod` never become needles
MIN_ENTROPY = 2.5  # bits per character: `aaaaaaaa`, `12121212` are not secrets
MAX_FILE = 256_000  # an .env file larger than this is not a config file; read its start only
# Name parts that make a variable secret-named; PWD only as a part of a longer name (PWD is the cwd).
_WORDS = ("SECRET", "TOKEN", "PASSWORD", "PASSWD", "CREDENTIAL", "PRIVATE", "APIKEY", "ACCESSKEY", "PASSPHRASE")
_PARTS = frozenset({"KEY", "KEYS", "AUTH", "PASS", "PWD", "PW", "DSN", "SALT", "COOKIE", "SESSION"})
_NOT_SECRET = frozenset({"PWD", "OLDPWD", "SSH_AUTH_SOCK", "XAUTHORITY", "GPG_AGENT_INFO", "KEYMAP"})
_PUBLIC = ("PUBLIC", "PUBLISHABLE")
# Patterns as strings: re compiles them on first use, and most hooks never need them (start-up).
_SEPARATORS = str.maketrans("-.", "__")
_URL_CREDENTIALS = r"^[A-Za-z][A-Za-z0-9+.\-]*://[^:/@\s]*:([^@\s/]+)@"
_LINE = r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.\-]*)\s*=\s*(.*)$"


class Known(NamedTuple):
    name: str  # the variable, e.g. AWS_SECRET_ACCESS_KEY
    source: str  # "the environment" or the file name, e.g. ".env.local"
    value: str


def secret_named(name: str) -> bool:
    upper = name.upper()
    if upper in _NOT_SECRET or any(word in upper for word in _PUBLIC):
        return False
    parts = upper.translate(_SEPARATORS).split("_")
    return any(word in upper for word in _WORDS) or any(part in _PARTS for part in parts)


def needles(name: str, value: str) -> list[str]:
    """The parts of a variable's value worth looking for: all of it, or a URL's password."""
    value = value.strip()
    password = re.match(_URL_CREDENTIALS, value) if "://" in value else None
    if password:  # DATABASE_URL, REDIS_URL, ...: whatever the name, the password is the secret
        return [password.group(1)] if _strong(password.group(1)) else []
    if not secret_named(name) or "://" in value or _a_path(value):
        return []
    if "\n" in value:  # a PEM block in quotes: each long line of it
        return [line.strip() for line in value.splitlines() if _strong(line.strip())]
    return [value] if _strong(value) else []


def _a_path(value: str) -> bool:
    """SSH_AUTH_SOCK, GOOGLE_APPLICATION_CREDENTIALS: a path to a secret, not one (an AWS secret may start with /)."""
    return value.startswith(("/", "~", "./", "../")) and os.path.lexists(os.path.expanduser(value))


def _strong(value: str) -> bool:
    if len(value) < MIN_LENGTH or value.isdigit():
        return False
    classes = sum((any(c.islower() for c in value), any(c.isupper() for c in value), any(c.isdigit() for c in value)))
    classes += any(not c.isalnum() for c in value)
    if classes < 2 and len(value) < 20:  # `localhost`, `development`, `postgres`
        return False
    counts: dict[str, int] = {}
    for char in value:
        counts[char] = counts.get(char, 0) + 1
    import math

    entropy = -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())
    return entropy >= MIN_ENTROPY


def from_environ(environ: Mapping[str, str]) -> list[Known]:
    return [Known(name, "the environment", v) for name, value in environ.items() for v in needles(name, value)]


def env_files(directory: str, allowed: Sequence[str] = ()) -> list[str]:
    """`.env`, `.env.local`, `.env.production`, ... in `directory`; not `.env.example` and the like."""
    try:
        names = [n for n in os.listdir(directory) if n == ".env" or n.startswith(".env.")]
    except (OSError, ValueError):  # ValueError: a NUL in a path from the payload (issue 10 fuzzer)
        return []
    import fnmatch

    # hooks.allowed_globs says such a file holds no secrets: its values are no needles either.
    return sorted(n for n in names if not any(fnmatch.fnmatchcase(n, glob) for glob in (*ALLOWED, *allowed)))


def from_file(path: str, shown: str) -> list[Known]:
    from attune import safefile

    # Not through a link (a repository's .env may point anywhere), never a FIFO or a device (issues 11, 15).
    try:
        text = safefile.tail(path, 0, MAX_FILE)[1].decode("utf-8", "replace")
    except safefile.Refused:
        return []
    found: list[Known] = []
    for name, value in _assignments(text):
        found.extend(Known(name, shown, v) for v in needles(name, value))
    return found


def _assignments(text: str) -> Iterable[tuple[str, str]]:
    lines = iter(text.splitlines())
    for line in lines:
        match = re.match(_LINE, line)
        if not match:
            continue
        name, value = match.group(1), match.group(2).strip()
        if value[:1] in ("'", '"'):
            quote = value[0]
            body = value[1:]
            while quote not in body:  # a quoted value over several lines (a PEM key)
                more = next(lines, None)
                if more is None:
                    break
                body += "\n" + more
            value = body.split(quote, 1)[0]
        else:
            value = value.split(" #", 1)[0].strip()
        yield name, value


def load(
    directories: Sequence[str], environ: Mapping[str, str] = os.environ, allowed: Sequence[str] = ()
) -> tuple[Known, ...]:
    """Every known secret value, longest first (so that the longest of two overlapping ones is redacted)."""
    found = from_environ(environ)
    for directory in dict.fromkeys(d for d in directories if d):
        for name in env_files(directory, allowed):
            found.extend(from_file(os.path.join(directory, name), name))
    unique = {k.value: k for k in found}  # one entry per value
    return tuple(sorted(unique.values(), key=lambda k: -len(k.value)))


def found_in(text: str, known: Sequence[Known]) -> list[Known]:
    """The known values that occur in `text`: one substring search each, linear in the text."""
    return [k for k in known if k.value in text] if text else []


def redact(text: str, known: Sequence[Known]) -> tuple[str, int]:
    """`text` with every occurrence of a known value replaced by [SECRET:$NAME], and the count."""
    marked, names, count = mark(text, known)
    return unmark(marked, names), count


# Private-use characters: the scan engine reads `[SECRET:$NAME]` after `password:` as a secret of
# its own, so values are marked first, the text scanned, then the marks labelled.
_OPEN, _CLOSE = "\ue000", "\ue001"


def mark(text: str, known: Sequence[Known]) -> tuple[str, list[str], int]:
    """`text` with each known value replaced by a private mark; the names the marks stand for; the count."""
    present = found_in(text, known)
    if not present:
        return text, [], 0
    names = [k.name for k in present]
    index = {k.value: i for i, k in enumerate(present)}
    pattern = re.compile("|".join(re.escape(k.value) for k in present))  # longest first: present keeps the order
    count = [0]

    def replace(match: re.Match[str]) -> str:
        count[0] += 1
        return f"{_OPEN}{index[match.group(0)]}{_CLOSE}"

    return pattern.sub(replace, text), names, count[0]


def unmark(text: str, names: Sequence[str]) -> str:
    if not names:
        return text
    return re.sub(f"{_OPEN}([0-9]+){_CLOSE}", lambda m: f"[SECRET:${names[int(m.group(1))]}]", text)


def describe(found: Sequence[Known]) -> str:
    """`$AWS_SECRET_ACCESS_KEY (from the environment)`: names and sources, never a value."""
    return ", ".join(sorted({f"${k.name} (from {k.source})" for k in found}))


def scrub(text: str, root: str = "", environ: Mapping[str, str] = os.environ) -> str:
    """`text` without any known secret value: call it on anything kept in memory or session records."""
    return redact(text, load([root or os.getcwd()], environ))[0]
