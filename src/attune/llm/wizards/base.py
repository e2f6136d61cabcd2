"""What a wizard is: a prompt template, a task type, an output schema, validators and an offline fallback."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

Output = dict[str, Any]
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


class Wizard(NamedTuple):
    name: str
    summary: str  # one line for `empathy wizard list`
    task: str  # a task type: the router picks the tier and model
    start_low: bool  # try one tier below the task's first; escalate once if the output fails validation
    schema: Mapping[str, object]  # the structured-output JSON schema
    prompt_version: str  # part of the cache key: bump it when the meaning of the prompt or schema changes
    argument: Argument
    gather: Callable[[Path, str | None], Inputs]  # from the argument's value; raises UserError for bad input
    check: Callable[[Output, Inputs], list[str]]  # the wizard's own validators, after the schema
    offline: Callable[[Inputs], Output]  # useful without an API key; the runner marks it offline
    show: Callable[[Output], str]  # the human-readable result
    apply: Callable[[Path, Output, Inputs], list[str]]  # writes (a staged pattern, a session summary); lines to print
    failing: Callable[[Output], bool] = lambda _output: False  # exit 1 when true (findings)


def nothing_to_apply(_root: Path, _output: Output, _inputs: Inputs) -> list[str]:
    return []


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
    for item in items if isinstance(items, list) else []:
        text = " ".join(str(item).split())
        if text and text not in seen:
            seen.append(text)
    return seen[:limit]


def string_list(description: str) -> dict[str, object]:
    return {"type": "array", "items": {"type": "string"}, "description": description}
