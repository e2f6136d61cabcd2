"""Secrets assigned to secret-sounding names, in code and config: .env, YAML, JSON, TOML, INI, HCL, shell, code."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import PurePath

from attune.scan import noise
from attune.scan.findings import Hit


def _ascii(pattern: str) -> re.Pattern[str]:
    """ASCII `\\w`, `\\d` and `\\b`: a token glued to CJK or accented text still ends there (issue 10)."""
    return re.compile(pattern, re.ASCII)


KEYWORD = _ascii(r"(?i)pass|pwd|secret|token|api[_.-]?key|credential|[_.-]key\b|bearer")
# name, an optional type annotation, an assignment-like operator, then a quoted or bare value
_LITERAL_KEYWORDS = ("pass", "pwd", "secret", "token", "api_key", "api-key", "api.key", "apikey", "credential", "_key",
                     "-key", ".key", "bearer")  # fmt: skip
_ASSIGN = _ascii(
    r"""(?P<name>[A-Za-z_][\w.-]*)["'`\]]*(?:\s*:\s*[A-Za-z_][\w\[\], .|]*?(?=\s*=[^=]))?\s*"""
    r"""(?P<op>:=|=>|==|=|:|,|<-)\s*"""
    r"""(?:[rbuRBU]?(?P<q>["'`])(?P<qv>[^"'`\n]{1,400})(?P=q)|(?P<bv>[^\s"'`,;)}\]]{1,400}))"""
)
# Prose in docs: Set `NAME` to `VALUE`.
_PROSE = _ascii(r"`(?P<name>[\w.-]+)`\s+(?:to|=|is|as|:)\s+`(?P<qv>[^`\n]{8,400})`")
_DOCKER_ENV = _ascii(r"^\s*ENV\s+(?P<name>[A-Za-z_]\w*)\s+(?P<bv>\S+)\s*$")
_K8S_NAME = _ascii(r"""^\s*-?\s*name:\s*["']?(?P<name>[\w.-]+)["']?\s*$""")
_K8S_VALUE = _ascii(r"""^\s*value:\s*(?:(?P<q>["'])(?P<qv>[^"'\n]+)(?P=q)|(?P<bv>\S+))\s*$""")
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


def secret_name(name: str) -> str | None:
    """The finding type for a secret-sounding name, or None."""
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


def keyword_lines(text: str) -> list[int]:
    """Start offsets of the lines holding a secret-sounding word, found with `str.find` on lowered ASCII text."""
    starts: set[int] = set()
    if text.isascii():  # lowering keeps offsets only for ASCII
        lower = text.lower()
        for word in _LITERAL_KEYWORDS:
            at = lower.find(word)
            while at != -1:
                starts.add(text.rfind("\n", 0, at) + 1)
                newline = text.find("\n", at)  # one hit per line is enough
                at = -1 if newline == -1 else lower.find(word, newline)
    else:
        starts.update(text.rfind("\n", 0, m.start()) + 1 for m in KEYWORD.finditer(text))
    return sorted(starts)


def find_assignments(text: str, filename: str, lines: list[int] | None = None) -> Iterator[Hit]:
    quoted_only = PurePath(filename).suffix.lower() in _CODE
    for start in keyword_lines(text) if lines is None else lines:
        end = text.find("\n", start)
        end = len(text) if end == -1 else end
        if end - start <= 2000:
            yield from _line(text, start, end, quoted_only)
            continue
        # Minified code: look only around each keyword, so one huge line costs no more than a few short ones.
        for keyword in KEYWORD.finditer(text, start, end):
            yield from _line(text, max(start, keyword.start() - 200), min(end, keyword.end() + 600), quoted_only)


def _line(text: str, lo: int, hi: int, quoted_only: bool) -> Iterator[Hit]:
    line = text[lo:hi]
    matches = [*_ASSIGN.finditer(line), *_PROSE.finditer(line)]
    docker = _DOCKER_ENV.match(line)
    if docker:
        matches.append(docker)
    for match in matches:
        kind = secret_name(match.group("name"))
        if kind is None:
            continue
        op = match.groupdict().get("op")
        quoted = match.groupdict().get("qv") is not None
        value = match.group("qv") if quoted else match.group("bv")
        if op == "," and (match.start() == 0 or line[match.start() - 1] not in "\"'"):
            continue  # a comma only pairs a quoted name with its value, as in setenv("TOKEN", "...")
        if not quoted and (quoted_only or value.startswith(("$", "!", "&", "*", "|", ">"))):
            continue
        if value.startswith("eyJ") and value.count(".") == 2:
            continue  # a JWT: the JWT detector decides, documentation samples included
        if noise.looks_random(value, password=kind == "password"):
            offset = lo + match.start("qv" if quoted else "bv")
            yield Hit("secret", kind, offset, offset + len(value), value)
    named = _K8S_NAME.match(line)
    if named and secret_name(named.group("name")):
        after = text.find("\n", hi + 1)
        following = text[hi + 1 : len(text) if after == -1 else after]
        value_match = _K8S_VALUE.match(following)
        if value_match:
            value = value_match.group("qv") or value_match.group("bv")
            kind = secret_name(named.group("name")) or "generic-secret"
            if noise.looks_random(value, password=kind == "password"):
                offset = hi + 1 + value_match.start("qv" if value_match.group("qv") else "bv")
                yield Hit("secret", kind, offset, offset + len(value), value)
