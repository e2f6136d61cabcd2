"""The real Claude Code CLI starts `empathy mcp` from the config `empathy mcp install` wrote, and its
scripted model calls the `search` tool and gets a cited pattern back (issue 13)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.e2e.claude import VENV_PATH, tool_results
from tests.fakes import replies
from tests.helpers import write_pattern


def test_the_model_searches_the_library_through_mcp_and_gets_a_citation(claude, fake_api, project, tmp_path):
    from attune import cli

    assert cli.main(["init", "--root", str(project)]) == 0
    write_pattern(project, "argon2", "security", title="Hash passwords with argon2id",
                  body="Never bcrypt for new code; argon2id with the library defaults.")  # fmt: skip
    home = tmp_path / "home"  # the HOME the CLI runs with: `install` writes its ~/.claude.json there
    home.mkdir()
    env = {**os.environ, "HOME": str(home)}
    subprocess.run([sys.executable, "-m", "attune", "mcp", "install", "--root", str(project)], env=env, check=True,
                   capture_output=True)  # fmt: skip
    fake_api.script(replies.tool_use("mcp__attune__search", {"query": "password hashing"}), replies.text("ok"))

    run = claude("how do we hash passwords?", env=VENV_PATH)

    assert run.returncode == 0, run.stderr
    (init,) = run.of_type("system", "init")
    # The install's scope; the server is still starting or already up when the session starts, by timing.
    (server,) = [s for s in init["mcp_servers"] if s["name"] == "attune"]
    assert server["source"] == "local" and server["status"] in ("pending", "connected"), server
    _first, second = fake_api.messages(scripted_only=True)
    # On 2.1.337 MCP tools are deferred behind ToolSearch (not in the first request's tools), and a
    # model that names one directly still gets it called (OBSERVED.md, MCP).
    (result,) = tool_results(second)
    assert result.get("is_error") is not True, result
    text = json.dumps(result["content"])
    assert ".empathy/patterns/security/argon2.md:1" in text and "Hash passwords with argon2id" in text
