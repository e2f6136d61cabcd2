"""What is not a secret: documented examples, placeholders, references, hashes, UUIDs and low-entropy text."""

from __future__ import annotations

import math
import re
import string
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from typing import Any


def ascii_regex(pattern: str) -> Regex:
    """ASCII `\\w`, `\\d` and `\\b`: a token glued to CJK or accented text still ends there (issue 10)."""
    return Regex(pattern)


class Regex:
    """A regular expression compiled with re.ASCII on its first use, not at import (issue 15).

    The engine holds about 125 of them, most behind a cheap test that few texts pass; compiling them all
    cost every scan that loads the engine (a hook that meets a secret, the sync's screen of one edited
    pattern) about 20 ms. Once compiled, the compiled pattern's own methods replace these in the instance,
    so a call costs what a call on re.Pattern costs. The methods are those of re.Pattern the scanner calls.
    """

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            compiled = self._compiled = re.compile(self.pattern, re.ASCII)
            self.__dict__.update({name: getattr(compiled, name) for name in _METHODS})
        return self._compiled

    @property
    def groupindex(self) -> Mapping[str, int]:
        return self.compiled.groupindex

    @property
    def groups(self) -> int:
        return self.compiled.groups

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.match(string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.fullmatch(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.compiled.findall(string, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return self.compiled.sub(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        return self.compiled.split(string, maxsplit)


_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "split")


# Placeholders and documented examples (AKIAIOSFODNN7EXAMPLE and its kin all say EXAMPLE), and our own
# scrub placeholders ([SECRET:github-token], [EMAIL]): text we scrubbed must scan clean again.
# Matched against the lowered value: a case-sensitive alternation lets the regex engine skip ahead on its
# first characters, several times faster than (?i) on a text with a hundred thousand assignments (issue 10).
_PLACEHOLDER = ascii_regex(
    r"example|sample|dummy|placeholder|change[_-]?me|replace[_-]?(?:me|with|this)|your[_-]|^your"
    r"|insert[_-]|redacted|xxxx|\*\*\*|\.\.\.|<[^>]*>|\{\{|\}\}|\$\{|%\(|%s|todo|fixme|not[_-]?a[_-]?real"
    r"|\[secret:[a-z0-9-]+\]|\[(?:email|phone|ssn|card|iban|ip)\]"
    r"|(?:key|token|secret|password)[_-]?here|fake|foobar|lorem|dead[_-]?beef|^-+$"
    r"|\[[a-z_ -]*(?:pass(?:word)?|secret|token|key)[a-z_ -]*\]"  # redis://[[username]:[password]]@host
    r"|^(?:none|null|nil|true|false|undefined|password|passwd|secret|token|pass|admin|root|test|testing|string|str"
    r"|bytes|required|optional|env|default|empty|unset|hunter2|letmein|qwerty|abc123|foo|bar|baz|qux)$"
)
# Values taken from somewhere else: the environment, a variable, a call, a template, a secret store. The
# anchored forms are tried once, at the start, and only the few others anywhere (issue 10: per-value cost).
_REFERENCE_START = ascii_regex(
    r"\$[A-Za-z_{(]|%[A-Za-z_]+%$|[A-Za-z_][\w.]*\(|[a-z_][a-z0-9_]*(?:\.[A-Za-z_]\w*)+$|(?:var|local|data|module"
    r"|secrets|vars|env|settings|config|self|this|props|params|args|options)\.[\w.]+$"
    r"|!(?:vault|Ref|Sub|GetAtt)|arn:|vault:|ref\+|op://|projects/[^/]+/secrets/|file:|(?:/[\w.-]+){2,}$"
)
_REFERENCE_ANYWHERE = ascii_regex(r"\$\{|\{\{|environ|getenv|process\.env|ENV\[|\bSecret\(")
_HASHED = ascii_regex(
    r"(?i)^(?:sha(?:1|224|256|384|512)[-:=]|md5[-:]|blake2b?[-:]|\$2[aby]?\$\d\d\$|\$argon2|\$pbkdf2|\$6\$|\$5\$|\$1\$)"
)
_UUID = ascii_regex(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_IMAGE_BASE64 = ("iVBORw0KGgo", "/9j/", "R0lGOD", "UklGR", "PHN2Zy", "data:image/")
_SEQUENCES = tuple(
    alphabet * 3
    for alphabet in (
        string.ascii_lowercase,
        string.digits,
        "0123456789abcdef",
        string.digits + string.ascii_lowercase,
        string.ascii_lowercase + string.digits,
        "qwertyuiopasdfghjklzxcvbnm",
    )
)


def entropy(value: str) -> float:
    """Shannon entropy in bits per character."""
    if not value:
        return 0.0
    counts = Counter(value)
    size = len(value)
    return -sum(n / size * math.log2(n / size) for n in counts.values())


def is_placeholder(value: str) -> bool:
    return bool(_PLACEHOLDER.search(value.lower())) or _is_degenerate(value)


def is_reference(value: str) -> bool:
    return bool(_REFERENCE_START.match(value) or _REFERENCE_ANYWHERE.search(value))


def is_hash_or_id(value: str) -> bool:
    """Hashes with their algorithm named, bcrypt-style strings, UUIDs and inline image data."""
    return bool(_HASHED.match(value) or _UUID.match(value)) or value.startswith(_IMAGE_BASE64)


def _is_degenerate(value: str) -> bool:
    body = value.lower()
    if len(set(body)) <= 3:
        return True
    return len(body) >= 8 and any(body in sequence for sequence in _SEQUENCES)


# In the random body of a prefixed token only unmistakable markers count: a short word such as "fake"
# turns up by chance in about one 150-character base64 body in ten thousand.
_FAKE_BODY = ascii_regex(
    r"(?i)example|placeholder|sample|dummy|redacted|changeme|replace[_-]?me|your[_-]|x{6,}|\*{3,}|\.\.\.|<[^>]*>"
    r"|\$\{|\{\{"
)


def is_token_body_fake(body: str) -> bool:
    """For formats with a distinctive prefix: only a placeholder marker or a degenerate body disqualifies."""
    return bool(_FAKE_BODY.search(body)) or _is_degenerate(body)


_SPACE = re.compile(r"\s")  # Unicode, as str.isspace
_DIGIT = re.compile(r"\d")
_WORDLIKE = ascii_regex(r"[A-Za-z]+(?:[_.-][A-Za-z]+)*")


def looks_random(value: str, *, password: bool = False) -> bool:
    """High enough entropy and character mix to be a generated credential (or, for passwords, a chosen one)."""
    size = len(value)
    if size < 8 or size > 400 or _SPACE.search(value):
        return False
    if is_placeholder(value) or is_reference(value) or is_hash_or_id(value):
        return False
    # Character classes with C-speed string methods, not a generator per character: this runs once per
    # assignment, and a text can hold a hundred thousand of them (issue 10).
    classes = (value != value.upper()) + (value != value.lower()) + bool(_DIGIT.search(value)) + (not value.isalnum())
    bits = entropy(value)
    if _WORDLIKE.fullmatch(value) and not (size >= 20 and classes >= 2 and bits >= 3.8):
        return False  # words, identifiers and test names such as test_rotates_api_token
    if password:
        return classes >= 3 and bits >= 2.75
    if size < 16:
        return classes >= 3 and bits >= 3.0
    return classes >= 2 and bits >= 3.3
