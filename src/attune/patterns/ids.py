"""Pattern ids: the grammar, and an id made from a title (issue 15: one module both commands use)."""

from __future__ import annotations

import re
from collections.abc import Container

ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,127}")  # an id names a file: `<id>.md`


MAX_WORDS_LENGTH = 60


def slugify(title: str) -> str:
    """An id from a title, which becomes a file name: from the scrubbed title, so that personal data in
    a title never names a file (issue 10); accents dropped, cut at a word's end, and a title without
    letters says so instead of becoming `pattern` (issue 15)."""
    import unicodedata

    from attune import scan

    plain = unicodedata.normalize("NFKD", scan.scrub(title).text).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    if len(slug) > MAX_WORDS_LENGTH:
        cut = slug.rfind("-", 0, MAX_WORDS_LENGTH + 1)
        slug = slug[: cut if cut > 0 else MAX_WORDS_LENGTH]
    if slug:
        return slug
    return "title-without-letters" if not any(c.isalnum() for c in title) else "title-without-latin-letters"


def unused(base: str, taken: Container[str]) -> str:
    """`base`, else `base-2`, `base-3`, ...: the first that is not taken."""
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate
