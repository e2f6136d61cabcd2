"""Near-duplicate patterns: the same fix in different words, by the overlap of their normalised word sets.

Two patterns that give the same advice split the reader's attention and drift apart as one of
them is edited. Word sets are crude but predictable: the words that carry a fix are its
identifiers and nouns (`yaml.safe_load`, `timeout`, `pool`), which paraphrases keep, while the
verbs and glue around them (use, instead, never, always) change with the writer and are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from attune.patterns.model import Pattern

# Weighted Jaccard similarity of the fixes' words. tests/patterns/test_duplicates.py holds
# labelled fixes: paraphrases of one fix score 0.38 and above, different fixes for the same
# problem 0.20 and below; 0.3 sits in the middle of that gap.
THRESHOLD = 0.3
PER_PATTERN = 3
MIN_WORDS = 4  # a fix of fewer content words says too little to compare ("a fix", "see the docs")

_WORD = re.compile(r"[a-z0-9_]+")
_CODE = re.compile(r"`[^`]+`|\w+(?:\.\w+|\(|=\w+)+")  # backticks, dotted names, calls, keyword arguments
# A section label at the start of a line: `## Fix`, `**Fix:**`, `**Fix**:` or `Fix:` (up to three words).
_LABEL = re.compile(
    r"(?m)^[ \t]*(?:#{1,6}[ \t]+(?P<heading>[A-Za-z][\w ]{0,30}?)[ \t]*:?[ \t]*$"
    r"|\*\*(?P<bold>[A-Za-z][\w ]{0,30}?):?\*\*:?"
    r"|(?P<plain>[A-Za-z]\w*(?: \w+){0,2}):(?=\s))"
)
_FIX_LABELS = frozenset({"fix", "the fix", "solution", "how to fix", "what to do"})
_STOP = frozenset(
    """
    a about above after again against all also always an and any are as at be because been before being below between
    both but by call called calls can cannot could did do does doesn don dont each either else even every for from
    get give had has have here how if in instead into is it its just make may might more most must never no not now
    of off on once one only onto or other our out over own per rather replace replaced same set should so some
    such than that the their them then there these they this those through to too under until up use used uses using
    very via was we were what when where whether which while who why will with without would you your
""".split()
)


class Duplicate(NamedTuple):
    first: Pattern  # the changed or added pattern
    second: Pattern  # the one it repeats
    similarity: float  # Jaccard similarity of their fix words, 0 to 1


def fix_text(body: str) -> str:
    """The fix a pattern gives: its `**Fix:**` section when it has one, else the whole body."""
    labels = list(_LABEL.finditer(body))
    for index, label in enumerate(labels):
        name = label.group("heading") or label.group("bold") or label.group("plain")
        if name.strip().lower() in _FIX_LABELS:
            end = labels[index + 1].start() if index + 1 < len(labels) else len(body)
            return body[label.end() : end]
    return body


def words(text: str) -> dict[str, int]:
    """Content words with a weight: 2 for words written as code (`safe_load`, `yaml.load`, `open(`), else 1.

    Lowercased, without glue words, with a light plural and tense stemming. Code weighs more
    because it names what the fix does; the prose around it varies with the writer.
    """
    lowered = text.lower()
    code = {_stem(w) for span in _CODE.findall(lowered) for w in _WORD.findall(span)}
    found: dict[str, int] = {}
    for word in _WORD.findall(lowered):
        stem = _stem(word)
        if len(word) > 1 and (word not in _STOP or stem in code):  # `requests.get` keeps its `get`
            found[stem] = 2 if stem in code or "_" in word or any(c.isdigit() for c in word) else 1
    return found


def similarity(first: Mapping[str, int], second: Mapping[str, int]) -> float:
    """Weighted Jaccard: the weight of the shared words over the weight of all of them."""
    shared = sum(min(first[w], second[w]) for w in first.keys() & second.keys())
    every = sum(max(first.get(w, 0), second.get(w, 0)) for w in first.keys() | second.keys())
    return shared / every if every else 0.0


def find(changed: Iterable[Pattern], library: Sequence[Pattern], threshold: float = THRESHOLD) -> list[Duplicate]:
    """Pairs of a changed pattern and another library pattern whose fixes read alike, most alike first.

    At most PER_PATTERN pairs for each changed pattern: the closest ones are what a reviewer acts on.
    """
    sets = {id(p): words(fix_text(p.body)) for p in library}
    keys = {key: frozenset(value) for key, value in sets.items()}
    found: list[Duplicate] = []
    seen: set[frozenset[str]] = set()
    for pattern in changed:
        mine = sets.get(id(pattern)) or words(fix_text(pattern.body))
        if len(mine) < MIN_WORDS:
            continue
        mine_keys = frozenset(mine)
        close: list[Duplicate] = []
        for other in library:
            theirs = sets[id(other)]
            if other.id == pattern.id or len(theirs) < MIN_WORDS:
                continue
            # Weights are 1 or 2, so the weighted similarity is at most twice the plain one, which
            # C's set operations give cheaply: most pairs stop here.
            shared = len(mine_keys & keys[id(other)])
            if 2 * shared < threshold * (len(mine) + len(theirs) - shared):
                continue
            pair = frozenset((pattern.id, other.id))
            if pair in seen:
                continue
            score = similarity(mine, theirs)
            if score >= threshold:
                close.append(Duplicate(pattern, other, round(score, 2)))
        close = sorted(close, key=lambda d: (-d.similarity, d.second.id))[:PER_PATTERN]
        seen.update(frozenset((d.first.id, d.second.id)) for d in close)
        found.extend(close)
    return sorted(found, key=lambda d: (-d.similarity, d.first.id, d.second.id))


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word
