"""The published hooks, run by the real pre-commit from a real `git commit`."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from benchmarks import fakes

from tests.helpers import GIT_ENV, build_tree, commit_all, git, write_pattern

ROOT = Path(__file__).resolve().parents[2]
HOOKS = ("empathy-secrets", "empathy-pii", "empathy-patterns", "empathy-sync-check")


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory):
    """This project as it is on disk (uncommitted edits included), committed into a repository of its own."""
    snapshot = tmp_path_factory.mktemp("attune-hooks")
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / name)
    env = {**os.environ, **GIT_ENV}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "snapshot"]):
        subprocess.run(["git", "-C", str(snapshot), *args], check=True, env=env)
    rev = subprocess.run(
        ["git", "-C", str(snapshot), "rev-parse", "HEAD"], capture_output=True, text=True, check=True, env=env
    )
    return snapshot, rev.stdout.strip()


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory):
    """One cache per test run: pre-commit builds the hooks' virtualenv (pip install of this package) once."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def hooked(repo, hook_repo, pre_commit_home, monkeypatch):
    monkeypatch.setenv("PRE_COMMIT_HOME", str(pre_commit_home))
    monkeypatch.chdir(repo)
    path, rev = hook_repo
    hooks = "".join(f"      - id: {hook}\n" for hook in HOOKS)
    build_tree(repo, {".pre-commit-config.yaml": f"repos:\n  - repo: {path}\n    rev: {rev}\n    hooks:\n{hooks}"})
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], check=True, capture_output=True)
    started = time.monotonic()
    commit_all(repo, "pre-commit config")  # the first hook run builds the hooks' virtualenv if the cache lacks it
    print(f"[first pre-commit run, hook environment build included: {time.monotonic() - started:.1f}s]")
    return repo


def _commit(repo, message):
    """Commit everything; git sends hook output to stderr, so the output returned is both streams."""
    git(repo, "add", "-A")
    result = subprocess.run(
        ["git", "-C", str(repo), "commit", "-m", message], capture_output=True, text=True, check=False
    )
    return result.returncode, result.stdout + result.stderr


def test_a_commit_with_a_fake_key_is_refused_then_passes_once_allowlisted(hooked):
    key = fakes.anthropic(random.Random("pre-commit"))
    (hooked / "client.py").write_text(f'API_KEY = "{key}"\n')
    code, output = _commit(hooked, "add client")
    assert code != 0, output
    assert f"client.py:1: anthropic-api-key: {key[:7]}…{key[-3:]}" in output
    assert key not in output
    assert "empathy secrets" in output and "Failed" in output

    (hooked / "client.py").write_text(f'API_KEY = "{key}"  # pragma: allowlist secret\n')
    code, output = _commit(hooked, "add client")
    assert code == 0, output
    assert git(hooked, "status", "--porcelain") == ""


def test_personal_data_is_refused(hooked):
    (hooked / "customers.csv").write_text(f"name,email\nMaria,{fakes.email(random.Random(1))}\n")
    code, output = _commit(hooked, "add customers")
    assert code != 0
    assert "customers.csv:2: email: " in output


def test_broken_pattern_files_and_stale_rules_are_refused(hooked):
    write_pattern(hooked, "timeouts", paths=["src/**"])
    code, output = _commit(hooked, "add a pattern without syncing")
    assert code != 0
    assert "empathy rules up to date" in output and "Failed" in output
    subprocess.run([sys.executable, "-m", "attune", "sync", "-q"], check=True)
    code, output = _commit(hooked, "add a pattern and its rules")
    assert code == 0, output

    broken = hooked / ".empathy/patterns/debugging/timeouts.md"
    broken.write_text(broken.read_text().replace("status: active", "status: shiny"))
    code, output = _commit(hooked, "break the pattern")
    assert code != 0
    assert "empathy pattern files" in output and ".empathy/patterns/debugging/timeouts.md:" in output


def test_a_hand_edited_file_of_another_target_is_refused(hooked):
    build_tree(hooked, {".empathy/config.yaml": "targets: [claude, cursor, agents-md]\n"})
    write_pattern(hooked, "timeouts", paths=["src/**"])
    subprocess.run([sys.executable, "-m", "attune", "sync", "-q"], check=True)
    assert _commit(hooked, "a pattern for three agents")[0] == 0
    rule = hooked / ".cursor/rules/bug-patterns--src.mdc"
    rule.write_text(rule.read_text().replace("a fix", "another fix"))
    code, output = _commit(hooked, "edit a generated Cursor rule by hand")
    assert code != 0
    assert ".cursor/rules/bug-patterns--src.mdc would be written; run empathy-sync-claude (cursor)" in output
    subprocess.run([sys.executable, "-m", "attune", "sync", "-q"], check=True)
    assert "nothing to commit" in _commit(hooked, "nothing: the sync put the committed rule back")[1]


@pytest.mark.parametrize(
    ("name", "encoding"), [("legacy.py", "latin-1"), ("notes.txt", "utf-16"), ("CREDENTIALS", "utf-16")]
)
def test_a_secret_in_latin_1_or_utf_16_text_is_refused(hooked, name, encoding):
    # Latin-1 used to count as binary and UTF-16 as not text: both were committed unscanned (issue 10).
    key = "sk_" + "live_" + fakes.pick(random.Random(name), fakes.B62, 24)
    (hooked / name).write_bytes(f"# café\nSTRIPE = '{key}'\n".encode(encoding))
    code, output = _commit(hooked, "add a file in an old encoding")
    assert code != 0, output
    assert f"{name}:2: stripe-key: " in output and key not in output


def test_a_baselined_token_does_not_let_a_second_one_through(hooked):
    # detect-secrets hashes `ghp` for every classic GitHub token: a baseline entry used to cover them all (issue 10).
    r = random.Random("baseline")
    first, second = ("gh" + "p_" + fakes.pick(r, fakes.B62, 36) for _ in range(2))
    (hooked / "notes.md").write_text(f"log in with {first} for now\n")
    subprocess.run([sys.executable, "-m", "attune", "scan", "--secrets", "--update-baseline"], check=True)
    code, output = _commit(hooked, "a baselined token")
    assert code == 0, output
    (hooked / "notes.md").write_text(f"log in with {first} for now\nor with {second}\n")
    code, output = _commit(hooked, "a second token")
    assert code != 0, output
    assert "notes.md:2: github-token: " in output and "notes.md:1:" not in output
