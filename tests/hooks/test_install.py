from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from attune import cli
from attune.hooks import install, launcher, settings_file

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
        "matcher": "Write|Edit|MultiEdit|NotebookEdit|Bash|Read|Agent|Task",
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
        {"matcher": install.PRE_TOOLS, "hooks": [{"type": "command", "command": command("PreToolUse"), "timeout": 10}]}
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
    assert not settings_file.backup_path(repo / ".claude/settings.json").exists()


def test_a_backup_of_the_previous_file_is_kept_outside_the_repository(repo, capsys):
    seed(repo)
    before = (repo / ".claude/settings.json").read_text()
    run("install", "--root", str(repo))
    backup = Path(capsys.readouterr().out.split("previous file kept as ")[1].split(")")[0])
    assert backup.read_text() == before and backup.stat().st_mode & 0o077 == 0
    assert not backup.is_relative_to(repo)  # `git add -A` must not pick it up (issue 15)
    assert subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=repo, capture_output=True,
                          text=True, check=True).stdout.split() == ["??", ".claude/settings.json"]  # fmt: skip
    run("uninstall", "--root", str(repo))
    assert "previous file kept as " + str(backup) in capsys.readouterr().out  # one backup per settings file


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


@pytest.mark.parametrize("scope", ["project", "local"])
def test_uninstall_from_a_file_we_created_leaves_no_empty_file(repo, capsys, scope):
    name = {"project": "settings.json", "local": "settings.local.json"}[scope]
    run("install", "--scope", scope, "--root", str(repo))
    assert (repo / ".claude" / name).exists()
    run("uninstall", "--scope", scope, "--root", str(repo))
    assert not (repo / ".claude" / name).exists()
    assert "it held nothing else, so it is gone" in capsys.readouterr().out


def test_uninstall_through_a_symlink_keeps_the_link_and_an_empty_object(repo, tmp_path):
    target = tmp_path / "shared-settings.json"
    target.write_text("{}\n")
    (repo / ".claude").mkdir()
    (repo / ".claude/settings.json").symlink_to(target)
    run("install", "--root", str(repo))
    run("uninstall", "--root", str(repo))
    assert (repo / ".claude/settings.json").is_symlink() and json.loads(target.read_text()) == {}


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
    assert "project" in out and "partly installed, 1 of 12 events" in out
    assert "outdated: Stop" in out and "missing: SessionStart" in out
    assert "local    " in out and "no file" in out
    run("install", "--root", str(repo))
    capsys.readouterr()
    run("status", "--root", str(repo))
    assert ': installed, 12 of 12 events, command "$CLAUDE_PROJECT_DIR"/.venv/bin/empathy ' in capsys.readouterr().out


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


# Issue 11: the installer takes any settings file a user has. Each refusal is one line naming the
# file, what is wrong and the fix, and nothing is written (no file change, no backup).


def refused(repo, capsys, *args, name="settings.json"):
    path = repo / ".claude" / name
    before = path.read_bytes() if path.exists() else None
    code = run(*args, "--root", str(repo))
    err = capsys.readouterr().err
    assert code == 1, err
    assert err.count("\n") == 1 and err.startswith("empathy: error: ") and "Traceback" not in err
    assert (path.read_bytes() if path.exists() else None) == before
    assert not settings_file.backup_path(repo / ".claude" / name).exists()
    return err


@pytest.mark.parametrize("action", ["install", "uninstall"])
def test_a_latin1_byte_is_refused_with_its_line(repo, capsys, action):
    (repo / ".claude").mkdir()
    (repo / ".claude/settings.json").write_bytes(b'{\n  "env": {"NAME": "Jos\xe9"}\n}\n')
    err = refused(repo, capsys, action)
    assert err.startswith(f"empathy: error: {repo}/.claude/settings.json:2: not UTF-8 (byte 0xe9); save it as UTF-8")


@pytest.mark.parametrize("action", ["install", "uninstall"])
def test_json_nested_ten_thousand_deep_is_refused(repo, capsys, action):
    (repo / ".claude").mkdir()
    (repo / ".claude/settings.json").write_text('{"x": ' + "[" * 10_000 + "]" * 10_000 + "}")
    assert "nested too deeply" in refused(repo, capsys, action)


def test_json_nested_deeper_than_settings_ever_are_is_refused(repo, capsys):
    (repo / ".claude").mkdir()
    (repo / ".claude/settings.json").write_text('{"x": ' + "[" * 500 + "]" * 500 + "}")  # parses; would not dump
    assert "nested more than 100 levels deep" in refused(repo, capsys, "install")


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_what_is_not_strict_json_is_refused(repo, capsys, value):
    (repo / ".claude").mkdir()
    (repo / ".claude/settings.json").write_text(f'{{\n  "model": "NaN",\n  "x": {value}\n}}\n')
    err = refused(repo, capsys, "install")
    assert err.startswith(f"empathy: error: {repo}/.claude/settings.json:3: not strict JSON (")


def test_a_key_given_twice_is_refused_at_the_second_ones_line(repo, capsys):
    (repo / ".claude").mkdir()
    (repo / ".claude/settings.json").write_text('{\n  "env": {"A": "1"},\n  "model": "env",\n  "env": {"B": "2"}\n}\n')
    err = refused(repo, capsys, "install")
    assert err.startswith(f"empathy: error: {repo}/.claude/settings.json:4: not strict JSON (")
    assert 'the key "env" appears twice in one object' in err


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ('{\n  "model": "opus",\n}\n', "3:1", "expected a key in double quotes (a comma before `}`?)"),
        ('{\n  "model": "opus"\n  "env": {}\n}\n', "3:3", "a comma is missing between two items"),
        ('{\n  "model" "opus"\n}\n', "2:11", "a colon is missing after a key"),
        ('{\n  "a": [1,]\n}\n', "2:11", "a value is missing here"),
        ("{}\n{}\n", "2:1", "there is more text after the settings' closing `}`"),
        ('{\n  "model": "opus', "2:12", "a string is not closed with a double quote"),
        ('{\n  "model": "a\tb"\n}\n', "2:14", "a tab or line break inside a string must be written as \\t or \\n"),
        ('{\n  "path": "C:\\dir"\n}\n', "2:14", "a backslash inside a string must be doubled"),
    ],
)
def test_invalid_json_is_explained_in_our_words_with_line_and_column(repo, capsys, text, where, words):
    (repo / ".claude").mkdir()
    (repo / ".claude/settings.json").write_text(text)
    err = refused(repo, capsys, "install")
    assert err.startswith(f"empathy: error: {repo}/.claude/settings.json:{where}: not valid JSON: {words}")
    assert "Expecting" not in err and "delimiter" not in err


def test_a_read_only_settings_file_is_refused_even_for_root(repo, capsys):
    seed(repo)
    (repo / ".claude/settings.json").chmod(0o444)
    err = refused(repo, capsys, "install")
    assert f"{repo}/.claude/settings.json: the file is read-only (mode 0444); make it writable" in err
    assert (repo / ".claude/settings.json").stat().st_mode & 0o777 == 0o444


def test_a_read_only_claude_folder_is_refused_even_for_root(repo, capsys):
    seed(repo)
    (repo / ".claude").chmod(0o555)
    try:
        err = refused(repo, capsys, "install")
        assert f"the folder {repo}/.claude is read-only (mode 0555)" in err
        assert refused(repo, capsys, "install", "--scope", "local", name="settings.local.json")
        assert not (repo / ".claude/settings.local.json").exists()
    finally:
        (repo / ".claude").chmod(0o755)
    assert [p.name for p in (repo / ".claude").iterdir()] == ["settings.json"]


def test_a_claude_path_that_is_a_file_is_refused(repo, capsys):
    (repo / ".claude").write_text("not a folder\n")  # fails for root too: no permission bit involved
    assert f"{repo}/.claude/settings.json: cannot read it (Not a directory)" in refused(repo, capsys, "install")


def test_a_settings_file_that_is_a_fifo_is_refused_without_hanging(repo, capsys):
    (repo / ".claude").mkdir()
    os.mkfifo(repo / ".claude/settings.json")
    err = run("install", "--root", str(repo))
    assert err == 1 and "not a regular file" in capsys.readouterr().err


def test_a_symlinked_settings_file_is_written_through_and_stays_a_link(repo, tmp_path, capsys):
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    (dotfiles / "claude-settings.json").write_text(json.dumps(THEIRS, indent=4) + "\n")
    (repo / ".claude").mkdir()
    (repo / ".claude/settings.json").symlink_to(dotfiles / "claude-settings.json")

    assert run("install", "--root", str(repo)) == 0

    assert (repo / ".claude/settings.json").is_symlink()
    data = json.loads((dotfiles / "claude-settings.json").read_text())
    assert data["model"] == "opus" and "SessionStart" in data["hooks"]
    assert [p.name for p in dotfiles.iterdir()] == ["claude-settings.json"]  # no temp file or backup left there
    assert run("uninstall", "--root", str(repo)) == 0
    assert (repo / ".claude/settings.json").is_symlink()
    assert json.loads((dotfiles / "claude-settings.json").read_text()) == THEIRS


def test_a_dangling_or_looping_symlink_is_refused(repo, tmp_path, capsys):
    (repo / ".claude").mkdir()
    (repo / ".claude/settings.json").symlink_to(tmp_path / "gone.json")
    assert "a symlink to" in refused(repo, capsys, "install") and not (tmp_path / "gone.json").exists()
    (repo / ".claude/settings.json").unlink()
    (repo / ".claude/settings.json").symlink_to("settings.json")
    assert "a symlink that loops" in refused(repo, capsys, "install")


