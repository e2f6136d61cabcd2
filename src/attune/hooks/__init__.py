"""Claude Code hooks: `empathy hook EVENT` answers Claude Code around prompts and tool calls (issue 4).

HANDLERS is a literal registry from Claude Code's event name to the module that answers it; the
runner imports only that module, so each event pays only for what it uses.
"""

from __future__ import annotations

HANDLERS: dict[str, str] = {
    "SessionStart": "attune.hooks.session_start",
    "UserPromptSubmit": "attune.hooks.prompt",
    "PreToolUse": "attune.hooks.pre_tool",
    "PostToolUse": "attune.hooks.post_tool",
    "PostToolUseFailure": "attune.hooks.post_tool",
    "Stop": "attune.hooks.record",
    "SubagentStart": "attune.hooks.subagent",
    "SubagentStop": "attune.hooks.record",
    "PreCompact": "attune.hooks.record",
    "PostCompact": "attune.hooks.record",
    "SessionEnd": "attune.hooks.record",
    "InstructionsLoaded": "attune.hooks.instructions",
}
