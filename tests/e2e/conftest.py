"""Fixtures for the end-to-end tests: the installed CLI, a project directory, and a runner bound to both."""

from __future__ import annotations

import json
import os

import pytest

from tests.e2e.claude import INSTALL_HINT, find_cli, main_agent, run_claude


@pytest.fixture(scope="session")
def claude_cli():
    path, reason = find_cli()
    if path is None:
        if os.environ.get("CI"):
            # .ci/run installs Node.js, npm and the pinned CLI: a missing one is a broken install, not a skip.
            pytest.fail(f"the Claude Code CLI is not usable in CI: {reason}")
        pytest.skip(f"the Claude Code CLI is not installed ({reason}): {INSTALL_HINT}")
    return path


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    return root


@pytest.fixture
def claude(claude_cli, fake_api, project, tmp_path):
    """`claude(prompt, **options)` runs the CLI in `project` against `fake_api` and returns a `Run`."""
    fake_api.scripted = main_agent

    def run(prompt, **options):
        result = run_claude(claude_cli, project, prompt, fake_api, home=tmp_path / "home", **options)
        # Every other destination goes to the fake as a proxy and is refused there: none may be tried.
        assert fake_api.tunnels == [], f"the CLI tried to leave the machine: {fake_api.tunnels}"
        return result

    return run


@pytest.fixture
def installed(project, capsys):
    """A project with a library and our hooks, installed the way a user would."""
    from attune import cli

    assert cli.main(["init", "--root", str(project)]) == 0
    assert cli.main(["hooks", "install", "--root", str(project)]) == 0
    capsys.readouterr()
    settings = json.loads((project / ".claude/settings.json").read_text())
    assert settings["hooks"]["PreToolUse"][0]["hooks"][0]["command"].endswith("# attune-companion")
    return project