def test_someone_elses_hook_that_mentions_empathy_is_kept_on_install_and_uninstall(repo):
    theirs = {"type": "command", "command": "echo stopped && empathy hook Stop"}
    seed(repo, {"hooks": {"Stop": [{"hooks": [theirs]}]}})
    run("install", "--root", str(repo))
    stop = settings(repo)["hooks"]["Stop"]
    assert stop[0] == {"hooks": [theirs]} and launcher.MARK in stop[1]["hooks"][0]["command"]
    run("uninstall", "--root", str(repo))
    assert settings(repo) == {"hooks": {"Stop": [{"hooks": [theirs]}]}}


def test_our_hook_sharing_a_group_gets_a_group_of_its_own(repo):
    theirs = {"type": "command", "command": "./guard.sh"}
    old = {"type": "command", "command": "empathy hook PreToolUse"}  # the previous release's exact form
    seed(repo, {"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [theirs, old]}]}})
    run("install", "--root", str(repo))
    assert settings(repo)["hooks"]["PreToolUse"] == [
        {"matcher": install.PRE_TOOLS, "hooks": [{"type": "command", "command": command("PreToolUse"), "timeout": 10}]},
        {"matcher": "Bash", "hooks": [theirs]},
    ]


def test_installing_in_a_second_scope_warns_that_each_hook_would_run_twice(repo, capsys):
    run("install", "--root", str(repo))
    capsys.readouterr()
    assert run("install", "--scope", "local", "--root", str(repo)) == 0
    err = capsys.readouterr().err
    assert err == (
        f"empathy: warning: our hooks are also in {repo}/.claude/settings.json (project), so Claude Code runs each "
        "twice; remove one set with `empathy hooks uninstall --scope project`\n"
    )
    run("uninstall", "--root", str(repo))
    capsys.readouterr()
    run("install", "--scope", "local", "--root", str(repo))
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("action", ["install", "uninstall"])
@pytest.mark.parametrize("hooks", ["[]", '"x"', "null", "1"])
def test_a_wrong_shape_names_the_file(repo, capsys, action, hooks):
    (repo / ".claude").mkdir()
    (repo / ".claude/settings.json").write_text(f'{{"hooks": {hooks}}}')
    err = refused(repo, capsys, action)
    assert err.startswith(f'empathy: error: {repo}/.claude/settings.json: "hooks" must be a JSON object')


@pytest.mark.parametrize(
    ("groups", "problem"),
    [
        ('"x"', "hooks.Stop: must be a list of matcher groups"),
        ("[1]", 'hooks.Stop[0]: must be an object with a "hooks" list'),
        ('[{"hooks": {}}]', "hooks.Stop[0].hooks: must be a list of handlers"),
        ('[{"matcher": 3, "hooks": []}]', "hooks.Stop[0].matcher: must be a string"),
        ('[{"hooks": [{"command": "x"}]}]', "hooks.Stop[0].hooks[0].type: missing or not a string"),
        ('[{"hooks": [{"type": "command"}]}]', "hooks.Stop[0].hooks[0].command: missing or not a string"),
        ('[{"hooks": [{"type": "command", "command": "x", "timeout": "5"}]}]', "hooks.Stop[0].hooks[0].timeout"),
    ],
)
def test_install_refuses_a_file_claude_code_would_ignore(repo, capsys, groups, problem):
    (repo / ".claude").mkdir()
    (repo / ".claude/settings.json").write_text(f'{{"hooks": {{"Stop": {groups}}}}}')
    err = refused(repo, capsys, "install")
    assert err.startswith(f"empathy: error: {repo}/.claude/settings.json: {problem}")
    assert "Claude Code ignores this whole file" in err


def test_a_lone_surrogate_survives_a_rewrite(repo):
    (repo / ".claude").mkdir()
    (repo / ".claude/settings.json").write_text('{"env": {"A": "\\ud800", "B": "caf\\u00e9"}}')
    assert run("install", "--root", str(repo)) == 0
    assert settings(repo)["env"] == {"A": "\ud800", "B": "café"}


def test_every_hostile_settings_shape_counts_zero_in_every_column(tmp_path):
    """benchmarks/hostile_settings.py, without its two slow shapes: no traceback, nothing foreign lost, nothing malformed."""
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.hostile_settings", "--quick"], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "HOME": str(tmp_path)}, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == (
        "tracebacks: 0  foreign lost: 0  malformed written: 0  written on refusal: 0  read-only written: 0  "
        "unnamed refusals: 0  not idempotent: 0  twice unwarned: 0"
    )
    assert int(result.stdout.splitlines()[-2].split()[0]) >= 80


def test_uninstall_without_any_of_ours_does_not_even_reformat(repo, capsys):
    (repo / ".claude").mkdir()
    minified = '{"model":"opus","hooks":{"Stop":[{"hooks":[{"type":"command","command":"./s.sh"}]}]}}'
    (repo / ".claude/settings.json").write_text(minified)
    assert run("uninstall", "--root", str(repo)) == 0
    assert (repo / ".claude/settings.json").read_text() == minified
    assert "none of our hooks are installed" in capsys.readouterr().out
