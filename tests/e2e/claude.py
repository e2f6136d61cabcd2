"""Run the real Claude Code CLI, offline, against the fake Messages API, and read back what it did."""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from tests.fakes.messages_api import FakeMessagesAPI, main_loop

ROOT = Path(__file__).resolve().parents[2]
VERSION = "2.1.337"  # the version package.json pins; the finder refuses any other
# The CLI finds `empathy` on PATH, as on a user's machine: this interpreter's bin folder comes first.
VENV_PATH = {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}"}
INSTALL_HINT = "run `npm ci` in the repository root (then `node node_modules/@anthropic-ai/claude-code/install.cjs` if npm skipped the postinstall step)"
# The npm package's bin is a 500-byte placeholder until its postinstall step links the native binary over it.
_STUB_SIZE = 4096


class Run(NamedTuple):
    returncode: int
    events: list[dict[str, Any]]  # the stream-json lines, parsed
    stderr: str

    @property
    def result(self) -> dict[str, Any]:
        results = [e for e in self.events if e.get("type") == "result"]
        assert results, f"no result event; stderr: {self.stderr[-2000:]}"
        return results[-1]

    def of_type(self, kind: str, subtype: str | None = None) -> list[dict[str, Any]]:
        return [e for e in self.events if e.get("type") == kind and (subtype is None or e.get("subtype") == subtype)]


def candidates(root: Path = ROOT) -> list[Path]:
    """Where an install puts the CLI: the npm bin link, then the native binary of the platform package."""
    scope = root / "node_modules" / "@anthropic-ai"
    return [root / "node_modules" / ".bin" / "claude", *sorted(scope.glob("claude-code-*/claude"))]


def find_cli(root: Path = ROOT) -> tuple[Path | None, str]:
    """The installed CLI at the pinned version, or None and the reason it is unusable."""
    reasons = []
    for path in candidates(root):
        if not path.exists():
            continue
        if path.stat().st_size < _STUB_SIZE:
            reasons.append(f"{path} is the npm placeholder (the postinstall step did not run)")
            continue
        try:
            out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            reasons.append(f"{path} does not run: {exc}")
            continue
        if out.stdout.split()[:1] == [VERSION]:
            return path, ""
        reasons.append(f"{path} --version says {out.stdout.strip() or out.stderr.strip()!r}, not {VERSION}")
    return None, "; ".join(reasons) or "node_modules/.bin/claude is not installed"


def environment(api: FakeMessagesAPI, home: Path, tmp: Path, extra: Mapping[str, str] = {}) -> dict[str, str]:
    """A clean environment: nothing from the developer's shell (say, an enclosing Claude Code session) leaks in."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "TMPDIR": str(tmp),
        "LANG": "C.UTF-8",
        "ANTHROPIC_BASE_URL": api.url,
        "ANTHROPIC_API_KEY": "sk-ant-api03-fake-key-for-loopback-tests",
        "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
        # As root, --dangerously-skip-permissions is refused outside a sandbox.
        "IS_SANDBOX": "1",
    }
    # Anything that is not the fake goes to the fake as a proxy, which refuses it and records the host.
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
        env[name] = api.url
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost,::1"
    env.update(extra)
    return env


def run_claude(
    cli: Path,
    project: Path,
    prompt: str,
    api: FakeMessagesAPI,
    *,
    home: Path,
    args: Sequence[str] = ("--dangerously-skip-permissions",),
    env: Mapping[str, str] = {},
    timeout: float = 90,
) -> Run:
    """`claude -p PROMPT --output-format stream-json --verbose` in `project`; kills the whole group on timeout."""
    tmp = home.parent / f"{home.name}-tmp"
    tmp.mkdir(exist_ok=True)
    home.mkdir(exist_ok=True)
    command = [str(cli), "-p", prompt, "--output-format", "stream-json", "--verbose", *args]
    # A new session, so that a timeout can kill the CLI and every hook it started.
    with subprocess.Popen(
        command,
        cwd=project,
        env=environment(api, home, tmp, env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as proc:
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            stdout, stderr = proc.communicate()
            raise AssertionError(f"claude did not finish in {timeout} s; stderr: {stderr[-2000:]}") from None
        finally:
            # A hook the CLI left behind (it kills timed-out ones itself) must not outlive the test.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
    events = []
    for line in stdout.splitlines():
        if line.strip():
            try:
                events.append(json.loads(line))
            except ValueError:
                raise AssertionError(f"claude printed a line that is not JSON: {line[:300]!r}") from None
    return Run(proc.returncode, events, stderr)


def hook_command(project: Path, name: str, code: str) -> str:
    """Write a hook script into the project's .claude/hooks/ and return the command that runs it."""
    target = project / ".claude" / "hooks" / f"{name}.py"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(textwrap.dedent(code).lstrip("\n"), encoding="utf-8")
    return shlex.join([sys.executable, str(target)])


