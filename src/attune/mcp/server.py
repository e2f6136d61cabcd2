"""`empathy mcp`: the stdio MCP server over the pattern library and memory (issue 13); owner of the `mcp` SDK.

Only this command imports the SDK (about 0.3 s of imports), never the hooks or the other commands.
Each tool says whether it only reads (`readOnlyHint`); every failure the user or the model can
fix is a tool error with one line, and nothing else of ours reaches the client: the SDK keeps an
unexpected exception's traceback on the server's stderr.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal, ParamSpec, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.resources import FileResource
from mcp_types import ToolAnnotations
from pydantic import Field, ValidationError

from attune import __version__
from attune.errors import UserError
from attune.mcp import tools

P = ParamSpec("P")
R = TypeVar("R")
READ = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)
STAGE = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=False)
WRITE = ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=True, open_world_hint=False)
INSTRUCTIONS = (
    "This project's pattern library (bugs met and fixed, security decisions, conventions) and its session "
    "memory. Before changing code, `search` for the subject or call `rules_for_path` on the file; cite what "
    "you use by its `cite` (path:line). Propose a lesson worth keeping with `propose_pattern`: a person "
    "reviews it before it becomes a rule."
)


def _one_line(function: Callable[P, R]) -> Callable[P, R]:
    """A UserError becomes a tool error with its one line; the SDK keeps any other exception server-side."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except UserError as exc:
            raise ToolError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None

    return wrapper


class _Server(MCPServer[Any]):
    """The SDK's server, but arguments that fail validation are told in one line, not pydantic's report."""

    async def call_tool(self, name: str, arguments: dict[str, Any], context: Any = None) -> Any:
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            if not isinstance(exc.__cause__, ValidationError):
                raise
            problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'arguments'}: {e['msg']}"
                                 for e in exc.__cause__.errors())  # fmt: skip
            raise ToolError(f"Error executing tool {name}: invalid arguments: {problems}") from None


def build(root: Path) -> MCPServer[Any]:
    from attune.memory.memo import Memo

    project = tools.Project(root, Memo())
    server: MCPServer[Any] = _Server(
        "attune-companion", version=__version__, instructions=INSTRUCTIONS, log_level="WARNING"
    )

    @server.tool(annotations=READ)
    @_one_line
    def search(
        *,
        query: Annotated[str, Field(description="words to look for, e.g. 'password hashing'")],
        limit: Annotated[int, Field(ge=1, le=100, description="at most this many results")] = 10,
        kind: Annotated[Literal["pattern", "session"] | None, Field(description="only patterns or sessions")] = None,
        category: Annotated[str | None, Field(description="only patterns of this category, e.g. security")] = None,
        path: Annotated[str | None, Field(description="only what applies to this file, e.g. src/api/orders.py")] = None,
        since: Annotated[str | None, Field(description="only what changed on or after this ISO date")] = None,
    ) -> dict[str, Any]:
        """Search the pattern library and past sessions (BM25, recent first on a tie); each result cites path:line."""
        return tools.search(project, query, limit=limit, kind=kind, category=category, path=path, since=since)

    @server.tool(annotations=READ)
    @_one_line
    def get_pattern(pattern_id: Annotated[str, Field(description="the pattern's id")]) -> dict[str, Any]:
        """One pattern in full: its fields, body and where it lives (cite)."""
        return tools.get_pattern(project, pattern_id)

    @server.tool(annotations=READ)
    @_one_line
    def list_patterns(
        category: Annotated[str | None, Field(description="only this category")] = None,
        path: Annotated[str | None, Field(description="only patterns whose globs apply to this file")] = None,
    ) -> dict[str, Any]:
        """The active patterns (id, title, category, globs, cite), without their bodies."""
        return tools.list_patterns(project, category=category, path=path)

    @server.tool(annotations=READ)
    @_one_line
    def rules_for_path(
        path: Annotated[str, Field(description="a file, relative to the project root")],
    ) -> dict[str, Any]:
        """Which rule files apply to a path, and through which glob (cite: the glob's line)."""
        return tools.rules_json(project, path)

    @server.tool(annotations=STAGE)
    @_one_line
    def propose_pattern(
        *,
        title: Annotated[str, Field(description="one line: the lesson")],
        category: Annotated[str, Field(description="a configured category, e.g. debugging or security")],
        body: Annotated[str, Field(description="the lesson in Markdown: the error, its cause and the fix")],
        paths: Annotated[list[str] | None, Field(description="globs of the files it applies to")] = None,
        source: Annotated[str | None, Field(description="a commit, pull request or URL")] = None,
        confidence: Annotated[float | None, Field(ge=0, le=1)] = None,
    ) -> dict[str, Any]:
        """Stage a pattern for a person to review (scanned: a secret is refused, personal data scrubbed).

        It never becomes an active rule without that review."""
        return tools.propose_pattern(project, title=title, category=category, body=body, paths_=paths or (),
                                     source=source or "", confidence=confidence)  # fmt: skip

    @server.tool(annotations=WRITE)
    @_one_line
    def remember(
        key: Annotated[str, Field(description="e.g. working:current-task; the prefix sets how long it lives")],
        value: Annotated[Any, Field(description="JSON data: text, a number, a list or an object")],
        ttl_seconds: Annotated[float | None, Field(gt=0)] = None,
        agent: Annotated[str | None, Field(description="keep it private to this agent id")] = None,
    ) -> dict[str, Any]:
        """Store a short-lived value in working memory (a secret is refused, personal data scrubbed)."""
        return tools.remember(project, key=key, value=value, ttl=ttl_seconds, agent=agent)

    @server.tool(annotations=READ)
    @_one_line
    def recall_working(
        key: Annotated[str | None, Field(description="the key to read; without it, the keys are listed")] = None,
        prefix: Annotated[str, Field(description="when listing: only keys starting with it")] = "",
        agent: Annotated[str | None, Field(description="look in this agent's memory first")] = None,
    ) -> dict[str, Any]:
        """Read a value from working memory, or list the live keys."""
        return tools.recall_working(project, key=key, prefix=prefix, agent=agent)

    @server.tool(annotations=READ)
    @_one_line
    def scan_text(
        text: Annotated[str, Field(description="the text to check")],
        filename: Annotated[str, Field(description="a file name for context, e.g. config.py")] = "",
    ) -> dict[str, Any]:
        """Find secrets and personal data in text; findings show type, line and a masked value only."""
        return tools.scan_text(text, filename=filename)

    for rel, path in tools.resource_files(root).items():
        kind = "text/markdown" if rel.endswith(".md") else "text/yaml"
        about = "a rule file" if rel.startswith(".claude/") else "a pattern file"
        server.add_resource(FileResource(uri=f"attune:///{rel}", name=rel, path=path.resolve(), mime_type=kind,
                                         description=about))  # fmt: skip
    return server


def serve(root: Path) -> int:
    build(root).run("stdio")
    return 0
