"""Payloads for benchmarks/fuzz_hooks.py (issue 10): Claude Code's hook payloads, valid and broken, with planted secrets.

Each Case says what a correct hook must do with it: block it (a secret in a guarded field),
redact it (a secret in a PostToolUse tool_response), or nothing; `clean` cases must never be
blocked. Secrets come from benchmarks/fakes.py, random in the shape of their format.
"""

from __future__ import annotations

import json
import random
import re
from typing import NamedTuple

from attune import scan
from attune.hooks import HANDLERS
from benchmarks import fakes

EVENTS = [*HANDLERS, "Notification", "PreModelSwitch", "pretooluse", "Bogus"]
TOOLS = ["Write", "Edit", "MultiEdit", "NotebookEdit", "Bash", "Read", "Grep", "WebFetch", "mcp__gh__create_issue"]
GUARDED = {
    "Write": "content",
    "Edit": "new_string",
    "MultiEdit": "new_string",
    "NotebookEdit": "new_source",
    "Bash": "command",
}
WRITES = ("Write", "Edit", "MultiEdit", "NotebookEdit")
FORMATS = {name: getattr(fakes, name) for name in (
    "anthropic", "openai", "github", "gitlab", "google", "azure", "slack", "slack_webhook", "stripe", "twilio",
    "sendgrid", "npm", "pypi", "vault", "shopify", "discord", "telegram", "databricks", "huggingface", "jwt",
    "aws_key_id")}  # fmt: skip
FORMATS["aws_pair"] = lambda r: (
    f'AWS_ACCESS_KEY_ID={fakes.aws_key_id(r)}\nAWS_SECRET_ACCESS_KEY="{fakes.aws_secret(r)}"'
)
FORMATS["aws_secret"] = lambda r: f'aws_secret_access_key = "{fakes.aws_secret(r)}"'
FORMATS["password"] = lambda r: f'DB_PASSWORD = "{fakes.password(r)}"'
FORMATS["private_key"] = lambda r: "\n".join(fakes.private_key(r))
FORMATS["generic_secret"] = lambda r: "x = " + fakes.generic_secret(r)  # no keyword: the engine may not know it
# Each planted secret starts a line of the field: mid-line, a keyword assignment would read as another one.
LINES = ["{t}\n", "\t{t}\r\n", "# 密钥\n{t}\n", "# clé été\n{t}\n", "deep"]  # for formats that carry their keyword
CONTEXTS = [*LINES, 'API_KEY = "{t}"\n', "export TOKEN={t}\n", "密钥：{t}。\n", "clé={t} été\n", "Ключ {t} ок\n",
            '{{"token": "{t}"}}\n', "https://x.example/cb?key={t}&a=1\n"]  # fmt: skip
KEYWORDED = ("aws_pair", "aws_secret", "password", "private_key", "azure")
CLEAN = ["def add(a, b):\n    return a + b\n", "日本語のコメント：設定を読み込む。\n", "Ünïcödé façade naïve café\n",
         'token = os.environ["API_TOKEN"]\n', "curl -H 'Authorization: Bearer $API_TOKEN' https://api.example.com\n",
         "commit 3f2a9c8e1b7d4f60a5e2c9b8d7f6e5a4b3c2d1e0\n", "id: 123e4567-e89b-12d3-a456-426614174000\n",
         'integrity="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"\n',
         "API_KEY = 'YOUR_API_KEY'  # placeholder\n", "version 2.1.330, see CHANGELOG.md\n", "SELECT id FROM users;\n"]  # fmt: skip
COMMANDS = ["ls -la", "git status", "pytest -q tests", "cat README.md", "grep -rn TODO src", "npm test", "echo 密钥"]
SENSITIVE = [".env", "config/id_rsa", ".aws/credentials", "deploy/server.pem"]
KINDS = {"valid": 55, "clean": 15, "truncated": 4, "nonjson": 3, "wrongtype": 5, "missing": 4, "surrogate": 3,
         "nul": 3, "huge": 1, "special": 1.5, "readonly": 3, "nolibrary": 2, "unknown": 1.5}  # fmt: skip
