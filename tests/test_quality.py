"""Lint and type checks run inside the test suite, so that the README's one test command covers them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
        ["mypy"],
    ],
    ids=["ruff-check", "ruff-format", "mypy-strict"],
)
def test_code_quality(command):
    result = subprocess.run([sys.executable, "-m", *command], check=False, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _declared() -> list[str]:
    """Every requirement in pyproject.toml: the build's, the runtime's and the extras'."""
    import re

    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    blocks = re.findall(r"^(?:requires|dependencies|dev) = \[(.*?)\]", text, flags=re.MULTILINE | re.DOTALL)
    return [r for block in blocks for r in re.findall(r'"([^"]+)"', block)]


def test_every_dependency_has_an_upper_bound_below_its_next_major():
    declared = _declared()
    assert len(declared) >= 12, declared  # the parser above still finds them all
    unbounded = [r for r in declared if "<" not in r]
    assert unbounded == [], f"give these an upper bound below the next major version: {unbounded}"


def test_ci_installs_from_the_committed_constraints():
    import re

    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"constraints.txt: {line!r} is not pinned with =="
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    for requirement in _declared():
        name = re.sub(r"[-_.]+", "-", re.split(r"[<>=!~\[ ;]", requirement)[0]).lower()
        if name != "hatchling":  # the build backend runs in pip's isolated build environment
            assert name in pins, f"{name} is required by pyproject.toml but not pinned in constraints.txt"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    test_command = ".venv/bin/pip install -c constraints.txt -e '.[dev]' && .venv/bin/python -m pytest"
    assert test_command in ci.splitlines()[-1], "the last line of .ci/run runs the README's test command"
    assert test_command in readme.split("\n## ")[0], "README.md starts with the test command CI runs"
