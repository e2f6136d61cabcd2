"""Which ways of touching a file make the real CLI load a matching path-scoped rule (issue 13, part 1).

One session per way: a rule scoped to `src/api/**`, an existing `src/api/users.py`, one scripted
tool call, and the next request checked for the rule's text. A release that changes any row
fails here; tests/e2e/OBSERVED.md records the table, and attune.hooks.deliver relies on it.
"""

from __future__ import annotations

import json

import pytest

from tests.e2e.claude import is_subagent, on, recorded, recorder, seen, texts, write_settings
from tests.fakes import replies

RULE = '---\npaths:\n  - "src/api/**"\n---\nMARK-API\n'
NOTEBOOK = {
    "cells": [
        {"cell_type": "code", "id": "c1", "source": "y = 2", "metadata": {}, "outputs": [], "execution_count": None}
    ],
    "metadata": {},
    "nbformat": 4,
    "nbformat_minor": 5,
}


def _bash(command):
    return ("Bash", {"command": command, "description": "touch the api"})


# (tool, input), with @ for the project; True: the next request carries the rule.
WAYS = {
    "Read": ([("Read", {"file_path": "@/src/api/users.py"})], True),
    "Write (a new file)": ([("Write", {"file_path": "@/src/api/orders.py", "content": "x = 1\n"})], True),
    "Edit (of a file never read)": (
        [("Edit", {"file_path": "@/src/api/users.py", "old_string": "def get", "new_string": "def fetch"})],
        True,
    ),
    "Bash cat": ([_bash("cat src/api/users.py")], True),
    "Bash cat, absolute path": ([_bash("cat @/src/api/users.py")], True),
    "Bash head": ([_bash("head -n 3 src/api/users.py")], True),
    "Bash grep FILE": ([_bash("grep def src/api/users.py")], True),
    "Bash sed -n": ([_bash("sed -n 1p src/api/users.py")], True),
    "Bash wc": ([_bash("wc -l src/api/users.py")], False),
    "Bash grep -r DIR (results name the file)": ([_bash("grep -rn def src")], False),
    "Bash find (results name the file)": ([_bash("find src -name '*.py'")], False),
    "Bash ls": ([_bash("ls src/api")], False),
    "Bash > redirection": ([_bash("printf 'x = 1\\n' > src/api/orders.py")], False),
    "Bash heredoc": ([_bash("cat > src/api/orders.py <<'EOF'\nx = 1\nEOF")], False),
    "Bash tee": ([_bash("printf 'x = 1\\n' | tee src/api/orders.py")], False),
    "Bash sed -i": ([_bash("sed -i 's/get/fetch/' src/api/users.py")], False),
    "Bash cp into place": ([_bash("cp @/outside.py src/api/orders.py")], False),
    "Bash mv into place": ([_bash("mv @/outside.py src/api/orders.py")], False),
    "Bash touch": ([_bash("touch src/api/orders.py")], False),
    "Bash python -c writing": ([_bash("python3 -c \"open('src/api/orders.py', 'w').write('x = 1')\"")], False),
    # Tools this release does not offer, or refuses before any hook runs:
    "MultiEdit (no such tool)": (
        [("MultiEdit", {"file_path": "@/src/api/users.py", "edits": [{"old_string": "def", "new_string": "def"}]})],
        False,
    ),
    "Grep tool (no such tool)": ([("Grep", {"pattern": "def", "path": "@/src/api"})], False),
    "Glob tool (no such tool)": ([("Glob", {"pattern": "src/api/**/*.py"})], False),
    "NotebookEdit of a notebook never read (refused)": (
        [("NotebookEdit", {"notebook_path": "@/src/api/nb.ipynb", "new_source": "x = 1", "cell_id": "c1"})],
        False,
    ),
}


def _project(project, tmp_path, events):
    log = tmp_path / "hooks.jsonl"
    command = recorder(project, log)
    write_settings(project, {event: [on(command)] for event in events})
    (project / ".claude/rules").mkdir(parents=True)
    (project / ".claude/rules/api.md").write_text(RULE)
    (project / "src/api").mkdir(parents=True)
    (project / "src/api/users.py").write_text("def get(): ...\n")
    (project / "src/api/nb.ipynb").write_text(json.dumps(NOTEBOOK))
    (project / "outside.py").write_text("x = 1\n")
    return log