COLUMNS = ("crashes", "bad_exit", "hangs", "false_blocks", "leaked_to_file", "passed_guard", "echoed")


class Case(NamedTuple):
    kind: str
    event: str
    stdin: bytes
    secrets: tuple[str, ...]  # the planted values, exactly as planted
    fmt: str
    site: str  # where the secret went: "PreToolUse/Write tool_input.content (cjk)"
    guard: str  # "deny": must be blocked; "redact": must not reach updatedToolOutput; "": no verdict expected
    clean: bool  # no planted secret and no sensitive file: any block is a false block
    where: str  # lib, nolib, ro
    env: tuple[tuple[str, str | None], ...]  # environment changes (None removes)
    process: bool


def detected(text: str, filename: str = "") -> bool:
    return any(f.kind == "secret" for f in scan.scan_text(text, filename))


def known_formats(r: random.Random, samples: int = 40) -> dict[str, float]:
    """The share of samples of each format in which the engine finds a secret, planted alone."""
    return {name: sum(detected(make(r)) for _ in range(samples)) / samples for name, make in FORMATS.items()}


def fragments(secret: str, reference: str) -> set[str]:
    """12-character pieces of the random part of each word: those no other sample of the format shares."""
    words = re.split(r"[\s\"'=:;,]+", secret)
    pieces = {w[i : i + 12] for w in words for i in [*range(0, len(w) - 11, 4), len(w) - 12] if i >= 0}
    return {p for p in pieces if p not in reference} or {secret}


def _text(r: random.Random) -> str:
    return "".join(r.choice(CLEAN) for _ in range(r.randint(1, 4)))


def base_payload(r: random.Random, event: str, tool: str, root: str) -> dict[str, object]:
    data: dict[str, object] = {"session_id": f"s-{r.getrandbits(40):x}", "transcript_path": f"{root}/.no/transcript.jsonl",
                               "cwd": root, "hook_event_name": event}  # fmt: skip
    path = f"{root}/src/{r.choice(['app.py', 'notes.md', 'lib/util.ts'])}"
    inputs = {"Write": {"file_path": path, "content": _text(r)},
              "Edit": {"file_path": path, "old_string": "return a + b", "new_string": _text(r), "replace_all": False},
              "MultiEdit": {"file_path": path, "edits": [{"old_string": "x", "new_string": _text(r)} for _ in range(r.randint(1, 3))]},
              "NotebookEdit": {"notebook_path": path + ".ipynb", "new_source": _text(r), "cell_id": "c1", "edit_mode": "replace"},
              "Bash": {"command": r.choice(COMMANDS), "description": "Run " + r.choice(COMMANDS)},
              "Read": {"file_path": path}, "Grep": {"pattern": "TODO", "path": root, "output_mode": "content"}}  # fmt: skip
    responses = {"Bash": {"stdout": _text(r), "stderr": "", "interrupted": False, "isImage": False},
                 "Read": {"type": "text", "file": {"filePath": path, "content": _text(r), "numLines": 3}},
                 "Grep": {"mode": "content", "numFiles": 1, "filenames": [path], "content": _text(r)}}  # fmt: skip
    if event in ("UserPromptSubmit",):
        data |= {"prompt": _text(r), "permission_mode": "default"}
    elif event in ("PreToolUse", "PostToolUse", "PostToolUseFailure"):
        data |= {"tool_name": tool, "tool_input": inputs.get(tool, {"url": "https://example.com", "prompt": _text(r)}),
                 "tool_use_id": f"toolu_{r.getrandbits(48):x}", "permission_mode": "default"}  # fmt: skip
        if event == "PostToolUse":
            data |= {"tool_response": responses.get(tool, {"filePath": path, "result": _text(r)}), "duration_ms": 12}
        elif event == "PostToolUseFailure":
            data["error"] = _text(r)
    elif event in ("Stop", "SubagentStop"):
        data |= {"stop_hook_active": False, "last_assistant_message": _text(r), "agent_type": "Explore"}
    elif event in ("PreCompact", "PostCompact"):
        data |= {"trigger": "auto"} | ({"compact_summary": _text(r)} if event == "PostCompact" else {})
    elif event == "SessionStart":
        data |= {"source": r.choice(["startup", "resume", "clear", "compact"]), "model": "claude-x"}
    elif event == "SessionEnd":
        data["reason"] = "logout"
    elif event == "InstructionsLoaded":
        data |= {"file_path": f"{root}/.claude/rules/attune/bug-patterns.md", "memory_type": "Project",
                 "load_reason": "path_glob_match", "globs": ["src/**"], "trigger_file_path": path}  # fmt: skip
    return data


