"""`empathy doctor`: check the installation, the Claude Code settings, the library and the rules.

One line per check, and for anything wrong the fix. Exit 1 when a check fails.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from attune import __version__, paths
from attune.errors import UserError
from attune.hooks import probe  # the standard library only

DEPENDENCIES = ("anthropic", "detect-secrets", "diskcache", "gitpython", "jinja2", "pre-commit", "pyyaml", "watchdog")
RECENT_SESSIONS = 20


class Check(NamedTuple):
    status: str  # "ok", "warn" or "fail"
    message: str
    fix: str = ""

    def __str__(self) -> str:
        fix = f" (fix: {self.fix})" if self.fix and self.status != "ok" else ""
        return f"{self.status.upper() if self.status == 'fail' else self.status:<5} {self.message}{fix}"


def doctor(*, root: str | None) -> int:
    top = Path(root).resolve() if root else paths.find_root()
    if root and not top.is_dir():
        raise UserError(f"--root {root}: no such directory")
    failed = False
    for check in (*_package(), *_settings(top), *_library(top), *_ledger(top)):
        print(check)
        failed = failed or check.status == "fail"
    return 1 if failed else 0


def _package() -> Iterator[Check]:
    from importlib import metadata

    yield Check("ok", f"attune-companion {__version__} on Python {sys.version.split()[0]} ({sys.executable})")
    missing = []
    for name in DEPENDENCIES:
        try:
            metadata.version(name)
        except metadata.PackageNotFoundError:
            missing.append(name)
    if missing:
        yield Check("fail", f"missing dependencies: {', '.join(missing)}", "pip install --upgrade attune-companion")


def _settings(top: Path) -> Iterator[Check]:
    from attune.hooks import install
    from attune.hooks import settings_file as settings_mod

    hooks: list[probe.Hook] = []
    for scope in install.SCOPES:
        path = install.settings_path(scope, top)
        if not path.exists() and not path.is_symlink():
            continue
        try:
            problems = settings_mod.problems(settings_mod.load(path).data)
        except UserError as exc:
            yield Check("fail", str(exc), f"repair {path.name}: Claude Code ignores a settings file it cannot parse")
            continue
        if problems:
            yield Check("fail", f"{path}: {problems[0]}", "fix it: Claude Code ignores this whole file, our hooks too")
        found = list(install.installed(path))
        if found:
            yield Check("ok", f"{path}: {len(found)} attune hook{'s' * (len(found) != 1)} installed ({scope})")
        for event, _, handler in found:
            timeout = handler.get("timeout")
            seconds = float(timeout) if isinstance(timeout, (int, float)) and not isinstance(timeout, bool) else 60.0
            hooks.append(probe.Hook(scope, event, str(handler["command"]), min(seconds, 60.0)))
    if not hooks:
        yield Check("warn", "no attune hooks in any Claude Code settings file", "empathy hooks install")
        return
    yield from _twice(hooks)
    yield from _starts(hooks, top)


def _twice(hooks: list[probe.Hook]) -> Iterator[Check]:
    """Claude Code merges only identical commands: ours in two scopes with different ones run twice (issue 11)."""
    scopes: dict[str, dict[str, str]] = {}
    for hook in hooks:
        scopes.setdefault(hook.event, {}).setdefault(hook.command, hook.scope)
    doubled = sorted({" and ".join(sorted(set(s.values()))) for s in scopes.values() if len(s) > 1})
    for pair in doubled:
        yield Check("warn", f"our hooks are installed in {pair} settings with different commands, so each runs twice",
                    f"empathy hooks uninstall --scope {pair.split(' and ')[0]} (or the other one)")  # fmt: skip


def _starts(hooks: list[probe.Hook], top: Path) -> Iterator[Check]:
    """Each installed command, run as Claude Code runs it: it must start and answer (issue 10)."""
    outcomes = probe.run(hooks, top)
    for outcome in outcomes:
        hook = outcome.hook
        if outcome.ok:
            yield Check("ok", f"the {hook.event} hook ({hook.scope}) starts and answers")
        else:
            yield Check("fail", f"the {hook.event} hook ({hook.scope}) fails: {outcome.problem}", _fix(outcome))
    working = [o.hook for o in outcomes if o.ok and o.hook.event == "PreToolUse"]
    for outcome in probe.run(working, top, path=probe.BARE_PATH):
        if not outcome.ok:
            yield Check(
                "warn",
                f"the PreToolUse hook ({outcome.hook.scope}) finds `empathy` only through this shell's PATH; "
                "a Claude Code started from elsewhere denies every guarded call",
                "empathy hooks install --scope local, or install attune-companion in the project's .venv",
            )


def _fix(outcome: probe.Outcome) -> str:
    if "cannot find" in outcome.problem:
        return "install attune-companion where the hook looks, or `empathy hooks install --scope local`"
    if "timeout" in outcome.problem:
        return f"run `empathy hook {outcome.hook.event}` by hand to see what it waits on"
    return "see .empathy/logs/hooks.log, and reinstall attune-companion if it does not start"


def _library(top: Path) -> Iterator[Check]:
    if not (top / paths.EMPATHY_DIR).is_dir():
        yield Check("warn", f"no {paths.EMPATHY_DIR}/ pattern library in {top}", "empathy init")
        return
    from attune import config as config_mod
    from attune.patterns import store
    from attune.sync import render

    config, problems = config_mod.read(top)
    library = store.load_library(top, config)
    problems += library.problems
    errors = [p for p in problems if not p.warning]
    if errors:
        yield Check(
            "fail", f"the pattern library has {len(errors)} error(s), first: {errors[0]}", "empathy patterns validate"
        )
    else:
        warnings = len(problems)
        note = f", {warnings} warning(s)" if warnings else ""
        yield Check(
            "ok" if not warnings else "warn",
            f"{len(library.patterns)} patterns valid{note}",
            "empathy patterns validate",
        )
    if config.targets != ("claude",):  # each configured agent's files (issue 16)
        from attune.sync.targets import command as targets_command

        yield from (Check(*found) for found in targets_command.health(top, config, library))
        if "claude" not in config.targets:
            return
    try:
        plan = render.plan(top, config, library)
    except UserError as exc:
        yield Check("fail", f"the rules cannot be rendered: {exc}", "fix the template override")
        return
    pending = plan.pending
    if pending:
        yield Check(
            "fail", f"{len(pending)} rule file(s) in {config.output_dir} are out of date", "empathy-sync-claude"
        )
    else:
        yield Check(
            "ok", f"{config.output_dir} is up to date ({sum(1 for c in plan.changes if c.action != 'remove')} files)"
        )
    from attune.rules import index, lint

    scoped = any(c.rule is not None and c.rule.paths for c in plan.changes if c.action not in ("remove", "blocked"))
    if scoped and index.load(str(top)) is None:
        yield Check(
            "warn", f"no rules index in {index.INDEX}: hooks cannot deliver scoped rules", "empathy-sync-claude"
        )
    for problem in lint.lint(top, plan, config):  # what Claude Code mishandles in rule files (issue 13)
        yield Check("warn" if problem.warning else "fail", str(problem), "empathy-sync-claude --check explains it")


def _ledger(top: Path) -> Iterator[Check]:
    if not (top / paths.EMPATHY_DIR).is_dir():
        return
    from attune import config as config_mod
    from attune.hooks import instructions

    output_dir = config_mod.read(top)[0].output_dir
    ledger = top / paths.EMPATHY_DIR / instructions.LEDGER
    try:
        entries = [json.loads(line) for line in ledger.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError):
        yield Check("warn", "no rule loads recorded yet", "install the hooks and run a Claude Code session here")
        return
    sessions: list[str] = []
    for entry in entries:
        if entry.get("session") not in sessions:
            sessions.append(entry.get("session"))
    recent = set(sessions[-RECENT_SESSIONS:])
    loads: dict[str, set[str]] = {}
    for entry in entries:
        if entry.get("session") in recent:
            loads.setdefault(str(entry.get("file")), set()).add(str(entry.get("session")))
    rules = sorted(p for p in (top / output_dir).glob("*.md"))
    if not rules:
        return
    for rule in rules:
        rel = paths.relative(rule, top)
        count = len(loads.get(rel, ()))
        if count:
            yield Check("ok", f"{rel} loaded in {count} of the last {len(recent)} sessions")
        else:
            scoped = rule.read_text(encoding="utf-8").startswith("---")
            why = (
                "its paths: globs matched no file Claude read or wrote" if scoped else "it should load in every session"
            )
            yield Check("warn", f"{rel} never loaded in the last {len(recent)} sessions: {why}", "check its globs")
