"""Every block and redaction the hooks make is in the audit log, which `empathy report` counts (issue 17)."""

from __future__ import annotations

import json

from tests.helpers import fake_secret


def audit(project):
    path = project / ".empathy/audit.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_a_denied_read_of_a_sensitive_file_is_audited(hook, project):
    run = hook("PreToolUse", {"tool_name": "Read", "tool_input": {"file_path": str(project / ".env")}}, project=project)
    assert run.code == 0 and '"permissionDecision": "deny"' in run.out
    (entry,) = audit(project)
    assert (entry["action"], entry["tool"], entry["findings"]) == ("hook.blocked", "Read", ["sensitive-file"])


def test_a_bash_command_reading_a_sensitive_file_is_audited(hook, project):
    (project / ".env").write_text("A=1\n")
    run = hook("PreToolUse", {"tool_name": "Bash", "tool_input": {"command": "cat .env"}}, project=project)
    assert '"permissionDecision": "deny"' in run.out
    (entry,) = audit(project)
    assert (entry["tool"], entry["file"], entry["findings"]) == ("Bash", ".env", ["sensitive-file"])


def test_a_warned_read_is_not_counted_as_a_block(hook, project):
    (project / ".empathy/config.yaml").write_text("version: 1\nhooks:\n  sensitive_files: warn\n")
    hook("PreToolUse", {"tool_name": "Read", "tool_input": {"file_path": str(project / ".env")}}, project=project)
    assert audit(project) == []


def test_a_redacted_tool_output_is_audited_without_the_secret(hook, project):
    secret = fake_secret("github")
    payload = {"tool_name": "Bash", "tool_input": {"command": "env"},
               "tool_response": {"stdout": f"TOKEN={secret}\n", "stderr": "", "interrupted": False}}  # fmt: skip
    run = hook("PostToolUse", payload, project=project)
    assert "updatedToolOutput" in run.out
    entries = [e for e in audit(project) if e["action"] == "tool_output.redacted"]
    assert [(e["tool"], e["count"]) for e in entries] == [("Bash", 1)]
    assert secret not in (project / ".empathy/audit.jsonl").read_text()