def recorder(project: Path, log: Path) -> str:
    """A hook that appends its event's stdin payload and environment to `log`, one JSON line each, and answers nothing."""
    # One write() on an O_APPEND descriptor: hooks of one event run in parallel, and lines must not interleave.
    code = f"""
        import json, os, sys
        record = {{"payload": json.load(sys.stdin), "env": dict(os.environ), "cwd": os.getcwd()}}
        fd = os.open({str(log)!r}, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        os.write(fd, (json.dumps(record) + "\\n").encode())
        os.close(fd)
    """
    return hook_command(project, "recorder", code)


EVENTS = (
    "SessionStart",
    "InstructionsLoaded",
    "UserPromptSubmit",
    "PreToolUse",
    "PostToolUse",
    "PostToolUseFailure",
    "Stop",
    "SubagentStart",
    "SubagentStop",
    "PreCompact",
    "PostCompact",
    "SessionEnd",
)


def record_all(project: Path, log: Path) -> dict[str, list[dict[str, Any]]]:
    """Hooks settings that run the recorder on every event above."""
    command = recorder(project, log)
    return {event: [on(command)] for event in EVENTS}


def recorded(log: Path) -> list[dict[str, Any]]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def seen(log: Path, event: str, count: int = 1) -> Callable[[], bool]:
    """A condition for `Reply(hold=...)`: the recorder has logged `count` payloads of `event`.

    The CLI does not wait for InstructionsLoaded hooks: those still running when a -p session
    ends are killed (OBSERVED.md), so a test holds the last reply until they have been recorded.
    """
    return lambda: sum(r["payload"]["hook_event_name"] == event for r in recorded(log)) >= count


def write_settings(project: Path, hooks: Mapping[str, Sequence[Mapping[str, Any]]], **other: Any) -> Path:
    """The project's .claude/settings.json with `hooks` (event -> matcher groups)."""
    target = project / ".claude" / "settings.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps({"hooks": hooks, **other}, indent=2) + "\n", encoding="utf-8")
    return target


def on(command: str, matcher: str | None = None, timeout: int = 30) -> dict[str, Any]:
    """One matcher group running one command hook."""
    group: dict[str, Any] = {"hooks": [{"type": "command", "command": command, "timeout": timeout}]}
    if matcher is not None:
        group["matcher"] = matcher
    return group


def is_subagent(body: Any) -> bool:
    """Whether a request comes from a subagent: Claude Code marks them in the first system block."""
    system = body.get("system") if isinstance(body, dict) else None
    return isinstance(system, list) and bool(system) and "cc_is_subagent=true" in system[0].get("text", "")


def main_agent(body: Any) -> bool:
    """The main agent's turns (compaction included): they offer tools and are not a subagent's."""
    return main_loop(body) and not is_subagent(body)


def texts(body: Any) -> str:
    """All the text a request carries to the model (system, messages, tool results), for `in` checks."""
    return json.dumps(body, ensure_ascii=False)


def tool_results(body: Any) -> list[dict[str, Any]]:
    """The tool_result blocks a request sends back to the model."""
    return [
        block
        for message in body["messages"]
        if message["role"] == "user" and isinstance(message["content"], list)
        for block in message["content"]
        if block.get("type") == "tool_result"
    ]
