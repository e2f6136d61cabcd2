"""Secrets the hooks know by value: the environment's secret-named variables and the project's .env files (issue 10)."""

from __future__ import annotations

import json
import os
import random
import string
import subprocess
import sys

import pytest

from attune.scan import known

ALPHABET = string.ascii_letters + string.digits + "/+"


def random_secret(length=40):
    return "".join(random.SystemRandom().choice(ALPHABET) for _ in range(length))


def stripe_key():
    return "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc"


@pytest.fixture
def world(repo):
    """A project with a .env holding a Stripe key, and an environment holding a bare AWS secret."""
    aws = random_secret()
    (repo / ".env").write_text(f"# local settings\nDEBUG=true\nPORT=8080\nSTRIPE_SECRET_KEY={stripe_key()}\n")
    (repo / ".env.example").write_text("STRIPE_SECRET_KEY=sk_test_placeholder_value_1234\n")
    env = {**os.environ, "CLAUDE_PROJECT_DIR": str(repo), "AWS_SECRET_ACCESS_KEY": aws}
    return repo, env, aws


def run(event, payload, world):
    repo, env, _ = world
    data = {"session_id": "s1", "cwd": str(repo), "hook_event_name": event, **payload}
    result = subprocess.run(
        [sys.executable, "-m", "attune", "hook", event],
        input=json.dumps(data),
        capture_output=True,
        text=True,
        cwd=repo,
        env=env,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout, json.loads(result.stdout) if result.stdout.strip() else None


def test_a_bare_secret_echoed_from_the_environment_is_redacted_in_the_bash_shape(world):
    _, _, aws = world
    response = {"stdout": f"{aws}\n", "stderr": "", "interrupted": False, "isImage": False}
    payload = {"tool_name": "Bash", "tool_input": {"command": "echo $AWS_SECRET_ACCESS_KEY"}, "tool_response": response}
    raw, output = run("PostToolUse", payload, world)
    assert output["hookSpecificOutput"]["updatedToolOutput"] == {
        "stdout": "[SECRET:$AWS_SECRET_ACCESS_KEY]\n",
        "stderr": "",
        "interrupted": False,
        "isImage": False,
    }
    assert aws not in raw


def test_a_value_from_dot_env_is_redacted_from_output(world):
    response = {"stdout": f"key is {stripe_key()}", "stderr": "", "interrupted": False, "isImage": False}
    raw, output = run("PostToolUse", {"tool_name": "Bash", "tool_input": {}, "tool_response": response}, world)
    assert stripe_key() not in raw
    assert "[SECRET:" in output["hookSpecificOutput"]["updatedToolOutput"]["stdout"]


def test_writing_a_known_value_is_denied_naming_the_variable_not_the_value(world):
    repo, _, aws = world
    payload = {"tool_name": "Write", "tool_input": {"file_path": str(repo / "deploy.sh"), "content": f"X={aws}\n"}}
    raw, output = run("PreToolUse", payload, world)
    assert output["hookSpecificOutput"]["permissionDecision"] == "deny"
    assert "$AWS_SECRET_ACCESS_KEY (from the environment)" in output["hookSpecificOutput"]["permissionDecisionReason"]
    assert aws not in raw


@pytest.mark.parametrize("tool", ["Edit", "MultiEdit", "NotebookEdit"])
def test_edits_holding_a_known_value_are_denied(world, tool):
    repo, _, aws = world
    edit = {"old_string": "a", "new_string": f"k = '{aws}'"}
    tool_input = {
        "Edit": {"file_path": str(repo / "a.py"), **edit},
        "MultiEdit": {"file_path": str(repo / "a.py"), "edits": [edit]},
        "NotebookEdit": {"notebook_path": str(repo / "n.ipynb"), "new_source": edit["new_string"]},
    }[tool]
    _, output = run("PreToolUse", {"tool_name": tool, "tool_input": tool_input}, world)
    assert output["hookSpecificOutput"]["permissionDecision"] == "deny"


def test_a_command_holding_a_known_value_literally_is_denied(world):
    _, _, aws = world
    command = f"aws configure set aws_secret_access_key {aws}"
    raw, output = run("PreToolUse", {"tool_name": "Bash", "tool_input": {"command": command}}, world)
    assert output["hookSpecificOutput"]["permissionDecision"] == "deny"
    assert aws not in raw


def test_a_failed_command_showing_a_known_value_warns_the_model(world):
    _, _, aws = world
    payload = {"tool_name": "Bash", "tool_input": {"command": "deploy"}, "error": f"Exit code 1\nbad key {aws}"}
    raw, output = run("PostToolUseFailure", payload, world)
    assert "the value of $AWS_SECRET_ACCESS_KEY" in output["hookSpecificOutput"]["additionalContext"]
    assert aws not in raw


def test_a_prompt_holding_a_known_value_is_blocked(world):
    _, _, aws = world
    raw, output = run("UserPromptSubmit", {"prompt": f"my key is {aws}, use it"}, world)
    assert output["decision"] == "block"
    assert aws not in raw


def test_clean_writes_and_commands_pass(world):
    repo, _, _ = world
    write = {"tool_name": "Write", "tool_input": {"file_path": str(repo / "a.py"), "content": "PORT = 8080\n"}}
    assert run("PreToolUse", write, world) == ("", None)
    command = {"tool_name": "Bash", "tool_input": {"command": "echo true localhost 8080"}}
    assert run("PreToolUse", command, world) == ("", None)


def test_session_records_never_hold_a_known_value(world):
    repo, _, aws = world
    (repo / ".empathy").mkdir()
    payload = {
        "tool_name": "Bash",
        "tool_input": {"command": "x", "description": f"Login with {aws}"},
        "tool_response": {"stdout": "", "stderr": "", "interrupted": False, "isImage": False},
    }
    run("PostToolUse", payload, world)
    stored = [p.read_text() for p in (repo / ".empathy").rglob("*") if p.is_file()]
    assert any("Login with" in text for text in stored)
    assert not any(aws in text for text in stored)


def test_scrub_is_there_for_memory_and_records(tmp_path):
    secret = random_secret()
    (tmp_path / ".env.local").write_text(f'export DB_PASSWORD="{secret}"\n')
    assert known.scrub(f"pw={secret};", str(tmp_path), environ={}) == "pw=[SECRET:$DB_PASSWORD];"


@pytest.mark.parametrize(
    ("name", "value", "needle"),
    [
        ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", True),
        ("GITHUB_TOKEN", "true", False),
        ("API_KEY", "8080", False),
        ("AUTH_HOST", "localhost", False),
        ("SECRET_MODE", "development", False),
        ("DB_PASSWORD", "aaaaaaaaaaaa", False),
        ("DB_PASSWORD", "Tr0ub" + "4dor&3x", True),
        ("PWD", "/home/user/project-Xy12", False),
        ("SSH_AUTH_SOCK", "/tmp/ssh-XXXXabc123/agent.42", False),
        ("GOOGLE_APPLICATION_CREDENTIALS", __file__, False),
        ("AWS_SECRET_ACCESS_KEY", "/bPxRfiCYEXAMPLEKEY/wJalrXUtnFEMI/K7MDENG", True),
        ("HOME", "qR8vT2pL9mN4xK7w", False),
        ("NEXT_PUBLIC_SUPABASE_ANON_KEY", "eyJhbGciOiJIUzI1NiJ9abc", False),
        ("OAUTH_URL", "https://auth.example.com/authorize", False),
    ],
)  # fmt: skip
def test_only_strong_values_of_secret_named_variables_become_needles(name, value, needle):
    assert bool(known.needles(name, value)) == needle


def test_a_database_url_gives_its_password_whatever_its_name():
    password = "Zx9Qw7" + "vBn3mLk5"
    assert known.needles("REDIS_URL", f"redis://app:{password}@cache:6379/0") == [password]
    assert known.needles("DATABASE_URL", "postgres://app@db/app") == []


def test_env_files_are_read_but_not_examples(tmp_path):
    for name in (".env", ".env.local", ".env.production", ".env.example", ".env.sample", ".env.template", "env"):
        (tmp_path / name).write_text(f"API_TOKEN={random_secret()}\n")
    assert known.env_files(str(tmp_path)) == [".env", ".env.local", ".env.production"]
    assert known.env_files(str(tmp_path), allowed=[".env.prod*"]) == [".env", ".env.local"]  # hooks.allowed_globs
    os.mkfifo(tmp_path / ".env.fifo")  # never opened: reading a FIFO would block the hook
    assert {k.source for k in known.load([str(tmp_path)], environ={})} == {".env", ".env.local", ".env.production"}


def test_a_quoted_pem_block_yields_its_lines():
    body = "".join(random_secret(64) + "\n" for _ in range(3))
    text = f'PRIVATE_KEY="-----BEGIN PRIVATE KEY-----\n{body}-----END PRIVATE KEY-----"\nOTHER=1\n'
    values = dict(known._assignments(text))
    assert set(body.split()) <= set(known.needles("PRIVATE_KEY", values["PRIVATE_KEY"]))
    assert values["OTHER"] == "1"


@pytest.mark.parametrize(
    ("command", "denied"),
    [
        ("echo $AWS_SECRET_ACCESS_KEY", True),
        ('echo "key: ${AWS_SECRET_ACCESS_KEY}"; exit 1', True),
        ("printf '%s' $STRIPE_SECRET_KEY", True),
        ("printenv AWS_SECRET_ACCESS_KEY", True),
        ('echo "$AWS_SECRET_ACCESS_KEY" | aws configure set aws_secret_access_key --stdin', False),
        ('echo "$AWS_SECRET_ACCESS_KEY" > ~/.aws-secret', False),
        ('test -n "$AWS_SECRET_ACCESS_KEY" && echo set', False),
        ('curl -H "Authorization: Bearer $AWS_SECRET_ACCESS_KEY" https://example.com', False),
        ("echo $HOME $DEBUG", False),
    ],
)
def test_a_command_printing_a_secret_variable_is_denied_before_it_runs(world, command, denied):
    raw, output = run("PreToolUse", {"tool_name": "Bash", "tool_input": {"command": command}}, world)
    decision = (output or {}).get("hookSpecificOutput", {}).get("permissionDecision")
    assert (decision == "deny") == denied, raw
    if denied:
        assert "cannot be redacted" in output["hookSpecificOutput"]["permissionDecisionReason"]


@pytest.mark.parametrize("event", ["PreToolUse", "UserPromptSubmit"])
def test_an_audit_log_that_cannot_be_written_does_not_cost_the_verdict(world, event):
    repo, _, aws = world
    (repo / ".empathy" / "audit.jsonl").mkdir(parents=True)  # a folder where the log file should be
    payload = (
        {"tool_name": "Write", "tool_input": {"file_path": str(repo / "a.py"), "content": aws}}
        if event == "PreToolUse"
        else {"prompt": aws}
    )
    _, output = run(event, payload, world)
    verdict = output["hookSpecificOutput"]["permissionDecision"] if event == "PreToolUse" else output["decision"]
    assert verdict in ("deny", "block")


def test_an_env_file_that_is_a_link_gives_no_values(tmp_path):
    # A repository's .env may link anywhere (a user's credentials, a FIFO): it is not followed.
    outside = tmp_path / "elsewhere"
    outside.write_text("API_TOKEN=" + "Zq8xT2mW9v" + "Lp4RkN7bYc3Hd\n")  # values built here: the repo scans clean
    project = tmp_path / "project"
    project.mkdir()
    (project / ".env").symlink_to(outside)
    (project / ".env.local").write_text("DB_PASSWORD=" + "Hk3vP9qL" + "2mX7zR4t\n")
    assert [k.name for k in known.load([str(project)], {})] == ["DB_PASSWORD"]


def test_a_large_env_file_gives_the_values_at_its_start(tmp_path):
    """Read through attune.safefile (issue 15): at most MAX_FILE bytes from the start, never refused whole."""
    value = random_secret()
    (tmp_path / ".env").write_text(f"API_TOKEN={value}\n" + "# padding\n" * (known.MAX_FILE // 10 + 1))
    assert [k.value for k in known.from_file(str(tmp_path / ".env"), ".env")] == [value]
