"""The cheap first look at a Bash command agrees with the shell reader it saves importing (issue 4)."""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys

import pytest

from attune.hooks import plain, reads, tools

PLAIN = [
    "git status --short && ls -la",
    "ls",
    "pytest -q tests/hooks",
    "make -j4 && git add src/a.py; git commit -m x",
    "ls -la | wc -l",
    "du -sh . || df -h",
    "mkdir -p build/out\nls build",
]
NOT_PLAIN = [
    "cat .env",
    "git show HEAD:.env",
    "git -C . show HEAD:.env",
    "ls && cat .env",
    "ls .env*",
    "ls $HOME",
    "ls `cat .env`",
    "ls < .env",
    "echo $AWS_SECRET_ACCESS_KEY",
    "cd logs && ls",
    "python -c 'print(open(\".env\").read())'",
    "ls & cat .env",
    "FOO=1 ls",
    "sudo ls",
    "/bin/cat .env",
    "git",
    "",
    "ls ;",
    "ls # cat .env",
]


@pytest.mark.parametrize("command", PLAIN)
def test_plain_commands_are_recognised_and_the_reader_agrees(command):
    assert plain.reads_nothing(command)
    assert reads.uses(command) == []


@pytest.mark.parametrize("command", NOT_PLAIN)
def test_anything_else_goes_to_the_shell_reader(command):
    assert not plain.reads_nothing(command)


def test_no_combination_of_words_is_called_plain_while_the_reader_finds_a_use():
    words = ["ls", "cat", "git", "show", "status", "HEAD:.env", ".env", "-la", "&&", "|", ";", "echo", "x"]
    for combination in itertools.product(words, repeat=3):
        command = " ".join(combination)
        if plain.reads_nothing(command):
            assert reads.uses(command) == [], command


def test_the_quiet_lists_stay_inside_what_the_reader_calls_benign():
    assert plain.QUIET <= reads.BENIGN
    assert not plain.QUIET & ({"cd", "pushd", "echo", "printf", "printenv"} | reads.WRAPPERS)
    assert not plain.QUIET_GIT & tools._GIT_READS


@pytest.mark.parametrize(
    "command",
    ["ls", "printf x > out.txt", "touch a.py", "sed -i s/a/b/ a.py", "cp a b", "teeth ls", "git add ./cp", "x=dd"],
)
def test_may_write_answers_as_the_rule_deliverys_pattern_did(command):
    old = re.compile(r"\b(?:tee|sed|gsed|perl|cp|mv|install|ln|rsync|touch|truncate|dd)\b")
    assert plain.may_write(command) == (">" in command or old.search(command) is not None)


@pytest.mark.parametrize(
    ("tool", "tool_input"),
    [("Bash", {"command": "git status --short && ls -la"}), ("Write", {"file_path": "a.py", "content": "x = 1"})],
)
def test_a_plain_command_imports_neither_the_shell_reader_nor_the_rules_index(tmp_path, tool, tool_input):
    (tmp_path / ".empathy").mkdir()
    payload = {"session_id": "", "cwd": str(tmp_path), "hook_event_name": "PreToolUse", "tool_name": tool,
               "tool_input": tool_input}  # fmt: skip
    probe = (
        "import sys, json\nfrom attune import cli\ncode = cli.main(['hook', 'PreToolUse'])\n"
        "names = ('attune.hooks.reads', 'attune.hooks.shell', 'attune.hooks.exposure', 'attune.hooks.deliver')\n"
        "names += ('attune.hooks.plain',) if sys.argv[1] == 'Write' else ()\n"
        "print(json.dumps({'code': code, 'loaded': [m for m in names if m in sys.modules]}), file=sys.stderr)\n"
    )
    env = {**os.environ, "CLAUDE_PROJECT_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", probe, tool], input=json.dumps(payload), capture_output=True,
                            text=True, env=env, check=True)  # fmt: skip
    assert result.stdout == ""
    assert json.loads(result.stderr.splitlines()[-1]) == {"code": 0, "loaded": []}


def test_the_quoting_characters_refused_first_are_none_of_the_plain_ones():
    # reads_nothing refuses a command holding one of them before splitting it (issue 15): it must be a
    # command the full check refuses too.
    assert not set(plain._QUOTING) & plain._PLAIN_CHARS
    for char in plain._QUOTING:
        assert not plain.reads_nothing(f"ls {char}x{char}")
    assert not plain.reads_nothing('echo "' + "hello world " * 90_000 + '"')
    assert plain.reads_nothing("git status && ls -la")
