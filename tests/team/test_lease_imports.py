"""The lease check loads only what it needs (issue 14): every module is paid by every write."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

PROBE = (
    "import io, json, sys\nfrom attune.hooks import runner\n"
    "payload = json.loads(sys.argv[1])\nout = io.StringIO()\n"
    "code = runner.run('PreToolUse', io.StringIO(json.dumps(payload)), out, sys.stderr)\n"
    "names = ('encodings.idna', 'socket', 'fcntl', 'attune.atomic', 'attune.team.signals', 'attune.team.files', 'attune.team.redis',\n"
    "         'attune.team.live', 'attune.team.records')\n"
    "team = sorted(m for m in sys.modules if m.startswith('attune.team'))\n"
    "print(json.dumps([code, out.getvalue(), [m for m in names if m in sys.modules], team]))"
)


def _second_write(project, environ, second="a.py"):
    """The same session writes a.py, then `second`: when that is a.py again, the second write renews
    nothing, locks nothing and skips the session touch (the renewal moments ago made it), so neither
    the index nor its record is loaded."""
    env = {**os.environ, "CLAUDE_PROJECT_DIR": str(project), **environ}
    runs = []
    for name in ("a.py", second):
        payload = {"session_id": "alpha", "cwd": str(project), "tool_name": "Write",
                   "tool_input": {"file_path": str(project / name), "content": "x = 1"}}  # fmt: skip
        runs.append(subprocess.run([sys.executable, "-c", PROBE, json.dumps(payload)], capture_output=True,
                                   text=True, env=env, check=True))  # fmt: skip
    return json.loads(runs[-1].stdout)


# What a renewal loads of attune.team: every module costs each write ~0.1 ms, each record class ~0.15 ms.
LEASE_PATH = ["attune.team", "attune.team.connect", "attune.team.leases", "attune.team.settings", "attune.team.store"]


def test_a_renewed_lease_on_files_neither_locks_nor_writes(project):
    assert _second_write(project, {}) == [0, "", ["attune.team.files"], sorted([*LEASE_PATH, "attune.team.files"])]


def test_a_new_lease_touches_the_session_without_building_a_record(project, backend):
    code, out, _, team = _second_write(project, backend, second="b.py")
    assert (code, out) == (0, "")
    assert "attune.team.live" in team and "attune.team.records" not in team


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_the_hooks_reach_redis_without_the_idna_codec(project, redis_server, host):
    url = redis_server.url.replace("127.0.0.1", host)
    code, out, loaded, team = _second_write(project, {"EMPATHY_REDIS_URL": url})
    assert (code, out) == (0, "")
    assert loaded == []  # nor the file store, which only a Redis that does not answer needs
    assert team == sorted([*LEASE_PATH, "attune.team.resp"])
    state = subprocess.run([sys.executable, "-m", "attune", "agents", "--json"], capture_output=True, text=True,
                           env={**os.environ, "CLAUDE_PROJECT_DIR": str(project), "EMPATHY_REDIS_URL": url},
                           cwd=project, check=True)  # fmt: skip
    assert json.loads(state.stdout)["backend"] == "redis"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://user:pw@github.example/acme/app.git", "https://github.example/acme/app.git"),
        ("HTTPS://tok@host/a", "HTTPS://host/a"),
        ("ssh://git@host:22/a/b", "ssh://host:22/a/b"),
        ("git+ssh://u:p@ss@host/x", "git+ssh://ss@host/x"),  # up to the first `@`, as before
        ("https://host/a@b", "https://host/a@b"),  # an `@` in the path is no credential
        ("git@github.example:acme/app.git", "git@github.example:acme/app.git"),  # scp form: no scheme
        ("1x://u@host", "1x://u@host"),  # not a scheme
    ],
)
def test_the_identity_drops_credentials_without_a_regex(url, shown):
    from attune.team import connect

    assert connect._without_user(url) == shown
