"""What a sync did, in words: the summary, the token report and the budget warning (issue 15).

The one-off sync and the watch loop both print these; neither imports the other.
"""

from __future__ import annotations

import sys
from pathlib import Path

from attune import paths
from attune.config import Config
from attune.sync.render import Plan


def summary(plan: Plan, root: Path, *, force: bool = False) -> str:
    lines = []
    for change in plan.pending:
        verb = "wrote" if change.action == "write" else "removed"
        lines.append(f"{verb} {paths.relative(plan.output_dir / change.name, root)}")
    kept = [c for c in plan.changes if c.action == "kept"]
    for change in kept:
        lines.append(
            f"kept {paths.relative(plan.output_dir / change.name, root)} as it was: a pattern in it has errors"
        )
    if plan.pending:
        written = sum(1 for c in plan.pending if c.action == "write")
        removed = len(plan.pending) - written
        lines.append(f"synced {count(plan)}: {written} written, {removed} removed")
    elif not force:
        lines.append(f"rules are up to date ({count(plan)})")
    if force:  # say what --force did, so it never reads like a no-op (issue 15)
        again = sum(1 for c in plan.changes if c.action == "unchanged")
        lines.append(
            f"--force: re-read every pattern file and re-rendered every rule file; "
            f"{again} came out the same as on disk and were left as they were ({count(plan)})"
        )
    return "\n".join(lines)


def token_report(plan: Plan) -> str:
    lines = []
    live = [c for c in plan.changes if c.action not in ("remove", "blocked")]
    for change in live:
        scope = "every session" if change.always else ", ".join(change.rule.paths) if change.rule else "scoped"
        lines.append(f"  {change.name}: ~{change.tokens} tokens ({scope})")
    always = sum(c.tokens for c in live if c.always)
    lines.append(
        f"~{always} tokens load in every session; ~{sum(c.tokens for c in live) - always} more load with matching files"
    )
    return "\n".join(lines)


def budget_warning(plan: Plan, config: Config) -> None:
    live = [c for c in plan.changes if c.action not in ("remove", "blocked") and c.always]
    total = sum(c.tokens for c in live)
    if total <= config.token_budget:
        return
    from attune.sync import rules

    sizes = sorted(
        ((rules.tokens(p.body) + rules.tokens(p.title), p.id) for c in live if c.rule for p in c.rule.patterns),
        reverse=True,
    )
    largest = ", ".join(f"{pid} (~{size})" for size, pid in sizes[:3])
    print(
        f"warning: ~{total} tokens of rules load in every session, over the token_budget of "
        f"{config.token_budget} in {paths.CONFIG_FILE}; largest: {largest}. Scope them with "
        "paths: or raise the budget.",
        file=sys.stderr,
    )


def count(plan: Plan) -> str:
    patterns = sum(len(c.rule.patterns) for c in plan.changes if c.rule is not None and c.action != "blocked")
    files = sum(1 for c in plan.changes if c.action not in ("remove", "blocked"))
    return f"{patterns} pattern{'s' * (patterns != 1)} in {files} rule file{'s' * (files != 1)}"
