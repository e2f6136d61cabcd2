"""Redis unreachable, slow or restarted: the hooks fall back, warn once, never block, reconnect (issue 14)."""

from __future__ import annotations

import json
import os
import signal

from attune.team import connect
from attune.team.settings import DEFAULT
from tests.helpers import fake_secret
from tests.team.test_hooks import context_of, empathy, write


def test_a_killed_redis_falls_back_to_files_with_one_warning_per_session(project, own_redis):
    backend = {"EMPATHY_REDIS_URL": own_redis.url}
    assert write("alpha", project, backend).output is None
    own_redis.stop()
    first = write("beta", project, backend)
    assert first.code == 0 and first.decision is None
    assert "Redis did not answer (ConnectionRefusedError): using the file store" in first.output["systemMessage"]
    assert write("beta", project, backend, "other.py").output is None  # one warning per session
    fallback = write("gamma", project, backend)  # gamma meets beta's lease in the file store
    assert "session beta" in context_of(fallback) and fallback.output["systemMessage"].count("Redis") == 1
    own_redis.start()  # restarted empty: Redis loses what it loses
    assert write("delta", project, backend).output is None
    code, out, _ = empathy(project, backend, "agents", "--json")
    state = json.loads(out)
    assert code == 0 and state["backend"] == "redis"
    assert [lease["file"] for lease in state["leases"]] == ["src/app.py"]
    assert [lease["session"] for lease in state["leases"]] == ["delta"]


def test_a_stalled_redis_costs_a_timeout_not_the_call(project, own_redis):
    backend = {"EMPATHY_REDIS_URL": own_redis.url}
    os.kill(own_redis.process.pid, signal.SIGSTOP)  # accepts connections, answers nothing
    try:
        stalled = write("alpha", project, backend)
        assert stalled.code == 0 and "Redis did not answer (TimeoutError)" in stalled.output["systemMessage"]
    finally:
        os.kill(own_redis.process.pid, signal.SIGCONT)
    assert write("alpha", project, backend).output is None  # answered again: no second warning


def test_the_secret_guard_still_fails_closed_while_redis_is_down(project, own_redis):
    own_redis.stop()
    tool_input = {"file_path": str(project / "a.py"), "content": f"KEY = '{fake_secret('github')}'\n"}
    from tests.team.test_hooks import hook

    denied = hook("PreToolUse", "alpha", project, {"EMPATHY_REDIS_URL": own_redis.url},
                  tool_name="Write", tool_input=tool_input)  # fmt: skip
    assert denied.decision == "deny"


def test_a_long_lived_process_reconnects_on_its_own(project, own_redis):
    now = [0.0]
    store = connect.open_store(str(project), DEFAULT, {"EMPATHY_REDIS_URL": own_redis.url}, clock=lambda: now[0])
    store.put("memory", "a", {"v": 1}, None)
    assert store.name == "redis"
    own_redis.stop()
    store.put("memory", "b", {"v": 2}, None)
    assert store.name == "files" and "Redis did not answer" in store.warning
    assert store.files.get("memory", "b").value == {"v": 2}
    own_redis.start()
    now[0] += connect.RETRY - 0.1
    assert store.get("memory", "b") is not None  # still on files until RETRY passes
    now[0] += 0.2
    store.put("memory", "c", {"v": 3}, None)
    assert store.name == "redis" and store.get("memory", "c").value == {"v": 3}
    assert store.get("memory", "b") is None  # it went to the file store, never to Redis
    store.close()


def test_a_bad_url_falls_back_without_echoing_credentials(project):
    secret = "s3cr3t-" + "pa55"
    store = connect.open_store(str(project), DEFAULT, {"EMPATHY_REDIS_URL": f"redis://user:{secret}@127.0.0.1:1/x"})
    store.put("memory", "a", {"v": 1}, None)
    assert store.name == "files" and secret not in store.warning


def test_the_hooks_reach_redis_without_importing_the_official_client(project, redis_server):
    """Its import costs 120 to 180 ms, forty times the lease check (issue 14): the hooks speak RESP."""
    import subprocess
    import sys

    code = (
        "import io, json, os, sys\nfrom attune.hooks import runner\n"
        f"payload = {{'session_id': 'alpha', 'cwd': {str(project)!r}, 'tool_name': 'Write',"
        f" 'tool_input': {{'file_path': {str(project / 'a.py')!r}, 'content': 'x = 1'}}}}\n"
        "out = io.StringIO()\n"
        "code = runner.run('PreToolUse', io.StringIO(json.dumps(payload)), out, sys.stderr)\n"
        "print(json.dumps([code, out.getvalue(), 'redis' in sys.modules]))"
    )
    env = {**os.environ, "CLAUDE_PROJECT_DIR": str(project), "EMPATHY_REDIS_URL": redis_server.url}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert json.loads(done.stdout) == [0, "", False]
    state = json.loads(empathy(project, {"EMPATHY_REDIS_URL": redis_server.url}, "agents", "--json")[1])
    assert state["backend"] == "redis" and [lease["file"] for lease in state["leases"]] == ["a.py"]
