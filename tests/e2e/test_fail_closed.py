"""Guards fail closed in the real Claude Code CLI (issue 10): a check that cannot finish denies the call.

A Write of two megabytes of candidate assignments takes the real scanner seconds; with
`deadline_seconds: 0.5` the hook's own deadline passes first. The CLI must then see a denial,
not a timeout or a non-blocking error that lets the Write run.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from attune import cli
from tests.e2e.claude import texts
from tests.fakes import replies

PATH = {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}"}
SLOW = "".join(f'password_{n} = "Zq8{n:06d}Xw2Lm9Vn4Bc7Tk1R"\n' for n in range(50_000))


@pytest.fixture
def installed(project, capsys):
    assert cli.main(["init", "--root", str(project)]) == 0
    assert cli.main(["hooks", "install", "--root", str(project)]) == 0
    capsys.readouterr()
    (project / ".empathy/config.yaml").write_text("hooks:\n  deadline_seconds: 0.5\n")
    return project


def test_a_write_whose_check_cannot_finish_is_denied(claude, fake_api, installed):
    target = installed / "app.py"
    fake_api.script(
        replies.tool_use("Write", {"file_path": str(target), "content": SLOW}),
        replies.text("understood"),
    )

    run = claude("write app.py", env=PATH)

    assert run.returncode == 0, run.stderr
    assert not target.exists()
    assert [d["tool_name"] for d in run.result["permission_denials"]] == ["Write"]
    follow_up = texts(fake_api.messages(scripted_only=True)[-1])
    assert "attune-companion: denied this " in follow_up  # "this Write", or "this tool call" if it struck in the read
    assert "because its check did not finish within 0.5 s" in follow_up


def test_on_error_allow_lets_it_run(claude, fake_api, installed):
    (installed / ".empathy/config.yaml").write_text("hooks:\n  deadline_seconds: 0.5\n  on_error: allow\n")
    target = installed / "app.py"
    fake_api.script(
        replies.tool_use("Write", {"file_path": str(target), "content": SLOW}),
        replies.text("done"),
    )

    run = claude("write app.py", env=PATH)

    assert run.returncode == 0, run.stderr
    assert target.read_text() == SLOW
