"""Secrets assigned to secret-sounding names, in code and config: .env, YAML, JSON, TOML, INI, HCL, shell, code."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator
from pathlib import PurePath

from attune.scan import noise
from attune.scan.findings import Hit

_ascii = noise.ascii_regex  # ASCII \w, \d and \b (issue 10)

KEYWORD = _ascii(r"(?i)pass|pwd|secret|token|api[_.-]?key|credential|[_.-]key\b|bearer")
# name, an optional type annotation, an assignment-like operator, then a quoted or bare value. The name is a
# whole run of name characters (secret_name() wants words in it) and the annotation is bounded: one attempt
# per run, not one per letter reading to the run's end (issue 10: 20 s for a 0.5 MB line, quadratic in a run).
_LITERAL_KEYWORDS = ("pass", "pwd", "secret", "token", "api_key", "api-key", "api.key", "apikey", "credential", "_key",
                     "-key", ".key", "bearer")  # fmt: skip
_ASSIGN = _ascii(
    r"""(?<![\w.-])(?P<name>[\w.-]+)(?![\w.-])["'`\]]*"""
    r"""(?:[^\S\n]*:[^\S\n]*[A-Za-z_][\w\[\], .|]{0,80}?(?=[^\S\n]*=[^=\n]))?[^\S\n]*"""
    r"""(?P<op>:=|=>|==|=|:|,|<-)[^\S\n]*"""
    r"""(?:[rbuRBU]?(?P<q>["'`])(?P<qv>[^"'`\n]{1,400})(?P=q)|(?P<bv>[^\s"'`,;)}\]]{1,400}))"""
)
# Prose in docs: Set `NAME` to `VALUE`.
_PROSE = _ascii(r"`(?P<name>[\w.-]+)`[^\S\n]+(?:to|=|is|as|:)[^\S\n]+`(?P<qv>[^`\n]{8,400})`")
_DOCKER_ENV = _ascii(r"(?m)^[^\S\n]*ENV[^\S\n]+(?P<name>[A-Za-z_]\w*)[^\S\n]+(?P<bv>\S+)[^\S\n]*$")
_K8S_NAME = _ascii(r"""(?m)^[^\S\n]*-?[^\S\n]*name:[^\S\n]*["']?(?P<name>[\w.-]+)["']?[^\S\n]*$""")
_K8S_VALUE = _ascii(r"""^\s*value:\s*(?:(?P<q>["'])(?P<qv>[^"'\n]+)(?P=q)|(?P<bv>\S+))\s*$""")
_NAME_HINT = _ascii(r"(?i)pass|pwd|secret|token|key|credential|bearer")
_WORDS = _ascii(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
# The last word of a name that holds something other than the secret itself.
_NOT_SECRET = frozenset((
    "hash", "hashed", "sha", "sha1", "sha256", "digest", "checksum", "id", "ids", "name", "names", "type", "types",
    "url", "uri", "urls", "path", "file", "filename", "arn", "length", "len", "field", "fields", "prompt", "label",
    "env", "var", "header", "endpoint", "ttl", "expiry", "expires", "expiration", "count", "max", "min", "version",
    "format", "regex", "pattern", "placeholder", "hint", "description", "policy", "scope", "scopes", "prefix",
    "suffix", "mode", "enabled", "required", "size", "timeout", "location", "provider", "store", "manager", "service",
    "class", "param", "ref", "refs", "tokens", "tokenizer", "tokenize", "file_path", "lifetime", "algorithm", "algo",
    "kind", "salt", "rounds", "strength", "reset", "question", "template", "key_id", "query", "column", "table",
    "user", "username", "login", "email",
))  # fmt: skip
_HASHED = frozenset(("hash", "hashed", "digest", "checksum", "sha", "sha1", "sha256", "fingerprint", "public"))
_SECRET_WORDS = ("password", "passwd", "passphrase", "pwd", "pass", "secret", "token", "apikey", "credential", "bearer")
_KEY_PAIRS = frozenset(("api", "access", "private", "auth", "client", "signing", "encryption", "master", "account",
                        "session", "secret"))  # fmt: skip
# Languages whose bare words are identifiers, not values: only quoted literals are assigned secrets there.
_CODE = frozenset((
    ".py", ".pyi", ".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".go", ".java", ".kt", ".rb", ".php", ".cs", ".rs",
    ".swift", ".scala", ".c", ".cc", ".cpp", ".h", ".tf", ".hcl", ".json", ".toml", ".lua", ".dart",
))  # fmt: skip


@functools.lru_cache(maxsize=4096)
def secret_name(name: str) -> str | None:
    """The finding type for a secret-sounding name, or None. Cached: a text repeats its names (issue 10)."""
    if not _NAME_HINT.search(name):
        return None  # no secret word and no `key`: the common case, decided without splitting the name
    words = [w.lower() for w in _WORDS.findall(name)]
    if not words or words[-1] in _NOT_SECRET or "_".join(words[-2:]) in _NOT_SECRET or _HASHED.intersection(words):
        return None
    joined = "".join(words)
    if not any(w.endswith(_SECRET_WORDS) or w.startswith(("password", "secret")) for w in words) and not any(
        a in _KEY_PAIRS and b == "key" for a, b in itertools.pairwise(words)
    ):
        return None
    if "aws" in words and "secret" in joined:
        return "aws-secret-key"
    if "twilio" in words:
        return "twilio-auth-token"
    if any(w.startswith(("pass", "pwd")) or w.endswith(("password", "passwd", "pwd")) for w in words):
        return "password"
    return "generic-secret"


def has_keyword(text: str, lo: int, hi: int, lower: str | None = None) -> bool:
    """Does text[lo:hi] hold a secret-sounding word? `lower` is text.lower() for ASCII text (str.find is C-speed)."""
    if lower is not None:
        return any(lower.find(word, lo, hi) != -1 for word in _LITERAL_KEYWORDS)
    return KEYWORD.search(text, lo, hi) is not None


def lowered(text: str) -> str | None:
    return text.lower() if text.isascii() else None  # lowering keeps offsets only for ASCII


def keyword_chunks(text: str, lower: str | None) -> Iterator[tuple[int, int]]:
    """Whole-line chunks of about 4 KB that hold a secret-sounding word (issue 10).

    A chunk, not a line, is the unit of work: a text of a million short lines costs a thousand Python steps,
    and the regexes, which never cross a newline, scan each chunk in one C-speed pass.
    """
    size = len(text)
    lo = 0
    while lo < size:
        cut = text.find("\n", min(lo + _CHUNK, size))
        hi = size if cut == -1 else cut
        if has_keyword(text, lo, hi, lower):
            yield lo, hi
        lo = hi + 1


_CHUNK = 4096


def find_assignments(text: str, filename: str, lower: str | None = None) -> Iterator[Hit]:
    quoted_only = PurePath(filename).suffix.lower() in _CODE
    for lo, hi in keyword_chunks(text, lower):
        yield from _chunk(text, lo, hi, quoted_only, lower)


def _near_keyword(text: str, match: re.Match[str], lo: int, lower: str | None) -> bool:
    """A name such as `accessKey` holds no keyword itself: its line must (or, on a minified line, its
    neighbourhood), as when only lines with a keyword were scanned."""
    name = match.group("name").lower()
    if any(word in name for word in _LITERAL_KEYWORDS):
        return True
    start, end = lo + match.start(), lo + match.end()
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    if line_end - line_start > 2000:
        line_start, line_end = max(line_start, start - 600), min(line_end, end + 200)
    return has_keyword(text, line_start, line_end, lower)


def _chunk(text: str, lo: int, hi: int, quoted_only: bool, lower: str | None) -> Iterator[Hit]:
    chunk = text[lo:hi]
    matches = [*_ASSIGN.finditer(chunk), *_PROSE.finditer(chunk), *_DOCKER_ENV.finditer(chunk)]
    for match in matches:
        kind = secret_name(match.group("name"))
        if kind is None or not _near_keyword(text, match, lo, lower):
            continue
        op = match.groupdict().get("op")
        quoted = match.groupdict().get("qv") is not None
        value = match.group("qv") if quoted else match.group("bv")
        name = match.group("name")
        first = match.start() + len(name) - len(name.lstrip(".-"))  # "--secrets", "--x" is an argument list
        if op == "," and (first == 0 or chunk[first - 1] not in "\"'"):
            continue  # a comma only pairs a quoted name with its value, as in setenv("TOKEN", "...")
        if not quoted and (quoted_only or value.startswith(("$", "!", "&", "*", "|", ">"))):
            continue
        if value.startswith("eyJ") and value.count(".") == 2:
            continue  # a JWT: the JWT detector decides, documentation samples included
        if noise.looks_random(value, password=kind == "password"):
            offset = lo + match.start("qv" if quoted else "bv")
            yield Hit("secret", kind, offset, offset + len(value), value)
    for named in _K8S_NAME.finditer(chunk):
        kind = secret_name(named.group("name"))
        if not kind or not _near_keyword(text, named, lo, lower):
            continue
        line_end = lo + named.end()
        after = text.find("\n", line_end + 1)
        value_match = _K8S_VALUE.match(text[line_end + 1 : len(text) if after == -1 else after])
        if value_match:
            value = value_match.group("qv") or value_match.group("bv")
            if noise.looks_random(value, password=kind == "password"):
                offset = line_end + 1 + value_match.start("qv" if value_match.group("qv") else "bv")
                yield Hit("secret", kind, offset, offset + len(value), value)
