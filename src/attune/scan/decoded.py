"""Base64 and URL-encoded values, decoded once and scanned again; a finding points at the encoded value (issue 12)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterator
from urllib.parse import unquote

from attune.scan import assign, detectors, noise, providers
from attune.scan.findings import Hit

_ascii = noise.ascii_regex  # ASCII \w, \d and \b (issue 10)

_MIN = 16  # base64 of 12 bytes: shorter values hold no credential worth a second look
_MAX = 8192
_B64_CHARS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_"
_TABLE = bytes(ord("a") if byte in _B64_CHARS else ord(" ") for byte in range(256))
_RUN = b"a" * _MIN
_PERCENT = _ascii(r"[^\s\"'<>`]{0,400}%[0-9A-Fa-f]{2}[^\s\"'<>`]{0,400}")
_USER_PASS = _ascii(r"[\w.@+-]{1,64}:(?P<p>[^\s/]\S{7,127})")


def find_decoded(text: str, filename: str) -> Iterator[Hit]:
    """Secrets inside encoded values: each hit spans the encoded value, typed by what was found inside.

    `filename` is the encoded text's; the decoded text has no file type of its own, so it is not used inside."""
    del filename
    yield from _base64_hits(text)
    if "%" in text:
        yield from _percent_hits(text)


def _base64_hits(text: str) -> Iterator[Hit]:
    # One C-speed pass marks base64 characters; Python looks only at runs of 16 or more (issue 10: speed).
    marks = text.encode("ascii", "replace").translate(_TABLE)
    at = marks.find(_RUN)
    while at != -1:
        end = marks.find(b" ", at)
        end = len(marks) if end == -1 else end
        while end < len(text) and end - at < _MAX + 2 and text[end] == "=":
            end += 1
        if end - at <= _MAX:
            hit = _inside(text[at:end], at, _b64text)
            if hit is not None:
                yield hit
        at = marks.find(_RUN, end)


def _percent_hits(text: str) -> Iterator[Hit]:
    for match in _PERCENT.finditer(text):
        hit = _inside(match.group(), match.start(), _unquoted)
        if hit is not None:
            yield hit


def _inside(value: str, start: int, decode: Callable[[str], str | None]) -> Hit | None:
    decoded = decode(value)
    if decoded is None or decoded == value:
        return None
    for inner in _scan(decoded, pairs=decode is _b64text):
        return Hit("secret", inner.type, start, start + len(value), value)
    return None


def _scan(decoded: str, *, pairs: bool) -> Iterator[Hit]:
    yield from detectors.find_private_keys(decoded)
    yield from detectors.find_tokens(decoded)
    yield from providers.find_providers(decoded, decoded.lower())  # every provider format, inside too (issue 12)
    yield from assign.find_assignments(decoded, "", assign.lowered(decoded))  # decoded text has no file type
    # `user:password` alone, as Basic credentials and docker auths encode it; a URL is not one
    pair = _USER_PASS.fullmatch(decoded.strip()) if pairs else None
    if pair and noise.looks_random(pair.group("p"), password=True):
        yield Hit("secret", "password", 0, len(decoded), decoded)


def _b64text(value: str) -> str | None:
    """The text a base64 (or base64url) value encodes, or None for binary data and plain words."""
    body = value.rstrip("=")
    if len(body) % 4 == 1 or body.isalpha() or body.islower() or body.isupper():
        return None  # not base64's length, or an identifier rather than encoded text
    try:
        raw = base64.b64decode(body.replace("-", "+").replace("_", "/") + "=" * (-len(body) % 4), validate=True)
        decoded = raw.decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    # After the decoding, which rejects random bytes at C speed: 1 MB of base64 noise is 12,000 runs (issue 15).
    if noise.is_hash_or_id(value):
        return None  # a hex hash, a bcrypt string, a UUID or an inline image, not encoded text
    printable = decoded.replace("\n", "").replace("\r", "").replace("\t", "")
    return decoded if printable.isprintable() and len(printable) >= 8 else None


def _unquoted(value: str) -> str | None:
    decoded = unquote(value)
    return decoded if decoded != value else None
