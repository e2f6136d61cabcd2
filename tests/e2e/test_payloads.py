"""The hook payloads and environment of the real CLI, pinned so that a new release that changes them fails here.

tests/e2e/OBSERVED.md describes the same facts in prose.
"""

from __future__ import annotations

from tests.e2e.claude import hook_command, is_subagent, on, record_all, recorded, seen, write_settings
from tests.fakes import replies

COMMON = {"session_id", "transcript_path", "cwd", "hook_event_name"}


def _by_event(records):
    events = {}
    for record in records:
        events.setdefault(record["payload"]["hook_event_name"], []).append(record)
    return events


def test_a_session_with_write_edit_read_and_bash(claude, fake_api, project, tmp_path):
    log = tmp_path / "hooks.jsonl"
    write_settings(project, record_all(project, log))
    (project / "CLAUDE.md").write_text("Project memory.\n")
    (project / "notes.txt").write_text("some notes\n")
    app = project / "app.py"
    fake_api.script(
        replies.tool_use("Write", {"file_path": str(app), "content": "print(1)\n"}),
        replies.tool_use("Edit", {"file_path": str(app), "old_string": "print(1)", "new_string": "print(2)"}),
        replies.tool_use("Read", {"file_path": str(project / "notes.txt")}),
        replies.tool_use("Bash", {"command": "echo out; echo err >&2", "description": "Print two lines"}),
        replies.text("all done", hold=seen(log, "InstructionsLoaded")),
    )

    run = claude("do the four things")

    assert run.returncode == 0, run.stderr
    assert app.read_text() == "print(2)\n"
    records = recorded(log)
    names = [r["payload"]["hook_event_name"] for r in records]
    tools = [
        (r["payload"]["hook_event_name"], r["payload"].get("tool_name")) for r in records if "tool_name" in r["payload"]
    ]
    # Start-up hooks run concurrently: CLAUDE.md's InstructionsLoaded may be recorded before SessionStart.
    assert sorted(names[:2]) == ["InstructionsLoaded", "SessionStart"]
    assert names[-2:] == ["Stop", "SessionEnd"]
    assert tools == [
        (event, tool) for tool in ("Write", "Edit", "Read", "Bash") for event in ("PreToolUse", "PostToolUse")
    ]
    session = run.result["session_id"]
    for record in records:
        payload = record["payload"]
        assert payload.keys() >= COMMON, payload
        assert (payload["session_id"], payload["cwd"], record["cwd"]) == (session, str(project), str(project))
        env = record["env"]
        assert env["CLAUDE_PROJECT_DIR"] == str(project)
        assert env["CLAUDE_CODE_SESSION_ID"] == session
        assert env["CLAUDECODE"] == "1"
        # Not scrubbed by default: a hook sees the key the session uses.
        assert env["ANTHROPIC_API_KEY"] == "sk-ant-api03-fake-key-for-loopback-tests"
        assert ("CLAUDE_ENV_FILE" in env) == (payload["hook_event_name"] == "SessionStart")

    events = _by_event(records)
    (start,) = events["SessionStart"]
    assert start["payload"]["source"] == "startup"
    (loaded,) = events["InstructionsLoaded"]
    assert loaded["payload"] | {"session_id": "", "transcript_path": ""} == {
        "session_id": "",
        "transcript_path": "",
        "cwd": str(project),
        "hook_event_name": "InstructionsLoaded",
        "file_path": str(project / "CLAUDE.md"),
        "memory_type": "Project",
        "load_reason": "session_start",
    }
    (prompt,) = events["UserPromptSubmit"]
    assert prompt["payload"]["prompt"] == "do the four things"
    assert prompt["payload"]["permission_mode"] == "bypassPermissions"

    pre = {r["payload"]["tool_name"]: r["payload"] for r in events["PreToolUse"]}
    assert pre["Write"]["tool_input"] == {"file_path": str(app), "content": "print(1)\n"}
    assert pre["Edit"]["tool_input"] == {
        "file_path": str(app),
        "old_string": "print(1)",
        "new_string": "print(2)",
        "replace_all": False,
    }
    assert pre["Read"]["tool_input"] == {"file_path": str(project / "notes.txt")}
    assert pre["Bash"]["tool_input"] == {"command": "echo out; echo err >&2", "description": "Print two lines"}
    assert all(p["tool_use_id"].startswith("toolu_") for p in pre.values())

    post = {r["payload"]["tool_name"]: r["payload"] for r in events["PostToolUse"]}
    assert {name: p["tool_use_id"] for name, p in post.items()} == {name: p["tool_use_id"] for name, p in pre.items()}
    assert all(isinstance(p["duration_ms"], int) for p in post.values())
    assert post["Write"]["tool_response"]["type"] == "create"
    assert post["Write"]["tool_response"]["content"] == "print(1)\n"
    assert post["Edit"]["tool_response"]["originalFile"] == "print(1)\n"
    assert post["Read"]["tool_response"] == {
        "type": "text",
        "file": {
            "filePath": str(project / "notes.txt"),
            "content": "some notes\n",
            "numLines": 2,
            "startLine": 1,
            "totalLines": 2,
        },
    }
    bash = post["Bash"]["tool_response"]
    # Bash runs with stderr joined to stdout: the "stderr" field stays empty.
    assert (bash["stdout"], bash["stderr"], bash["interrupted"], bash["isImage"]) == ("out\nerr", "", False, False)

    (stop,) = events["Stop"]
    assert (stop["payload"]["stop_hook_active"], stop["payload"]["last_assistant_message"]) == (False, "all done")
    (end,) = events["SessionEnd"]
    assert end["payload"]["reason"] == "other"
    assert "PostToolUseFailure" not in events


