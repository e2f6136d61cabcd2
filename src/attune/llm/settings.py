"""The `llm:` and `triggers:` sections of `.empathy/config.yaml`, parsed into records."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import NamedTuple

from attune.llm import prices, router
from attune.yamlio import KeyPath

Reporter = Callable[[KeyPath, str], None]


class LlmSettings(NamedTuple):
    models: Mapping[str, str]  # tier -> model from the config; EMPATHY_MODEL_<TIER> still wins
    daily_limit_usd: float  # spend per user per day across projects; 0 stops every call
    deadline_seconds: float  # wall clock for one call, its one retry included
    cache_ttl_hours: float


class Triggers(NamedTuple):
    session_summary: tuple[str, ...]  # Claude Code events that start it: Stop, PreCompact
    security_review: bool  # after each commit, from a git post-commit hook: `empathy wizard trigger post-commit`
    bug_pattern: bool  # after a commit whose message says it fixes a bug


DEFAULT = LlmSettings({}, 2.0, 60.0, 168.0)
# Off until the config asks: a trigger spends the user's API budget from a hook they did not run by hand.
DEFAULT_TRIGGERS = Triggers((), False, False)
SUMMARY_EVENTS = ("Stop", "PreCompact")
_LLM_KEYS = ("models", "daily_limit_usd", "deadline_seconds", "cache_ttl_hours")
_TRIGGER_KEYS = ("session-summary", "security-review", "bug-pattern")


def parse_llm(value: object, problem: Reporter, warn: Reporter, today: str | None = None) -> LlmSettings:
    if value is None:
        return DEFAULT
    if not isinstance(value, dict):
        problem(("llm",), f"llm must be a mapping with keys {', '.join(_LLM_KEYS)}")
        return DEFAULT
    _unknown_keys(value, ("llm",), _LLM_KEYS, problem)
    models: dict[str, str] = {}
    raw_models = value.get("models", {})
    if not isinstance(raw_models, dict):
        problem(("llm", "models"), "llm.models must map a tier to a model ID, e.g. `cheap: claude-haiku-5-5`")
        raw_models = {}
    for tier, model in raw_models.items():
        key: KeyPath = ("llm", "models", tier)
        if tier not in router.TIERS:
            problem(key, f"unknown tier {tier!r} under llm.models; known: {', '.join(router.TIERS)}")
        elif not isinstance(model, str) or not model.strip():
            problem(key, f"llm.models.{tier} must be a model ID such as {router.DEFAULT_MODELS[tier]!r}")
        else:
            models[tier] = model.strip()
            warning = prices.model_warning(models[tier], today)
            if warning:
                warn(key, warning)
    return LlmSettings(
        models,
        _number(value, "daily_limit_usd", DEFAULT.daily_limit_usd, 0, problem),
        _number(value, "deadline_seconds", DEFAULT.deadline_seconds, 1, problem),
        _number(value, "cache_ttl_hours", DEFAULT.cache_ttl_hours, 0, problem),
    )


def parse_triggers(value: object, problem: Reporter) -> Triggers:
    if value is None:
        return DEFAULT_TRIGGERS
    if not isinstance(value, dict):
        problem(("triggers",), f"triggers must be a mapping with keys {', '.join(_TRIGGER_KEYS)}")
        return DEFAULT_TRIGGERS
    _unknown_keys(value, ("triggers",), _TRIGGER_KEYS, problem)
    events = value.get("session-summary", list(DEFAULT_TRIGGERS.session_summary))
    if events is False:
        events = []
    if isinstance(events, str):
        events = [events]
    chosen: list[str] = []
    if not isinstance(events, list):
        problem(("triggers", "session-summary"), "triggers.session-summary must be a list of events: Stop, PreCompact")
        events = []
    for index, event in enumerate(events):
        key: KeyPath = ("triggers", "session-summary", index)
        if event == "SessionEnd":
            problem(key, "nothing runs from SessionEnd (its hooks share about 1.5 s); use Stop or PreCompact")
        elif event not in SUMMARY_EVENTS:
            problem(key, f"unknown event {event!r} for session-summary; use Stop or PreCompact (case matters)")
        elif event not in chosen:
            chosen.append(event)
    return Triggers(
        tuple(chosen),
        _flag(value, "security-review", DEFAULT_TRIGGERS.security_review, problem),
        _flag(value, "bug-pattern", DEFAULT_TRIGGERS.bug_pattern, problem),
    )


def _flag(section: Mapping[str, object], key: str, default: bool, problem: Reporter) -> bool:
    value = section.get(key, default)
    if not isinstance(value, bool):
        problem(("triggers", key), f"triggers.{key} must be true or false")
        return default
    return value


def _number(section: Mapping[str, object], key: str, default: float, least: float, problem: Reporter) -> float:
    value = section.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < least:
        problem(("llm", key), f"llm.{key} must be a number of at least {least:g}, such as {default:g}")
        return default
    return float(value)


def _unknown_keys(section: Mapping[object, object], base: KeyPath, known: tuple[str, ...], problem: Reporter) -> None:
    import difflib

    for key in section:
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(known)}"
            problem((*base, str(key)), f"unknown key {key!r} under {base[0]} ({hint})")
