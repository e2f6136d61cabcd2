"""An Edit of a special file is scanned without reading the file (issue 10)."""

from __future__ import annotations

import os

import pytest

from tests.helpers import fake_secret
from tests.hooks.real import run_hook

KEY = fake_secret("github")


def edit(path, new, old="a"):
    return {"tool_name": "Edit", "tool_input": {"file_path": str(path), "old_string": old, "new_string": new}}


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/urandom", "fifo"])
def test_an_edit_of_a_special_file_is_scanned_without_reading_it(project, special):
    """Reading /dev/zero never ends, /dev/urandom ends in MemoryError, a FIFO waits for a writer."""
    path = project / "pipe" if special == "fifo" else special
    if special == "fifo":
        os.mkfifo(path)
    run = run_hook("PreToolUse", edit(path, f'K = "{KEY}"'), project=project, timeout=30)
    assert (run.code, run.decision) == (0, "deny")
    assert "holds a secret: line 1: github-token" in run.reason
    assert run_hook("PreToolUse", edit(path, "K = 1"), project=project, timeout=30).out == ""


def test_an_edit_still_names_the_line_in_a_regular_file(project):
    target = project / "settings.py"
    target.write_text("# settings\n\nDEBUG = False\na = None\n")
    run = run_hook("PreToolUse", edit(target, f'a = "{KEY}"', old="a = None"), project=project)
    assert "line 4: github-token" in run.reason
