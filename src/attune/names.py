"""Names made from outside data (session ids, pattern ids, memory keys): scanned as names (issue 10).

A name is stored as it is and often becomes a file name, so it cannot be scrubbed: one holding
a secret or personal data is refused, or replaced by a hash of it. The scanner reads `-` and `:`
as part of a word, so `agent-ghp_...` or `card-4539...` hide what `agent ghp_...` shows: both
spellings are scanned.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from attune.scan import Finding

# What Claude Code sends as a session id (a UUID) fits this shape.
_SAFE = re.compile(r"[A-Za-z0-9_-]{1,128}")


def findings(name: str) -> list[Finding]:
    from attune import scan

    return scan.scan_text(name) or scan.scan_text(name.replace("-", " ").replace(":", " "))


@functools.lru_cache(maxsize=64)  # a hook asks for the same few names several times
def file_name(name: str) -> str:
    """`name` itself when it has a safe shape and holds nothing the scanner finds, else `h-` and a hash
    of it: never `../`, never a token (a payload's session id once carried both into a file name)."""
    if _SAFE.fullmatch(name) and not findings(name):
        return name
    import hashlib  # here: OpenSSL takes ~10 ms to load, and a UUID never needs it

    return "h-" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:32]
