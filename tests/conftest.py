from __future__ import annotations

import socket
import subprocess
import threading
import time

import pytest

from attune import dates
from tests.helpers import GIT_ENV

FIXED_TODAY = "2026-11-15"


@pytest.fixture(autouse=True, scope="session")
def _real_home_untouched():
    """Fail the run if anything created our folders in the real user's home (issue 10)."""
    import os
    import pwd
    from pathlib import Path

    home = Path(pwd.getpwuid(os.getuid()).pw_dir)
    ours = [home / ".cache" / "attune-companion", home / ".config" / "attune-companion"]
    before = {path for path in ours if path.exists()}
    yield
    created = [str(path) for path in ours if path.exists() and path not in before]
    assert created == [], f"the tests wrote into the real home: {created}"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """No test reads or writes the real home directory or the user's git config."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    for name in list(__import__("os").environ):
        if name.startswith(("GIT_", "EMPATHY_", "CLAUDE", "ANTHROPIC_")):
            monkeypatch.delenv(name)
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    # Dated facts (deprecations, prices) read attune.dates.today(): pin it, so that no test's
    # outcome changes with the calendar (issue 10). Tests about dates set their own day.
    monkeypatch.setenv(dates.TODAY_VARIABLE, FIXED_TODAY)


@pytest.fixture(autouse=True)
def _no_thread_leaks():
    """Fail a test that leaves a thread running (an observer not stopped, say)."""
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        leaked = [t for t in threading.enumerate() if t not in before and t.is_alive()]
        if not leaked:
            return
        time.sleep(0.02)
    pytest.fail(f"test leaked threads: {leaked}")


_real_connect = socket.socket.connect


def _loopback_only(self, address):
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and host not in ("127.0.0.1", "::1", "localhost") and self.family != socket.AF_UNIX:
        raise AssertionError(f"a test tried to reach {address!r}; only loopback is allowed")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)


@pytest.fixture
def fake_api():
    """The loopback fake of the Anthropic Messages API (tests/fakes/messages_api.py), stopped after the test."""
    from tests.fakes.messages_api import FakeMessagesAPI

    with FakeMessagesAPI() as api:
        yield api
    assert api.errors == [], "the fake Messages API failed:\n" + "\n".join(api.errors)


@pytest.fixture
def repo(tmp_path):
    """An empty git repository with a fixed author and no global config."""
    root = tmp_path / "repo"
    root.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    return root
