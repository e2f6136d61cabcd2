"""The product's hooks in the real Claude Code CLI: installed by `empathy hooks install`, run as `empathy`.

The CLI finds `empathy` on PATH, as it would on a user's machine: the PATH given to it starts with
this interpreter's bin directory.
"""

from __future__ import annotations

import json

from attune import cli
from tests.e2e.claude import VENV_PATH, texts
from tests.fakes import replies
from tests.helpers import fake_secret, write_pattern

KEY = fake_secret("anthropic")
PATH = VENV_PATH


def test_a_write_holding_a_key_is_denied_and_never_reaches_the_disk(claude, fake_api, installed):
    target = installed / "config.py"
    fake_api.script(
        replies.tool_use("Write", {"file_path": str(target), "content": f'API_KEY = "{KEY}"\n'}),
        replies.text("understood"),
    )

    run = claude("store the key in config.py", env=PATH)

    assert run.returncode == 0, run.stderr
    assert not target.exists()
    assert [d["tool_name"] for d in run.result["permission_denials"]] == ["Write"]
    follow_up = texts(fake_api.messages(scripted_only=True)[-1])
    assert "attune-companion: the new content of config.py holds a secret: line 1: anthropic-api-key" in follow_up
    assert "Read the value from the environment" in follow_up


def test_a_prompt_holding_a_key_never_reaches_the_api(claude, fake_api, installed):
    fake_api.script(replies.text("should never be asked"))

    run = claude(f"deploy with this key: {KEY}", env=PATH)

    assert all(KEY not in texts(body) for body in fake_api.messages())
    assert fake_api.messages(scripted_only=True) == []
    assert "should never be asked" not in json.dumps(run.events)


def test_a_secret_in_tool_output_is_redacted_from_the_model(claude, fake_api, installed):
    settings = installed / "deploy.ini"
    settings.write_text(f"[api]\nkey = {KEY}\nregion = eu\n")
    fake_api.script(replies.tool_use("Read", {"file_path": str(settings)}), replies.text("read it"))

    claude("show deploy.ini", env=PATH)

    seen = texts(fake_api.messages(scripted_only=True)[-1])
    assert KEY not in seen
    assert "key = [SECRET:anthropic-api-key]" in seen and "region = eu" in seen


def test_the_next_session_starts_with_a_digest_of_the_last(claude, fake_api, installed):
    fake_api.script(
        replies.tool_use("Write", {"file_path": str(installed / "auth.py"), "content": "ROUNDS = 12\n"}),
        replies.text("Decided: hash passwords with argon2id; open question: migrate old hashes?"),
    )
    claude("harden the password storage", env=PATH)
    records = list((installed / ".empathy/sessions").glob("*.json"))
    assert len(records) == 1
    fake_api.script(replies.text("hello again"))

    claude("where were we?", env=PATH)

    first_request = texts(fake_api.messages(scripted_only=True)[-1])
    assert "Previous session in this project" in first_request
    assert "argon2id" in first_request
    assert "Files touched: auth.py" in first_request


def test_rule_loads_are_recorded_in_the_ledger(claude, fake_api, installed):
    write_pattern(installed, "api-errors", paths=["src/api/**"])
    cli.main(["sync", "--root", str(installed), "-q"])
    (installed / "src/api").mkdir(parents=True)
    (installed / "src/api/users.py").write_text("def get(): ...\n")
    ledger = installed / ".empathy/logs/instructions.jsonl"

    def loaded():
        return ledger.exists() and "bug-patterns--api.md" in ledger.read_text()

    fake_api.script(
        replies.tool_use("Read", {"file_path": str(installed / "src/api/users.py")}),
        # The CLI does not wait for InstructionsLoaded hooks: hold the last reply until ours has written.
        replies.text("done", hold=loaded),
    )

    claude("read the users module", env=PATH)

    entries = [json.loads(line) for line in ledger.read_text().splitlines()]
    scoped = [e for e in entries if e["file"] == ".claude/rules/attune/bug-patterns--api.md"]
    assert scoped and scoped[0]["reason"] == "path_glob_match"
    assert scoped[0]["trigger"] == "src/api/users.py"
    # The client reports a trailing `/**` as the folder itself (OBSERVED.md); the ledger keeps what it says.
    assert scoped[0]["globs"] == ["src/api"]


def test_a_failing_command_that_would_print_a_secret_is_denied_before_it_runs(claude, fake_api, installed):
    """A failure's output cannot be redacted, so the file is scanned before the command runs (issue 10)."""
    (installed / "deploy.ini").write_text(f"key = {KEY}\n")
    fake_api.script(
        replies.tool_use("Bash", {"command": "grep key deploy.ini; exit 3", "description": "Find the key"}),
        replies.text("ok"),
    )

    claude("find the key", env=PATH)

    seen = texts(fake_api.messages(scripted_only=True)[-1])
    assert "would print secrets into the conversation: deploy.ini (line 1: anthropic-api-key" in seen
    assert KEY not in json.dumps(fake_api.messages(scripted_only=True))


def test_a_failed_command_that_printed_a_secret_is_flagged_to_the_model(claude, fake_api, installed):
    """What no file scan can see (here a compressed file) still gets the failure's warning."""
    import gzip

    (installed / "deploy.ini.gz").write_bytes(gzip.compress(f"key = {KEY}\n".encode()))
    fake_api.script(
        replies.tool_use("Bash", {"command": "gunzip -c < deploy.ini.gz; exit 3", "description": "Find the key"}),
        replies.text("ok"),
    )

    claude("find the key", env=PATH)

    seen = texts(fake_api.messages(scripted_only=True)[-1])
    assert "the failed Bash output above shows a secret (anthropic-api-key" in seen
    assert "Do not repeat it" in seen
