"""`empathy mcp install`: the server in Claude Code's config (as `claude mcp add` would), or printed for others.

Claude Code keeps MCP servers in three places (`claude mcp add --scope`): `local` (the default)
under this project's entry in `~/.claude.json`, `project` in the committed `.mcp.json`, `user` at
the top of `~/.claude.json`. Each file is read strictly and written back atomically with only our
entry changed: `~/.claude.json` holds much that Claude Code owns, and dropping any of it would
lose the user's settings (issue 13).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

from attune.errors import UserError
from attune.hooks import settings_file

NAME = "attune"
SCOPES = ("local", "project", "user")
CLIENTS = ("claude", "codex", "cursor")
SERVER: dict[str, object] = {"type": "stdio", "command": "empathy", "args": ["mcp"], "env": {}}


class Change(NamedTuple):
    settings: settings_file.Settings
    after: str
    where: str  # what the user reads: the file and, for ~/.claude.json, the key


def config_path(scope: str, root: Path) -> Path:
    return root / ".mcp.json" if scope == "project" else Path.home() / ".claude.json"


def plan(scope: str, root: Path) -> Change:
    if scope not in SCOPES:
        raise UserError(f"--scope must be one of {', '.join(SCOPES)}, not {scope!r}")
    path = config_path(scope, root)
    settings = settings_file.load(path)
    data = dict(settings.data)
    if scope == "local":
        projects = _object(data, "projects", path)
        project = _object(projects, str(root), path)
        servers = _object(project, "mcpServers", path)
        where = f'{path} (projects["{root}"].mcpServers.{NAME})'
    else:
        servers = _object(data, "mcpServers", path)
        where = f"{path} (mcpServers.{NAME})"
    servers[NAME] = SERVER
    return Change(settings, json.dumps(data, indent=2, ensure_ascii=False) + "\n", where)


def _object(parent: dict[str, object], key: str, path: Path) -> dict[str, object]:
    """`parent[key]`, a copy that is put back: an object, created when missing; anything else is refused."""
    value = parent.get(key, {})
    if not isinstance(value, dict):
        raise UserError(f'{path}: "{key}" must be a JSON object, not {type(value).__name__}; fix it first; '
                        "nothing was written")  # fmt: skip
    copy = dict(value)
    parent[key] = copy
    return copy


def apply(change: Change) -> bool:
    """Write the change; False when the file already says it."""
    if change.settings.text == change.after:
        return False
    settings_file.save(change.settings, change.after)
    return True


def snippet(client: str) -> str:
    """The configuration to paste into another client."""
    if client == "codex":
        return f'# ~/.codex/config.toml\n[mcp_servers.{NAME}]\ncommand = "empathy"\nargs = ["mcp"]\n'
    if client == "cursor":
        body = {"mcpServers": {NAME: {"command": "empathy", "args": ["mcp"]}}}
        return (
            "// .cursor/mcp.json (this project) or ~/.cursor/mcp.json (every project)\n"
            + json.dumps(body, indent=2)
            + "\n"
        )
    if client == "claude":
        return f"claude mcp add --scope local {NAME} -- empathy mcp\n"
    raise UserError(f"--client must be one of {', '.join(CLIENTS)}, not {client!r}")


def plugin_config() -> dict[str, object]:
    """The plugin's .mcp.json: the same server, `empathy` from the PATH Claude Code runs with."""
    return {"mcpServers": {NAME: {"command": "empathy", "args": ["mcp"]}}}
