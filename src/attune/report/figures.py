"""The report's figures, read from what is already on disk: the library, the rule files and their
ledger, the audit log, the hook error log, the cost ledger and the session records (issue 17).

Every source is a scrubbed record already (the hooks, the stores and the ledgers scrub before they
write); the page adds nothing that was not in them, and `page.py` scrubs every string once more.
A damaged or missing source gives empty figures and a note, never an error: a report is a view.
"""

from __future__ import annotations

import datetime
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple, cast

from attune import config as config_mod
from attune import paths

GUARDED_EVENTS = ("PreToolUse", "UserPromptSubmit")
LOG_LIMIT = 1 << 30  # bytes: a log past a gigabyte is not read


class Staged(NamedTuple):
    id: str
    title: str
    category: str
    age_days: int | None


class Library(NamedTuple):
    by_category: dict[str, dict[str, int]]  # category -> status -> patterns
    staged: list[Staged]  # oldest first
    problems: list[str]  # `path:line: message`, errors first, at most 50
    problem_count: int
    duplicates: list[tuple[str, str, int]]  # (id, id, percent of fix words in common)


class RuleFile(NamedTuple):
    name: str
    scope: list[str]  # its globs; [] loads in every session
    tokens: int
    loads: int  # InstructionsLoaded entries for it in the period
    delivered: int  # deliveries on write by our hooks in the period
    last_loaded: str | None


class Rules(NamedTuple):
    files: list[RuleFile]
    always_tokens: int
    budget: int
    never_loaded: list[str]


class Guards(NamedTuple):
    blocked: int
    by_tool: dict[str, int]  # Write, Edit, Bash, Read, prompt, ...
    by_type: dict[str, int]  # the finding types behind the blocks
    by_day: dict[str, int]
    redactions: dict[str, int]  # audit action -> entries (session records, memory, staging, tool output)
    hook_errors: dict[str, int]  # event -> errors in the hook log over the period
    failed_open: int  # errors on guarded events while `on_error: allow` let such calls through
    on_error: str


class Costs(NamedTuple):
    total_usd: float
    calls: int
    by_day: dict[str, float]
    by_wizard: dict[str, float]
    by_tier: dict[str, float]
    cache_saved_usd: float
    routing_saved_usd: float
    premium_usd: float
    daily_limit_usd: float


class Session(NamedTuple):
    id: str
    started: str
    updated: str
    decisions: list[str]
    files: list[str]


class Active(NamedTuple):
    session: str
    files: list[str]  # files it holds a lease on
    since: str
    doing: str


class Sessions(NamedTuple):
    recent: list[Session]  # newest first, at most 50
    total: int
    active: list[Active]  # live sessions and their leases, from the team store when there is one


class Figures(NamedTuple):
    today: str
    since: str
    days: int
    library: Library
    rules: Rules
    guards: Guards
    costs: Costs
    sessions: Sessions


def gather(root: Path, *, today: str, days: int) -> Figures:
    config, _ = config_mod.read(root)
    since = (datetime.date.fromisoformat(today) - datetime.timedelta(days=days - 1)).isoformat()
    found = Figures(
        today, since, days, _library(root, config, today), _rules(root, config, since), _guards(root, config, since),
        _costs(root, config, since), _sessions(root, since),
    )  # fmt: skip
    return cast("Figures", _clean(found, {}))


def _clean(value: object, seen: dict[str, str]) -> object:
    """Every string scrubbed, keys too: the sources are scrubbed records, but the page and the JSON are
    made to be shared, and one damaged or hand-edited line must not put a secret on them (issue 17)."""
    if isinstance(value, str):
        if value not in seen:
            from attune import scan

            seen[value] = scan.scrub(value).text if scan.has_candidate(value) else value
        return seen[value]
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        record: Any = type(value)
        return record(*[_clean(item, seen) for item in value])
    if isinstance(value, dict):
        return {_clean(k, seen): _clean(v, seen) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_clean(item, seen) for item in value)
    return value


def jsonl(path: Path, since: str) -> Iterator[dict[str, object]]:
    """The JSON objects of a log, on or after `since` by their `time`; torn lines are skipped."""
    for line in _lines(path):
        if line[10:20] < since[:10] and line.startswith('{"time": "'):  # cheap skip of old lines
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and str(entry.get("time", ""))[:10] >= since:
            yield entry


def _lines(path: Path) -> list[str]:
    """A log's lines; none when it is missing, or a link, a pipe or a giant a pull request put there."""
    from attune import safefile

    text = safefile.text(str(path), LOG_LIMIT)
    return text.splitlines() if text is not None else []


def _library(root: Path, config: config_mod.Config, today: str) -> Library:
    from attune.patterns import duplicates, staging, store

    library = store.load_library(root, config)
    by_category: dict[str, dict[str, int]] = {}
    for pattern in library.patterns:
        counts = by_category.setdefault(pattern.category, {})
        counts[pattern.status] = counts.get(pattern.status, 0) + 1
    staged = [Staged(s.id, s.title, s.category, _age(s.created, today)) for s in staging.staged(root)]
    staged.sort(key=lambda s: -1 if s.age_days is None else -s.age_days)
    problems = sorted(library.problems, key=lambda p: (p.warning, p.path, p.line))
    active = [p for p in library.patterns if p.status != "deprecated"]
    found = duplicates.find(active, active) if len(active) <= 2000 else []  # pairwise: a large library is skipped
    pairs = {tuple(sorted((d.first.id, d.second.id))): round(d.similarity * 100) for d in found if d.first != d.second}
    return Library(
        {k: dict(sorted(v.items())) for k, v in sorted(by_category.items())}, staged,
        [str(p) for p in problems[:50]], len(problems),
        sorted(((a, b, score) for (a, b), score in pairs.items()), key=lambda d: -d[2])[:20],
    )  # fmt: skip


