from __future__ import annotations

import json

from tests.helpers import EMAIL, build_tree, fake_secret

KEY = fake_secret("github")


def test_a_prompt_holding_a_secret_is_blocked(hook, project):
    run = hook("UserPromptSubmit", {"prompt": f"use this token: {KEY} to call the API"}, project=project)
    assert run.code == 0
    assert run.output["decision"] == "block"
    assert "your prompt holds a secret (line 1: github-token (ghp_" in run.output["reason"]
    assert "was not sent" in run.output["reason"]
    assert KEY not in run.raw


def test_personal_data_in_a_prompt_warns_or_blocks_as_configured(hook, project):
    prompt = {"prompt": f"email the report to {EMAIL}"}
    run = hook("UserPromptSubmit", prompt, project=project)
    assert "decision" not in run.output
    assert run.output["systemMessage"].startswith("attune-companion: your prompt holds personal data: line 1: email")
    build_tree(project, {".empathy/config.yaml": "hooks:\n  prompt_pii: block\n"})
    assert hook("UserPromptSubmit", prompt, project=project).output["decision"] == "block"


def test_a_clean_prompt_passes(hook, project):
    run = hook("UserPromptSubmit", {"prompt": "refactor the parser"}, project=project)
    assert (run.code, run.raw) == (0, "")


def bash_output(stdout):
    return {
        "tool_name": "Bash",
        "tool_input": {"command": "cat deploy/settings.ini", "description": "Show settings"},
        "tool_response": {"stdout": stdout, "stderr": "", "interrupted": False, "isImage": False},
    }


def test_secrets_in_bash_output_are_redacted_keeping_the_shape(hook, project):
    run = hook("PostToolUse", bash_output(f"[github]\ntoken = {KEY}\nuser = ci\n"), project=project)
    updated = run.output["hookSpecificOutput"]["updatedToolOutput"]
    assert run.output["hookSpecificOutput"]["hookEventName"] == "PostToolUse"
    assert updated == {
        "stdout": "[github]\ntoken = [SECRET:github-token]\nuser = ci\n",
        "stderr": "",
        "interrupted": False,
        "isImage": False,
    }
    assert run.output["systemMessage"] == "attune-companion: redacted 1 secret from the output of Bash"
    assert KEY not in run.raw


def test_secrets_in_a_read_are_redacted_inside_the_file_object(hook, project):
    response = {
        "type": "text",
        "file": {"filePath": str(project / "cfg.ini"), "content": f"token={KEY}\n", "numLines": 2},
    }
    run = hook("PostToolUse", {"tool_name": "Read", "tool_input": {}, "tool_response": response}, project=project)
    updated = run.output["hookSpecificOutput"]["updatedToolOutput"]
    assert updated["file"]["content"] == "token=[SECRET:github-token]\n"
    assert updated["file"]["numLines"] == 2 and updated["type"] == "text"


def test_personal_data_in_output_is_left_alone(hook, project):
    assert hook("PostToolUse", bash_output(f"contact: {EMAIL}\n"), project=project).raw == ""


def test_output_redaction_can_warn_instead(hook, project):
    build_tree(project, {".empathy/config.yaml": "hooks:\n  tool_output: warn\n"})
    run = hook("PostToolUse", bash_output(f"token = {KEY}\n"), project=project)
    assert run.output == {"systemMessage": "attune-companion: found 1 secret from the output of Bash"}


def test_writes_are_recorded_as_files_touched(hook, project):
    target = project / "src" / "app.py"
    payload = {
        "tool_name": "Write",
        "tool_input": {"file_path": str(target), "content": "x"},
        "tool_response": {"type": "create"},
    }
    assert hook("PostToolUse", payload, project=project).raw == ""
    events = (project / ".empathy/sessions/session-1.events.jsonl").read_text().splitlines()
    assert json.loads(events[0])["event"] == "file"
    assert json.loads(events[0])["detail"] == "src/app.py"


def test_a_failed_command_that_printed_a_secret_is_flagged(hook, project):
    payload = {
        "tool_name": "Bash",
        "tool_input": {"command": "deploy"},
        "error": f"Exit code 3\ntoken = {KEY}",
        "is_interrupt": False,
    }
    run = hook("PostToolUseFailure", payload, project=project)
    context = run.output["hookSpecificOutput"]["additionalContext"]
    assert run.output["hookSpecificOutput"]["hookEventName"] == "PostToolUseFailure"
    assert context.startswith("attune-companion: the failed Bash output above shows a secret (github-token (ghp_")
    assert "Do not repeat it" in context
    assert "consider rotating it" in run.output["systemMessage"]
    assert KEY not in run.raw
    clean = {"tool_name": "Bash", "tool_input": {"command": "make"}, "error": "Exit code 2\nmake: *** [all] Error 1"}
    assert hook("PostToolUseFailure", clean, project=project).raw == ""
