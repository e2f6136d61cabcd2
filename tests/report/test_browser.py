"""The report in a real headless Chromium: it loads offline, its sections and charts render, no console errors."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from tests.helpers import run_cli

INSTALL_HINT = "install Debian's chromium (`apt-get install chromium`); .ci/run does it when it is missing"
# Quiet, offline, isolated: no first-run screens, no background requests, a profile in the test's folder.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
         "--enable-logging=stderr", "--v=0"]  # fmt: skip


@pytest.fixture
def chromium(tmp_path):
    found = next((shutil.which(n) for n in ("chromium", "chromium-browser") if shutil.which(n)), None)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"no headless Chromium in CI: {INSTALL_HINT}")
        pytest.skip(f"no headless Chromium: {INSTALL_HINT}")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        profile = tmp_path / "chromium-profile"
        return subprocess.run([found, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True,
                              timeout=120, check=False)  # fmt: skip

    return run


def console_errors(stderr: str) -> list[str]:
    """What the page said on the console or what Chromium refused while loading it."""
    return [line for line in stderr.splitlines() if re.search(r"CONSOLE|Uncaught|Refused to|net::ERR_", line)]


def test_the_harness_sees_console_errors(chromium, tmp_path):
    # Without this, a harness that never saw the console would pass every page.
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html><body><script>console.error('broken page'); missing();</script></body></html>")
    done = chromium("--dump-dom", bad.as_uri())
    assert console_errors(done.stderr), done.stderr[-2000:]


def test_the_report_renders_in_a_real_browser(chromium, project, capsys, tmp_path):
    assert run_cli(capsys, "report", "--days", "7", "--root", str(project))[0] == 0
    page = project / ".empathy/report.html"
    done = chromium("--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert not console_errors(done.stderr), console_errors(done.stderr)
    for anchor in ("library", "rules", "guards", "costs", "sessions"):
        assert f'<section id="{anchor}">' in dom
    assert len(re.findall(r'<svg class="chart"', dom)) >= 6 and "<rect" in dom
    shot = tmp_path / "report.png"
    done = chromium("--screenshot=" + str(shot), "--window-size=1200,2400", "--hide-scrollbars", page.as_uri())
    assert done.returncode == 0 and shot.stat().st_size > 10_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