def test_stop_exit_2_makes_the_model_go_on_with_the_reason(claude, fake_api, project, tmp_path):
    log = tmp_path / "hooks.jsonl"
    settings = record_all(project, log)
    once = """
        import json, sys
        if not json.load(sys.stdin)["stop_hook_active"]:
            print("tests are failing: fix them first", file=sys.stderr)
            sys.exit(2)
    """
    settings["Stop"].append(on(hook_command(project, "stop", once)))
    write_settings(project, settings)
    fake_api.script(replies.text("first try"), replies.text("second try"))

    run = claude("finish")

    assert run.result["result"] == "second try"
    stops = [r["payload"] for r in recorded(log) if r["payload"]["hook_event_name"] == "Stop"]
    assert [(s["stop_hook_active"], s["last_assistant_message"]) for s in stops] == [
        (False, "first try"),
        (True, "second try"),
    ]
    assert "tests are failing: fix them first" in str(fake_api.messages()[-1]["messages"][-1])


def test_a_subagent_fires_start_and_stop_and_its_tools_carry_its_id(claude, fake_api, project, tmp_path):
    log = tmp_path / "hooks.jsonl"
    write_settings(project, record_all(project, log))
    (project / "notes.txt").write_text("some notes\n")
    task = {"description": "Read the notes", "prompt": "read notes.txt", "subagent_type": "general-purpose"}
    fake_api.script(replies.tool_use("Agent", task), replies.text("waiting for the agent"))
    fake_api.script(
        replies.tool_use("Read", {"file_path": str(project / "notes.txt")}),
        replies.text("SUBAGENT-RESULT"),
        when=is_subagent,
    )

    run = claude("delegate")

    assert run.returncode == 0, run.stderr
    assert fake_api.unused == []
    events = _by_event(recorded(log))
    (started,) = events["SubagentStart"]
    (stopped,) = events["SubagentStop"]
    agent = started["payload"]["agent_id"]
    assert started["payload"]["agent_type"] == "general-purpose"
    assert stopped["payload"]["agent_id"] == agent
    assert stopped["payload"]["last_assistant_message"] == "SUBAGENT-RESULT"
    assert stopped["payload"]["agent_transcript_path"].endswith(f"agent-{agent}.jsonl")
    in_agent = [r["payload"] for r in events["PreToolUse"] if r["payload"].get("agent_id") == agent]
    assert [p["tool_name"] for p in in_agent] == ["Read"]
    # The Agent tool starts the subagent in the background and returns at once.
    (launch,) = [r["payload"] for r in events["PostToolUse"] if r["payload"]["tool_name"] == "Agent"]
    assert launch["tool_response"]["status"] == "async_launched"


def test_compact_fires_pre_and_post_compact_and_a_compact_session_start(claude, fake_api, project, tmp_path):
    log = tmp_path / "hooks.jsonl"
    write_settings(project, record_all(project, log))
    fake_api.script(replies.text("first answer"))
    session = claude("first prompt").result["session_id"]
    summary = "<analysis>notes</analysis>\n<summary>SUMMARY-OF-SESSION</summary>"
    fake_api.script(replies.text(summary))

    run = claude("/compact", args=("--dangerously-skip-permissions", "--resume", session))

    assert run.returncode == 0, run.stderr
    compacting = fake_api.messages()[-1]
    assert "Do NOT call any tools" in str(compacting["messages"][-1])
    later = [r["payload"] for r in recorded(log)]
    later = later[[p["hook_event_name"] for p in later].index("SessionEnd") + 1 :]
    names = [p["hook_event_name"] for p in later]
    assert names.index("PreCompact") < names.index("PostCompact")
    sources = [p["source"] for p in later if p["hook_event_name"] == "SessionStart"]
    assert sources == ["resume", "compact"]
    (pre,) = [p for p in later if p["hook_event_name"] == "PreCompact"]
    (post,) = [p for p in later if p["hook_event_name"] == "PostCompact"]
    assert (pre["trigger"], pre["custom_instructions"]) == ("manual", None)
    assert post["trigger"] == "manual"
    assert post["compact_summary"] == summary
    assert all(p["session_id"] == session for p in later)
