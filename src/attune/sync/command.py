"""`empathy sync` / `empathy-sync-claude`: one sync, a check, a dry run, or a watch."""

from __future__ import annotations

import sys
from pathlib import Path

from attune import config as config_mod
from attune import paths
from attune.config import Config
from attune.errors import UserError
from attune.patterns import store
from attune.sync import render
from attune.sync.render import Plan


def project_root(root: str | None) -> Path:
    """`--root`, else the git top level, else the current directory; it must hold `.empathy/`."""
    found = Path(root).resolve() if root else paths.find_root()
    if root and not found.is_dir():
        raise UserError(f"--root {root}: no such directory")
    if not (found / paths.EMPATHY_DIR).is_dir():
        raise UserError(
            f"no {paths.EMPATHY_DIR}/ in {found}: run `empathy init` there to create the pattern library, "
            "or pass --root"
        )
    return found


def sync(*, root: str | None, dry_run: bool, check: bool, verbose: bool, quiet: bool, watch: bool, force: bool) -> int:
    top = project_root(root)
    config = config_mod.load(top)
    if watch:
        from attune.sync import watch as watch_mod

        return watch_mod.run(top, config, verbose=verbose, quiet=quiet)
    library = store.load_library(top, config, use_cache=not force)
    plan = render.plan(top, config, library, force=force)
    for problem in plan.problems:
        print(problem, file=sys.stderr)
    errors = [p for p in plan.problems if not p.warning]
    if check:
        for change in plan.pending:
            verb = "would be written" if change.action == "write" else "is stale and would be removed"
            print(f"{paths.relative(plan.output_dir / change.name, top)} {verb}; run empathy-sync-claude")
        if verbose:
            print(render.diff(plan, top), end="")
        if not plan.pending and not errors and not quiet:
            print(f"rules are up to date ({_count(plan)})")
        return 1 if plan.pending or errors else 0
    if dry_run:
        for change in plan.pending:
            verb = "would write" if change.action == "write" else "would remove"
            print(f"{verb} {paths.relative(plan.output_dir / change.name, top)}")
        if verbose:
            print(render.diff(plan, top), end="")
        if not plan.pending and not quiet:
            print(f"nothing to do ({_count(plan)})")
    else:
        render.apply(plan)
        if paths.recall_index(top).is_file():  # the recall index, when there is one, follows the library (issue 13)
            from attune.memory import synced

            synced.refresh(top, library)
        if not quiet:
            print(summary(plan, top))
    if verbose:
        print(token_report(plan))
    budget_warning(plan, config)
    return 0


def summary(plan: Plan, root: Path) -> str:
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
        lines.append(f"synced {_count(plan)}: {written} written, {removed} removed")
    else:
        lines.append(f"rules are up to date ({_count(plan)})")
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


def _count(plan: Plan) -> str:
    patterns = sum(len(c.rule.patterns) for c in plan.changes if c.rule is not None and c.action != "blocked")
    files = sum(1 for c in plan.changes if c.action not in ("remove", "blocked"))
    return f"{patterns} pattern{'s' * (patterns != 1)} in {files} rule file{'s' * (files != 1)}"
