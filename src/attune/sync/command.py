"""`empathy sync` / `empathy-sync-claude`: one sync, a check, a dry run, or a watch."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from attune import config as config_mod
from attune import paths
from attune.patterns import store
from attune.sync import render
from attune.sync.render import Plan
from attune.sync.report import budget_warning, count, summary, token_report

if TYPE_CHECKING:
    from attune.sync.targets.plan import TargetPlan


def sync(
    *,
    root: str | None,
    dry_run: bool,
    check: bool,
    verbose: bool,
    quiet: bool,
    watch: bool,
    force: bool,
    target: str | None = None,
) -> int:
    top = paths.project_root(root)
    config = config_mod.load(top)
    names = config.targets
    if target is not None:
        from attune.sync.targets import command as targets_command

        names = targets_command.selected(config, target)
    if watch:
        from attune.sync import watch as watch_mod

        return watch_mod.run(top, config, verbose=verbose, quiet=quiet)
    library = store.load_library(top, config, use_cache=not force)
    plan = render.plan(top, config, library, force=force) if "claude" in names else None
    others = tuple(name for name in names if name != "claude")
    targets: list[TargetPlan] = []
    if others:  # other agents' files from the same library (issue 16)
        from attune.sync.targets import command as targets_command
        from attune.sync.targets import plan as targets_plan

        targets = targets_plan.plan(top, config, library, others, force=force)
    problems = sorted({*(plan.problems if plan else ()), *(p for t in targets for p in t.problems)})
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = [p for p in problems if not p.warning]
    pending = bool(plan and plan.pending) or any(t.pending for t in targets)
    if check:
        for line in (check_lines(plan, top) if plan else []) + (
            targets_command.check_lines(targets) if targets else []
        ):
            print(line)
        if verbose:
            print((render.diff(plan, top) if plan else "") + (targets_command.diff(targets) if targets else ""), end="")
        if plan:
            from attune.rules import lint

            # Over the token budget fails a check too: a 5 MB always-loaded rule used to pass (issue 13).
            linted = lint.lint(top, plan, config)
            for problem in linted:
                print(problem, file=sys.stderr)
            errors += [p for p in linted if not p.warning]
        if not pending and not errors and not quiet:
            print(f"rules are up to date ({count(plan) if plan else 'every target'})")
        return 1 if pending or errors else 0
    if dry_run:
        for line in (dry_run_lines(plan, top) if plan else []) + (
            targets_command.dry_run_lines(targets) if targets else []
        ):
            print(line)
        if verbose:
            print((render.diff(plan, top) if plan else "") + (targets_command.diff(targets) if targets else ""), end="")
        if not pending and not quiet:
            print(f"nothing to do ({count(plan) if plan else 'every target'})")
    else:
        if plan:
            render.apply(plan)
            from attune.rules import index as rules_index

            rules_index.write(top, plan)  # what the hooks deliver (issue 13)
        if targets:
            targets_plan.apply(top, targets)
        if paths.recall_index(top).is_file():  # the recall index, when there is one, follows the library (issue 13)
            from attune.memory import synced

            synced.refresh(top, library)
        if not quiet:
            print(
                "\n".join(
                    ([summary(plan, top, force=force)] if plan else [])
                    + (targets_command.summary_lines(targets) if targets else [])
                )
            )
    if verbose:
        print(
            "\n".join(
                ([token_report(plan)] if plan else []) + (targets_command.verbose_lines(targets) if targets else [])
            )
        )
    if plan:
        budget_warning(plan, config)
    for warning in targets_command.warnings(targets, config) if targets else []:
        print(warning, file=sys.stderr)
    return 0


def check_lines(plan: Plan, root: Path) -> list[str]:
    return [
        f"{paths.relative(plan.output_dir / change.name, root)} "
        f"{'would be written' if change.action == 'write' else 'is stale and would be removed'}; "
        "run empathy-sync-claude"
        for change in plan.pending
    ]


def dry_run_lines(plan: Plan, root: Path) -> list[str]:
    return [
        f"{'would write' if change.action == 'write' else 'would remove'} "
        f"{paths.relative(plan.output_dir / change.name, root)}"
        for change in plan.pending
    ]
