"""session-summary: a session record to decisions, open questions and next steps, written back into it."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple, cast

from attune import paths, sessions
from attune.errors import UserError
from attune.llm.wizards.base import Argument, Inputs, Source, clip, string_list, strings, texts, wizard

SESSIONS_DIR = f"{paths.EMPATHY_DIR}/sessions"
KEYS = ("decisions", "open_questions", "next_steps", "topics")
_DECISION = re.compile(
    r"\b(decided|decision|we will|we'll|going with|chose|chosen|settled on|agreed|switch(ed)? to|opted|instead of)\b",
    re.I,
)
_QUESTION = re.compile(
    r"\?\s*$|\b(unclear|not sure|unknown|open question|to be decided|tbd|need to decide|whether)\b", re.I
)
_NEXT = re.compile(
    r"^(next|then|todo|to do|follow[- ]up)\b|\b(next step|need to|needs to|still to|remaining|left to do)\b", re.I
)
# Words of four letters or more (shorter ones never count as topics) that say nothing about a session.
_STOP = frozenset({
    "this", "that", "with", "were", "been", "they", "from", "than", "into", "will", "would", "should", "could",
    "have", "does", "then", "there", "their", "what", "when", "which", "also", "just", "some", "more", "here",
})  # fmt: skip

SCHEMA = {
    "type": "object",
    "properties": {
        "decisions": string_list("choices made in the session, each one sentence"),
        "open_questions": string_list("questions left unanswered"),
        "next_steps": string_list("what should happen next, most important first"),
        "topics": string_list("a few words each: the subjects of the session"),
    },
    "required": list(KEYS),
    "additionalProperties": False,
}


class SessionSummary(NamedTuple):
    decisions: tuple[str, ...]
    open_questions: tuple[str, ...]
    next_steps: tuple[str, ...]
    topics: tuple[str, ...]


def parse(output: Mapping[str, object]) -> SessionSummary:
    return SessionSummary(*(texts(output[key]) for key in KEYS))


class Session(NamedTuple):
    path: Path
    record: sessions.Record
    texts: list[str]  # the compact summaries, then the last assistant message


def read_session(root: Path, path: Path) -> Session:
    """The record at `path` through `attune.sessions`, the hooks' own reader; a bad one names its file."""
    rel = paths.relative(path, root)
    record = sessions.load(path)
    if record is None:
        if not path.is_file():
            raise UserError(f"{rel}: no such session record")
        try:
            json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise UserError(f"{rel}:{exc.lineno}: not valid JSON ({exc.msg}); fix or delete the record") from None
        raise UserError(f"{rel}:1: not a session record (it needs a session_id and list fields); fix or delete it")
    texts = [t for t in (*record.compact_summaries, record.last_assistant_message) if t.strip()]
    return Session(path, record, texts)


def _gather(root: Path, record: str | None) -> Inputs:
    if record:
        path = Path(record).resolve()
    else:
        newest = sessions.latest(root)
        if newest is None:
            raise UserError(f"no session records in {SESSIONS_DIR}/; the hooks write them (empathy hooks install)")
        path = sessions.record_path(root, newest.session_id)
    session = read_session(root, path)
    context = {
        "session_id": session.record.session_id,
        "summaries": [clip(t, 20_000) for t in session.texts],
        "files": list(session.record.files_touched[:60]),
        "timeline": [f"{e.event}: {e.detail}"[:200] for e in session.record.timeline[-40:]],
    }
    return Inputs(context, session, f"session {path.stem}")


def check(summary: SessionSummary, _inputs: Inputs) -> list[str]:
    return [
        f"$.{key}: an item is longer than 400 characters"
        for key, items in zip(KEYS, summary, strict=True)
        if any(len(i) > 400 for i in items)
    ]


def offline(inputs: Inputs) -> SessionSummary:
    """An extractive summary: sentences sorted by the cues they carry, topics from files and frequent words."""
    session = cast("Session", inputs.data)
    found: dict[str, list[str]] = {key: [] for key in KEYS}
    heading = ""
    for text in session.texts:
        for raw in re.split(r"(?<=[.!?])\s+|\n+", text):
            sentence = raw.strip(" -*•\t")
            if sentence.endswith(":") or (raw.lstrip().startswith("#")):
                heading = sentence.lower()
                continue
            if len(sentence.split()) < 3:  # "Unclear." or "Done." says nothing on its own
                continue
            if "next" in heading or _NEXT.search(sentence):
                found["next_steps"].append(sentence)
            elif _QUESTION.search(sentence) or "question" in heading:
                found["open_questions"].append(sentence)
            elif _DECISION.search(sentence) or "decision" in heading:
                found["decisions"].append(sentence)
    found["topics"] = _topics(session)
    return SessionSummary(*(tuple(strings(found[key])) for key in KEYS))


def apply(root: Path, summary: SessionSummary, source: Source, inputs: Inputs) -> list[str]:
    """Write `summary` into the record as it is now: the hooks may have updated it meanwhile."""
    session = cast("Session", inputs.data)
    current = read_session(root, session.path).record
    decisions, questions, steps, topics = (tuple(strings(items)) for items in summary)
    written = sessions.Summary(decisions, questions, steps, topics, source.offline, source.model)
    sessions.save(root, current._replace(summary=written))
    return [f"summary written to {paths.relative(session.path, root)}"]


def show(summary: SessionSummary) -> str:
    lines: list[str] = []
    for key, items in zip(KEYS, summary, strict=True):
        lines.append(key.replace("_", " ") + ":")
        lines.extend([f"  - {item}" for item in items] or ["  (none found)"])
    return "\n".join(lines)


def _topics(session: Session) -> list[str]:
    names = Counter(Path(f).stem for f in session.record.files_touched if Path(f).stem)
    words = Counter(
        w for t in session.texts for w in re.findall(r"[A-Za-z][A-Za-z_-]{3,}", t.lower()) if w not in _STOP
    )
    frequent = [w for w, n in words.most_common(20) if n >= 2]
    return [name for name, _ in names.most_common(4)] + frequent[:4]


WIZARD = wizard(
    SessionSummary,
    name="session-summary",
    summary="summarize a Claude Code session record into decisions, open questions and next steps",
    task="summarize",
    start_low=False,  # already the cheap tier
    schema=SCHEMA,
    prompt_version="1",
    argument=Argument("record", "RECORD", f"a session record (default: the newest in {SESSIONS_DIR}/)"),
    gather=_gather,
    parse=parse,
    check=check,
    offline=offline,
    show=show,
    apply=apply,
)
