"""Near-duplicate patterns: the same fix in different words, by the overlap of their normalised word sets.

Two patterns that give the same advice split the reader's attention and drift apart as one of
them is edited. Word sets are crude but predictable: the words that carry a fix are its
identifiers and nouns (`yaml.safe_load`, `timeout`, `pool`), which paraphrases keep, while the
verbs and glue around them (use, instead, never, always) change with the writer and are dropped.
"""

from __future__ import annotations

import functools
import heapq
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
# Backticks, dotted names, calls, keyword arguments. A name starts where a word does: without the
# lookbehind every later letter of every plain word was tried too, half of the review's duplicate search.
_CODE = re.compile(r"`[^`]+`|(?<!\w)\w+(?:\.\w+|\(|=\w+)+")
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
        stem, glue, heavy = _word(word)
        if len(word) > 1 and (not glue or stem in code):  # `requests.get` keeps its `get`
            found[stem] = 2 if heavy or stem in code else 1
    return found


@functools.lru_cache(maxsize=1 << 16)  # a library's vocabulary is small next to its word count
def _word(word: str) -> tuple[str, bool, bool]:
    """A word's stem, whether it is a glue word, and whether it weighs 2 by itself (`_`, digits)."""
    return _stem(word), word in _STOP, "_" in word or any(c.isdigit() for c in word)


def similarity(first: Mapping[str, int], second: Mapping[str, int]) -> float:
    """Weighted Jaccard: the weight of the shared words over the weight of all of them."""
    shared = sum(min(first[w], second[w]) for w in first.keys() & second.keys())
    every = sum(max(first.get(w, 0), second.get(w, 0)) for w in first.keys() | second.keys())
    return shared / every if every else 0.0


class _Profile(NamedTuple):
    """A fix's words as sets, so that C computes the weighted Jaccard of two fixes."""

    keys: frozenset[str]
    heavy: frozenset[str]  # the words of weight 2 (every other word weighs 1)
    weight: int  # the sum of the weights


def _profile(weights: Mapping[str, int]) -> _Profile:
    heavy = frozenset(word for word, weight in weights.items() if weight == 2)
    return _Profile(frozenset(weights), heavy, len(weights) + len(heavy))


def find(changed: Iterable[Pattern], library: Sequence[Pattern], threshold: float = THRESHOLD) -> list[Duplicate]:
    """Pairs of a changed pattern and another library pattern whose fixes read alike, most alike first.

    At most PER_PATTERN pairs for each changed pattern: the closest ones are what a reviewer acts on.
    """
    changed = list(changed)
    if not changed:  # a change that edits no pattern (the config, a template) reads no fix (issue 15)
        return []
    profiles = {id(p): _profile(words(fix_text(p.body))) for p in library}
    # Only fixes long enough to compare, once, not for every changed pattern (issue 15).
    others = [(p, profiles[id(p)]) for p in library if len(profiles[id(p)].keys) >= MIN_WORDS]
    found: list[Duplicate] = []
    partners: dict[str, set[str]] = {}  # the pairs already reported, both ways round
    for pattern in changed:
        mine = profiles.get(id(pattern)) or _profile(words(fix_text(pattern.body)))
        if len(mine.keys) < MIN_WORDS:
            continue
        reported = partners.get(pattern.id, set())
        close: list[tuple[float, str, Pattern]] = []
        for other, theirs in others:
            if other.id == pattern.id:
                continue
            # Weights are 1 or 2, so the weighted similarity is at most twice the plain one: most
            # pairs stop at this one intersection.
            shared = len(mine.keys & theirs.keys)
            if 2 * shared < threshold * (len(mine.keys) + len(theirs.keys) - shared):
                continue
            if other.id in reported:
                continue
            # similarity(), in set operations: a shared word adds min(w1, w2), which is 2 only
            # when both weigh 2; the union weighs both totals less what they share.
            common = shared + len(mine.heavy & theirs.heavy)
            score = common / (mine.weight + theirs.weight - common)
            if score >= threshold:
                close.append((-round(score, 2), other.id, other))
        # The closest few, as sorted() would order them; a record only for those (issue 15: a library
        # of near-identical fixes has thousands of candidates a pattern).
        best = heapq.nsmallest(PER_PATTERN, close, key=lambda c: (c[0], c[1]))
        for minus, other_id, other in best:
            partners.setdefault(pattern.id, set()).add(other_id)
            partners.setdefault(other_id, set()).add(pattern.id)
            found.append(Duplicate(pattern, other, -minus))
    return sorted(found, key=lambda d: (-d.similarity, d.first.id, d.second.id))


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word
