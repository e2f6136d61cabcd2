"""File-first session records under `.empathy/sessions/`, written by the hooks.

Tool calls append one JSON line each to `<session>.events.jsonl` (appends of a line are atomic,
and Claude Code runs hooks in parallel); Stop, compaction and SessionEnd fold those events into
`<session>.json`, written atomically. Every text is scrubbed before it reaches the disk.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from attune import appendlog, atomic, names, paths, safefile

VERSION = 1
TIMELINE_LIMIT = 200
TEXT_LIMIT = 4000
RECORD_LIMIT = 16 << 20  # bytes: a record keeps at most TIMELINE_LIMIT events and texts of TEXT_LIMIT
EVENTS_LIMIT = 16 << 20  # bytes of new events folded at once; the rest waits for the next fold


class Event(NamedTuple):
    time: str
    event: str
    detail: str


class Summary(NamedTuple):
    decisions: tuple[str, ...]
    open_questions: tuple[str, ...]
    next_steps: tuple[str, ...]
    topics: tuple[str, ...]
    offline: bool
    model: str | None


class Record(NamedTuple):
    session_id: str
    started: str
    updated: str
    cwd: str
    last_assistant_message: str
    compact_summaries: tuple[str, ...]
    files_touched: tuple[str, ...]
    timeline: tuple[Event, ...]
    summary: Summary | None
    folded: int  # bytes of the events file already folded in


def folder(root: Path) -> Path:
    return root / paths.SESSIONS_DIR


def safe_id(session_id: str) -> str:
    """The session id as it may be stored and used as a file name (issue 10)."""
    return names.file_name(session_id)


def record_path(root: Path, session_id: str) -> Path:
    return folder(root) / f"{safe_id(session_id)}.json"


def events_path(root: Path, session_id: str) -> Path:
    return folder(root) / f"{safe_id(session_id)}.events.jsonl"


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def scrubbed(text: str, *, pii: bool = True) -> str:
    """The text as it may be stored: secrets and personal data replaced by typed placeholders.

    `pii=False` for paths and globs, which keep their shape: secrets only.
    """
    from attune import scan

    return scan.scrub(text, pii=pii).text


def append_event(root: Path, session_id: str, event: str, detail: str) -> None:
    line = json.dumps({"time": now(), "event": event, "detail": scrubbed(detail)[:500]}, ensure_ascii=False)
    appendlog.append_line(events_path(root, session_id), line)  # never through a link, never into a folder


def load(path: Path) -> Record | None:
    """The record, or None when it is unreadable or damaged: a link, a pipe (issue 15), a giant, not our JSON."""
    data = safefile.read(str(path), RECORD_LIMIT)
    try:
        return None if data is None else from_json(json.loads(data.decode("utf-8")))
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def from_json(data: Mapping[str, object]) -> Record:
    summary = data.get("summary")
    return Record(
        str(data["session_id"]),
        str(data.get("started", "")),
        str(data.get("updated", "")),
        str(data.get("cwd", "")),
        str(data.get("last_assistant_message", "")),
        tuple(str(s) for s in _list(data.get("compact_summaries"))),
        tuple(str(f) for f in _list(data.get("files_touched"))),
        tuple(_event(e) for e in _list(data.get("timeline"))),
        _summary(summary) if isinstance(summary, dict) else None,
        int(data.get("folded", 0)),  # type: ignore[call-overload]
    )


def _event(item: object) -> Event:
    if not isinstance(item, dict):
        raise TypeError("a timeline entry must be an object")
    return Event(str(item["time"]), str(item["event"]), str(item["detail"]))


def _summary(data: Mapping[str, object]) -> Summary:
    def texts(key: str) -> tuple[str, ...]:
        return tuple(str(item) for item in _list(data.get(key)))

    model = data.get("model")
    return Summary(
        texts("decisions"),
        texts("open_questions"),
        texts("next_steps"),
        texts("topics"),
        bool(data.get("offline")),
        model if isinstance(model, str) else None,
    )


def _list(value: object) -> Sequence[object]:
    return value if isinstance(value, list) else []


def to_json(record: Record) -> dict[str, object]:
    return {
        "version": VERSION,
        "session_id": record.session_id,
        "started": record.started,
        "updated": record.updated,
        "cwd": record.cwd,
        "last_assistant_message": record.last_assistant_message,
        "compact_summaries": list(record.compact_summaries),
        "files_touched": list(record.files_touched),
        "timeline": [e._asdict() for e in record.timeline],
        "summary": record.summary._asdict() if record.summary else None,
        "folded": record.folded,
    }


def save(root: Path, record: Record) -> None:
    path = record_path(root, record.session_id)
    appendlog.usable_folder(path.parent)
    atomic.write_atomic(path, json.dumps(to_json(record), ensure_ascii=False, indent=1) + "\n")


def fold(root: Path, session_id: str, cwd: str, *, event: str, detail: str = "", **changes: object) -> Record:
    """Fold new tool events and this event into the record and save it; texts in `changes` are scrubbed."""
    path = record_path(root, session_id)
    stamp = now()
    # Every field from the payload is scrubbed, the session id and cwd too (issue 10).
    record = _loaded(root, path)
    record = record or Record(safe_id(session_id), stamp, stamp, scrubbed(cwd, pii=False), "", (), (), (), None, 0)
    new_events, folded = _read_events(events_path(root, session_id), record.folded)
    files = list(record.files_touched)
    for item in new_events:
        if item.event == "file" and item.detail not in files:
            files.append(item.detail)
    timeline = [
        *record.timeline,
        *(e for e in new_events if e.event != "file"),
        Event(stamp, event, scrubbed(detail)[:500]),
    ]
    cleaned = {k: scrubbed(v)[:TEXT_LIMIT] if isinstance(v, str) else v for k, v in changes.items()}
    redacted = [k for k, v in changes.items() if isinstance(v, str) and cleaned[k] != v[:TEXT_LIMIT]]
    if redacted:  # hooks never fail, so a secret is redacted rather than refused: never silently
        from attune import audit

        audit.record(root, "session.redacted", session=safe_id(session_id), fields=redacted)
    updated = record._replace(
        updated=stamp,
        files_touched=tuple(files),
        timeline=tuple(timeline[-TIMELINE_LIMIT:]),
        folded=folded,
        **cleaned,  # type: ignore[arg-type]
    )
    save(root, updated)
    return updated


def _loaded(root: Path, path: Path) -> Record | None:
    """The record to fold into, scrubbed again (an older release may have stored a secret); a damaged
    record (not JSON, a folder, a link elsewhere) is moved aside, never overwritten (issue 11)."""
    if not os.path.lexists(path):
        return None
    record = load(path) if not path.is_symlink() else None
    if record is None:
        aside = appendlog.move_aside(path)
        from attune import audit

        audit.record(root, "session.damaged", moved_to=paths.relative(Path(aside), root) if aside else "")
        return None
    texts = (record.cwd, record.last_assistant_message, *record.compact_summaries, *record.files_touched,
             *(e.detail for e in record.timeline))  # fmt: skip
    if not any(_has_candidate(text) for text in texts):
        return record
    return record._replace(
        cwd=scrubbed(record.cwd, pii=False),
        last_assistant_message=scrubbed(record.last_assistant_message),
        compact_summaries=tuple(scrubbed(s) for s in record.compact_summaries),
        files_touched=tuple(scrubbed(f) for f in record.files_touched),
        timeline=tuple(e._replace(detail=scrubbed(e.detail)) for e in record.timeline),
    )


def _has_candidate(text: str) -> bool:
    from attune import scan

    return scan.has_candidate(text)


def _read_events(path: Path, offset: int) -> tuple[list[Event], int]:
    try:  # never through a link (events come only from a file we appended to), never a pipe (issue 15)
        offset, data = safefile.tail(str(path), offset, EVENTS_LIMIT)
    except safefile.Refused:
        return [], max(0, offset)
    complete = data.rfind(b"\n") + 1  # a line still being written waits for the next fold
    events = []
    for line in data[:complete].splitlines():
        try:
            item = json.loads(line)
            events.append(Event(str(item["time"]), str(item["event"]), str(item["detail"])))
        except (ValueError, KeyError, TypeError):
            continue
    return events, offset + complete


def every(root: Path) -> list[tuple[Record, Path]]:
    """Every readable record of this project with its file, newest first."""
    try:
        names = [n for n in os.listdir(folder(root)) if n.endswith(".json")]
    except OSError:
        return []
    found = []
    for name in names:
        path = folder(root) / name
        record = load(path)
        if record is not None:
            found.append((record, path))
    return sorted(found, key=lambda item: item[0].updated, reverse=True)


def latest(root: Path, exclude: str = "") -> Record | None:
    """The most recently updated record of this project, other than `exclude`."""
    excluded = record_path(root, exclude) if exclude else None
    return next((record for record, path in every(root) if path != excluded), None)
