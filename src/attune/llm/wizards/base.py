"""What a wizard is: a prompt template, a task type, an output schema, validators and an offline fallback.

Each wizard's output is its own NamedTuple record (issue 15): the model's JSON, checked against the
schema (the wire format), is parsed into it, and the offline fallback builds it directly. The
registry holds every wizard behind one `Wizard` type; `wizard()` wraps each one's typed functions
so a record of another wizard's kind is refused rather than misread.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NamedTuple, Protocol, TypeVar

MAX_INPUT_CHARS = 60_000  # about 20k tokens: beyond this the prompt carries a cut version, the offline path all of it


class Inputs(NamedTuple):
    context: Mapping[str, object]  # template variables: data only, never template source
    data: object  # what the offline fallback and `apply` work from (a diff, a commit, a session record)
    label: str  # what was read, for messages: "3 changed files", "commit 1a2b3c4"


class Argument(NamedTuple):
    """The one thing a wizard reads, as its command line names it (issue 15: wizards never see argparse)."""

    flag: str  # `--base` for an option, else the positional's name
    metavar: str
    help: str
    default: str | None = None
    required: bool = False  # a positional that must be given


class Draft(Protocol):
    """A wizard's output record: any NamedTuple whose fields are JSON values or other such records."""

    def _asdict(self) -> Mapping[str, object]: ...


D = TypeVar("D", bound=Draft)


class Source(NamedTuple):
    """Where a draft came from; the fields every wizard's JSON output carries after its own."""

    offline: bool
    model: str | None  # None offline
    cached: bool


OFFLINE = Source(offline=True, model=None, cached=False)


class Wizard(NamedTuple):
    name: str
    summary: str  # one line for `empathy wizard list`
    task: str  # a task type: the router picks the tier and model
    start_low: bool  # try one tier below the task's first; escalate once if the output fails validation
    schema: Mapping[str, object]  # the structured-output JSON schema
    prompt_version: str  # part of the cache key: bump it when the meaning of the prompt or schema changes
    argument: Argument
    gather: Callable[[Path, str | None], Inputs]  # from the argument's value; raises UserError for bad input
    parse: Callable[[Mapping[str, object]], Draft]  # the model's JSON, already valid against `schema`
    check: Callable[[Draft, Inputs], list[str]]  # the wizard's own validators, after the schema
    offline: Callable[[Inputs], Draft]  # useful without an API key; the runner marks it offline
    show: Callable[[Draft], str]  # the human-readable result
    apply: Callable[[Path, Draft, Source, Inputs], list[str]]  # writes (a staged pattern, a summary); lines to print
    failing: Callable[[Draft], bool]  # exit 1 when true (findings)


def wizard(
    kind: type[D],
    *,
    name: str,
    summary: str,
    task: str,
    start_low: bool,
    schema: Mapping[str, object],
    prompt_version: str,
    argument: Argument,
    gather: Callable[[Path, str | None], Inputs],
    parse: Callable[[Mapping[str, object]], D],
    check: Callable[[D, Inputs], list[str]],
    offline: Callable[[Inputs], D],
    show: Callable[[D], str],
    apply: Callable[[Path, D, Source, Inputs], list[str]] | None = None,
    failing: Callable[[D], bool] | None = None,
) -> Wizard:
    """A wizard whose functions take records of `kind`, for the registry."""

    def own(draft: Draft) -> D:
        return narrow(kind, draft)

    def applied(root: Path, draft: Draft, source: Source, inputs: Inputs) -> list[str]:
        return apply(root, own(draft), source, inputs) if apply is not None else []

    return Wizard(
        name, summary, task, start_low, schema, prompt_version, argument, gather, parse,
        check=lambda draft, inputs: check(own(draft), inputs),
        offline=offline,
        show=lambda draft: show(own(draft)),
        apply=applied,
        failing=lambda draft: failing(own(draft)) if failing is not None else False,
    )  # fmt: skip


def narrow(kind: type[D], draft: Draft) -> D:
    """`draft` as the record it is; another wizard's record is a bug, not input."""
    if not isinstance(draft, kind):
        raise TypeError(f"expected a {kind.__name__}, got a {type(draft).__name__}")
    return draft


def as_json(draft: Draft, source: Source) -> dict[str, object]:
    """The draft's fields then the source's, nested records as objects: what `--json` prints."""
    return {**{key: plain(value) for key, value in draft._asdict().items()}, **source._asdict()}


def plain(value: object) -> object:
    """A record as a JSON object and a tuple as a list, all the way down (json.dumps writes tuples as lists)."""
    if isinstance(value, tuple) and hasattr(value, "_asdict"):
        return {key: plain(item) for key, item in value._asdict().items()}
    if isinstance(value, tuple | list):
        return [plain(item) for item in value]
    return value


# Readers of JSON values the schema has already checked: each keeps the value as the model sent it.
def text(value: object) -> str:
    return value if isinstance(value, str) else str(value)


def number(value: object) -> float:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def integer(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def texts(value: object) -> tuple[str, ...]:
    return tuple(text(item) for item in value) if isinstance(value, list) else ()


def objects(value: object) -> list[Mapping[str, object]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def clip(text: str, limit: int = MAX_INPUT_CHARS) -> str:
    """`text`, cut at a line boundary with a note when it is longer than `limit` characters."""
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit)
    kept = text[: cut if cut > 0 else limit]
    return f"{kept}\n[... {len(text) - len(kept):,} more characters not shown ...]\n"


def strings(items: object, limit: int = 8) -> list[str]:
    """The non-empty strings of a JSON list, stripped and de-duplicated, at most `limit`."""
    seen: list[str] = []
    for item in items if isinstance(items, list | tuple) else ():
        text = " ".join(str(item).split())
        if text and text not in seen:
            seen.append(text)
    return seen[:limit]


def string_list(description: str) -> dict[str, object]:
    return {"type": "array", "items": {"type": "string"}, "description": description}
