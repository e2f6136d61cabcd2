"""PreToolUse and SubagentStart deliver the scoped rules the client does not load itself (issue 13)."""

from __future__ import annotations

import json

import pytest

from attune import cli
from attune.hooks import deliver, instructions, writes
from tests.helpers import write_pattern
from tests.hooks.real import run_hook


@pytest.fixture
def library(repo, capsys):
    assert cli.main(["init", "--root", str(repo)]) == 0
    write_pattern(repo, "null-user", paths=["src/api/**"], body="MARK-NULL-USER: check for a missing user.")
    write_pattern(repo, "tz-naive", body="MARK-TZ: always aware datetimes.")
    assert cli.main(["sync", "--root", str(repo), "-q"]) == 0
    capsys.readouterr()
    return repo


def bash(library, command, **fields):
    tool = {"tool_name": "Bash", "tool_input": {"command": command, "description": "x"}, "tool_use_id": "t1"}
    return run_hook("PreToolUse", {**tool, **fields}, project=library)


def context(run):
    return ((run.output or {}).get("hookSpecificOutput") or {}).get("additionalContext", "")


def deliveries(library):
    path = library / ".empathy/logs/rules-delivered.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_a_bash_write_into_a_scoped_folder_gets_the_rule_once_per_session(library):
    first = bash(library, "printf 'x = 1\\n' > src/api/orders.py")
    assert first.code == 0 and first.decision is None  # context only: the command is not judged
    text = context(first)
    assert "MARK-NULL-USER" in text and "src/api/orders.py" in text
    assert ".claude/rules/attune/bug-patterns--api.md" in text
    assert "MARK-TZ" not in text  # unscoped: the client loaded it at session start
    assert context(bash(library, "tee src/api/other.py < /dev/null")) == ""  # the session has it now
    assert "MARK-NULL-USER" in context(bash(library, "touch src/api/x.py", session_id="session-2"))
    (entry, second) = deliveries(library)
    assert entry["how"] == "bash-write" and entry["glob"] == "src/api/**" and entry["trigger"] == "src/api/orders.py"
    assert second["session"] == "session-2"


def test_a_rule_the_client_already_loaded_is_not_repeated(library):
    run_hook(
        "InstructionsLoaded",
        {"file_path": str(library / ".claude/rules/attune/bug-patterns--api.md"), "load_reason": "path_glob_match"},
        project=library,
    )
    assert context(bash(library, "printf 'x' > src/api/orders.py")) == ""


def test_a_subagent_keeps_its_own_tally(library):
    run_hook(
        "InstructionsLoaded",
        {"file_path": str(library / ".claude/rules/attune/bug-patterns--api.md"), "agent_id": "a1"},
        project=library,
    )
    assert "MARK-NULL-USER" in context(bash(library, "printf 'x' > src/api/orders.py"))  # the main agent lacks it
    assert context(bash(library, "printf 'x' > src/api/orders.py", agent_id="a1")) == ""


@pytest.mark.parametrize(
    "command",
    ["ls src/api", "cat src/api/users.py", "printf 'x' > src/web/app.py", 'printf x > "$OUT"', "echo hi >&2"],
)
def test_commands_that_write_no_scoped_file_get_nothing(library, command):
    run = bash(library, command)
    assert run.code == 0 and run.out == ""
    assert deliveries(library) == []


def test_without_an_index_nothing_is_delivered_and_nothing_fails(library):
    (library / ".empathy/cache/rules-index.json").unlink()
    run = bash(library, "printf 'x' > src/api/orders.py")
    assert run.code == 0 and run.out == ""


def test_a_denied_command_gets_no_rule(library):
    token = "ghp_" + "A1b2" * 9
    run = bash(library, f"printf '{token}' > src/api/orders.py")
    assert run.decision == "deny" and "MARK-NULL-USER" not in run.out


def test_a_subagent_whose_task_names_a_scoped_path_starts_with_its_rules(library):
    task = {"description": "orders", "prompt": "Add src/api/orders.py and a test.", "subagent_type": "general-purpose"}
    noted = run_hook("PreToolUse", {"tool_name": "Agent", "tool_input": task, "tool_use_id": "t9"}, project=library)
    assert noted.code == 0 and noted.out == ""
    start = {"agent_id": "a7", "agent_type": "general-purpose"}

    run = run_hook("SubagentStart", start, project=library)

    assert run.code == 0
    specific = run.output["hookSpecificOutput"]
    assert specific["hookEventName"] == "SubagentStart" and "MARK-NULL-USER" in specific["additionalContext"]
    (entry,) = deliveries(library)
    assert (entry["agent"], entry["how"], entry["task"]) == ("a7", "subagent-task", "t9")
    # The note is taken: a second subagent of the session gets nothing from it.
    assert run_hook("SubagentStart", {**start, "agent_id": "a8"}, project=library).out == ""
    # Nor does a subagent whose task names no scoped path.
    task["prompt"] = "Summarise README.md"
    run_hook("PreToolUse", {"tool_name": "Agent", "tool_input": task, "tool_use_id": "t10"}, project=library)
    assert run_hook("SubagentStart", {**start, "agent_id": "a9"}, project=library).out == ""


