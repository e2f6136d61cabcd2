"""`empathy hooks install | uninstall | status`: merge our handlers into Claude Code's settings.

We own exactly the handlers whose command runs `empathy hook EVENT`; every other key, hook and
their order are kept. A settings file that is not valid JSON is refused and nothing is written:
Claude Code ignores a whole settings file that holds one malformed handler.
"""

from __future__ import annotations

import difflib
import json
import re
import shlex
import shutil
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import NamedTuple

from attune import atomic, paths
from attune.errors import UserError


class Handler(NamedTuple):
    event: str
    matcher: str | None  # tool names for tool events; None matches everything
    timeout: int  # seconds


TOOLS = "Write|Edit|MultiEdit|NotebookEdit|Bash|Read"
# One table for the settings files and the plugin's hooks/hooks.json. Timeouts leave room for a
# cold interpreter; SessionEnd shares about 1.5 s with every other SessionEnd hook.
HANDLERS = (
    Handler("SessionStart", None, 10),
    Handler("UserPromptSubmit", None, 10),
    Handler("PreToolUse", TOOLS, 10),
    Handler("PostToolUse", f"{TOOLS}|Grep", 10),
    Handler("PostToolUseFailure", f"{TOOLS}|Grep", 10),
    Handler("Stop", None, 10),
    Handler("SubagentStop", None, 10),
    Handler("PreCompact", None, 10),
    Handler("PostCompact", None, 10),
    Handler("SessionEnd", None, 2),
    Handler("InstructionsLoaded", None, 5),
)
SCOPES = ("project", "local", "user")
_OURS = re.compile(r"""(?:^|[\s/"'])empathy['"]?\s+hook\s+\w+\s*$|\s-m\s+attune\s+hook\s+\w+\s*$""")


class Change(NamedTuple):
    path: Path
    before: str | None  # None: the file does not exist yet
    after: str


def settings_path(scope: str, root: Path) -> Path:
    if scope == "user":
        return Path.home() / ".claude" / "settings.json"
    return root / ".claude" / ("settings.json" if scope == "project" else "settings.local.json")


def ours(handler: object) -> bool:
    return (
        isinstance(handler, dict) and isinstance(handler.get("command"), str) and bool(_OURS.search(handler["command"]))
    )


def executable(scope: str) -> str:
    """`empathy` from PATH for the committed project file; this installation's own path otherwise."""
    if scope == "project":
        return "empathy"
    found = shutil.which("empathy")
    beside = Path(sys.executable).parent / "empathy"
    if beside.exists():
        found = str(beside)
    return shlex.quote(found) if found else f"{shlex.quote(sys.executable)} -m attune"


def entry(handler: Handler, command: str) -> dict[str, object]:
    return {"type": "command", "command": f"{command} hook {handler.event}", "timeout": handler.timeout}


