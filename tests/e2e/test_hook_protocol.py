"""Proof that the harness sees what hooks do to a real Claude Code session: blocks, denials and added context.

The hooks here are small scripts written by each test, not the product's: they prove the
protocol (tests/e2e/OBSERVED.md) on which the product's hooks are built.
"""

from __future__ import annotations

import json

import pytest

from tests.e2e.claude import hook_command, on, texts, tool_results, write_settings
from tests.fakes import replies

DENY_EXIT_2 = """
    import json, sys
    payload = json.load(sys.stdin)
    if "FORBIDDEN" in payload["tool_input"].get("content", ""):
        print("the content holds FORBIDDEN: use a placeholder", file=sys.stderr)
        sys.exit(2)
"""

DENY_JSON = """
    import json, sys
    payload = json.load(sys.stdin)
    if "FORBIDDEN" in payload["tool_input"].get("content", ""):
        decision = {"hookEventName": "PreToolUse", "permissionDecision": "deny",
                    "permissionDecisionReason": "the content holds FORBIDDEN: use a placeholder"}
        print(json.dumps({"hookSpecificOutput": decision}))
"""


@pytest.mark.parametrize("hook", [DENY_EXIT_2, DENY_JSON], ids=["exit-2", "json-deny"])
@pytest.mark.parametrize("content", ["FORBIDDEN token", "harmless text"])
def test_a_pre_tool_use_hook_denies_a_scripted_write(claude, fake_api, project, hook, content):
    write_settings(project, {"PreToolUse": [on(hook_command(project, "deny", hook), matcher="Write|Edit")]})
    target = project / "out.txt"
    fake_api.script(replies.tool_use("Write", {"file_path": str(target), "content": content}), replies.text("ok"))

    run = claude("write the file")

    assert run.returncode == 0, run.stderr
    _first, second = fake_api.messages(scripted_only=True)
    (result,) = tool_results(second)
    if "FORBIDDEN" in content:
        assert not target.exists()
        assert result["is_error"] is True
        assert "the content holds FORBIDDEN: use a placeholder" in result["content"]
        assert [d["tool_name"] for d in run.result["permission_denials"]] == ["Write"]
    else:  # the same hook lets a clean write through: the denial above is the hook's doing
        assert target.read_text() == "harmless text"
        assert not result.get("is_error")
        assert run.result["permission_denials"] == []


BLOCK_PROMPT_EXIT_2 = """
    import json, sys
    if "BLOCKME" in json.load(sys.stdin)["prompt"]:
        print("the prompt holds BLOCKME", file=sys.stderr)
        sys.exit(2)
"""

BLOCK_PROMPT_JSON = """
    import json, sys
    if "BLOCKME" in json.load(sys.stdin)["prompt"]:
        print(json.dumps({"decision": "block", "reason": "the prompt holds BLOCKME"}))
"""


@pytest.mark.parametrize("hook", [BLOCK_PROMPT_EXIT_2, BLOCK_PROMPT_JSON], ids=["exit-2", "json-block"])
@pytest.mark.parametrize("prompt", ["deploy with BLOCKME please", "deploy please"])
def test_a_user_prompt_submit_hook_keeps_a_prompt_from_the_api(claude, fake_api, project, hook, prompt):
    write_settings(project, {"UserPromptSubmit": [on(hook_command(project, "block", hook))]})
    fake_api.script(replies.text("answered"))

    run = claude(prompt)

    assert run.returncode == 0, run.stderr
    if "BLOCKME" in prompt:
        assert fake_api.requests == []
        assert "the prompt holds BLOCKME" in run.result["result"]
        # The client echoes the blocked prompt to its own output, never to the API ...
        assert prompt in run.result["result"]
        # ... but it does keep it in the session transcript under ~/.claude/projects/.
        (transcript,) = (project.parent / "home" / ".claude" / "projects").glob("*/*.jsonl")
        assert prompt in transcript.read_text()
    else:
        (body,) = fake_api.messages()
        assert prompt in texts(body)
        assert run.result["result"] == "answered"


SESSION_CONTEXT_JSON = """
    import json
    context = {"hookEventName": "SessionStart", "additionalContext": "DIGEST-7f3a: last session fixed the login bug"}
    print(json.dumps({"hookSpecificOutput": context}))
"""

SESSION_CONTEXT_PLAIN = """
    print("DIGEST-7f3a: last session fixed the login bug")
"""


@pytest.mark.parametrize("hook", [SESSION_CONTEXT_JSON, SESSION_CONTEXT_PLAIN], ids=["json", "plain-stdout"])
def test_session_start_context_reaches_the_request_body(claude, fake_api, project, hook):
    write_settings(project, {"SessionStart": [on(hook_command(project, "digest", hook))]})
    fake_api.script(replies.text("hello"))

    run = claude("what happened last time?")

    assert run.returncode == 0, run.stderr
    (body,) = fake_api.messages()
    assert "DIGEST-7f3a: last session fixed the login bug" in texts(body)
    # It arrives in the conversation (the "system" message after the first prompt), not the system prompt.
    assert "DIGEST-7f3a" not in json.dumps(body["system"])
    assert "DIGEST-7f3a" in json.dumps(body["messages"][1])
