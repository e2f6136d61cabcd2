from __future__ import annotations

import json
import os
from pathlib import Path

from attune import cli
from attune.mcp import install, tools
from tests.helpers import build_tree

SERVER = {"type": "stdio", "command": "empathy", "args": ["mcp"], "env": {}}


def test_local_scope_adds_our_server_and_keeps_everything_else(repo, capsys):
    config = Path.home() / ".claude.json"
    mine = {"numStartups": 7, "projects": {str(repo): {"allowedTools": ["Bash"], "mcpServers": {"db": {"command": "pg"}}},
                                           "/elsewhere": {"x": 1}}}  # fmt: skip
    config.write_text(json.dumps(mine))
    assert cli.main(["mcp", "install", "--root", str(repo)]) == 0
    after = json.loads(config.read_text())
    assert after["numStartups"] == 7 and after["projects"]["/elsewhere"] == {"x": 1}
    project = after["projects"][str(repo)]
    assert project["allowedTools"] == ["Bash"] and project["mcpServers"] == {"db": {"command": "pg"}, "attune": SERVER}
    assert "added the attune MCP server" in capsys.readouterr().out
    assert cli.main(["mcp", "install", "--root", str(repo)]) == 0
    assert "already in" in capsys.readouterr().out
    assert json.loads(config.read_text()) == after


def test_project_and_user_scopes(repo):
    (repo / ".mcp.json").write_text(json.dumps({"mcpServers": {"other": {"command": "x"}}}))
    assert cli.main(["mcp", "install", "--scope", "project", "--root", str(repo)]) == 0
    assert json.loads((repo / ".mcp.json").read_text())["mcpServers"] == {"other": {"command": "x"}, "attune": SERVER}
    assert cli.main(["mcp", "install", "--scope", "user", "--root", str(repo)]) == 0
    assert json.loads((Path.home() / ".claude.json").read_text()) == {"mcpServers": {"attune": SERVER}}


def test_a_malformed_config_is_refused_and_left_alone(repo, capsys):
    config = Path.home() / ".claude.json"
    config.write_text('{"projects": [1, 2]}')
    assert cli.main(["mcp", "install", "--root", str(repo)]) == 1
    assert config.read_text() == '{"projects": [1, 2]}'
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and '"projects" must be a JSON object' in err and "nothing was written" in err
    config.write_text("{not json")
    assert cli.main(["mcp", "install", "--root", str(repo)]) == 1
    assert config.read_text() == "{not json"


def test_other_clients_get_their_configuration_printed(repo, capsys):
    assert cli.main(["mcp", "install", "--client", "codex", "--root", str(repo)]) == 0
    out = capsys.readouterr().out
    assert "[mcp_servers.attune]" in out and 'args = ["mcp"]' in out
    assert cli.main(["mcp", "install", "--client", "cursor", "--root", str(repo)]) == 0
    out = capsys.readouterr().out
    assert json.loads(out.split("\n", 1)[1]) == {"mcpServers": {"attune": {"command": "empathy", "args": ["mcp"]}}}
    assert not (Path.home() / ".claude.json").exists()


def test_the_plugin_ships_the_same_server():
    root = Path(__file__).resolve().parents[2]
    assert json.loads((root / ".mcp.json").read_text()) == install.plugin_config()


def test_rules_for_path_names_the_glob_and_its_line(repo):
    build_tree(repo, {
        ".empathy/config.yaml": "version: 1\n",
        ".claude/rules/attune/api.md": '---\npaths:\n  - "docs/**"\n  - "src/api/**"\n---\nbody\n',
        ".claude/rules/attune/always.md": "# loaded in every session\n",
        ".claude/rules/attune/web.md": '---\npaths:\n  - "web/**/*.{ts,tsx}"\n---\n',
    })  # fmt: skip
    found = tools.rules_for_path(repo, "src/api/orders.py")
    assert found == [tools.RuleMatch(".claude/rules/attune/always.md", None, 1),
                     tools.RuleMatch(".claude/rules/attune/api.md", "src/api/**", 4)]  # fmt: skip
    assert [m.glob for m in tools.rules_for_path(repo, str(repo / "web/app/page.tsx"))] == [None, "web/**/*.{ts,tsx}"]


def test_rules_for_path_reads_no_link_and_no_pipe(repo, tmp_path):
    """A rule file is read through attune.safefile (issue 15): a pipe would hang the server, a link cites
    a file elsewhere (and is no resource to read either)."""
    outside = tmp_path / "outside.md"
    outside.write_text('---\npaths:\n  - "src/**"\n---\nfrom elsewhere\n')
    build_tree(repo, {".empathy/config.yaml": "version: 1\n", ".claude/rules/attune/always.md": "# every session\n"})
    (repo / ".claude/rules/attune/linked.md").symlink_to(outside)
    os.mkfifo(repo / ".claude/rules/attune/pipe.md")
    assert tools.rules_for_path(repo, "src/a.py") == [tools.RuleMatch(".claude/rules/attune/always.md", None, 1)]
