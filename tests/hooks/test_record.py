from __future__ import annotations

import json
import os
import re

from attune import audit
from tests.helpers import EMAIL, build_tree, fake_secret


def record(project, session="session-1"):
    return json.loads((project / f".empathy/sessions/{session}.json").read_text())


def touch(hook, project, name):
    payload = {
        "tool_name": "Edit",
        "tool_input": {"file_path": str(project / name), "old_string": "a", "new_string": "b"},
    }
    hook("PostToolUse", payload, project=project)


def test_a_session_record_follows_the_session(hook, project):
    touch(hook, project, "src/a.py")
    touch(hook, project, "src/b.py")
    touch(hook, project, "src/a.py")
    hook(
        "PostToolUse",
        {"tool_name": "Bash", "tool_input": {"command": "pytest", "description": "Run the tests"}},
        project=project,
    )
    assert (
        hook("Stop", {"stop_hook_active": False, "last_assistant_message": "Fixed the parser."}, project=project).raw
        == ""
    )
    data = record(project)
    assert data["session_id"] == "session-1"
    assert data["last_assistant_message"] == "Fixed the parser."
    assert data["files_touched"] == ["src/a.py", "src/b.py"]
    assert [e["event"] for e in data["timeline"]] == ["Bash", "Stop"]
    assert data["timeline"][0]["detail"] == "Run the tests"
    touch(hook, project, "src/c.py")
    hook("PreCompact", {"trigger": "auto"}, project=project)
    hook(
        "PostCompact",
        {"trigger": "auto", "compact_summary": "We fixed the parser and started on the lexer."},
        project=project,
    )
    hook(
        "SubagentStop",
        {"agent_type": "general-purpose", "last_assistant_message": "Found 3 call sites."},
        project=project,
    )
    hook("SessionEnd", {"reason": "prompt_input_exit"}, project=project)
    data = record(project)
    assert data["files_touched"] == ["src/a.py", "src/b.py", "src/c.py"]
    assert data["compact_summaries"] == ["We fixed the parser and started on the lexer."]
    assert [e["event"] for e in data["timeline"]] == [
        "Bash",
        "Stop",
        "PreCompact",
        "PostCompact",
        "SubagentStop",
        "SessionEnd",
    ]
    assert data["timeline"][-1]["detail"] == "prompt_input_exit"
    assert data["timeline"][-2]["detail"] == "general-purpose: Found 3 call sites."


def test_records_are_scrubbed_before_they_are_written(hook, project):
    key = fake_secret("anthropic")
    hook("Stop", {"last_assistant_message": f"Mailed {EMAIL}; the key is {key}"}, project=project)
    text = (project / ".empathy/sessions/session-1.json").read_text()
    assert key not in text and "jane.doe" not in text
    assert record(project)["last_assistant_message"] == "Mailed [EMAIL]; the key is [SECRET:anthropic-api-key]"
    (redaction,) = [e for e in audit.entries(project) if e["action"] == "session.redacted"]
    assert (redaction["session"], redaction["fields"]) == ("session-1", ["last_assistant_message"])


def test_no_record_without_a_library(hook, repo):
    hook("Stop", {"last_assistant_message": "hi"}, project=repo)
    assert not (repo / ".empathy").exists()


def test_no_record_when_turned_off(hook, project):
    build_tree(project, {".empathy/config.yaml": "hooks:\n  session_records: false\n"})
    hook("Stop", {"last_assistant_message": "hi"}, project=project)
    assert not (project / ".empathy/sessions").exists()


def test_session_ids_cannot_escape_the_folder(hook, project):
    for session in ("../../evil", "/tmp/evil", "..", "a" * 129, "x\x00y"):
        hook("Stop", {"session_id": session, "last_assistant_message": "hi"}, project=project)
    names = sorted(p.name for p in (project / ".empathy/sessions").iterdir())
    assert len(names) == 5 and all(re.fullmatch(r"h-[0-9a-f]{32}\.json", name) for name in names)
    assert sorted(p.name for p in project.parent.iterdir()) == ["repo"]
    assert {record(project, name[:-5])["session_id"] for name in names} == {name[:-5] for name in names}


def test_a_session_id_holding_a_secret_is_never_a_file_name(hook, project):
    token = fake_secret("github")
    hook("Stop", {"session_id": token, "last_assistant_message": "hi"}, project=project)
    hook("Stop", {"session_id": f"agent-{token}", "last_assistant_message": "hi"}, project=project)
    for path in (project / ".empathy").rglob("*"):
        assert token not in path.name and (path.is_dir() or token not in path.read_text())


def test_instructions_loaded_is_kept_in_a_ledger(hook, project):
    payload = {
        "file_path": str(project / ".claude/rules/attune/bug-patterns--api.md"),
        "memory_type": "Project",
        "load_reason": "path_glob_match",
        "globs": ["src/api/**"],
        "trigger_file_path": str(project / "src/api/users.py"),
    }
    assert hook("InstructionsLoaded", payload, project=project).raw == ""
    (line,) = (project / ".empathy/logs/instructions.jsonl").read_text().splitlines()
    entry = json.loads(line)
    assert entry | {"time": "", "at": 0} == {
        "time": "",
        "at": 0,
        "session": "session-1",
        "file": ".claude/rules/attune/bug-patterns--api.md",
        "reason": "path_glob_match",
        "memory_type": "Project",
        "globs": ["src/api/**"],
        "trigger": "src/api/users.py",
        "agent": "",
    }


def test_a_damaged_record_is_moved_aside_and_started_again(hook, project):
    hook("Stop", {"last_assistant_message": "first"}, project=project)
    path = project / ".empathy/sessions/session-1.json"
    path.write_text('{"session_id": "sess')
    assert hook("Stop", {"last_assistant_message": "second"}, project=project).code == 0
    assert record(project)["last_assistant_message"] == "second"
    (aside,) = [p for p in path.parent.iterdir() if ".damaged-" in p.name]
    assert aside.name.startswith("session-1.json.damaged-") and aside.read_text() == '{"session_id": "sess'
    assert [e["action"] for e in audit.entries(project)] == ["session.damaged"]


def test_recording_never_writes_through_a_link_or_into_a_folder(hook, project):
    victim = project.parent / "victim.txt"
    victim.write_text("outside\n")
    sessions = project / ".empathy/sessions"
    sessions.mkdir()
    (sessions / "session-1.events.jsonl").symlink_to(victim)
    (sessions / "session-1.json").symlink_to(victim)
    (project / ".empathy/logs").write_text("a file where a folder should be")
    touch(hook, project, "src/a.py")
    hook("Stop", {"last_assistant_message": "done"}, project=project)
    assert hook("InstructionsLoaded", {"file_path": str(project / "CLAUDE.md")}, project=project).code == 0
    assert victim.read_text() == "outside\n"
    assert record(project)["files_touched"] == ["src/a.py"]
    assert (project / ".empathy/logs/instructions.jsonl").is_file()
    assert len(list(project.rglob("*.damaged-*"))) == 3


def test_an_older_record_holding_a_secret_is_scrubbed_when_it_is_next_written(hook, project):
    key = fake_secret("github")
    hook("Stop", {"last_assistant_message": "first"}, project=project)
    path = project / ".empathy/sessions/session-1.json"
    data = json.loads(path.read_text())
    data["last_assistant_message"] = f"the key is {key}"
    data["timeline"][0]["detail"] = f"export K={key}"
    path.write_text(json.dumps(data))
    hook("SessionEnd", {"reason": "exit"}, project=project)
    assert key not in path.read_text()


def test_events_are_never_read_through_a_link(hook, project):
    forged = project.parent / "forged.jsonl"
    forged.write_text('{"time": "2026-01-01T00:00:00Z", "event": "file", "detail": "forged.py"}\n')
    sessions = project / ".empathy/sessions"
    sessions.mkdir()
    (sessions / "session-1.events.jsonl").symlink_to(forged)
    hook("Stop", {"last_assistant_message": "done"}, project=project)
    assert record(project)["files_touched"] == []


def test_events_that_are_a_pipe_do_not_hold_up_the_record(hook, project):
    """Events are read through attune.safefile (issue 15): opening a pipe to read would block the Stop hook
    until its deadline, and the record would never be written."""
    sessions = project / ".empathy/sessions"
    sessions.mkdir()
    os.mkfifo(sessions / "session-1.events.jsonl")
    assert hook("Stop", {"last_assistant_message": "done"}, project=project).code == 0
    assert record(project)["last_assistant_message"] == "done"


def test_a_record_that_is_a_pipe_is_moved_aside_without_blocking(hook, project):
    sessions = project / ".empathy/sessions"
    sessions.mkdir()
    os.mkfifo(sessions / "session-1.json")
    assert hook("Stop", {"last_assistant_message": "done"}, project=project).code == 0
    assert record(project)["last_assistant_message"] == "done"
    assert [p.name.startswith("session-1.json.damaged-") for p in sessions.iterdir() if ".damaged-" in p.name] == [True]


def test_a_command_description_is_scrubbed_before_it_is_cut(hook, project):
    # A token straddling the cut used to leave its first half on disk, too short to be recognised.
    key = fake_secret("github")
    description = "x" * 190 + " " + key + " and more"
    tool_input = {"command": "true", "description": description}
    hook("PostToolUse", {"tool_name": "Bash", "tool_input": tool_input, "tool_response": {}}, project=project)
    written = "".join(p.read_text() for p in (project / ".empathy/sessions").rglob("*") if p.is_file())
    assert "Bash" in written
    assert key[:6] not in written  # nothing of it, not even its prefix


def test_a_known_secret_value_is_never_kept_in_a_session_record(hook, project, monkeypatch):
    # 40 characters with no shape a scanner knows: only its variable's name makes it a secret.
    value = "wJalrXUtnFEMI" + "K7MDENGbPxRfiCY" + "Q3zp8Lm2Vb7Nq4Tr"[:12]
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", value)
    hook("Stop", {"last_assistant_message": f"The key is {value}."}, project=project)
    hook("PostCompact", {"trigger": "auto", "compact_summary": f"Used {value} to deploy."}, project=project)
    written = "".join(p.read_text() for p in (project / ".empathy/sessions").rglob("*") if p.is_file())
    assert "last_assistant_message" in written
    assert value not in written
    assert "[SECRET:$AWS_SECRET_ACCESS_KEY]" in written
