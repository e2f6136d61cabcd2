"""One engine for every caller: prefilter, our detectors, detect-secrets' plugins, PII, allowlist pragmas."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from attune.scan import assign, decoded, detectors, noise, prefilter, provider_checks, providers, structured
from attune.scan.findings import Hit, LineIndex
from attune.scan.secrets import DS_TYPES, Detect

_PRAGMA = re.compile(r"pragma: ?allowlist[ -](?:secret|pii)")
_PRAGMA_NEXT = re.compile(r"pragma: ?allowlist[ -]nextline[ -](?:secret|pii)")
# Fixed parts of formats that only detect-secrets' plugins know (Square, Artifactory, Mailchimp; Cloudant,
# SoftLayer and IBM keys by name): their lines go to it even without a secret-sounding name.
_DS_LITERALS = ("sq0csp-", "sq0atp-", "AKC", "-us")
# ...and what must surround them (Artifactory `AKC` and ten more, Mailchimp 32 characters before `-us1`), matched
# from up to 32 characters before the literal, so that prose ("non-user") sends nothing.
_DS_SHAPE = re.compile(r"[\s\S]{0,32}?(?:sq0(?:csp|atp)-|AKC[A-Za-z0-9]{10}|[0-9a-z]{32}-us[0-9])")
_DS_WORDS = ("cloudant", "softlayer", "ibm")
_DS_MAX_LINE = 1000  # longer lines are minified code or data: our bounded detectors cover them, not its regexes
# At most this many distinct lines go to detect-secrets per text; past that, only formats we detect ourselves are
# found (its own types beyond ours: Square, Artifactory, Mailchimp, IBM, Cloudant, SoftLayer) (issue 10).
_DS_MAX_LINES = 1000
_DS_MAX_CHARS = 50_000  # and this many characters in all: its plugins read about 300 KB/s


def scan_hits(
    text: str,
    filename: str = "",
    *,
    secrets: bool = True,
    pii_: bool = True,
    detect: Detect | None = None,
    aliases: bool = False,
    prefiltered: bool = False,
) -> list[Hit]:
    """Hits sorted by position. Without `detect`, detect-secrets is loaded only if some line needs it.

    With `aliases`, lines we already flagged go to detect-secrets too, so that each hit records what its
    plugins call and hash that value: only a baseline needs that, and it costs time on large texts.
    `prefiltered`: the caller ran the prefilters and asks only for the kinds they let through.
    """
    hits: list[Hit] = []
    if secrets and (prefiltered or prefilter.has_secret_candidate(text)):
        hits += _secret_hits(text, filename, detect, aliases)
    if pii_ and (prefiltered or prefilter.has_pii_candidate(text)):
        from attune.scan import pii  # a scan for secrets alone (the sync's screen) loads none of it (issue 15)

        hits += pii.find_pii(text)
    hits = _first_wins(hits)
    if hits and "allowlist" in text:
        hits = _not_allowlisted(text, hits)
    return sorted(hits, key=lambda h: h.start)


def _secret_hits(text: str, filename: str, detect: Detect | None, aliases: bool) -> list[Hit]:
    lower = assign.lowered(text)
    own = _first_wins(
        [
            *detectors.find_private_keys(text),
            *detectors.find_tokens(text),
            *providers.find_providers(text, lower),  # after ours: a format both know keeps its older type (issue 12)
            *structured.find_structured(text, filename, _values),
            *assign.find_assignments(text, filename, lower),
            *decoded.find_decoded(text, filename),  # last: a plain hit on the same value wins (issue 12)
        ]
    )
    own = [hit for hit in own if hit.kind != structured.CLEARED and not provider_checks.documented(hit.value)]
    index = LineIndex(text)
    lines = _candidate_lines(text, index, own, lower, aliases)
    if not lines:
        return own
    if detect is None:
        from attune.scan import secrets as ds

        with ds.session() as fresh:
            raw = fresh(lines, filename)
    else:
        raw = detect(lines, filename)
    return _merge(own, raw, text, index)


def _values(value: str) -> list[Hit]:
    """What a decoded value is, for the structured-file readers (issue 12): formats only, no assignments."""
    return _first_wins(
        [*detectors.find_private_keys(value), *detectors.find_tokens(value), *providers.find_providers(value)]
    )


def _candidate_lines(
    text: str, index: LineIndex, own: Iterable[Hit], lower: str | None, aliases: bool
) -> list[tuple[int, str]]:
    """The lines detect-secrets sees: a bounded number of bounded lines, whatever the text (issue 10)."""
    flagged = {index.line(h.start) for h in own}
    # A secret-sounding name alone is not worth detect-secrets' import (~200 ms on a hook): its plugins
    # that key on names (IBM, Cloudant, SoftLayer) all want a long value, and a long value has digits.
    numbers: set[int] = set()
    seen: set[int] = set()
    for lo, hi in assign.keyword_chunks(text, lower):
        for run in _VALUE.finditer(text, lo, hi):
            number = index.line(run.start())
            if number in seen or (number in flagged and not aliases) or not _DIGIT.search(run.group()):
                continue  # a line we flagged goes to detect-secrets only for a baseline's sake
            seen.add(number)
            if assign.has_keyword(text, *index.span(number), lower):
                numbers.add(number)
    numbers.update(index.line(at) for at in _occurrences(text, _DS_LITERALS) if _DS_SHAPE.match(text, max(0, at - 32)))
    if lower is not None:
        numbers.update(index.line(at) for at in _occurrences(lower, _DS_WORDS))
    numbers = numbers | flagged if aliases else numbers - flagged
    chosen: dict[str, int] = {}  # one copy of each line: a file of repeated lines costs one
    budget = _DS_MAX_CHARS
    for number in sorted(numbers):
        start, end = index.span(number)
        if end - start <= min(_DS_MAX_LINE, budget) and text[start:end] not in chosen:
            chosen[text[start:end]] = number
            budget -= end - start
            if len(chosen) == _DS_MAX_LINES:
                break
    return [(number, line) for line, number in chosen.items()]


_VALUE = re.compile(r"[A-Za-z0-9_\-/+=]{20,}")
_DIGIT = re.compile(r"[0-9]")


def _occurrences(text: str, needles: Iterable[str]) -> Iterable[int]:
    for needle in needles:
        at = text.find(needle)
        while at != -1:
            yield at
            at = text.find(needle, at + 1)


def _merge(own: list[Hit], raw: Iterable[tuple[int, str, str]], text: str, index: LineIndex) -> list[Hit]:
    """Ours stay; detect-secrets adds formats we have no detector for, and names its types for the baseline."""
    by_line: dict[int, list[int]] = {}
    for position, hit in enumerate(own):
        by_line.setdefault(index.line(hit.start), []).append(position)
    merged = list(own)
    for line, ds_type, value in raw:
        same = [p for p in by_line.get(line, []) if value and (value in merged[p].value or merged[p].value in value)]
        for position in same:
            if (ds_type, value) not in merged[position].also:
                merged[position] = merged[position]._replace(also=(*merged[position].also, (ds_type, value)))
        ours = DS_TYPES.get(ds_type)
        if same or ours is None or ours in _OURS or not value or noise.is_token_body_fake(value):
            continue
        if providers.mostly_one_char(value):  # a template: sqp_0000... (issue 12)
            continue
        start, end = index.span(line)
        offset = text.find(value, start, end)
        if offset != -1:
            merged.append(Hit("secret", ours, offset, offset + len(value), value, ((ds_type, value),)))
    return merged


# Types we detect ourselves, more strictly (key bodies, example tokens, JWT samples): detect-secrets only confirms.
_OURS = frozenset(d.type for d in detectors.DETECTORS) | {"private-key", "gcp-service-account"}
_OURS |= frozenset(p.id for p in providers.PROVIDERS)


def _first_wins(hits: list[Hit]) -> list[Hit]:
    """Drop a hit that overlaps an earlier one: detectors run most specific first."""
    kept: list[Hit] = []
    spans: list[tuple[int, int]] = []  # kept spans, sorted and disjoint
    for hit in hits:
        at = bisect.bisect_left(spans, (hit.start, hit.end))
        if (at > 0 and spans[at - 1][1] > hit.start) or (at < len(spans) and spans[at][0] < hit.end):
            continue
        spans.insert(at, (hit.start, hit.end))
        kept.append(hit)
    return kept


def _not_allowlisted(text: str, hits: list[Hit]) -> list[Hit]:
    index = LineIndex(text)
    allowed: set[int] = set()
    for match in _PRAGMA.finditer(text):
        allowed.add(index.line(match.start()))
    for match in _PRAGMA_NEXT.finditer(text):
        allowed.add(index.line(match.start()) + 1)
    return [h for h in hits if index.line(h.start) not in allowed]
