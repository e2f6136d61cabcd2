"""The installed hook commands under a real `/bin/sh -c`, as Claude Code runs them, with a PATH that lacks our venv (issue 10)."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from attune import cli
from attune.hooks import launcher
from tests.helpers import fake_secret

BARE_PATH = "/usr/bin:/bin"  # what a Claude Code started from a desktop launcher or an IDE may have
OUR_SCRIPT = Path(sys.executable).parent / "empathy"  # this checkout's console script


def installed(repo, capsys, *args):
    assert cli.main(["hooks", "install", "--root", str(repo), *args]) == 0
    capsys.readouterr()
    name = "settings.local.json" if "local" in args else "settings.json"
    data = json.loads((repo / ".claude" / name).read_text())
    return {event: groups[0]["hooks"][0]["command"] for event, groups in data["hooks"].items()}


def sh(command, payload, repo, path=BARE_PATH):
    """Run a hook command as Claude Code does: `/bin/sh -c`, the payload on stdin, in the project."""
    env = {"PATH": path, "HOME": os.environ["HOME"], "CLAUDE_PROJECT_DIR": str(repo), "LANG": "C.UTF-8"}
    return subprocess.run(
        ["/bin/sh", "-c", command], input=json.dumps(payload), capture_output=True, text=True, cwd=repo, env=env,
        timeout=60, check=False,
    )  # fmt: skip


def write_of_a_token(repo):
    content = f'TOKEN = "{fake_secret("github")}"\n'
    return {"session_id": "s1", "cwd": str(repo), "hook_event_name": "PreToolUse", "tool_name": "Write",
            "tool_input": {"file_path": str(repo / "config.py"), "content": content}}  # fmt: skip


def denied(result):
    if result.returncode == 2:
        return True
    answer = json.loads(result.stdout) if result.stdout.strip() else {}
    return answer.get("hookSpecificOutput", {}).get("permissionDecision") == "deny"


def test_empathy_is_not_on_the_bare_path_these_tests_use():
    assert subprocess.run(["/bin/sh", "-c", "command -v empathy"], env={"PATH": BARE_PATH}, check=False).returncode


def test_without_empathy_anywhere_a_guarded_call_is_denied_with_one_line_that_says_why(repo, capsys):
    commands = installed(repo, capsys)

    result = sh(commands["PreToolUse"], write_of_a_token(repo), repo)

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "attune-companion: cannot find `empathy` (no .venv/bin/empathy or venv/bin/empathy in the project, none on "
        "PATH); pip install attune-companion there, or run `empathy hooks install --scope local`\n"
    )
    prompt = sh(commands["UserPromptSubmit"], {"prompt": "hello"}, repo)
    assert prompt.returncode == 2 and prompt.stderr.startswith("attune-companion: cannot find `empathy`")


def test_without_empathy_unguarded_events_carry_on_and_session_start_warns_the_user(repo, capsys):
    commands = installed(repo, capsys)
    for event in ("PostToolUse", "Stop", "SessionEnd", "InstructionsLoaded", "PreCompact"):
        result = sh(commands[event], {"hook_event_name": event}, repo)
        assert (result.returncode, result.stdout, result.stderr) == (1, "", ""), event  # 1 does not block
    start = sh(commands["SessionStart"], {"source": "startup"}, repo)
    assert start.returncode == 0 and start.stderr == ""
    assert json.loads(start.stdout)["systemMessage"].startswith("attune-companion: cannot find `empathy`")


@pytest.mark.parametrize("venv", [".venv", "venv"])
def test_the_projects_own_virtual_environment_is_found_without_path(repo, capsys, venv):
    commands = installed(repo, capsys)
    (repo / venv / "bin").mkdir(parents=True)
    (repo / venv / "bin/empathy").symlink_to(OUR_SCRIPT)

    token = sh(commands["PreToolUse"], write_of_a_token(repo), repo)
    read = sh(commands["PreToolUse"], {**write_of_a_token(repo), "tool_name": "Read", "tool_input": {}}, repo)

    assert denied(token) and "holds a secret" in token.stdout + token.stderr
    assert "cannot find" not in token.stderr
    assert (read.returncode, read.stderr) == (0, "")


def test_a_venv_whose_python_is_gone_falls_through_to_the_next_place(repo, capsys):
    commands = installed(repo, capsys)
    (repo / ".venv/bin").mkdir(parents=True)
    dead = repo / ".venv/bin/empathy"
    dead.write_text("#!/nowhere/bin/python\n")  # what a venv keeps after its Python was upgraded away
    dead.chmod(0o755)

    alone = sh(commands["PreToolUse"], write_of_a_token(repo), repo)
    assert alone.returncode == 2 and "cannot find `empathy`" in alone.stderr

    (repo / "venv/bin").mkdir(parents=True)
    (repo / "venv/bin/empathy").symlink_to(OUR_SCRIPT)
    rescued = sh(commands["PreToolUse"], write_of_a_token(repo), repo)
    assert denied(rescued) and "holds a secret" in rescued.stdout + rescued.stderr


def test_empathy_on_path_is_the_last_resort(repo, capsys):
    commands = installed(repo, capsys)

    result = sh(commands["PreToolUse"], write_of_a_token(repo), repo, path=f"{OUR_SCRIPT.parent}:{BARE_PATH}")

    assert denied(result) and "holds a secret" in result.stdout + result.stderr


def test_local_scope_runs_this_installation_without_path_and_fails_closed_when_it_is_gone(repo, capsys):
    commands = installed(repo, capsys, "--scope", "local")
    assert denied(sh(commands["PreToolUse"], write_of_a_token(repo), repo))
    assert sh(commands["Stop"], {"session_id": "s1", "cwd": str(repo)}, repo).returncode == 0

    gone = installed(repo, capsys, "--scope", "local", "--command", str(repo / "old-venv/bin/empathy"))
    result = sh(gone["PreToolUse"], write_of_a_token(repo), repo)
    assert result.returncode == 2
    assert result.stderr == (
        f"attune-companion: cannot find `empathy` ({repo}/old-venv/bin/empathy is missing or does not start); "
        "reinstall attune-companion, then run `empathy hooks install --scope local` again\n"
    )


def test_a_command_given_as_python_dash_m_runs(repo, capsys):
    commands = installed(repo, capsys, "--scope", "local", "--command", f"{sys.executable} -m attune")

    assert denied(sh(commands["PreToolUse"], write_of_a_token(repo), repo))


def test_our_trailing_mark_is_a_comment_to_sh(tmp_path):
    # The command we generate, marked, runs its program and passes on its exit code: the mark
    # is a comment to sh, not an argument.
    program = tmp_path / "empathy"
    program.write_text('#!/bin/sh\necho "args: $*"\nexit 3\n')
    program.chmod(0o755)
    generated = launcher.command("Stop", launcher.Program((shlex.quote(str(program)),), (), "empathy", "install it"))
    assert generated.endswith("# attune-companion")
    result = subprocess.run(["/bin/sh", "-c", generated], capture_output=True, text=True, check=False, input="")
    assert (result.returncode, result.stdout) == (3, "args: hook Stop\n")


def test_the_plugin_never_runs_a_program_the_project_ships(repo):
    """A plugin runs in every project the user opens: a cloned repository's .venv/bin/empathy must not run."""
    shipped = json.loads((Path(__file__).resolve().parents[2] / "hooks/hooks.json").read_text())["hooks"]
    command = shipped["PreToolUse"][0]["hooks"][0]["command"]
    (repo / ".venv/bin").mkdir(parents=True)
    planted = repo / ".venv/bin/empathy"
    planted.write_text(f"#!/bin/sh\ntouch {repo}/ran\n")
    planted.chmod(0o755)

    result = sh(command, write_of_a_token(repo), repo)

    assert result.returncode == 2 and "not on the PATH Claude Code runs with" in result.stderr
    assert not (repo / "ran").exists()
    assert denied(sh(command, write_of_a_token(repo), repo, path=f"{OUR_SCRIPT.parent}:{BARE_PATH}"))