def leaves(value: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in leaves(v, (*path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in leaves(v, (*path, i))]
    return [path] if isinstance(value, str) and path[-1] not in ("hook_event_name", "tool_name") else []


def get(data: object, path: tuple[object, ...]) -> object:
    for key in path:
        data = data[key]  # type: ignore[index]
    return data


def put(data: object, path: tuple[object, ...], value: object) -> None:
    get(data, path[:-1])[path[-1]] = value  # type: ignore[index]


def is_guarded(event: str, tool: str, path: tuple[object, ...]) -> bool:
    if event == "PreToolUse":
        return path[:1] == ("tool_input",) and path[-1] == GUARDED.get(tool)
    if event == "PostToolUse":
        return tool not in WRITES and path[:1] == ("tool_response",)
    return event == "UserPromptSubmit" and path == ("prompt",)


def plant(
    r: random.Random, data: dict[str, object], event: str, tool: str, known: list[str]
) -> tuple[str, str, str, str]:
    """Put a fresh secret into one string field; return it, its format, its site and the expected guard."""
    fmt = r.choice(known)
    secret = FORMATS[fmt](r)
    tool_input = data.get("tool_input")
    file = (tool_input.get("file_path") or tool_input.get("notebook_path")) if isinstance(tool_input, dict) else ""
    filename = "command.sh" if tool == "Bash" else str(file or "")
    while not detected(secret, filename):  # only what the engine finds alone: recall measures the hook
        secret = FORMATS[fmt](r)
    paths = leaves(data)
    guarded = [p for p in paths if is_guarded(event, tool, p)]
    path = r.choice(guarded) if guarded and r.random() < 0.6 else r.choice(paths)
    context = r.choice(LINES if fmt in KEYWORDED else CONTEXTS)
    if context == "deep":  # nested past any depth limit a walker might have, beside the field
        nested: object = secret
        for level in range(r.randint(2, 12)):
            nested = [nested] if level % 2 else {"k": nested}
        path = (*path[:-1], "extra") if isinstance(get(data, path[:-1]), dict) else ("extra",)
        put(data, path, nested)
    else:
        value = str(get(data, path))
        at = r.choice([i for i in range(len(value) + 1) if i in (0, len(value)) or value[i - 1] == "\n"])
        glue = "\n" if at and value[at - 1] != "\n" else ""
        put(data, path, value[:at] + glue + context.format(t=secret) + value[at:])
    guard = "deny" if path in guarded and event != "PostToolUse" else ""
    guard = "redact" if event == "PostToolUse" and tool not in WRITES and path[:1] == ("tool_response",) else guard
    site = f"{event}{'/' * bool(tool)}{tool} {'.'.join(str(k) for k in path)} ({' '.join(context.split())[:14]})"
    return secret, fmt, site, guard


def make_case(r: random.Random, known: list[str], roots: dict[str, str], special: dict[str, str], share: float) -> Case:
    kind = r.choices(list(KINDS), weights=list(KINDS.values()))[0]
    event = r.choice([*HANDLERS] + ["PreToolUse", "PostToolUse", "UserPromptSubmit"] * 2)
    event = r.choice(EVENTS[len(HANDLERS) :]) if kind == "unknown" else event
    tool = r.choice(TOOLS) if event in ("PreToolUse", "PostToolUse", "PostToolUseFailure") else ""
    where = {"readonly": "ro", "nolibrary": "nolib"}.get(kind, "lib")
    env: list[tuple[str, str | None]] = [("CLAUDE_PROJECT_DIR", roots[where] if r.random() < 0.8 else None)]
    data = base_payload(r, event, tool, roots[where])
    secrets, fmt, site, guard, sensitive = (), "", f"{event}{'/' * bool(tool)}{tool}", "", False
    if kind == "special":
        event, tool = r.choice(["PreToolUse", "PostToolUse"]), r.choice(["Edit", "MultiEdit", "Read", "Write"])
        data = base_payload(r, event, tool, roots[where])
        name = r.choice([*special, "missing-cwd", "missing-project"])
        if name == "missing-cwd":
            data["cwd"], env = special["missing"], [("CLAUDE_PROJECT_DIR", None)]
        elif name == "missing-project":
            env = [("CLAUDE_PROJECT_DIR", special["missing"])]
        else:
            put(data, ("tool_input", "file_path"), special[name])
        site = f"{event}/{tool} [special {name}]"
    elif tool == "Read" and event == "PreToolUse" and kind == "valid" and r.random() < 0.2:
        put(data, ("tool_input", "file_path"), f"{roots[where]}/{r.choice(SENSITIVE)}")
        sensitive = True
    elif tool == "Bash" and event == "PreToolUse" and kind == "valid" and r.random() < 0.1:
        put(data, ("tool_input", "command"), f"cat {r.choice(SENSITIVE)}")
        sensitive = True
    if kind != "clean" and r.random() < 0.75:
        secret, fmt, planted_site, guard = plant(r, data, event, tool, known)
        note = site[site.index(" [") :] if " [" in site else f" [{kind}]" * (kind != "valid")
        secrets, site = (secret,), planted_site + note
    guard = guard if kind in ("valid", "surrogate", "nul", "huge", "special", "readonly", "nolibrary") else ""
    paths = leaves(data)
    if kind == "huge":  # 5 MB in one field, the secret (if any) kept where it was
        path = r.choice(paths)
        filler = "lorem ipsum " * 440_000
        put(data, path, f"{filler}\n{get(data, path)}" if r.random() < 0.5 else f"{get(data, path)}\n{filler}")
    elif kind in ("surrogate", "nul") and paths:
        path = r.choice(paths)
        value = str(get(data, path))
        put(data, path, value + ("\ud83d" if kind == "surrogate" else "\x00") + r.choice(["", "x", "日本"]))
    elif kind == "wrongtype":
        path = r.choice(
            [*leaves(data), ("tool_input",), ("session_id",), ("cwd",), ("prompt",), ("tool_name",), ("edits",)]
        )
        try:
            put(data, path, r.choice([None, 0, -1, 1e308, True, [], {}, [1, "a"], {"a": None}, "str"]))
        except (KeyError, TypeError, IndexError):
            data[str(path[0])] = [None]
    elif kind == "missing":
        for key in r.sample(list(data), r.randint(1, len(data))):
            del data[key]
    raw = json.dumps(data, ensure_ascii=r.random() < 0.5)
    stdin = raw.encode("utf-8", "surrogatepass")
    if kind == "truncated":
        stdin = stdin[: r.randrange(len(stdin))]
    elif kind == "nonjson":
        stdin = r.choice([b"", b"   ", b"null", b"[]", b"42", b'"x"', b"{", b"}{", b"not json", b"{'a': 1}", b"NaN",
                          r.randbytes(r.randint(1, 300)), b"[" * 100_000, b"\xef\xbb\xbf" + stdin, stdin + b"garbage",
                          stdin.replace(b"{", b"{\x00", 1)])  # fmt: skip
    process = kind not in ("valid", "clean") or r.random() < share
    clean = not secrets and not sensitive
    return Case(kind, event, stdin, secrets, fmt, site, guard, clean, where, tuple(env), process)