def test_many_rules_stay_within_the_clients_cap(library, capsys):
    for number in range(6):
        write_pattern(library, f"big-{number}", paths=[f"src/api/m{number}/**"], body="y" * 5000)
    cli.main(["sync", "--root", str(library), "-q"])
    capsys.readouterr()
    command = " ; ".join(f"touch src/api/m{n}/a.py" for n in range(6))

    text = context(bash(library, command))

    assert 5000 < len(text) <= 10_000
    assert "More project rules apply; read them before going on: .claude/rules/attune/" in text


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("printf 'x' > a.py", ["a.py"]),
        ("echo x >> a.py 2>/dev/null", ["a.py"]),
        ("cat > a.py <<'EOF'\nx\nEOF", ["a.py"]),
        ("printf x | tee -a a.py b.py", ["a.py", "b.py"]),
        ("sed -i 's/a/b/' a.py b.py", ["a.py", "b.py"]),
        ("sed -i -e 's/a/b/' a.py", ["a.py"]),
        ("cp /tmp/x.py a.py", ["a.py"]),
        ("mv /tmp/x.py src/", ["src/x.py"]),
        ("cp -t src /tmp/x.py /tmp/y.py", ["src/x.py", "src/y.py"]),
        ("cd src && touch a.py", ["src/a.py"]),
        ("dd if=/dev/zero of=a.bin count=1", ["a.bin"]),
        ("sudo tee a.py < x", ["a.py"]),
        ("cat a.py; ls", []),
        ("printf x > /dev/null", []),
    ],
)
def test_write_targets(tmp_path, command, expected):
    (tmp_path / "src").mkdir()
    assert writes.targets(command, str(tmp_path)) == [str(tmp_path / e) for e in expected]


def test_after_a_compaction_the_rule_is_delivered_again(library):
    assert "MARK-NULL-USER" in context(bash(library, "printf x > src/api/a.py"))
    # The client reloads its unconditional rules after a compaction: the context started again.
    start = {"file_path": str(library / ".claude/rules/attune/bug-patterns.md"), "load_reason": "session_start"}
    run_hook("InstructionsLoaded", start, project=library)
    assert "MARK-NULL-USER" in context(bash(library, "printf x > src/api/b.py"))


def test_the_ledger_read_is_the_one_written():
    assert deliver.LEDGER == instructions.LEDGER


def post(library, tool, tool_input, response):
    fields = {"tool_name": tool, "tool_input": tool_input, "tool_response": response, "tool_use_id": "t2"}
    return run_hook("PostToolUse", fields, project=library)


def test_a_recursive_grep_that_shows_lines_of_a_scoped_file_gets_its_rule(library):
    (library / "src/api").mkdir(parents=True)
    (library / "src/api/users.py").write_text("def get(): ...\n")
    output = {"stdout": "src/api/users.py:1:def get(): ...\nREADME.md:3:def", "stderr": "", "interrupted": False}

    run = post(library, "Bash", {"command": "grep -rn def ."}, output)

    specific = run.output["hookSpecificOutput"]
    assert specific["hookEventName"] == "PostToolUse" and "MARK-NULL-USER" in specific["additionalContext"]
    assert deliveries(library)[0]["how"] == "search"
    assert post(library, "Bash", {"command": "grep -rn def ."}, output).out == ""  # once per session


def test_search_output_naming_no_real_file_or_from_another_command_gets_nothing(library):
    (library / "src/api").mkdir(parents=True)
    (library / "src/api/users.py").write_text("x\n")
    ghost = {"stdout": "src/api/ghost.py:1:x", "stderr": "", "interrupted": False}
    assert post(library, "Bash", {"command": "grep -rn x src"}, ghost).out == ""
    echoed = {"stdout": "src/api/users.py:1:x", "stderr": "", "interrupted": False}
    assert post(library, "Bash", {"command": "cat notes.txt"}, echoed).out == ""


def test_the_grep_tool_s_filenames_get_their_rules_beside_a_redaction(library):
    (library / "src/api").mkdir(parents=True)
    (library / "src/api/users.py").write_text("x\n")
    token = "ghp_" + "A1b2" * 9
    response = {"mode": "content", "filenames": [str(library / "src/api/users.py")], "content": f"t = {token}"}

    run = post(library, "Grep", {"pattern": "t"}, response)

    specific = run.output["hookSpecificOutput"]
    assert "MARK-NULL-USER" in specific["additionalContext"]
    assert token not in run.out and "[SECRET:" in json.dumps(specific["updatedToolOutput"])


def test_a_regex_planted_in_the_index_is_never_run(library):
    # The index sits in the repository: a pull request could commit one whose regular expression never
    # finishes. The hook makes its expressions from the globs, so the planted one changes nothing.
    path = library / ".empathy/cache/rules-index.json"
    data = json.loads(path.read_text())
    for item in data["rules"]:
        item["compiled"] = [[g, "(a+)+$", ""] for g in item["globs"]]
    path.write_text(json.dumps(data))
    run = bash(library, "printf 'x = 1\\n' > src/api/orders.py")
    assert run.code == 0 and "MARK-NULL-USER" in context(run)


def test_a_pipe_in_place_of_the_ledger_reads_as_no_ledger(library):
    import os

    (library / ".empathy/logs").mkdir(exist_ok=True)
    os.mkfifo(library / ".empathy/logs/instructions.jsonl")  # opened for reading, it would block the hook
    run = bash(library, "printf 'x = 1\\n' > src/api/orders.py")
    assert run.code == 0 and "MARK-NULL-USER" in context(run)