def _age(created: str | None, today: str) -> int | None:
    try:
        return (datetime.date.fromisoformat(today) - datetime.date.fromisoformat(str(created))).days
    except ValueError:
        return None


def _rules(root: Path, config: config_mod.Config, since: str) -> Rules:
    from attune.hooks import deliver
    from attune.sync import render, rules

    existing, _ = render.read_generated(root / config.output_dir)
    loads: Counter[str] = Counter()
    last: dict[str, str] = {}
    for entry in jsonl(root / paths.EMPATHY_DIR / "logs" / "instructions.jsonl", since):
        name = str(entry.get("file", "")).rsplit("/", 1)[-1]
        loads[name] += 1
        last[name] = max(last.get(name, ""), str(entry.get("time", "")))
    delivered: Counter[str] = Counter(
        str(entry.get("file", "")).rsplit("/", 1)[-1]
        for entry in jsonl(root / paths.EMPATHY_DIR / deliver.DELIVERIES, since)
    )
    files = []
    for name, generated in sorted(existing.items()):
        scope = [g.glob for g in rules.scope_of(generated.text)]
        files.append(RuleFile(name, scope, rules.tokens(generated.body), loads[name], delivered[name], last.get(name)))
    always = sum(f.tokens for f in files if not f.scope)
    never = [f.name for f in files if not f.loads and not f.delivered]
    return Rules(files, always, config.token_budget, never)


def _guards(root: Path, config: config_mod.Config, since: str) -> Guards:
    tools: Counter[str] = Counter()
    types: Counter[str] = Counter()
    days: Counter[str] = Counter()
    redactions: Counter[str] = Counter()
    for entry in jsonl(root / paths.EMPATHY_DIR / "audit.jsonl", since):
        action = str(entry.get("action", ""))
        if action == "hook.blocked":
            tools[str(entry.get("tool", "?"))] += 1
            days[str(entry.get("time", ""))[:10]] += 1
            findings = entry.get("findings")
            types.update(str(f) for f in findings) if isinstance(findings, list) else None
        elif action.endswith((".redacted", ".scrubbed", ".refused")):
            redactions[action] += 1
    errors: Counter[str] = Counter()
    for line in _lines(root / paths.EMPATHY_DIR / "logs" / "hooks.log"):
        stamp, _, rest = line.partition(" ")
        if stamp[:10] >= since and rest:
            errors[rest.split(" ", 1)[0]] += 1
    on_error = config.hooks.on_error
    failed_open = sum(errors[e] for e in GUARDED_EVENTS) if on_error == "allow" else 0
    return Guards(sum(tools.values()), dict(tools.most_common()), dict(types.most_common()), dict(sorted(days.items())),
                  dict(sorted(redactions.items())), dict(sorted(errors.items())), failed_open, on_error)  # fmt: skip


def _costs(root: Path, config: config_mod.Config, since: str) -> Costs:
    from attune.llm import costs, ledger, router

    raw = ledger.load(root, since)
    premium = router.tier_models(config.llm.models)["premium"]
    report = costs.report(raw, premium, since)
    by_day: dict[str, float] = {}
    for record in raw.records:
        if isinstance(record, dict) and not record.get("cache_hit") and isinstance(record.get("cost_usd"), int | float):
            day = str(record.get("time", ""))[:10]
            by_day[day] = by_day.get(day, 0.0) + float(record["cost_usd"])
    return Costs(
        report.total_usd, report.calls, {d: round(v, 6) for d, v in sorted(by_day.items())},
        {k: b.usd for k, b in report.by_wizard.items()}, {k: b.usd for k, b in report.by_tier.items()},
        report.cache_saved_usd, report.routing_saved_usd, report.premium_usd, config.llm.daily_limit_usd,
    )  # fmt: skip


def _sessions(root: Path, since: str) -> Sessions:
    from attune import sessions

    found = [record for record, _ in sessions.every(root) if record.updated[:10] >= since]
    found.sort(key=lambda r: r.updated, reverse=True)
    recent = [
        Session(r.session_id, r.started, r.updated, list(r.summary.decisions if r.summary else ())[:5],
                list(r.files_touched)[:10])
        for r in found[:50]
    ]  # fmt: skip
    return Sessions(recent, len(found), _active(root))


def _active(root: Path) -> list[Active]:
    """Live sessions and the files they hold, from the team store (files, or Redis when configured; issue 14)."""
    from attune.team import api as team

    try:
        store = team.open_store(str(root))
        from attune.team import leases, live

        held: dict[str, list[str]] = {}
        for lease in leases.held(store):
            held.setdefault(lease.session, []).append(lease.file)
        return [Active(s.session, sorted(held.get(s.session, [])), s.started, s.doing) for s in live.active(store)]
    except (OSError, ValueError):  # a view: a store it cannot read shows no live sessions, never an error
        return []
