"""Checksums and decodings that providers define for their credentials (issue 12).

A value that passes its provider's checksum is a real credential whatever its body looks like, so the
engine reports it even when a placeholder filter would have dropped it. A value that fails is still judged
like any other token: generated test tokens rarely carry a valid checksum, and they must be found too.
"""

from __future__ import annotations

import base64
import binascii
import zlib

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def base62(number: int, width: int) -> str:
    digits = []
    while number:
        number, rest = divmod(number, 62)
        digits.append(_BASE62[rest])
    return "".join(reversed(digits)).rjust(width, "0")


def crc32_base62(value: str, prefix: int) -> bool:
    """GitHub (ghp_, gho_, ghu_, ghs_, ghr_) and npm (npm_) tokens: 30 random characters, then the CRC32 of
    those characters in six base62 digits."""
    body = value[prefix:]
    if len(body) != 36:
        return False
    return base62(zlib.crc32(body[:30].encode()), 6) == body[30:]


_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _polymod(values: list[int]) -> int:
    generators = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    check = 1
    for value in values:
        top = check >> 25
        check = (check & 0x1FFFFFF) << 5 ^ value
        for bit, generator in enumerate(generators):
            check ^= generator if (top >> bit) & 1 else 0
    return check


def bech32(value: str) -> bool:
    """age secret keys (AGE-SECRET-KEY-1...): Bech32, whose last six characters check the rest."""
    lowered = value.lower()
    hrp, _, data = lowered.rpartition("1")
    if not hrp or any(c not in _BECH32 for c in data):
        return False
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    return _polymod(expanded + [_BECH32.index(c) for c in data]) == 1


def base64_json(part: str) -> object:
    """The JSON that a base64 or base64url text encodes, or None."""
    import json  # here, as in detectors: only a value that may encode JSON needs it (issue 15)

    padded = part + "=" * (-len(part) % 4)
    try:
        raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
        return json.loads(raw.decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


# Example credentials that providers print in their own documentation, by SHA-256 so that no file of ours holds
# them: Stripe's test keys in its API reference and the PAT in GitHub's docs (issue 12).
_DOCUMENTED = frozenset(
    {
        "2cafc0970149a84f3b9e62eaf169f36f59907a3b3e31f7b82e68c69cd27f7326",
        "f2d6ca16515033e5dce14eba840b979d27b5cbae24bb3e5bf484339667f86397",
        "3543c50b0cb9cea8e55eb1f529b79f043cb250d485fde7b66cabbb5183add7da",
    }
)
_DOCUMENTED_PREFIXES = ("sk_test_", "ghp_")


def documented(value: str) -> bool:
    """A provider's own documentation example: published, so not a leak."""
    if not value.startswith(_DOCUMENTED_PREFIXES):
        return False
    import hashlib  # only for the few values that could be one of them

    return hashlib.sha256(value.encode()).hexdigest() in _DOCUMENTED