def _turn(name, tool_input, project):
    return replies.tool_use(name, json.loads(json.dumps(tool_input).replace("@", str(project))))


def _scoped_loads(log):
    return [
        r["payload"]
        for r in recorded(log)
        if r["payload"]["hook_event_name"] == "InstructionsLoaded" and r["payload"]["load_reason"] == "path_glob_match"
    ]


@pytest.mark.parametrize("way", list(WAYS))
def test_which_ways_of_touching_a_file_load_its_scoped_rule(way, claude, fake_api, project, tmp_path):
    calls, loads = WAYS[way]
    log = _project(project, tmp_path, ("InstructionsLoaded", "PreToolUse", "PostToolUse"))
    # When the rule loads, the last reply waits for its InstructionsLoaded record (OBSERVED.md).
    last = replies.text("done", hold=seen(log, "InstructionsLoaded") if loads else None)
    fake_api.script(*[_turn(name, tool_input, project) for name, tool_input in calls], last)

    run = claude("work on the api")

    assert run.returncode == 0, run.stderr
    first, *_, after = fake_api.messages(scripted_only=True)
    assert "MARK-API" not in texts(first)
    assert ("MARK-API" in texts(after)) is loads
    assert bool(_scoped_loads(log)) is loads


def test_tools_the_cli_does_not_offer_fire_no_hook(claude, fake_api, project, tmp_path):
    """MultiEdit, Grep and Glob are unknown to this release and a NotebookEdit of an unread
    notebook is refused before PreToolUse: no hook of ours ever sees them."""
    log = _project(project, tmp_path, ("PreToolUse", "PostToolUse", "PostToolUseFailure"))
    names = ["MultiEdit (no such tool)", "Grep tool (no such tool)", "Glob tool (no such tool)"]
    names.append("NotebookEdit of a notebook never read (refused)")
    fake_api.script(*[_turn(*WAYS[name][0][0], project) for name in names], replies.text("done"))

    claude("work on the api")

    errors = [
        block["content"]
        for body in fake_api.messages(scripted_only=True)[-1:]
        for message in body["messages"]
        if isinstance(message["content"], list)
        for block in message["content"]
        if block.get("type") == "tool_result"
    ]
    assert sum("No such tool available" in e for e in errors) == 3
    assert any("File has not been read yet" in e for e in errors)
    assert recorded(log) == []


def test_a_rule_a_subagent_loads_stays_in_the_subagent(claude, fake_api, project, tmp_path):
    """A subagent's Read loads the rule into the subagent's requests only; InstructionsLoaded
    carries its agent_id. SubagentStart does not carry the task's prompt."""
    log = _project(project, tmp_path, ("InstructionsLoaded", "SubagentStart", "SubagentStop"))
    task = {"description": "api work", "prompt": "read src/api/users.py", "subagent_type": "general-purpose"}
    fake_api.script(replies.tool_use("Agent", task), replies.text("waiting", hold=seen(log, "SubagentStop")))
    fake_api.script(_turn("Read", {"file_path": "@/src/api/users.py"}, project), replies.text("ok"), when=is_subagent)

    claude("delegate")

    bodies = fake_api.messages()
    subagent = [b for b in bodies if is_subagent(b)]
    main = [b for b in bodies if not is_subagent(b) and b.get("tools")]
    assert ["MARK-API" in texts(b) for b in subagent] == [False, True]
    assert not any("MARK-API" in texts(b) for b in main)
    (start,) = [r["payload"] for r in recorded(log) if r["payload"]["hook_event_name"] == "SubagentStart"]
    assert "prompt" not in start and start["agent_type"] == "general-purpose"
    (load,) = _scoped_loads(log)
    assert load["agent_id"] == start["agent_id"]


def test_a_subagent_that_writes_through_bash_gets_no_rule(claude, fake_api, project, tmp_path):
    log = _project(project, tmp_path, ("InstructionsLoaded", "SubagentStop"))
    task = {"description": "api work", "prompt": "write src/api/orders.py", "subagent_type": "general-purpose"}
    fake_api.script(replies.tool_use("Agent", task), replies.text("waiting", hold=seen(log, "SubagentStop")))
    fake_api.script(_turn(*_bash("printf 'x\\n' > src/api/orders.py"), project), replies.text("ok"), when=is_subagent)

    claude("delegate")

    assert not any("MARK-API" in texts(b) for b in fake_api.messages())
    assert _scoped_loads(log) == []
