"""Secrets assigned to secret-sounding names, in code and config: .env, YAML, JSON, TOML, INI, HCL, shell, code."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import PurePath

from attune.scan import context, noise, prefilter, secret_names
from attune.scan.findings import Hit

_ascii = noise.ascii_regex  # ASCII \w, \d and \b (issue 10)

KEYWORD = _ascii(
    r"(?i)pass|pwd|secret|token|api[_.-]?key|credential|[_.-]key\b|bearer|auth|identified|mysql|curl|[_.-]app[_.-]?key"
)
# name, an optional type annotation, an assignment-like operator, then a quoted or bare value. The name is a
# whole run of name characters (secret_name() wants words in it) and the annotation is bounded: one attempt
# per run, not one per letter reading to the run's end (issue 10: 20 s for a 0.5 MB line, quadratic in a run).
_LITERAL_KEYWORDS = (
    "pass", "pwd", "secret", "token", "api_key", "api-key", "api.key", "apikey", "credential", "_key", "-key", ".key",
    "bearer", "auth", "identified", "mysql", "curl", "key", "cred", "redis-cli", "--user", "_pat", "login", "pass:",
)  # fmt: skip
# Only the words that hold no other one: where `api_key` is, `key` is too (issue 15: 15 `find`s, not 24).
_SHORTEST_KEYWORDS = tuple(k for k in _LITERAL_KEYWORDS if not any(o != k and o in k for o in _LITERAL_KEYWORDS))
_ASSIGN = _ascii(
    r"""(?<![\w.-])(?P<name>[\w.-]+)(?![\w.-])["'`\]]*"""
    r"""(?:[^\S\n]*:[^\S\n]*[A-Za-z_&][\w\[\], .|&'<>*]{0,80}?(?=[^\S\n]*=[^=\n]))?[^\S\n]*"""
    r"""(?P<op>::=|:=|\?=|\.=|\+=|=>|==|=|:|,|<-)[^\S\n]*"""
    r"""(?:[rbuRBU]?(?P<q>["'`])(?P<qv>[^"'`\n]{1,400})(?P=q)|(?P<bv>[^\s"'`,;)}\]]{1,400}))"""
)
# Prose in docs: Set `NAME` to `VALUE`.
_PROSE = _ascii(r"`(?P<name>[\w.-]+)`[^\S\n]+(?:to|=|is|as|:)[^\S\n]+`(?P<qv>[^`\n]{8,400})`")
_DOCKER_ENV = _ascii(r"(?m)^[^\S\n]*(?:ENV|ARG)[^\S\n]+(?P<name>[A-Za-z_]\w*)[^\S\n]+(?P<bv>\S+)[^\S\n]*$")
_K8S_NAME = _ascii(r"""(?m)^[^\S\n]*-?[^\S\n]*name:[^\S\n]*["']?(?P<name>[\w.-]+)["']?[^\S\n]*$""")
_K8S_VALUE = _ascii(r"""^\s*value:\s*(?:(?P<q>["'])(?P<qv>[^"'\n]+)(?P=q)|(?P<bv>\S+))\s*$""")
# Languages whose bare words are identifiers, not values: only quoted literals are assigned secrets there.
_CODE = frozenset((
    ".py", ".pyi", ".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".go", ".java", ".kt", ".rb", ".php", ".cs", ".rs",
    ".swift", ".scala", ".c", ".cc", ".cpp", ".h", ".tf", ".hcl", ".json", ".toml", ".lua", ".dart",
))  # fmt: skip
_NOT_BARE = ("$", "|", ">")
_NOT_BARE_YAML = ("$", "|", ">", "!", "&", "*")
_UUID = _ascii(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_HEX = _ascii(r"(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]+")
_SETTING = _ascii(r"[A-Za-z_][\w.-]*=[^=]")
_IDENTIFIER = _ascii(r"[A-Za-z]+(?:[-_.:/*]+[A-Za-z]+)+|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
_B64_BODY = _ascii(r"(?!(?:[^/]*/){4})(?=.*[0-9])[A-Za-z0-9+/]{20,400}={0,2}")
_DESCRIBED = _ascii(r"password|passwd|secret|token|apikey|api[-_]key")
_SEPARATORS = _ascii(r"[-_.:/*]+")
_REGEX = _ascii(r"\\[sdwbSDWB]|\[\^|\(\?[:=!<P]|\[[A-Za-z0-9]-[A-Za-z0-9]|\{\d+,\d*\}")
secret_name = secret_names.secret_name


def has_keyword(
    text: str, lo: int, hi: int, lower: str | None = None, words: tuple[str, ...] = _SHORTEST_KEYWORDS
) -> bool:
    """Does text[lo:hi] hold a secret-sounding word? `lower` is text.lower() for ASCII text (str.find is C-speed).

    `words`: those of `_SHORTEST_KEYWORDS` the whole text holds (`present_keywords`), when the caller knows."""
    if lower is not None:
        return any(lower.find(word, lo, hi) != -1 for word in words)
    return KEYWORD.search(text, lo, hi) is not None


_GATED_KEYWORDS = prefilter.gated(_SHORTEST_KEYWORDS)


def present_keywords(lower: str) -> tuple[str, ...]:
    """The keywords a lowered text holds, each looked for only where its rarest letter is (issue 15).

    A `find` crawls where the needle's letters are everywhere: 15 keywords over 1 MB of `aaaa...` cost 37 ms,
    twice per scan; a `p` or `h` that is nowhere costs a memchr."""
    return tuple(word for gate, word in _GATED_KEYWORDS if gate in lower and word in lower)


def lowered(text: str) -> str | None:
    return text.lower() if text.isascii() else None  # lowering keeps offsets only for ASCII


def keyword_chunks(text: str, lower: str | None) -> Iterator[tuple[int, int]]:
    """Whole-line chunks of about 4 KB that hold a secret-sounding word (issue 10).

    A chunk, not a line, is the unit of work: a text of a million short lines costs a thousand Python steps,
    and the regexes, which never cross a newline, scan each chunk in one C-speed pass.
    """
    words = _SHORTEST_KEYWORDS if lower is None else present_keywords(lower)
    size = len(text) if words else 0
    lo = 0
    while lo < size:
        cut = text.find("\n", min(lo + _CHUNK, size))
        hi = size if cut == -1 else cut
        if has_keyword(text, lo, hi, lower, words):
            yield lo, hi
        lo = hi + 1


_CHUNK = 4096


def find_assignments(text: str, filename: str, lower: str | None = None) -> Iterator[Hit]:
    for lo, hi in keyword_chunks(text, lower):
        yield from _chunk(text, lo, hi, filename, lower)


def _near_keyword(text: str, match: re.Match[str], lo: int, lower: str | None) -> bool:
    """A name such as `accessKey` holds no keyword itself: its line must (or, on a minified line, its
    neighbourhood), as when only lines with a keyword were scanned."""
    name = match.group("name").lower()
    if any(word in name for word in _SHORTEST_KEYWORDS):
        return True
    start, end = lo + match.start(), lo + match.end()
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    if line_end - line_start > 2000:
        line_start, line_end = max(line_start, start - 600), min(line_end, end + 200)
    return has_keyword(text, line_start, line_end, lower)


def _chunk(text: str, lo: int, hi: int, filename: str, lower: str | None) -> Iterator[Hit]:
    suffix = PurePath(filename).suffix.lower()
    quoted_only, yaml = suffix in _CODE, suffix in (".yaml", ".yml")
    chunk = text[lo:hi]
    for match in _assignments(chunk):
        kind = secret_name(match.group("name"))
        if kind is None or not _near_keyword(text, match, lo, lower):
            continue
        op = match.groupdict().get("op")
        quoted = match.groupdict().get("qv") is not None
        value = match.group("qv") if quoted else match.group("bv")
        name = match.group("name")
        first = match.start() + len(name) - len(name.lstrip(".-"))  # "--secrets", "--x" is an argument list
        if op == "," and not _first_argument(chunk, first):
            continue  # a comma only pairs a call's quoted first argument with its value: setenv("TOKEN", "...")
        if op == ":" and first > 0 and chunk[first - 1] == ":":
            continue  # a segment of a colon path (`arn:aws:secretsmanager:...`, `AWS::ApiGateway::ApiKey`)
        if not quoted and (quoted_only or value.startswith(_NOT_BARE_YAML if yaml else _NOT_BARE)):
            continue  # a reference, a pipe or redirection; in YAML also a tag, an anchor or an alias
        offset = lo + match.start("qv" if quoted else "bv")
        hit = judge(name, kind, value, offset)
        if hit is not None:
            yield hit
    for bound in context.find_bound(chunk, quoted_only):
        kind = secret_name(bound.name)
        hit = judge(bound.name, kind, bound.value, lo + bound.start) if kind else None
        if hit is not None:
            yield hit
    for named in _K8S_NAME.finditer(chunk) if "name:" in chunk else ():
        kind = secret_name(named.group("name"))
        if not kind or not _near_keyword(text, named, lo, lower):
            continue
        line_end = lo + named.end()
        after = text.find("\n", line_end + 1)
        value_match = _K8S_VALUE.match(text[line_end + 1 : len(text) if after == -1 else after])
        if value_match:
            value = value_match.group("qv") or value_match.group("bv")
            offset = line_end + 1 + value_match.start("qv" if value_match.group("qv") else "bv")
            hit = judge(named.group("name"), kind, value, offset)
            if hit is not None:
                yield hit


def _first_argument(chunk: str, first: int) -> bool:
    if first == 0 or chunk[first - 1] not in "\"'":
        return False
    before = chunk[max(0, first - 40) : first - 1].rstrip()
    return before.endswith("(")


def judge(name: str, kind: str, value: str, offset: int) -> Hit | None:
    """A hit when the value bound to a secret-sounding name looks generated (or, for a password, chosen)."""
    if value.startswith("eyJ") and value.count(".") == 2:
        return None  # a JWT: the JWT detector decides, documentation samples included
    if _REGEX.search(value) or _SETTING.match(value):
        return None  # a pattern that matches credentials, or a setting (`Enabled=true`), not a secret (issue 12)
    if len(value) >= 16 and _DESCRIBED.search(value.lower()):
        return None  # a value that describes itself: `rest-of-my-password`, `webdavgeneratedpassword1`
    if _IDENTIFIER.fullmatch(value.strip("-_.:/*")) and not _random_letters(_SEPARATORS.sub("", value)):
        return None  # words joined as identifiers, constants and paths: `ALLOW_USER_AUTH`, `repo:applicationId`
    if plausible(value, password=kind == "password") or (secret_names.allows_uuid(name) and _UUID.fullmatch(value)):
        return Hit("secret", kind, offset, offset + len(value), value)
    return None


def plausible(value: str, *, password: bool) -> bool:
    """A generated value, or for a password also a chosen one (a hex or base64 password is generated)."""
    if noise.looks_random(value) or (password and noise.looks_random(value, password=True)):
        return True
    if noise.is_placeholder(value) or noise.is_hash_or_id(value):
        return False
    if _B64_BODY.fullmatch(value) and value.startswith("/") and noise.entropy(value) >= 4.3:
        return not value.islower() and not value.isupper()  # base64 starting with `/`, not a path (1 in 64)
    if noise.is_reference(value):
        return False
    return _random_letters(value) or (
        len(value) in (32, 40, 48, 64) and _HEX.fullmatch(value) is not None and noise.entropy(value) >= 3.0
    )


def _random_letters(value: str) -> bool:
    """Generated letters without a digit (`TFeLtisqoktjolKPA`): mixed case at random, few vowels, unlike the
    words of an identifier (`processRecordsCount`), which entropy alone does not tell apart at this length."""
    if not 16 <= len(value) <= 64 or not value.isalpha() or not value.isascii() or value.islower() or value.isupper():
        return False
    vowels = sum(value.count(v) for v in "aeiouAEIOU") / len(value)
    switches = sum(a.islower() != b.islower() for a, b in itertools.pairwise(value))
    return vowels < 0.3 and switches >= len(value) // 3 and noise.entropy(value) >= 3.5


def _assignments(chunk: str) -> Iterator[re.Match[str]]:
    """Every `name op value`, overlapping: in `c = Client(api_key="...")` the first value hides the second,
    and in `$env:API_KEY = "..."` a type annotation hides the name."""
    yield from _PROSE.finditer(chunk)
    if "ENV" in chunk or "ARG" in chunk:  # `(?m)^` is tried at every offset: 6 ms a MB for nothing (issue 15)
        yield from _DOCKER_ENV.finditer(chunk)
    for start in _hinted_names(chunk):
        match = _ASSIGN.match(chunk, start)
        if match is not None:
            yield match


# Name characters: every `_ASSIGN` match starts a run of them, and its name is that whole run.
_NAME_CHARS = bytes(ord("a") if chr(i).isascii() and (chr(i).isalnum() or chr(i) in "_.-") else 32 for i in range(256))
_HINTS = tuple(
    hint.encode() for hint in secret_names.HINTS if not any(o in hint for o in secret_names.HINTS if o != hint)
)


def _hinted_names(chunk: str) -> Iterator[int]:
    """Where each run of name characters that holds a secret name's hint starts, in order (issue 15).

    `_ASSIGN` matched at every `name=value` of a chunk, and secret_name() then dropped every name without a hint:
    1 MB of base64 holds 15,000 `=` and cost 110 ms of searches. A match starts only where a run of name
    characters does, and names that whole run, so trying the runs that hold a hint finds every match kept.
    Each run is looked at once, however many hints it holds ("keykeykey...").
    """
    data = chunk.encode("ascii", "replace")  # one byte a character: offsets stay the chunk's
    lower, image = data.lower(), data.translate(_NAME_CHARS)
    found = {hint: lower.find(hint) for hint in _HINTS}
    while live := [at for at in found.values() if at != -1]:
        at = min(live)
        end = image.find(b" ", at)
        end = len(image) if end == -1 else end
        yield image.rfind(b" ", 0, at) + 1
        for hint, where in found.items():
            if where != -1 and where < end:
                found[hint] = lower.find(hint, end)
