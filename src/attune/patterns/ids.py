"""Pattern ids: the grammar, and an id made from a title (issue 15: one module both commands use)."""

from __future__ import annotations

import re
from collections.abc import Container

ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,127}")  # an id names a file: `<id>.md`


def slugify(title: str) -> str:
    """An id from a title, which becomes a file name: from the scrubbed title, so that personal data in
    a title never names a file (issue 10)."""
    from attune import scan

    slug = re.sub(r"[^a-z0-9]+", "-", scan.scrub(title).text.lower()).strip("-")[:60].strip("-")
    return slug or "pattern"


def unused(base: str, taken: Container[str]) -> str:
    """`base`, else `base-2`, `base-3`, ...: the first that is not taken."""
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate
