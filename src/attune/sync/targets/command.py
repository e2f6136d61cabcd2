"""The targets' part of `empathy sync`: which targets, and what is printed for each (issue 16)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from attune.config import Config
from attune.errors import UserError
from attune.patterns.model import Library
from attune.sync.targets import plan as target_plan
from attune.sync.targets.plan import TargetPlan
from attune.sync.targets.settings import NAMES


def selected(config: Config, target: str | None) -> tuple[str, ...]:
    """`--target NAME` for a one-off, else the config's `targets:`."""
    if target is None:
        return config.targets
    if target not in NAMES:
        raise UserError(f"--target {target}: unknown target; known: {', '.join(NAMES)}")
    return (target,)


def check_lines(plans: Sequence[TargetPlan]) -> list[str]:
    return [
        f"{change.path} {'would be written' if change.action == 'write' else 'is stale and would be removed'}; "
        f"run empathy-sync-claude ({plan.target})"
        for plan in plans
        for change in plan.pending
    ]


def dry_run_lines(plans: Sequence[TargetPlan]) -> list[str]:
    return [
        f"{'would write' if change.action == 'write' else 'would remove'} {change.path} ({plan.target})"
        for plan in plans
        for change in plan.pending
    ]


def summary_lines(plans: Sequence[TargetPlan]) -> list[str]:
    lines = []
    for plan in plans:
        for change in plan.pending:
            lines.append(f"{'wrote' if change.action == 'write' else 'removed'} {change.path}")
        for change in plan.changes:
            if change.action == "kept":
                lines.append(f"kept {change.path} as it was: a pattern in it has errors")
        live = [c for c in plan.changes if c.action not in ("remove", "blocked")]
        patterns = sum(c.patterns for c in live)
        counted = f"{patterns} pattern{'s' * (patterns != 1)} in {len(live)} file{'s' * (len(live) != 1)}"
        if plan.pending:
            written = sum(1 for c in plan.pending if c.action == "write")
            lines.append(f"{plan.target}: synced {counted}: {written} written, {len(plan.pending) - written} removed")
        else:
            lines.append(f"{plan.target}: up to date ({counted})")
    return lines


def verbose_lines(plans: Sequence[TargetPlan]) -> list[str]:
    """Each file's tokens and scope, and what its format cannot express (also in its marker)."""
    lines = []
    for plan in plans:
        lines.append(f"{plan.target}:")
        for change in plan.changes:
            if change.action in ("remove", "blocked"):
                continue
            scope = "every session" if change.always else "matching files"
            lines.append(f"  {change.path}: ~{change.tokens} tokens ({scope})")
            lines += [f"    cannot express: {note}" for note in change.notes]
    return lines


def diff(plans: Sequence[TargetPlan]) -> str:
    from attune.sync.render import file_diff

    return "".join(file_diff(change.path, change.old, change.new) for plan in plans for change in plan.pending)


def health(root: Path, config: Config, library: Library) -> list[tuple[str, str, str]]:
    """`empathy doctor`: each configured target's files, as (status, message, fix)."""
    names = [name for name in config.targets if name != "claude"]
    try:
        plans = target_plan.plan(root, config, library, names)
    except UserError as exc:
        return [("fail", f"the other agents' files cannot be written: {exc}", "fix what it names")]
    found = []
    for plan in plans:
        blocked = [c.path for c in plan.changes if c.action == "blocked"]
        live = sum(1 for c in plan.changes if c.action not in ("remove", "blocked"))
        if plan.pending:
            first = plan.pending[0].path
            found.append(
                (
                    "fail",
                    f"{plan.target}: {len(plan.pending)} file(s) out of date, first {first}",
                    "empathy-sync-claude",
                )
            )
        elif blocked:
            found.append(
                ("warn", f"{plan.target}: {', '.join(blocked)} not written by the sync is in the way", "rename it")
            )
        else:
            found.append(("ok", f"{plan.target}: up to date ({live} file{'s' * (live != 1)})", ""))
    return found


CODEX_LIMIT = 32 * 1024  # Codex's project_doc_max_bytes default: it reads no further (docs/targets.md)


def warnings(plans: Sequence[TargetPlan], config: Config) -> list[str]:
    """The token budget, per target, as for the Claude rules; and AGENTS.md past what Codex reads."""
    found = []
    for plan in plans:
        live = [c for c in plan.changes if c.action not in ("remove", "blocked")]
        total = sum(c.tokens for c in live if c.always)
        if total > config.token_budget:
            found.append(
                f"warning: ~{total} tokens of {plan.target} instructions are read in every session, over the "
                f"token_budget of {config.token_budget}; scope patterns with paths: or raise the budget"
            )
        if plan.target == "agents-md":
            for change in live:
                size = len((change.new or "").encode())
                if change.path == "AGENTS.md" and size > CODEX_LIMIT:
                    found.append(
                        f"warning: {change.path} is {size:,} bytes; Codex reads {CODEX_LIMIT:,} bytes of AGENTS.md "
                        "files by default (project_doc_max_bytes): scope patterns into folders or raise that limit"
                    )
    return found
