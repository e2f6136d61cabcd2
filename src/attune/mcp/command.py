"""`empathy mcp` and `empathy mcp install` (issue 13); the SDK is imported only when the server starts."""

from __future__ import annotations

import sys
from pathlib import Path

from attune import paths
from attune.errors import UserError


def _top(root: str | None) -> Path:
    found = Path(root).resolve() if root else paths.find_root()
    if root and not found.is_dir():
        raise UserError(f"--root {root}: no such directory")
    if not (found / paths.EMPATHY_DIR).is_dir():
        raise UserError(f"no {paths.EMPATHY_DIR}/ in {found}: run `empathy init` there, or pass --root")
    return found


def serve(*, root: str | None) -> int:
    top = _top(root)
    try:
        from attune.mcp import server
    except ImportError as exc:
        raise UserError(
            f"the MCP SDK is missing ({exc.name}); reinstall attune-companion, which depends on it"
        ) from None
    return server.serve(top)


def install(*, scope: str, client: str, dry_run: bool, root: str | None) -> int:
    from attune.mcp import install as install_mod

    if client != "claude":
        print(install_mod.snippet(client), end="")
        return 0
    top = Path(root).resolve() if root else paths.find_root()
    change = install_mod.plan(scope, top)
    if dry_run:
        print(f"would add the {install_mod.NAME} MCP server to {change.where}")
        return 0
    if install_mod.apply(change):
        print(f"added the {install_mod.NAME} MCP server to {change.where}")
    else:
        print(f"the {install_mod.NAME} MCP server is already in {change.where}")
    if scope == "project":
        print("commit .mcp.json; Claude Code asks each person once before it starts a project's server",
              file=sys.stderr)  # fmt: skip
    return 0
