"""What a PostToolUse hook can change in what the model sees, and how hooks fail open in the real CLI."""

from __future__ import annotations

import pytest

from tests.e2e.claude import hook_command, on, record_all, recorded, texts, write_settings
from tests.fakes import replies

REDACT_SHAPED = """
    import json, sys
    payload = json.load(sys.stdin)
    response = payload["tool_response"]
    if payload["tool_name"] == "Bash":
        response = dict(response, stdout=response["stdout"].replace("s3cr3t-VALUE", "[REDACTED]"))
    else:
        file = dict(response["file"], content=response["file"]["content"].replace("s3cr3t-VALUE", "[REDACTED]"))
        response = dict(response, file=file)
    print(json.dumps({"hookSpecificOutput": {"hookEventName": "PostToolUse", "updatedToolOutput": response}}))
"""

REDACT_STRING = """
    import json
    print(json.dumps({"hookSpecificOutput": {"hookEventName": "PostToolUse", "updatedToolOutput": "[REDACTED]"}}))
"""


def _call(project, tool):
    if tool == "Bash":
        return replies.tool_use("Bash", {"command": "cat .env", "description": "Show the env file"})
    return replies.tool_use("Read", {"file_path": str(project / ".env")})


@pytest.mark.parametrize("tool", ["Bash", "Read"])
@pytest.mark.parametrize("hook", [REDACT_SHAPED, REDACT_STRING], ids=["shaped", "string"])
def test_updated_tool_output_replaces_what_the_model_sees(claude, fake_api, project, tool, hook):
    (project / ".env").write_text("API_TOKEN=s3cr3t-VALUE\n")
    write_settings(project, {"PostToolUse": [on(hook_command(project, "redact", hook), matcher="Bash|Read")]})
    fake_api.script(_call(project, tool), replies.text("done"))

    run = claude("show me the env file")

    assert run.returncode == 0, run.stderr
    seen = texts(fake_api.messages()[-1])
    if hook is REDACT_SHAPED:
        assert "[REDACTED]" in seen
        assert "s3cr3t-VALUE" not in seen
    else:
        # A value not shaped like the tool's own response is ignored without a word: the secret goes through.
        assert "s3cr3t-VALUE" in seen
        assert "[REDACTED]" not in seen


@pytest.mark.parametrize(
    "answer",
    [
        '{"decision": "block", "reason": "POST-REASON"}',
        '{"hookSpecificOutput": {"hookEventName": "PostToolUse", "additionalContext": "POST-REASON"}}',
    ],
    ids=["decision-block", "additional-context"],
)
def test_block_and_context_add_to_the_output_but_do_not_hide_it(claude, fake_api, project, answer):
    (project / ".env").write_text("API_TOKEN=s3cr3t-VALUE\n")
    write_settings(project, {"PostToolUse": [on(hook_command(project, "post", f"print({answer!r})"))]})
    fake_api.script(_call(project, "Bash"), replies.text("done"))

    claude("show me the env file")

    last = fake_api.messages()[-1]
    assert "s3cr3t-VALUE" in texts(last)
    (note,) = [m for m in last["messages"] if m["role"] == "system" and "POST-REASON" in texts(m)]
    assert note is last["messages"][-1]


SLOW = "import time\ntime.sleep(20)\nraise SystemExit(2)\n"
CRASH = "raise SystemExit(1)\n"
STOP = 'import json\nprint(json.dumps({"continue": False, "stopReason": "halt"}))\n'


@pytest.mark.parametrize(
    ("code", "stops"), [(SLOW, False), (CRASH, False), (STOP, True)], ids=["timeout", "exit-1", "continue-false"]
)
def test_a_pre_tool_use_hook_that_times_out_crashes_or_says_stop_does_not_block_the_tool(
    claude, fake_api, project, code, stops
):
    target = project / "out.txt"
    write_settings(project, {"PreToolUse": [on(hook_command(project, "pre", code), matcher="Write", timeout=1)]})
    fake_api.script(replies.tool_use("Write", {"file_path": str(target), "content": "written"}), replies.text("done"))

    run = claude("write it")

    assert target.read_text() == "written"
    # {"continue": false} lets the tool run, then ends the session before the next request.
    assert len(fake_api.messages()) == (1 if stops else 2)
    assert run.result["terminal_reason"] == ("hook_stopped" if stops else "completed")


def test_one_handler_of_an_invalid_type_disables_the_whole_settings_file(claude, fake_api, project, tmp_path):
    log = tmp_path / "hooks.jsonl"
    settings = record_all(project, log)
    deny = hook_command(project, "deny", "raise SystemExit(2)\n")
    settings["PreToolUse"] = [on(deny, matcher="Write"), {"hooks": [{"type": "shell", "command": "true"}]}]
    write_settings(project, settings)
    target = project / "out.txt"
    fake_api.script(replies.tool_use("Write", {"file_path": str(target), "content": "written"}), replies.text("done"))

    claude("write it")

    assert target.read_text() == "written"  # the deny hook was never run
    assert recorded(log) == []  # nor any other hook of the file


def test_a_failing_command_skips_post_tool_use_and_its_output_cannot_be_replaced(claude, fake_api, project, tmp_path):
    log = tmp_path / "hooks.jsonl"
    settings = record_all(project, log)
    replace = """
        import json
        output = {"hookEventName": "PostToolUseFailure", "updatedToolOutput": "[REDACTED]", "additionalContext": "NOTE"}
        print(json.dumps({"hookSpecificOutput": output}))
    """
    settings["PostToolUseFailure"].append(on(hook_command(project, "failure", replace)))
    write_settings(project, settings)
    (project / ".env").write_text("API_TOKEN=s3cr3t-VALUE\n")
    fake_api.script(
        replies.tool_use("Bash", {"command": "cat .env; exit 3", "description": "Show"}), replies.text("ok")
    )

    claude("show me the env file")

    names = [r["payload"]["hook_event_name"] for r in recorded(log)]
    assert "PostToolUseFailure" in names
    assert "PostToolUse" not in names
    (failure,) = [r["payload"] for r in recorded(log) if r["payload"]["hook_event_name"] == "PostToolUseFailure"]
    assert failure["error"] == "Exit code 3\nAPI_TOKEN=s3cr3t-VALUE"
    assert failure["is_interrupt"] is False
    # Only additionalContext is honoured here: the output, secret and all, reaches the model.
    last = texts(fake_api.messages()[-1])
    assert "s3cr3t-VALUE" in last
    assert "PostToolUseFailure:Bash hook additional context: NOTE" in last
    assert "[REDACTED]" not in last