def read(path: Path) -> tuple[str | None, dict[str, object]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, {}
    except OSError as exc:
        raise UserError(f"{path}: cannot read it ({exc.strerror})") from None
    try:
        data = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError as exc:
        raise UserError(
            f"{path}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg}); fix it first: nothing was written"
        ) from None
    if not isinstance(data, dict):
        raise UserError(f"{path}: the settings must be a JSON object; nothing was written")
    if not isinstance(data.get("hooks", {}), dict):
        raise UserError(f'{path}: "hooks" must be a JSON object of event names; nothing was written')
    return text, data


def merged(data: dict[str, object], command: str) -> dict[str, object]:
    """The settings with our handlers present exactly once each, everything else untouched."""
    hooks = data.setdefault("hooks", {})
    assert isinstance(hooks, dict)  # noqa: S101 - checked by read()
    for handler in HANDLERS:
        groups = hooks.setdefault(handler.event, [])
        if not isinstance(groups, list):
            raise UserError(f'"hooks"."{handler.event}" must be a list of matcher groups; nothing was written')
        wanted = entry(handler, command)
        placed = False
        emptied: list[object] = []  # groups that held only a duplicate of ours
        for group in groups:
            handlers = group.get("hooks") if isinstance(group, dict) else None
            if not isinstance(handlers, list):
                continue
            for index, existing in enumerate(list(handlers)):
                if not ours(existing):
                    continue
                if placed:
                    handlers.remove(existing)  # a duplicate of ours
                    if not handlers:
                        emptied.append(group)
                    continue
                handlers[index] = wanted
                placed = True
                if len(handlers) == 1:
                    _set_matcher(group, handler.matcher)
        if not placed:
            group = {"matcher": handler.matcher} if handler.matcher else {}
            groups.append({**group, "hooks": [wanted]})
        hooks[handler.event] = [g for g in groups if not any(g is e for e in emptied)]
    return data


def _set_matcher(group: dict[str, object], matcher: str | None) -> None:
    if matcher:
        group["matcher"] = matcher
    else:
        group.pop("matcher", None)


def removed(data: dict[str, object]) -> dict[str, object]:
    """The settings without our handlers; groups and events we emptied go too, nothing else."""
    hooks = data.get("hooks")
    if not isinstance(hooks, dict):
        return data
    for event in list(hooks):
        groups = hooks[event]
        if not isinstance(groups, list):
            continue
        kept = []
        for group in groups:
            handlers = group.get("hooks") if isinstance(group, dict) else None
            if isinstance(handlers, list) and any(ours(h) for h in handlers):
                group["hooks"] = [h for h in handlers if not ours(h)]
                if not group["hooks"]:
                    continue
            kept.append(group)
        if groups and not kept:
            del hooks[event]
        else:
            hooks[event] = kept
    if not hooks:
        del data["hooks"]
    return data


def render(data: Mapping[str, object], before: str | None) -> str:
    return json.dumps(data, indent=_indent(before), ensure_ascii=False) + "\n"


def _indent(text: str | None) -> int | str:
    """Keep the file's own indentation."""
    for line in (text or "").splitlines()[1:]:
        stripped = line.lstrip()
        if stripped and line != stripped:
            width = len(line) - len(stripped)
            return "\t" if line.startswith("\t") else width
    return 2


def plan_install(scope: str, root: Path, command: str | None = None) -> Change:
    path = settings_path(scope, root)
    before, data = read(path)
    return Change(path, before, render(merged(data, command or executable(scope)), before))


def plan_uninstall(scope: str, root: Path) -> Change:
    path = settings_path(scope, root)
    before, data = read(path)
    if before is None:
        return Change(path, None, "")
    return Change(path, before, render(removed(data), before))


def apply(change: Change) -> Path | None:
    """Write the change, keeping the previous file as a backup; returns the backup's path."""
    if change.before == change.after or (change.before is None and not change.after):
        return None
    backup = None
    if change.before is not None:
        backup = change.path.with_name(change.path.name + ".attune-backup")
        atomic.write_atomic(backup, change.before)
    atomic.write_atomic(change.path, change.after)
    return backup


def diff(change: Change) -> str:
    lines = difflib.unified_diff(
        (change.before or "").splitlines(keepends=True),
        change.after.splitlines(keepends=True),
        str(change.path) if change.before is not None else "/dev/null",
        str(change.path),
    )
    return "".join(lines)


def installed(path: Path) -> Iterator[tuple[str, str | None, dict[str, object]]]:
    """Our handlers in a settings file: (event, matcher, handler)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    hooks = data.get("hooks") if isinstance(data, dict) else None
    for event, groups in (hooks or {}).items() if isinstance(hooks, dict) else ():
        for group in groups if isinstance(groups, list) else ():
            for handler in group.get("hooks", []) if isinstance(group, dict) else ():
                if ours(handler):
                    matcher = group.get("matcher")
                    yield event, matcher if isinstance(matcher, str) else None, handler


def plugin_hooks() -> dict[str, object]:
    """The plugin's hooks/hooks.json: the same table, with `empathy` from PATH."""
    hooks: dict[str, object] = {}
    for handler in HANDLERS:
        group = {"matcher": handler.matcher} if handler.matcher else {}
        hooks[handler.event] = [{**group, "hooks": [entry(handler, "empathy")]}]
    return {"description": "attune-companion: secret scanning, session memory and rule-load ledger", "hooks": hooks}


def root_for(scope: str, root: str | None) -> Path:
    found = Path(root).resolve() if root else paths.find_root()
    if root and not found.is_dir():
        raise UserError(f"--root {root}: no such directory")
    return found
