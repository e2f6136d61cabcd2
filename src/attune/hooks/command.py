"""`empathy hooks install | uninstall | status`."""

from __future__ import annotations

import sys
from pathlib import Path

from attune.errors import UserError
from attune.hooks import install, launcher


def install_hooks(*, scope: str, dry_run: bool, root: str | None, hook_command: str | None, git: bool) -> int:
    top = install.root_for(scope, root)
    if git:
        return _git_hook(top, dry_run, install=True, command=hook_command or install.executable("local"))
    change = install.plan_install(scope, top, hook_command)
    if dry_run:
        _show(install.diff(change), f"{change.path}: already up to date")
        return 0
    backup = install.apply(change)
    if change.before == change.after:
        print(f"{change.path}: already up to date")
        return 0
    print(
        f"installed attune-companion hooks in {change.path}" + (f" (previous file kept as {backup})" if backup else "")
    )
    if scope == "project":
        print("the hooks run the project's .venv/bin/empathy, else venv/bin/empathy, else `empathy` from PATH; "
              "`empathy doctor` checks that they start")  # fmt: skip
    _warn_twins(scope, top)
    return 0


def _warn_twins(scope: str, top: Path) -> None:
    """Our hooks in two scopes with different commands run twice each (issue 11): say so, once."""
    commands = {
        event: str(handler["command"]) for event, _, handler in install.installed(install.settings_path(scope, top))
    }
    for other, path in install.twins(scope, top, commands):
        print(f"empathy: warning: our hooks are also in {path} ({other}), so Claude Code runs each twice; "
              f"remove one set with `empathy hooks uninstall --scope {other}`", file=sys.stderr)  # fmt: skip


def uninstall_hooks(*, scope: str, dry_run: bool, root: str | None, git: bool) -> int:
    top = install.root_for(scope, root)
    if git:
        return _git_hook(top, dry_run, install=False, command="")
    change = install.plan_uninstall(scope, top)
    if change.before is None:
        print(f"{change.path}: no such file; nothing to remove")
        return 0
    if dry_run:
        _show(install.diff(change), f"{change.path}: none of our hooks are installed")
        return 0
    backup = install.apply(change)
    if change.before == change.after:
        print(f"{change.path}: none of our hooks are installed")
    else:
        emptied = "; it held nothing else, so it is gone" if not change.path.exists() else ""
        print(f"removed attune-companion hooks from {change.path}{emptied} (previous file kept as {backup})")
    return 0


def status(*, root: str | None) -> int:
    top = install.root_for("project", root)
    expected = {h.event: h for h in install.HANDLERS}
    for scope in install.SCOPES:
        path = install.settings_path(scope, top)
        if not path.exists():
            print(f"{scope:8} {path}: no file")
            continue
        try:
            install.read(path)
        except UserError as exc:
            print(f"{scope:8} {exc}", file=sys.stderr)
            continue
        found = {event: (matcher, handler) for event, matcher, handler in install.installed(path)}
        if not found:
            print(f"{scope:8} {path}: not installed")
            continue
        missing = [e for e in expected if e not in found]
        stale = [
            e for e, (matcher, handler) in found.items()
            if e in expected and (matcher != expected[e].matcher or handler.get("timeout") != expected[e].timeout
                                  or not str(handler["command"]).endswith(launcher.MARK))
        ]  # fmt: skip
        commands = sorted({launcher.describe(str(handler["command"])) for _, handler in found.values()})
        state = "installed" if not missing and not stale else "partly installed"
        print(f"{scope:8} {path}: {state}, {len(found)} of {len(expected)} events, command {', '.join(commands)}")
        if missing:
            print(f"         missing: {', '.join(missing)}; run `empathy hooks install --scope {scope}`")
        if stale:
            print(f"         outdated: {', '.join(stale)}; run `empathy hooks install --scope {scope}`")
    return 0


def _git_hook(top: Path, dry_run: bool, *, install: bool, command: str) -> int:
    from attune.hooks import githook

    change = githook.plan_install(top, command) if install else githook.plan_uninstall(top)
    if dry_run:
        _show(githook.diff(change), f"{change.path}: nothing to change")
        return 0
    githook.apply(change)
    if change.after == change.before:
        print(f"{change.path}: nothing to change")
    elif install:
        print(f"installed the post-commit trigger in {change.path}; the wizards it starts are set under triggers: "
              "in .empathy/config.yaml (off by default)")  # fmt: skip
    else:
        print(f"removed the post-commit trigger from {change.path}")
    return 0


def _show(diff: str, nothing: str) -> None:
    if diff:
        print(diff, end="")
    else:
        print(nothing)
