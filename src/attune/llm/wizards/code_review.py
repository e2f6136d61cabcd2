"""code-review: a diff to review comments with file, line and a suggestion; offline, mechanical checks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from attune.llm.wizards import diff, static
from attune.llm.wizards.base import Inputs, integer, objects, text, wizard
from attune.llm.wizards.static import rule

KINDS = ("issue", "suggestion", "nit")
_PY = (".py",)
_JS = (".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs")
RULES = (
    rule("issue", r"^\s*(breakpoint\(\)|import pdb|pdb\.set_trace\(\))", "a debugger call left in",
         "remove it before merging", _PY),
    rule("issue", r"^\s*debugger;?\s*$", "a debugger statement left in", "remove it before merging", _JS),
    rule("suggestion", r"\bconsole\.log\(", "console.log left in", "remove it or use the project's logger", _JS),
    rule("issue", r"^\s*except\s*:", "a bare except also catches KeyboardInterrupt and SystemExit",
         "catch the exceptions you expect", _PY),
    rule("suggestion", r"^\s*except\s+(Base)?Exception\b.*:\s*(pass)?\s*$", "a broad except hides real errors",
         "catch the specific exceptions, and log or re-raise the rest", _PY),
    rule("issue", r"^\s*(async\s+)?def\s+\w+\(.*=\s*(\[\]|\{\}|set\(\))", "a mutable default is shared by calls",
         "default to None and create the value inside", _PY),
    rule("nit", r"[=!]=\s*None\b", "comparison with None by equality", "use `is None` / `is not None`", _PY),
    rule("suggestion", r"\b(TODO|FIXME|XXX|HACK)\b", "a TODO added without an issue",
         "link an issue, or do it now"),
    rule("nit", r"\S[ \t]+$", "trailing whitespace", "strip it (most editors can on save)"),
    rule("nit", r"^.{121,}$", "a line over 120 characters", "wrap it"),
)  # fmt: skip

SCHEMA = {
    "type": "object",
    "properties": {
        "summary": {"type": "string", "description": "the overall impression, in one or two sentences"},
        "comments": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "severity": {"type": "string", "enum": list(KINDS)},
                    "file": {"type": "string"},
                    "line": {"type": "integer"},
                    "comment": {"type": "string"},
                    "suggestion": {"type": "string"},
                },
                "required": ["severity", "file", "line", "comment", "suggestion"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["summary", "comments"],
    "additionalProperties": False,
}


class Comment(NamedTuple):
    severity: str  # one of KINDS
    file: str
    line: int
    comment: str
    suggestion: str


class CodeReview(NamedTuple):
    summary: str
    comments: tuple[Comment, ...]


def parse(output: Mapping[str, object]) -> CodeReview:
    comments = tuple(
        Comment(text(c["severity"]), text(c["file"]), integer(c["line"]), text(c["comment"]), text(c["suggestion"]))
        for c in objects(output["comments"])
    )
    return CodeReview(text(output["summary"]), comments)


def check(review: CodeReview, inputs: Inputs) -> list[str]:
    files = {c.path for c in diff.changes_of(inputs)}
    return [
        f"$.comments[{index}].file: {comment.file!r} is not in the diff"
        for index, comment in enumerate(review.comments)
        if comment.file not in files
    ]


def offline(inputs: Inputs) -> CodeReview:
    hits = static.run_rules(diff.changes_of(inputs), RULES)
    comments = tuple(
        Comment(h.severity, h.file, h.line, h.title, h.fix)
        for h in sorted(hits, key=lambda h: (KINDS.index(h.severity), h.file, h.line))
    )
    summary = (
        f"mechanical checks of {inputs.label}: {len(comments)} comment(s); "
        "design and logic need a person, or the model with an API key"
    )
    return CodeReview(summary, comments)


def show(review: CodeReview) -> str:
    lines = [review.summary]
    for c in review.comments:
        lines.append(f"{c.file}:{c.line}: {c.severity}: {c.comment}")
        if c.suggestion:
            lines.append(f"    suggestion: {c.suggestion}")
    return "\n".join(lines)


WIZARD = wizard(
    CodeReview,
    name="code-review",
    summary="review a diff for correctness and clarity: comments with file, line and a suggestion",
    task="review_code",
    start_low=True,  # the cheap tier often suffices; schema or file mistakes escalate once
    schema=SCHEMA,
    prompt_version="1",
    argument=diff.BASE,
    gather=diff.gather,
    parse=parse,
    check=check,
    offline=offline,
    show=show,
)
