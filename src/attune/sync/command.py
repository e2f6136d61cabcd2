"""`empathy sync` / `empathy-sync-claude`: one sync, a check, a dry run, or a watch."""

from __future__ import annotations

import sys

from attune import config as config_mod
from attune import paths
from attune.patterns import store
from attune.sync import render
from attune.sync.report import budget_warning, count, summary, token_report


def sync(*, root: str | None, dry_run: bool, check: bool, verbose: bool, quiet: bool, watch: bool, force: bool) -> int:
    top = paths.project_root(root)
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
            print(f"rules are up to date ({count(plan)})")
        return 1 if plan.pending or errors else 0
    if dry_run:
        for change in plan.pending:
            verb = "would write" if change.action == "write" else "would remove"
            print(f"{verb} {paths.relative(plan.output_dir / change.name, top)}")
        if verbose:
            print(render.diff(plan, top), end="")
        if not plan.pending and not quiet:
            print(f"nothing to do ({count(plan)})")
    else:
        render.apply(plan)
        if not quiet:
            print(summary(plan, top, force=force))
    if verbose:
        print(token_report(plan))
    budget_warning(plan, config)
    return 0
