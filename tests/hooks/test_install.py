from __future__ import annotations

import json
import os
import shlex
from pathlib import Path

import pytest

from attune import cli
from attune.hooks import install, launcher

ROOT = Path(__file__).resolve().parents[2]
THEIRS = {
    "permissions": {"allow": ["Bash(npm test)"], "deny": ["Read(./secrets/**)"]},
    "env": {"FOO": "1"},
    "hooks": {
        "PreToolUse": [
            {"matcher": "Bash", "hooks": [{"type": "command", "command": "./scripts/guard.sh", "timeout": 5}]}
        ],
        "Notification": [{"hooks": [{"type": "command", "command": "notify-send done"}]}],
        "Stop": [{"hooks": []}],
    },
    "model": "opus",
}


def settings(repo, name="settings.json"):
    return json.loads((repo / ".claude" / name).read_text())


def seed(repo, data=THEIRS, indent=4):
    (repo / ".claude").mkdir(exist_ok=True)
    (repo / ".claude/settings.json").write_text(json.dumps(data, indent=indent) + "\n")


def run(*args):
    return cli.main(["hooks", *args])


def command(event, program=launcher.PROJECT):
    return launcher.command(event, program)


def test_install_adds_every_event_with_narrow_matchers(repo, capsys):
    assert run("install", "--root", str(repo)) == 0
    data = settings(repo)
    assert list(data["hooks"]) == [h.event for h in install.HANDLERS]
    (pre,) = data["hooks"]["PreToolUse"]
    assert pre == {
        "matcher": "Write|Edit|MultiEdit|NotebookEdit|Bash|Read",
        "hooks": [{"type": "command", "command": command("PreToolUse"), "timeout": 10}],
    }
    assert command("PreToolUse").startswith('for e in "$CLAUDE_PROJECT_DIR"/.venv/bin/empathy ')
    assert command("PreToolUse").endswith("; exit 2 # attune-companion")
    assert "matcher" not in data["hooks"]["UserPromptSubmit"][0]
    assert data["hooks"]["SessionEnd"][0]["hooks"][0]["timeout"] <= 2
    assert "installed attune-companion hooks in" in capsys.readouterr().out


def test_install_keeps_everything_it_does_not_own_in_order(repo, capsys):
    seed(repo)
    run("install", "--root", str(repo))
    data = settings(repo)
    assert {k: v for k, v in data.items() if k != "hooks"} == {k: v for k, v in THEIRS.items() if k != "hooks"}
    assert list(data) == list(THEIRS)
    assert data["hooks"]["PreToolUse"][0] == THEIRS["hooks"]["PreToolUse"][0]
    assert data["hooks"]["Notification"] == THEIRS["hooks"]["Notification"]
    assert data["hooks"]["Stop"][0] == {"hooks": []}  # theirs, even if odd
    assert list(data["hooks"])[:3] == ["PreToolUse", "Notification", "Stop"]


def test_install_is_idempotent_and_keeps_the_indentation(repo, capsys):
    seed(repo)
    run("install", "--root", str(repo))
    first = (repo / ".claude/settings.json").read_text()
    assert '\n    "permissions"' in first
    run("install", "--root", str(repo))
    assert (repo / ".claude/settings.json").read_text() == first
    assert capsys.readouterr().out.endswith("already up to date\n")


def test_install_repairs_our_own_stale_and_duplicate_entries(repo):
    stale = {"hooks": {"PreToolUse": [
        {"matcher": "Write", "hooks": [{"type": "command", "command": "empathy hook PreToolUse", "timeout": 60}]},
        {"matcher": "Bash", "hooks": [{"type": "command", "command": "/old/venv/bin/empathy hook PreToolUse"}]},
    ]}}  # fmt: skip
    seed(repo, stale)
    run("install", "--root", str(repo))
    groups = settings(repo)["hooks"]["PreToolUse"]
    assert groups == [
        {"matcher": install.TOOLS, "hooks": [{"type": "command", "command": command("PreToolUse"), "timeout": 10}]}
    ]


def test_invalid_json_is_refused_and_nothing_is_written(repo, capsys):
    (repo / ".claude").mkdir()
    (repo / ".claude/settings.json").write_text('{\n  "model": "opus",\n  "hooks": {,}\n}\n')
    before = (repo / ".claude/settings.json").read_text()
    assert run("install", "--root", str(repo)) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"empathy: error: {repo}/.claude/settings.json:3:")
    assert "not valid JSON" in err and "nothing was written" in err
    assert (repo / ".claude/settings.json").read_text() == before
    assert not (repo / ".claude/settings.json.attune-backup").exists()


