"""Classify what is about to be remembered: PUBLIC, INTERNAL or SENSITIVE.

SENSITIVE knowledge stays out of the synced rules and out of git (`.empathy/private/`).
Deliberately conservative: ordinary security advice ("parameterise SQL queries") is PUBLIC, so
that it still reaches the rules; only personal data, details of a vulnerability that is not
fixed yet, or an explicit marker make something SENSITIVE. Internal host names and addresses
make it INTERNAL, which is kept but noted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from attune.scan import Finding

LEVELS = ("PUBLIC", "INTERNAL", "SENSITIVE")
_SENSITIVE = (
    (r"\b(confidential|do not share|need[- ]to[- ]know|under embargo|embargoed)\b", "marked confidential"),
    (r"\b(unpatched|not yet (fixed|patched)|zero[- ]day|0[- ]day)\b", "describes an unfixed vulnerability"),
    (
        r"\b(incident|breach)\b.{0,60}\b(customer|user)s?\b.{0,40}\b(data|records|accounts)\b",
        "describes an incident affecting user data",
    ),
)
_INTERNAL = (
    (r"\b[\w-]+(\.[\w-]+)*\.(internal|corp|intranet|lan|local)\b", "names an internal host"),
    (r"\b(10\.\d{1,3}|192\.168|172\.(1[6-9]|2\d|3[01]))\.\d{1,3}\.\d{1,3}\b", "names a private address"),
    (r"\binternal[- ]only\b", "marked internal"),
)


class Classification(NamedTuple):
    level: str
    reasons: tuple[str, ...]


def classify(text: str, findings: Sequence[Finding] = (), declared: str | None = None) -> Classification:
    """The level of `text`; `findings` are the scanner's, before scrubbing. A declared level is a floor."""
    reasons = [f"holds personal data ({f.type})" for f in findings if f.kind == "pii"]
    reasons += [why for expression, why in _SENSITIVE if re.search(expression, text, re.IGNORECASE)]
    if reasons:
        return Classification(_highest("SENSITIVE", declared), tuple(dict.fromkeys(reasons)))
    reasons = [why for expression, why in _INTERNAL if re.search(expression, text, re.IGNORECASE)]
    if reasons:
        return Classification(_highest("INTERNAL", declared), tuple(reasons))
    return Classification(_highest("PUBLIC", declared), ("declared",) if declared and declared != "PUBLIC" else ())


def _highest(level: str, declared: str | None) -> str:
    if declared in LEVELS and LEVELS.index(declared) > LEVELS.index(level):
        return str(declared)
    return level
