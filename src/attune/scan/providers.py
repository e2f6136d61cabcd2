"""Provider credential formats (issue 12): the registry, and the keyword pass that picks what runs where.

One Aho-Corasick pass over the lowered text finds every keyword of every format; each format's regex then
runs only on the lines that hold one of its keywords (or, when a keyword is everywhere, once over the text).
"""

from __future__ import annotations

import itertools
import re
import string
from collections.abc import Iterator
from typing import TYPE_CHECKING

from attune.scan import noise, providers_apps, providers_cloud, providers_web
from attune.scan.findings import Hit
from attune.scan.provider_spec import Provider, Run, compile_provider

if TYPE_CHECKING:
    import ahocorasick

PROVIDERS: tuple[Provider, ...] = (*providers_cloud.TABLE, *providers_apps.TABLE, *providers_web.TABLE)

_GLUE = frozenset(string.ascii_letters + string.digits + "_-")
# Past this many lines for one format, its regex runs once over the whole text: at C speed that is cheaper
# than a Python step per line.
_MAX_LINES = 32
# str.lower() can change a non-ASCII text's length (offsets would drift): lower ASCII letters only.
_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}
_automaton: ahocorasick.Automaton | None = None
_compiled: dict[int, tuple[re.Pattern[str], re.Pattern[str]]] = {}  # format index -> (pattern, lead)


def _patterns(index: int) -> tuple[re.Pattern[str], re.Pattern[str]]:
    found = _compiled.get(index)
    if found is None:
        found = _compiled[index] = compile_provider(PROVIDERS[index])
    return found


def _build() -> ahocorasick.Automaton:
    import ahocorasick  # a C extension, imported only when a text has a candidate (hooks stay light)

    by_keyword: dict[str, list[int]] = {}
    for index, provider in enumerate(PROVIDERS):
        for keyword in provider.keywords:
            by_keyword.setdefault(keyword, []).append(index)
    automaton = ahocorasick.Automaton()
    for keyword, indexes in by_keyword.items():
        automaton.add_word(keyword, tuple(indexes))
    automaton.make_automaton()
    return automaton


def _lines(text: str, lowered: str | None) -> dict[int, list[int] | None]:
    """Format index -> start offsets of the lines that hold its keywords (None: run over the whole text)."""
    global _automaton  # noqa: PLW0603 -- built once per process, on first use
    if _automaton is None:
        _automaton = _build()
    if lowered is None:
        lowered = text.lower() if text.isascii() else text.translate(_ASCII_LOWER)
    chosen: dict[int, list[int] | None] = {}
    line_start = -1
    line_end = -1
    last: tuple[int, ...] = ()
    for end, indexes in itertools.chain.from_iterable(_automaton.iter(lowered, lo, hi) for lo, hi in _read(lowered)):
        if end < line_end and indexes == last:
            # The same keyword again on the same line adds nothing. A run of one letter (`echo aaaa...`) matches
            # Twitter's 21 a's at every offset: 1 MB of it took 300 ms here (issue 15).
            continue
        last = indexes
        if end >= line_end:  # a new line: find its bounds once
            line_start = text.rfind("\n", 0, end) + 1
            found = text.find("\n", end)
            line_end = len(text) if found == -1 else found
        for index in indexes:
            starts = chosen.get(index, [])
            if starts is None or (starts and starts[-1] == line_start):
                continue
            if len(starts) >= _MAX_LINES:
                chosen[index] = None
                continue
            starts.append(line_start)
            chosen[index] = starts
    return chosen


# The characters some keyword is a run of (Twitter's 21 a's), and the longest keyword (issue 15).
_RUN_CHARS = tuple(sorted({k[0] for p in PROVIDERS for k in p.keywords if len(set(k)) == 1 and k[0] != "\n"}))
_LONGEST = max(len(k) for p in PROVIDERS for k in p.keywords)


def _read(lowered: str) -> Iterator[tuple[int, int]]:
    """The spans the keyword pass reads: all of the text but the inside of long runs of a `_RUN_CHARS` character.

    Twitter's keyword matches at every offset of `echo aaaa...`: 1 MB of it was a million automaton matches,
    each a Python step, 140 ms (issue 15). Inside a run twice as long as the longest keyword, only a keyword made
    of that character matches, and it matches at the run's start too, on the same line: the pass reads a run's
    first and last `_LONGEST` characters, which every other match that touches the run lies within.
    """
    runs: list[tuple[int, int]] = []
    for char in _RUN_CHARS:
        needle = char * (2 * _LONGEST)
        at = lowered.find(needle)
        while at != -1:
            run = re.compile(re.escape(char) + "+").match(lowered, at)
            end = len(lowered) if run is None else run.end()
            runs.append((at, end))
            at = lowered.find(needle, end)
    start = 0
    for run_start, run_end in sorted(runs):
        yield start, run_start + _LONGEST
        start = run_end - _LONGEST
    yield start, len(lowered)


def _plain(body: str) -> bool:
    """A word or an identifier in one case, not a random body: API-DOCUMENTATIONSECTION, secret_for_the_app."""
    letters = body.replace("_", "").replace("-", "").replace(".", "")
    return letters.isalpha() and (letters.islower() or letters.isupper())


