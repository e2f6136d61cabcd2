"""`empathy hooks install | uninstall | status`: merge our handlers into Claude Code's settings.

We own exactly the handlers whose command carries our mark, or a previous release's exact form
(launcher.ours); every other key, hook and their order are kept. A settings file we cannot write
back unchanged, or that Claude Code would ignore, is refused and nothing is written
(settings_file, issue 11).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from attune import paths
from attune.errors import UserError
from attune.hooks import launcher
from attune.hooks import settings_file as settings_mod


class Handler(NamedTuple):
    event: str
    matcher: str | None  # tool names for tool events; None matches everything
    timeout: int  # seconds


TOOLS = "Write|Edit|MultiEdit|NotebookEdit|Bash|Read"
PRE_TOOLS = f"{TOOLS}|Agent|Task"  # Agent: the scoped rules for the paths a subagent's task names (issue 13)
# One table for the settings files and the plugin's hooks/hooks.json. Timeouts leave room for a
# cold interpreter; SessionEnd shares about 1.5 s with every other SessionEnd hook.
HANDLERS = (
    Handler("SessionStart", None, 10),
    Handler("UserPromptSubmit", None, 10),
    Handler("PreToolUse", PRE_TOOLS, 10),
    Handler("PostToolUse", f"{TOOLS}|Grep|Glob", 10),  # Grep, Glob: the scoped rules for what they show (issue 13)
    Handler("PostToolUseFailure", f"{TOOLS}|Grep", 10),
    Handler("Stop", None, 10),
    Handler("SubagentStart", None, 10),
    Handler("SubagentStop", None, 10),
    Handler("PreCompact", None, 10),
    Handler("PostCompact", None, 10),
    Handler("SessionEnd", None, 2),
    Handler("InstructionsLoaded", None, 5),
)
SCOPES = ("project", "local", "user")


class Change(NamedTuple):
    settings: settings_mod.Settings
    after: str

    @property
    def path(self) -> Path:
        return self.settings.path

    @property
    def before(self) -> str | None:  # None: the file does not exist yet
        return self.settings.text


def settings_path(scope: str, root: Path) -> Path:
    if scope == "user":
        return Path.home() / ".claude" / "settings.json"
    return root / ".claude" / ("settings.json" if scope == "project" else "settings.local.json")


def ours(handler: object) -> bool:
    return isinstance(handler, dict) and launcher.ours(handler.get("command"))


def program(scope: str, command: str | None = None) -> launcher.Program:
    """What the hooks run: `--command CMD`; else a lookup for the committed file, this installation otherwise."""
    if command:
        try:
            return launcher.from_words(command)
        except ValueError as exc:
            raise UserError(f"--command {command!r}: {exc}") from None
    return launcher.PROJECT if scope == "project" else launcher.this_installation()


def executable(scope: str) -> str:
    """This installation as a sh prefix, for the git hook (which runs in the user's own shell)."""
    found = program(scope)
    return " ".join((found.candidates[0], *found.args))


def entry(handler: Handler, found: launcher.Program) -> dict[str, object]:
    return {"type": "command", "command": launcher.command(handler.event, found), "timeout": handler.timeout}


def read(path: Path) -> tuple[str | None, dict[str, object]]:
    settings = settings_mod.load(path)
    return settings.text, settings.data


def merged(data: dict[str, object], found: launcher.Program) -> dict[str, object]:
    """The settings with our handlers present exactly once each, in a group of their own, everything else untouched.

    Ours is taken out of any group it shares (that group's matcher may not cover every tool we
    guard) and put back as its own group where it was first found, so a second install changes nothing.
    """
    hooks = data.setdefault("hooks", {})
    assert isinstance(hooks, dict)  # noqa: S101 - checked by settings_file.parse
    for handler in HANDLERS:
        groups = hooks.get(handler.event, [])
        assert isinstance(groups, list)  # noqa: S101 - checked by settings_file.problems
        kept, place = _without_ours(groups)
        group: dict[str, object] = {"matcher": handler.matcher} if handler.matcher else {}
        kept.insert(len(kept) if place is None else place, {**group, "hooks": [entry(handler, found)]})
        hooks[handler.event] = kept
    return data


def _without_ours(groups: list[object]) -> tuple[list[object], int | None]:
    """The groups without our handlers (and without groups that held only ours); where ours first was."""
    kept: list[object] = []
    place = None
    for group in groups:
        handlers = group.get("hooks") if isinstance(group, dict) else None
        if isinstance(group, dict) and isinstance(handlers, list) and any(ours(h) for h in handlers):
            place = len(kept) if place is None else place
            theirs = [h for h in handlers if not ours(h)]
            if not theirs:
                continue
            group["hooks"] = theirs
        kept.append(group)
    return kept, place


def removed(data: dict[str, object]) -> dict[str, object]:
    """The settings without our handlers; groups, events and "hooks" we emptied go too, nothing else."""
    hooks = data.get("hooks")
    if not isinstance(hooks, dict):
        return data
    emptied = False
    for event in list(hooks):
        groups = hooks[event]
        if not isinstance(groups, list):
            continue
        kept, place = _without_ours(groups)
        if place is None:
            continue
        if kept:
            hooks[event] = kept
        else:
            del hooks[event]
            emptied = True
    if emptied and not hooks:
        del data["hooks"]
    return data


def plan_install(scope: str, root: Path, command: str | None = None) -> Change:
    settings = settings_mod.load(settings_path(scope, root))
    found = settings_mod.problems(settings.data)
    if found:
        raise UserError(f"{settings.path}: {found[0]}; Claude Code ignores this whole file while it holds a "
                        f"malformed hook, so fix that first; nothing was written")  # fmt: skip
    data = merged(settings.data, program(scope, command))
    return Change(settings, settings_mod.render(data, settings.text))


def plan_uninstall(scope: str, root: Path) -> Change:
    settings = settings_mod.load(settings_path(scope, root))
    if settings.text is None:
        return Change(settings, "")
    if not any(True for _ in _ours_in(settings.data)):
        return Change(settings, settings.text)  # none of ours: not even a reformat
    return Change(settings, settings_mod.render(removed(settings.data), settings.text))


def apply(change: Change) -> Path | None:
    """Write the change, keeping the previous file as a backup; returns the backup's path."""
    if change.before == change.after or (change.before is None and not change.after):
        return None
    return settings_mod.save(change.settings, change.after)


def diff(change: Change) -> str:
    lines = difflib.unified_diff(
        (change.before or "").splitlines(keepends=True),
        change.after.splitlines(keepends=True),
        str(change.path) if change.before is not None else "/dev/null",
        str(change.path),
    )
    return "".join(lines)


def installed(path: Path) -> Iterator[tuple[str, str | None, dict[str, object]]]:
    """Our handlers in a settings file: (event, matcher, handler); nothing from a file we cannot read."""
    try:
        data = settings_mod.load(path).data
    except UserError:
        return
    yield from _ours_in(data)


def _ours_in(data: dict[str, object]) -> Iterator[tuple[str, str | None, dict[str, object]]]:
    hooks = data.get("hooks")
    for event, groups in hooks.items() if isinstance(hooks, dict) else ():
        for group in groups if isinstance(groups, list) else ():
            handlers = group.get("hooks") if isinstance(group, dict) else None
            for handler in handlers if isinstance(handlers, list) else ():
                if ours(handler):
                    matcher = group.get("matcher")
                    yield event, matcher if isinstance(matcher, str) else None, handler


def twins(scope: str, root: Path, commands: dict[str, str]) -> Iterator[tuple[str, Path]]:
    """Other scopes holding our hooks with other commands: Claude Code runs both (it merges only identical ones)."""
    for other in SCOPES:
        path = settings_path(other, root)
        if other == scope or not path.exists():
            continue
        if any(commands.get(event) not in (None, handler.get("command")) for event, _, handler in installed(path)):
            yield other, path


def plugin_hooks() -> dict[str, object]:
    """The plugin's hooks/hooks.json: the same table, `empathy` from PATH (launcher.PLUGIN says why)."""
    hooks: dict[str, object] = {}
    for handler in HANDLERS:
        group = {"matcher": handler.matcher} if handler.matcher else {}
        hooks[handler.event] = [{**group, "hooks": [entry(handler, launcher.PLUGIN)]}]
    return {"description": "attune-companion: secret scanning, session memory and rule-load ledger", "hooks": hooks}


def root_for(scope: str, root: str | None) -> Path:
    found = Path(root).resolve() if root else paths.find_root()
    if root and not found.is_dir():
        raise UserError(f"--root {root}: no such directory")
    return found
