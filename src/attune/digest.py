"""Short content fingerprints for change detection (cache keys, rule-file sources).

`hashlib` loads OpenSSL when imported (about 3 ms, more than a no-op sync's own work), so we
take BLAKE2 from CPython's built-in `_blake2` module, which is the same implementation
`hashlib.blake2b` uses, and fall back to hashlib elsewhere.
"""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - interpreters without the builtin module
    from hashlib import blake2b


def fingerprint(data: str | bytes, size: int = 12) -> str:
    return blake2b(data.encode() if isinstance(data, str) else data, digest_size=size).hexdigest()


def hasher(size: int = 12) -> blake2b:
    return blake2b(digest_size=size)
