"""Recall what this project knows about a subject: past sessions and library patterns, ranked.

One in-memory index over both: the session records' summaries (decisions, open questions,
next steps, topics, files, last answer) and the patterns (title, tags, body, globs). Relevance
is BM25; recency weighs it, with a half-life of two weeks, so that a fresh session outranks an
old one that says the same. Patterns are durable knowledge: their age weighs far less.
`empathy memory recall` searches it; the SessionStart digest reads the same session records
(`sessions.every`), newest first.
"""

from __future__ import annotations

import functools
import heapq
import math
import re
import time
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from attune.patterns.model import Pattern

if TYPE_CHECKING:
    from attune import sessions

HALF_LIFE_DAYS = 14.0
K1, B = 1.2, 0.75  # BM25's, shared with the index on disk (attune.memory.index)
_K1, _B = K1, B
_WORD = re.compile(r"[a-z0-9][a-z0-9_]+")
_STOP = frozenset(
    "the and for with that this from was were are but not you your have has had into when then than its "
    "our out use used any all can will would should could there their them what which who how why".split()
)


class Document(NamedTuple):
    kind: str  # "session" or "pattern"
    key: str  # session id, or pattern id
    title: str
    date: str  # ISO date of its last update
    where: str  # the file it lives in
    text: str  # everything searchable, for snippets


class Hit(NamedTuple):
    score: float
    document: Document
    snippet: str


def words(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP]


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """A light suffix strip, so that `hashing`, `hashes` and `hash` meet: recall, not linguistics."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


class Index:
    """An inverted index with BM25 weights; built once, searched many times."""

    def __init__(self, documents: Sequence[Document]) -> None:
        self.documents = list(documents)
        counted: list[dict[str, int]] = []
        lengths: list[int] = []
        for document in self.documents:
            counts: dict[str, int] = {}
            # A pattern's title counts twice; a session's "title" is an excerpt of its own text.
            title = document.title + " " + document.title + " " if document.kind == "pattern" else ""
            tokens = words(title + document.text)
            for token in tokens:
                counts[token] = counts.get(token, 0) + 1
            counted.append(counts)
            lengths.append(len(tokens))
        average = (sum(lengths) / len(lengths)) if lengths else 1.0
        # Each posting carries its BM25 term weight, computed once: a query only adds idf * weight.
        self.postings: dict[str, list[tuple[int, float]]] = {}
        for number, counts in enumerate(counted):
            norm = _K1 * (1 - _B + _B * lengths[number] / (average or 1.0))
            for token, count in counts.items():
                self.postings.setdefault(token, []).append((number, count * (_K1 + 1) / (count + norm)))
        self.stamps = [timestamp(document.date) for document in self.documents]

    def search(self, query: str, *, limit: int = 10, days: float | None = None, now: float | None = None) -> list[Hit]:
        terms = list(dict.fromkeys(words(query)))
        if not terms or not self.documents:
            return []
        now = time.time() if now is None else now
        total = len(self.documents)
        scores: dict[int, float] = {}
        get = scores.get
        for term in terms:
            postings = self.postings.get(term, ())
            if not postings:
                continue
            idf = math.log(1 + (total - len(postings) + 0.5) / (len(postings) + 0.5))
            for number, weight in postings:
                scores[number] = get(number, 0.0) + idf * weight
        oldest = now - days * 86400 if days is not None else None
        ranked = []
        for number, relevance in scores.items():
            stamp = self.stamps[number]
            if oldest is not None and (stamp is None or stamp < oldest):
                continue
            age_days = max(0.0, (now - stamp) / 86400) if stamp is not None else 365.0
            recency = 0.5 ** (age_days / HALF_LIFE_DAYS)
            floor = 0.9 if self.documents[number].kind == "pattern" else 0.6
            ranked.append((relevance * (floor + (1 - floor) * recency), -number))
        best = heapq.nlargest(limit, ranked)  # on a tie, the earlier document first
        return [Hit(round(score, 3), self.documents[-n], snippet(self.documents[-n].text, terms)) for score, n in best]


def session_document(record: sessions.Record, where: str) -> Document:
    parts = []
    title = record.last_assistant_message.split("\n", 1)[0][:100]
    summary = record.summary
    if summary is not None:
        parts += [*summary.decisions, *summary.open_questions, *summary.next_steps, " ".join(summary.topics)]
        title = (summary.decisions or summary.topics or (title,))[0][:100]
    parts += [record.last_assistant_message, *record.compact_summaries, " ".join(record.files_touched)]
    parts += [event.detail for event in record.timeline]
    return Document(
        "session",
        record.session_id,
        title or "(untitled session)",
        record.updated,
        where,
        "\n".join(p for p in parts if p),
    )


def pattern_document(pattern: Pattern) -> Document:
    text = "\n".join((pattern.category, " ".join(pattern.tags), " ".join(pattern.paths), pattern.body))
    return Document("pattern", pattern.id, pattern.title, pattern.updated or pattern.created or "", pattern.file, text)


def build(records: Iterable[tuple[sessions.Record, str]], patterns: Iterable[Pattern]) -> Index:
    documents = [session_document(record, where) for record, where in records]
    documents += [pattern_document(p) for p in patterns if p.status != "deprecated"]
    return Index(documents)


def timestamp(date: str) -> float | None:
    if not date:
        return None
    import calendar

    try:
        parsed = time.strptime(date[:19], "%Y-%m-%dT%H:%M:%S") if "T" in date else time.strptime(date[:10], "%Y-%m-%d")
    except ValueError:
        return None
    return float(calendar.timegm(parsed))


def snippet(text: str, terms: Sequence[str], width: int = 160) -> str:
    lowered = text.lower()
    positions = [lowered.find(term) for term in terms if term in lowered]
    start = max(0, min(positions) - 40) if positions else 0
    piece = " ".join(text[start : start + width].split())
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")
