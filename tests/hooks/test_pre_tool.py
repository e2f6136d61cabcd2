from __future__ import annotations

import pytest

from tests.helpers import EMAIL, build_tree, fake_secret

KEY = fake_secret("anthropic")


def write(project, name, content):
    return {"tool_name": "Write", "tool_input": {"file_path": str(project / name), "content": content}}


def assert_no_secret(run):
    assert KEY not in run.raw and KEY not in run.err
    assert KEY[10:30] not in run.raw


def test_a_secret_in_a_write_is_denied_with_type_line_and_advice(hook, project):
    run = hook("PreToolUse", write(project, "app.py", f'import os\nKEY = "{KEY}"\n'), project=project)
    assert run.code == 0
    assert run.decision == "deny"
    assert "app.py holds a secret: line 2: anthropic-api-key (sk-ant-" in run.reason
    assert "environment" in run.reason and "placeholder" in run.reason
    assert run.output["systemMessage"].startswith("attune-companion blocked a Write of app.py")
    assert_no_secret(run)


def test_clean_content_passes_silently(hook, project):
    run = hook("PreToolUse", write(project, "app.py", "import os\nKEY = os.environ['API_KEY']\n"), project=project)
    assert (run.code, run.raw, run.err) == (0, "", "")


def test_an_edit_names_the_line_in_the_file(hook, project):
    target = project / "settings.py"
    target.write_text("# settings\n\nDEBUG = False\nTOKEN = None\n")
    payload = {
        "tool_name": "Edit",
        "tool_input": {"file_path": str(target), "old_string": "TOKEN = None", "new_string": f'TOKEN = "{KEY}"'},
    }
    run = hook("PreToolUse", payload, project=project)
    assert run.decision == "deny"
    assert "line 4: anthropic-api-key" in run.reason


def test_every_edit_of_a_multi_edit_is_scanned(hook, project):
    payload = {
        "tool_name": "MultiEdit",
        "tool_input": {
            "file_path": str(project / "a.py"),
            "edits": [{"old_string": "a", "new_string": "b"}, {"old_string": "c", "new_string": f"x = '{KEY}'"}],
        },
    }
    assert hook("PreToolUse", payload, project=project).decision == "deny"


def test_a_notebook_cell_is_scanned(hook, project):
    payload = {
        "tool_name": "NotebookEdit",
        "tool_input": {"notebook_path": str(project / "n.ipynb"), "new_source": f"key = '{KEY}'"},
    }
    run = hook("PreToolUse", payload, project=project)
    assert run.decision == "deny" and "n.ipynb" in run.reason


def test_personal_data_warns_the_user_by_default(hook, project):
    run = hook("PreToolUse", write(project, "users.csv", f"name,email\nJane,{EMAIL}\n"), project=project)
    assert run.decision is None
    assert (
        run.output["systemMessage"]
        == "attune-companion: the new content of users.csv holds personal data: line 2: email (ja…om)"
    )
    assert "jane.doe" not in run.raw


@pytest.mark.parametrize(
    ("setting", "decision", "message"),
    [("pii: block", "deny", False), ("pii: off", None, False), ("secrets: warn\n  pii: off", None, True)],
)
def test_policy_decides_block_warn_or_off(hook, project, setting, decision, message):
    build_tree(project, {".empathy/config.yaml": f"hooks:\n  {setting}\n"})
    content = f"email = '{EMAIL}'\nkey = '{KEY}'\n" if "secrets" in setting else f"{EMAIL}\n"
    run = hook("PreToolUse", write(project, "a.txt", content), project=project)
    assert run.decision == decision
    assert ("systemMessage" in (run.output or {})) == (message or decision == "deny")


@pytest.mark.parametrize(
    "command",
    [
        f'curl -H "Authorization: Bearer {fake_secret("github")}" https://api.github.com/user',
        f"export AWS_ACCESS_KEY_ID={fake_secret('aws')}",
        f"psql postgres://admin:{'Zx9' + 'Qw7vBn3mLk5'}@db.internal:5432/app",
    ],
)
def test_a_secret_on_a_command_line_is_denied(hook, project, command):
    run = hook("PreToolUse", {"tool_name": "Bash", "tool_input": {"command": command}}, project=project)
    assert run.decision == "deny", run.raw
    assert "environment variable" in run.reason


@pytest.mark.parametrize(
    ("command", "denied"),
    [
        ("cat .env", True),
        ("cat .env.example", False),
        ("head -n 5 config/.env.production", True),
        ("source .env && npm start", True),
        ("grep API < .env", True),
        ("less ~/.aws/credentials", True),
        ("cat ~/.ssh/id_ed25519", True),
        ("cat ~/.ssh/id_ed25519.pub", False),
        ("ls -la .env", False),
        ("git diff && cat server.pem", True),
        ("python -m pytest -k env", False),
        ("echo 'unbalanced", False),
    ],
)
def test_commands_that_print_sensitive_files_are_denied(hook, project, command, denied):
    run = hook("PreToolUse", {"tool_name": "Bash", "tool_input": {"command": command}}, project=project)
    assert (run.decision == "deny") == denied, run.raw


@pytest.mark.parametrize(
    ("name", "denied"),
    [
        (".env", True), (".env.local", True), (".env.example", False), ("deploy/tls.key", True),
        ("certs/server.pem", True), ("id_rsa", True), ("id_rsa.pub", False), ("terraform.tfstate", True),
        ("home/.aws/credentials", True), ("gcp-service-account-prod.json", True), ("src/app.py", False),
        ("docs/env.md", False),
    ],
)  # fmt: skip
def test_reading_files_that_hold_secrets_by_nature_is_denied(hook, project, name, denied):
    run = hook("PreToolUse", {"tool_name": "Read", "tool_input": {"file_path": str(project / name)}}, project=project)
    assert (run.decision == "deny") == denied
    if denied:
        assert "holds secrets by nature" in run.reason


def test_sensitive_globs_are_configurable(hook, project):
    build_tree(
        project, {".empathy/config.yaml": 'hooks:\n  sensitive_globs: ["*.secret"]\n  allowed_globs: [".env.test"]\n'}
    )

    def read(name):
        return hook(
            "PreToolUse", {"tool_name": "Read", "tool_input": {"file_path": str(project / name)}}, project=project
        )

    assert read("db.secret").decision == "deny"
    assert read(".env.test").decision is None
    assert read(".env").decision == "deny"


def test_other_tools_pass(hook, project):
    assert hook("PreToolUse", {"tool_name": "Glob", "tool_input": {"pattern": "**/.env"}}, project=project).raw == ""


def test_a_large_write_still_gets_a_verdict(hook, project):
    clean = "def handler(event):\n    return event['body'].strip()\n\n" * 100_000  # about 5 MB
    assert hook("PreToolUse", write(project, "big.py", clean), project=project).raw == ""
    run = hook("PreToolUse", write(project, "big.py", clean + f"TOKEN = '{KEY}'\n"), project=project)
    assert run.decision == "deny" and "line 300001" in run.reason


def test_hooks_protect_projects_without_a_library(hook, repo):
    run = hook("PreToolUse", write(repo, "app.py", f'KEY = "{KEY}"\n'), project=repo)
    assert run.decision == "deny"
    assert not (repo / ".empathy").exists()
