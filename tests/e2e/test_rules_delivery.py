"""The scoped rules the real CLI does not load itself reach the model through our hooks (issue 13, part 1).

A fresh session whose scripted model writes src/api/orders.py through Bash, without reading
anything: the next request carries the scoped rule's text. A subagent whose task names that path
starts with it.
"""

from __future__ import annotations

import json

from attune import cli
from tests.e2e.claude import VENV_PATH, is_subagent, texts
from tests.fakes import replies
from tests.helpers import write_pattern

RULE_TEXT = "MARK-ORDERS: validate the quantity before pricing an order"


def _library(installed):
    write_pattern(installed, "order-quantity", paths=["src/api/**"], body=RULE_TEXT)
    write_pattern(installed, "tz-naive", body="MARK-UNSCOPED: always aware datetimes")
    assert cli.main(["sync", "--root", str(installed), "-q"]) == 0
    (installed / "src/api").mkdir(parents=True)


def _deliveries(root):
    path = root / ".empathy/logs/rules-delivered.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_a_bash_write_without_any_read_gets_the_scoped_rule_once(claude, fake_api, installed):
    _library(installed)
    write = {"command": "printf 'def price(q): ...\\n' > src/api/orders.py", "description": "Write orders"}
    again = {"command": "printf 'x = 1\\n' > src/api/refunds.py", "description": "Write refunds"}
    fake_api.script(replies.tool_use("Bash", write), replies.tool_use("Bash", again), replies.text("done"))

    run = claude("add the orders endpoint", env=VENV_PATH)

    assert run.returncode == 0, run.stderr
    assert (installed / "src/api/orders.py").exists()
    first, after_write, after_again = fake_api.messages(scripted_only=True)
    assert RULE_TEXT not in texts(first) and "MARK-UNSCOPED" in texts(first)
    assert RULE_TEXT in texts(after_write)
    # It arrives as PreToolUse context, a `role: "system"` message after the command's result.
    *_, result, context = after_write["messages"]
    assert "tool_result" in texts(result) and context["role"] == "system"
    assert "PreToolUse:Bash hook additional context: Project rules for src/api/orders.py" in texts(context)
    # Once per session: the second write into the folder adds nothing, and the unscoped rule is never repeated.
    assert texts(after_again).count(RULE_TEXT) == 1
    assert texts(after_again).count("MARK-UNSCOPED") == 1
    (entry,) = _deliveries(installed)
    assert (entry["how"], entry["trigger"], entry["glob"]) == ("bash-write", "src/api/orders.py", "src/api/**")


def test_a_subagent_whose_task_names_a_scoped_path_starts_with_its_rule(claude, fake_api, installed):
    _library(installed)
    task = {
        "description": "orders",
        "prompt": "Write src/api/orders.py with a price()",
        "subagent_type": "general-purpose",
    }
    asked = lambda: any(is_subagent(b) for b in fake_api.messages())  # noqa: E731 - the main agent waits for it
    fake_api.script(replies.tool_use("Agent", task), replies.text("waiting", hold=asked))
    fake_api.script(replies.text("SUBAGENT-DONE"), when=is_subagent)

    claude("delegate the orders endpoint", env=VENV_PATH)

    (subagent_first,) = [b for b in fake_api.messages() if is_subagent(b)]
    assert RULE_TEXT in texts(subagent_first)
    (entry,) = _deliveries(installed)
    assert entry["how"] == "subagent-task" and entry["agent"]


def test_the_client_does_not_know_of_our_delivery_and_loads_the_file_on_a_read(claude, fake_api, installed):
    _library(installed)
    write = {"command": "printf 'x = 1\\n' > src/api/orders.py", "description": "Write orders"}
    fake_api.script(
        replies.tool_use("Bash", write),
        replies.tool_use("Read", {"file_path": str(installed / "src/api/orders.py")}),
        replies.text("done"),
    )

    claude("add the orders endpoint", env=VENV_PATH)

    *_, after_read = fake_api.messages(scripted_only=True)
    assert texts(after_read).count(RULE_TEXT) == 2  # ours after the write, the client's own after the read


def test_a_recursive_grep_that_shows_a_scoped_file_gets_its_rule(claude, fake_api, installed):
    _library(installed)
    (installed / "src/api/users.py").write_text("def get(): ...\n")
    search = {"command": "grep -rn 'def ' src", "description": "Find functions"}
    fake_api.script(replies.tool_use("Bash", search), replies.text("done"))

    claude("list the api functions", env=VENV_PATH)

    *_, after = fake_api.messages(scripted_only=True)
    assert "src/api/users.py:1:def get()" in texts(after)
    assert "PostToolUse:Bash hook additional context: Project rules for src/api/users.py" in texts(after)
    assert texts(after).count(RULE_TEXT) == 1
