"""A baseline entry suppresses only the exact secret it fingerprints (issue 10).

detect-secrets' GitHub plugin stores the SHA-1 of the token's prefix (`ghp`); an entry like that used to
allowlist every GitHub token in its file.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from benchmarks import fakes

from attune.cli import main
from tests.helpers import commit_all
from tests.scan.test_engine import TOKENS

# Two classic tokens: both `ghp`, the fragment detect-secrets hashes for each of them.
TOKENS = {**TOKENS, "github-token": lambda r: "gh" + "p_" + fakes.pick(r, fakes.B62, 36)}


def _line(value):
    return f"credential = {json.dumps(value)}\n"


def _detect_secrets(tool, *args, cwd):
    exe = Path(sys.executable).with_name(tool)
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, check=False)


@pytest.fixture
def project(repo, monkeypatch):
    monkeypatch.chdir(repo)
    return repo


@pytest.mark.parametrize("kind", sorted(TOKENS))
@pytest.mark.parametrize("writer", ["empathy", "detect-secrets"])
def test_a_second_token_of_the_same_provider_is_still_found(project, capsys, kind, writer):
    r = random.Random(kind)
    first, second = TOKENS[kind](r), TOKENS[kind](r)
    (project / "app.py").write_text("# settings\n" + _line(first))
    commit_all(project, "first token")
    if writer == "empathy":
        assert main(["scan", "--secrets", "--update-baseline"]) == 0
        assert main(["scan", "--secrets"]) == 0  # the baselined token is known
    else:
        written = _detect_secrets("detect-secrets", "scan", cwd=project)
        assert written.returncode == 0, written.stderr
        (project / ".secrets.baseline").write_text(written.stdout)
    capsys.readouterr()
    (project / "app.py").write_text("# settings\n" + _line(first) + _line(second))
    assert main(["scan", "--secrets"]) == 1
    reported = capsys.readouterr().out.splitlines()
    assert f"app.py:3: {kind}: " in "\n".join(reported), reported
    if writer == "empathy":
        assert len(reported) == 1, reported


def test_a_fragment_entry_written_by_detect_secrets_suppresses_nothing_and_says_so(project, capsys):
    token = TOKENS["github-token"](random.Random("fragment"))
    (project / "notes.md").write_text(f"log in with {token} for now\n")  # unquoted: no high-entropy entry
    commit_all(project, "a token")
    written = _detect_secrets("detect-secrets", "scan", cwd=project)
    (project / ".secrets.baseline").write_text(written.stdout)
    (item,) = json.loads(written.stdout)["results"]["notes.md"]
    assert item["type"] == "GitHub Token"  # its hash is that of the prefix alone
    assert main(["scan", "--secrets"]) == 1
    out, err = capsys.readouterr()
    assert out.startswith("notes.md:1: github-token: ")
    assert "only part of the secret" in err and "--update-baseline" in err
    assert main(["scan", "--secrets", "--update-baseline"]) == 0
    assert main(["scan", "--secrets"]) == 0


def test_detect_secrets_still_reads_and_keeps_our_entries(project, capsys):
    r = random.Random("keep")
    tokens = [TOKENS["github-token"](r), TOKENS["github-token"](r), fakes.aws_key_id(r)]
    (project / "app.py").write_text("".join(_line(t) for t in tokens))
    (project / "notes.md").write_text(f"log in with {tokens[0]} for now\n")
    commit_all(project, "tokens")
    assert main(["scan", "--secrets", "--update-baseline"]) == 0
    before = (project / ".secrets.baseline").read_text()
    assert '"empathy_hashed_secret"' in before
    files = ("app.py", "notes.md")
    hook = _detect_secrets("detect-secrets-hook", "--baseline", ".secrets.baseline", *files, cwd=project)
    assert hook.returncode == 0, hook.stdout + hook.stderr
    assert (project / ".secrets.baseline").read_text() == before  # nothing for it to rewrite
    audit = _detect_secrets("detect-secrets", "audit", "--report", ".secrets.baseline", cwd=project)
    assert audit.returncode == 0, audit.stdout + audit.stderr
