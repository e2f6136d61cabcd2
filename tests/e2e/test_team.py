"""Two real Claude Code sessions on one repository: the second to write a file is told who holds it (issue 14).

Session A writes shared.py, then waits in a Bash loop (holding the lease, still active) until
session B, started beside it, has written the same file. Each session's turns are scripted in
its own lane of the fake API, told apart by a word on the prompt's second line (the first line
is what a session is "doing", which the other session's context shows).
"""

from __future__ import annotations

import json
import threading
import time

from tests.e2e.claude import VENV_PATH, main_agent, texts
from tests.fakes import replies

WARNING = "shared.py is being edited by another active session"


def _lane(word):
    return lambda body: main_agent(body) and word in texts(body)


def test_two_sessions_writing_the_same_file_see_the_lease_warning(claude, fake_api, installed):
    target = installed / "shared.py"
    flag = installed / "b-is-done.flag"
    wait = f"for i in $(seq 600); do [ -f {flag} ] && break; sleep 0.1; done"
    fake_api.script(
        replies.tool_use("Write", {"file_path": str(target), "content": "A = 1\n"}),
        replies.tool_use("Bash", {"command": wait, "description": "Wait for the other session"}),
        replies.text("alpha done"),
        when=_lane("ALPHA-TASK"),
    )
    fake_api.script(
        replies.tool_use("Write", {"file_path": str(target), "content": "B = 2\n"}),
        replies.text("beta done"),
        when=_lane("BETA-TASK"),
    )
    alpha = {}
    thread = threading.Thread(target=lambda: alpha.update(run=claude("edit shared.py\nlane ALPHA-TASK", env=VENV_PATH)))
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not target.exists():  # A's Write went through: it holds the lease
            assert time.monotonic() < deadline and thread.is_alive(), "session A never wrote shared.py"
            time.sleep(0.05)
        beta = claude("edit shared.py too\nlane BETA-TASK", env=VENV_PATH)
    finally:
        flag.write_text("go")
        thread.join(timeout=120)
    assert beta.returncode == 0, beta.stderr
    assert alpha["run"].returncode == 0, alpha["run"].stderr
    beta_requests = [body for body in fake_api.messages(scripted_only=True) if "BETA-TASK" in texts(body)]
    alpha_requests = [body for body in fake_api.messages(scripted_only=True) if "ALPHA-TASK" in texts(body)]
    assert WARNING in texts(beta_requests[-1]), json.dumps(beta_requests[-1]["messages"][2:], indent=1)[-6000:]
    assert "holding it since" in texts(beta_requests[-1])
    # B started while A held the file: its SessionStart context said so (the prompt's first line is A's "doing").
    assert "Other active sessions in this repository (1)" in texts(beta_requests[0])
    assert "doing: edit shared.py; holds shared.py" in texts(beta_requests[0])
    assert all(WARNING not in texts(body) for body in alpha_requests)
    assert target.read_text() == "B = 2\n"  # warn, the default: the write went ahead
    assert fake_api.unused == []
