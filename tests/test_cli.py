from __future__ import annotations

import json
import re

import pytest

from attune import __version__, cli


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"empathy {__version__}"


def test_help_lists_every_subcommand_with_one_line(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    commands = cli._parser()._subparsers._group_actions[0].choices  # the registered subcommands
    for name in commands:
        assert re.search(rf"^\s+{name}\s+\S", out, re.MULTILINE), name


def test_no_command_prints_help_and_exits_2(capsys):
    assert cli.main([]) == 2
    assert "usage: empathy" in capsys.readouterr().out


def test_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["synk"])
    assert exc.value.code == 2
    assert "invalid choice: 'synk'" in capsys.readouterr().err


def test_user_error_is_one_line_on_stderr(tmp_path, capsys):
    assert cli.main(["sync", "--root", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("empathy: error: no .empathy/ in ")
    assert "empathy init" in err
    assert err.count("\n") == 1


def test_sync_main_is_empathy_sync(tmp_path, capsys):
    assert cli.sync_main(["--root", str(tmp_path)]) == 1
    assert "no .empathy/" in capsys.readouterr().err


def test_check_and_watch_are_exclusive(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["sync", "--check", "--watch"])
    assert exc.value.code == 2


def _commands(parser):
    """Every `command` a subparser of `parser` sets, recursively."""
    import argparse

    found = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                if sub.get_default("command"):
                    found.add(sub.get_default("command"))
                found |= _commands(sub)
    return found


def _branches(function, name):
    """The strings `function` compares its variable `name` with: its dispatch branches."""
    import ast
    import inspect
    import textwrap

    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    return {
        node.comparators[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Compare) and isinstance(node.left, ast.Name) and node.left.id == name
    }


def test_every_subcommand_has_a_dispatch_branch():
    """Each command the parser defines has its `if ... == ...` branch, and no branch lacks a command."""
    groups = _branches(cli._dispatch, "group")
    branches = _branches(cli._dispatch, "command")
    for group in groups:
        branches |= {f"{group} {action}" for action in _branches(getattr(cli, f"_{group}_command"), "action")}
    assert _commands(cli._parser()) == branches  # `hook` has its own fast path in main()


def test_a_command_without_a_branch_is_a_bug_not_a_silent_exit():
    import argparse

    for command in ("frobnicate", "patterns frobnicate", "memory frobnicate"):
        with pytest.raises(NotImplementedError, match="no dispatch branch"):
            cli._dispatch(argparse.Namespace(command=command))


@pytest.mark.parametrize(
    "argv",
    [
        ["sync", "--root", "r", "-q", "--check"],
        ["init"],
        ["scan", "a.py", "--pii", "--format", "sarif"],
        ["patterns", "new", "debugging", "A title", "--paths", "src/**"],
        ["patterns", "review", "--base", "main"],
        ["hooks", "install", "--scope", "user", "--dry-run"],
        ["memory", "recall", "password hashing", "--limit", "3"],
        ["doctor"],
        ["route", "summarize", "--json"],
        ["costs", "--since", "2026-01-01"],
        ["wizard", "run", "security-review", "--offline"],
    ],
)
def test_the_one_command_parser_reads_arguments_as_the_whole_parser_does(argv):
    assert set(cli.PARSERS) == set(cli._parser()._subparsers._group_actions[0].choices)
    alone = cli._parser(argv[0])
    assert list(alone._subparsers._group_actions[0].choices) == [argv[0]]
    assert vars(alone.parse_args(argv)) == vars(cli._parser().parse_args(argv))


def test_a_command_help_is_its_own(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["sync", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: empathy sync ") and "--dry-run" in out


def test_the_console_scripts_flush_everything_before_they_leave(repo):
    """run() and run_sync() end a sync with os._exit: the output must still arrive whole."""
    import subprocess
    import sys
    from pathlib import Path

    from tests.helpers import write_pattern

    for index in range(30):
        write_pattern(repo, f"p{index:02}", paths=[f"src/m{index}/**"])
    scripts = Path(sys.executable).parent
    check = subprocess.run(
        [scripts / "empathy-sync-claude", "--root", repo, "--check"], capture_output=True, text=True, check=False
    )
    assert check.returncode == 1
    assert check.stdout.count("would be written; run empathy-sync-claude") == 30
    synced = subprocess.run([scripts / "empathy", "sync", "--root", repo], capture_output=True, text=True, check=False)
    assert synced.returncode == 0, synced.stderr
    assert synced.stdout.splitlines()[-1] == "synced 30 patterns in 30 rule files: 30 written, 0 removed"
    again = subprocess.run(
        [scripts / "empathy-sync-claude", "--root", repo, "--check"], capture_output=True, text=True, check=False
    )
    assert (again.returncode, again.stdout) == (0, "rules are up to date (30 patterns in 30 rule files)\n")
    # `memory recall` leaves the same way (issue 13): every hit arrives, through a pipe too.
    recalled = subprocess.run([scripts / "empathy", "memory", "recall", "error", "--limit", "30", "--json", "--root",
                               repo], capture_output=True, text=True, check=False)  # fmt: skip
    assert recalled.returncode == 0, recalled.stderr
    assert sorted(hit["id"] for hit in json.loads(recalled.stdout)) == [f"p{index:02}" for index in range(30)]


SYNC_ARGVS = [
    [],
    ["-q"],
    ["--quiet", "--root", "some dir"],
    ["--root=r", "--check", "-v"],
    ["--dry-run", "--verbose", "--force"],
    ["--watch", "--root", "a", "--root", "b"],
    ["--root="],
    ["--check", "--check"],
    ["--help"],
    ["-qv"],
    ["--ro", "r"],
    ["--verb"],
    ["--root"],
    ["--root", "-q"],
    ["--check", "--watch"],
    ["-v", "-q"],
    ["--dry-run", "--check"],
    ["extra"],
    ["--root", "r", "extra"],
    ["--version"],
]


@pytest.mark.parametrize("argv", SYNC_ARGVS, ids=lambda argv: " ".join(argv) or "(none)")
def test_plain_sync_arguments_read_as_argparse_reads_them(argv, capsys):
    """The argparse-free reader answers only where argparse would accept, and then the same."""
    plain = cli.sync_arguments(argv)
    try:
        parsed = vars(cli._parser("sync").parse_args(["sync", *argv]))
    except SystemExit:
        capsys.readouterr()
        assert plain is None
        return
    parsed.pop("command")
    if plain is not None:
        assert plain._asdict() == parsed
    else:  # argparse takes it, but only through a form the plain reader leaves to it
        assert any(arg in ("--ro", "--verb", "-qv", "--version") for arg in argv)


def test_most_syncs_need_no_argparse():
    assert cli.sync_arguments(["--root", "r", "-q"])._asdict() == {
        "dry_run": False, "check": False, "watch": False, "verbose": False, "quiet": True, "force": False,
        "root": "r", "target": None,
    }  # fmt: skip


def test_empathy_sync_claude_has_a_version(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.sync_main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"empathy {__version__}"


def test_help_fits_the_width_in_columns(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "50")
    cli._columns.cache_clear()
    try:
        with pytest.raises(SystemExit):
            cli.main(["memory", "recall", "--help"])
    finally:
        cli._columns.cache_clear()
    lines = capsys.readouterr().out.splitlines()
    assert "--days N" in "\n".join(lines) and max(map(len, lines)) <= 50


def test_building_a_parser_does_not_import_shutil():
    """argparse would import shutil (with bz2 and lzma) to ask the width: 2 ms of every command (cli._formatter)."""
    import subprocess
    import sys

    code = "import sys; from attune import cli; cli._parser(); cli._parser('memory'); print('shutil' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"
