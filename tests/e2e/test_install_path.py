"""The installed hooks in the real Claude Code CLI when `empathy` is not on its PATH (issue 10).

A Claude Code started from a desktop launcher or an IDE has no virtual environment on PATH. The
installed command must then find the project's venv, or deny the guarded call: it must never exit
127, which the CLI treats as "carry on" (a Write of a token went through that way).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from attune import cli
from tests.e2e.claude import texts
from tests.fakes import replies
from tests.helpers import fake_secret

BARE = {"PATH": "/usr/bin:/bin"}  # no venv: `empathy` is not found there (checked below)
TOKEN = fake_secret("github")


def install(project, capsys, *args):
    assert cli.main(["hooks", "install", "--root", str(project), *args]) == 0
    capsys.readouterr()


def write_token(claude, fake_api, project):
    target = project / "config.py"
    fake_api.script(
        replies.tool_use("Write", {"file_path": str(target), "content": f'GITHUB_TOKEN = "{TOKEN}"\n'}),
        replies.text("understood"),
    )
    run = claude("store the token in config.py", env=BARE)
    assert run.returncode == 0, run.stderr
    return run, target, texts(fake_api.messages(scripted_only=True)[-1])


def test_empathy_is_not_on_the_bare_path():
    assert not any((Path(d) / "empathy").exists() for d in BARE["PATH"].split(":"))


def test_without_empathy_anywhere_the_prompt_is_blocked_with_the_fix(claude, fake_api, project, capsys):
    install(project, capsys)
    fake_api.script(replies.text("should never be asked"))

    run = claude(f"store {TOKEN} in config.py", env=BARE)

    assert fake_api.messages(scripted_only=True) == []  # nothing left the machine
    assert "UserPromptSubmit operation blocked by hook" in run.result["result"]
    assert "attune-companion: cannot find `empathy` (no .venv/bin/empathy or venv/bin/empathy" in run.result["result"]


def test_without_empathy_anywhere_the_write_is_denied_with_the_fix(claude, fake_api, project, capsys):
    install(project, capsys)
    settings = project / ".claude/settings.json"
    installed = json.loads(settings.read_text())["hooks"]
    settings.write_text(json.dumps({"hooks": {"PreToolUse": installed["PreToolUse"]}}))  # the Write guard alone

    run, target, follow_up = write_token(claude, fake_api, project)

    assert not target.exists()
    assert [d["tool_name"] for d in run.result["permission_denials"]] == ["Write"]
    assert (
        "attune-companion: cannot find `empathy` (no .venv/bin/empathy or venv/bin/empathy in the project" in follow_up
    )
    assert "pip install attune-companion" in follow_up


@pytest.mark.parametrize("venv", [".venv", "venv"])
def test_the_projects_venv_is_found_and_the_real_guard_denies(claude, fake_api, project, capsys, venv):
    install(project, capsys)
    (project / venv / "bin").mkdir(parents=True)
    (project / venv / "bin/empathy").symlink_to(Path(sys.executable).parent / "empathy")

    run, target, follow_up = write_token(claude, fake_api, project)

    assert not target.exists()
    assert [d["tool_name"] for d in run.result["permission_denials"]] == ["Write"]
    assert "attune-companion: the new content of config.py holds a secret: line 1: github-token" in follow_up


def test_local_scope_runs_this_installation_by_path(claude, fake_api, project, capsys):
    install(project, capsys, "--scope", "local")
    settings = json.loads((project / ".claude/settings.local.json").read_text())
    assert settings["hooks"]["PreToolUse"][0]["hooks"][0]["command"].endswith("# attune-companion")

    run, target, follow_up = write_token(claude, fake_api, project)

    assert not target.exists()
    assert [d["tool_name"] for d in run.result["permission_denials"]] == ["Write"]
    assert "holds a secret" in follow_up