def find_providers(text: str, lowered: str | None = None) -> Iterator[Hit]:
    """`lowered`: the text with ASCII letters lowered and its offsets kept, when the caller has it."""
    if lowered is None:
        lowered = text.lower() if text.isascii() else text.translate(_ASCII_LOWER)
    for index, starts in _lines(text, lowered).items():
        provider = PROVIDERS[index]
        pattern, lead = _patterns(index)
        anchor = _anchor(provider)
        spans = [(0, len(text))] if starts is None else [(s, _line_end(text, s)) for s in starts]
        for start, end in spans:
            if anchor is not None:
                found = _anchored(pattern, text, start, end, anchor)
            elif provider.context and end - start > _LONG_SPAN and _lowercase_keywords(provider):
                found = _at_keywords(pattern, text, lowered, start, end, keywords=provider.keywords)
            else:
                found = pattern.finditer(text, start, end)
            for match in found:
                hit = _judge(provider, lead, text, match)
                if hit is not None:
                    yield hit


def _anchor(provider: Provider) -> tuple[int, str] | None:
    """(n, text) for a format that is n characters of one alphabet and then a fixed text, its keyword (Azure's
    keys: 76 of base64, then `ACDb`). Its regex, tried at every offset of a line, reads n characters at each:
    1 MB of base64 took 1 s (issue 15). Its matches can only start n characters before that fixed text."""
    first, second = (*provider.parts, "")[:2]
    if provider.context or not isinstance(first, Run) or first.low != first.high or not isinstance(second, str):
        return None
    return (first.low, second) if second and provider.keywords == (second.lower(),) else None


def _anchored(
    pattern: re.Pattern[str], text: str, start: int, end: int, anchor: tuple[int, str]
) -> Iterator[re.Match[str]]:
    """What `pattern.finditer(text, start, end)` finds, trying only the offsets `anchor` allows."""
    size, fixed = anchor
    free = start  # where the next match may begin: finditer's matches never overlap
    at = text.find(fixed, start + size, end)
    while at != -1:
        if at - size >= free:
            match = pattern.match(text, at - size, end)
            if match is not None:
                yield match
                free = match.end()
        at = text.find(fixed, at + 1, end)


_LONG_SPAN = 4096


def _lowercase_keywords(provider: Provider) -> bool:
    """Keywords that `lowered` holds wherever the format's case-insensitive ASCII regex finds them."""
    return all(k.isascii() and k == k.lower() for k in provider.keywords)


def _at_keywords(
    pattern: re.Pattern[str], text: str, lowered: str, start: int, end: int, *, keywords: tuple[str, ...]
) -> Iterator[re.Match[str]]:
    """What `pattern.finditer(text, start, end)` finds for a format named by its keywords, trying only the offsets
    where one stands: its regex starts with them (`(?i:okta|ssws)...`). Over a 1 MB line of base64, which holds
    such short keywords, each such regex cost 5 ms a keyword, at every offset (issue 15)."""
    free = start  # where the next match may begin: finditer's matches never overlap
    found = {keyword: lowered.find(keyword, start, end) for keyword in keywords}
    while live := [at for at in found.values() if at != -1]:
        at = min(live)
        if at >= free:
            match = pattern.match(text, at, end)
            if match is not None:
                yield match
                free = match.end()
        for keyword, where in found.items():
            if where == at:
                found[keyword] = lowered.find(keyword, at + 1, end)


def _line_end(text: str, start: int) -> int:
    found = text.find("\n", start)
    return len(text) if found == -1 else found


# Between a provider's name and the value: words that say the value names something rather than unlocks it
# (HEROKU_APP_ID = <uuid>, datadog_org_name).
_NOT_SECRET_NAME = re.compile(
    r"(?i)(?<![a-z])(?:id|ids|uuid|guid|name|url|uri|host|user|username|email|region|org|project|account|version"
    r"|hash|sha|md5|checksum|digest|public|publishable|pub)(?![a-z])"
)


_DIGIT = re.compile(r"[0-9]")


def _has_digits(provider: Provider) -> bool:
    return any(isinstance(p, Run) and "0-9" in p.alphabet for p in provider.parts)


def mostly_one_char(value: str) -> bool:
    """A template such as 000...000AzSeA00000 or sqp_0000...: one character fills most of it."""
    return len(value) >= 8 and max(map(value.count, set(value))) > 0.6 * len(value)


def _random_parts(provider: Provider, body: str) -> str:
    for part in provider.parts:
        if isinstance(part, str) and part:
            body = body.replace(part, "")
    return body


def _judge(provider: Provider, lead: re.Pattern[str], text: str, match: re.Match[str]) -> Hit | None:
    group = "v" if provider.context else 0
    value = match.group(group)
    at = match.start(group)
    if provider.context:
        if _NOT_SECRET_NAME.search(text, match.start(), at):
            return None
        if not _DIGIT.search(value) and _has_digits(provider):
            return None  # after a mere name, words without a digit (EnableEventRules) are not a random value
    elif at > 0 and text[at - 1] in _GLUE:
        return None  # the tail of a longer identifier or token
    fixed = lead.match(value)
    body = value[fixed.end() :] if fixed else value
    if provider.check is not None and provider.check(value):
        return Hit("secret", provider.id, at, at + len(value), value)  # its checksum says it is real
    if noise.is_token_body_fake(body) or _plain(body) or mostly_one_char(_random_parts(provider, body)):
        return None
    return Hit("secret", provider.id, at, at + len(value), value)