def test_a_backup_of_the_previous_file_is_kept(repo):
    seed(repo)
    before = (repo / ".claude/settings.json").read_text()
    run("install", "--root", str(repo))
    assert (repo / ".claude/settings.json.attune-backup").read_text() == before


def test_dry_run_shows_the_diff_and_writes_nothing(repo, capsys):
    seed(repo)
    before = (repo / ".claude/settings.json").read_text()
    run("install", "--dry-run", "--root", str(repo))
    out = capsys.readouterr().out
    assert out.startswith(f"--- {repo}/.claude/settings.json")
    assert '+                        "command": "for e in \\"$CLAUDE_PROJECT_DIR\\"/.venv/bin/empathy' in out
    assert (repo / ".claude/settings.json").read_text() == before


def test_uninstall_removes_exactly_what_install_added(repo, capsys):
    seed(repo)
    run("install", "--root", str(repo))
    run("uninstall", "--root", str(repo))
    assert settings(repo) == THEIRS
    run("uninstall", "--root", str(repo))
    assert "none of our hooks are installed" in capsys.readouterr().out


def test_uninstall_from_a_file_we_created_leaves_an_empty_object(repo):
    run("install", "--root", str(repo))
    run("uninstall", "--root", str(repo))
    assert settings(repo) == {}


def test_uninstall_drops_the_hooks_key_it_emptied_and_keeps_every_other_key(repo):
    seed(repo, {"model": "opus", "env": {"A": "1"}})
    run("install", "--root", str(repo))
    run("uninstall", "--root", str(repo))
    assert settings(repo) == {"model": "opus", "env": {"A": "1"}}


def test_local_and_user_scopes_run_this_installation_by_absolute_path(repo, monkeypatch, tmp_path):
    run("install", "--scope", "local", "--root", str(repo))
    local = settings(repo, "settings.local.json")["hooks"]["Stop"][0]["hooks"][0]["command"]
    assert local == command("Stop", launcher.this_installation())
    program = shlex.split(local.split(";")[0].removeprefix("for e in "))[0]
    assert Path(program).is_absolute() and os.access(program, os.X_OK)
    run("install", "--scope", "user", "--root", str(repo))
    home = Path.home() / ".claude/settings.json"
    assert json.loads(home.read_text())["hooks"]["Stop"][0]["hooks"][0]["command"] == local


def test_status_shows_what_is_installed_where(repo, capsys):
    seed(repo, {"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "empathy hook Stop", "timeout": 99}]}]}})
    run("status", "--root", str(repo))
    out = capsys.readouterr().out
    assert "project" in out and "partly installed, 1 of 11 events" in out
    assert "outdated: Stop" in out and "missing: SessionStart" in out
    assert "local    " in out and "no file" in out
    run("install", "--root", str(repo))
    capsys.readouterr()
    run("status", "--root", str(repo))
    assert ': installed, 11 of 11 events, command "$CLAUDE_PROJECT_DIR"/.venv/bin/empathy ' in capsys.readouterr().out


@pytest.mark.parametrize(
    ("command", "owned"),
    [
        ("empathy hook PreToolUse", True),
        ("/home/me/.venv/bin/empathy hook Stop", True),
        ("'/path with space/empathy' hook Stop", True),
        ("python -m attune hook Stop", True),
        ("./scripts/empathy-hook.sh", False),
        ("empathy scan --staged", False),
        ("echo empathy hook Stop; rm -rf /", False),
        ("echo stopped && empathy hook Stop", False),
        ("echo empathy hook Stop", False),
        ("empathy hook Stop # attune-companion", True),
        ("empathy hook Stop #attune-companion", False),
        (command("Stop"), True),
    ],
)
def test_only_our_commands_are_ours(command, owned):
    assert install.ours({"type": "command", "command": command}) is owned


def test_the_plugin_ships_the_same_hooks():
    shipped = json.loads((ROOT / "hooks/hooks.json").read_text())
    assert shipped == install.plugin_hooks()
    manifest = json.loads((ROOT / ".claude-plugin/plugin.json").read_text())
    from attune import __version__

    assert (manifest["name"], manifest["version"]) == ("attune-companion", __version__)
