"""Throw settings files of every shape at `empathy hooks install` and `uninstall` (issue 11).

    python -m benchmarks.hostile_settings [-v] [--quick]

Each shape is set up in a scratch project (and a scratch HOME), then install, install again and
uninstall run through `cli.main`, as a user would. Counted per column, target 0 in each:

- tracebacks: an exception other than the one-line `empathy: error:`;
- foreign lost: a key, hook or matcher we do not own changed or went missing, or a symlink was
  replaced by a file;
- malformed written: a file we wrote that is not strict UTF-8 JSON, or holds a hook entry that
  Claude Code would reject (so it ignores the whole file), or lacks our 11 hooks after an install;
- written on refusal: a refused command that still changed a file or left a backup;
- read-only written: a file or folder the user made read-only was written anyway;
- unnamed refusals: an error line that does not name the file;
- not idempotent: a second install that changed the file;
- twice unwarned: ours in two scopes with different commands and no warning.

Exit 1 if any column is not 0.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from attune import cli
from attune.hooks import install, launcher

COLUMNS = ("tracebacks", "foreign lost", "malformed written", "written on refusal", "read-only written",
           "unnamed refusals", "not idempotent", "twice unwarned")  # fmt: skip
OLD = "empathy hook PreToolUse"  # the previous release's exact form
# Ours, decided here and not by the code under test: what we write, and the old forms the shapes use.
PREVIOUS = {OLD, "'/old venv/bin/empathy' hook PreToolUse", "/usr/bin/python3 -m attune hook Stop",
            "empathy hook Notification", "/opt/venv/bin/empathy hook PreToolUse"}  # fmt: skip


def ours(handler: object) -> bool:
    command = handler.get("command") if isinstance(handler, dict) else None
    return isinstance(command, str) and (command.endswith(" " + launcher.MARK) or command in PREVIOUS)


def _group(command: str, matcher: str | None = None, **extra: object) -> dict[str, object]:
    group: dict[str, object] = {"hooks": [{"type": "command", "command": command, **extra}]}
    if matcher is not None:
        group["matcher"] = matcher
    return group


def _hooks(event: str, *groups: object) -> str:
    return json.dumps({"model": "opus", "hooks": {event: list(groups)}}, indent=2)


# name -> what .claude/settings.json holds: text, bytes, or a function that builds the project.
Shape = str | bytes | Callable[[Path, Path], None]
SHAPES: dict[str, Shape] = {
    "empty file": "",
    "whitespace only": " \n\t\n",
    "empty object": "{}",
    "byte-order mark": "\ufeff{}",
    "Latin-1 byte in a string": b'{"env": {"NAME": "Jos\xe9"}}',
    "invalid UTF-8 in a key": b'{"\xff\xfe": 1}',
    "UTF-16 file": '{"model": "opus"}'.encode("utf-16"),
    "nested 10,000 deep": '{"x": ' + "[" * 10_000 + "]" * 10_000 + "}",
    "nested 500 deep": '{"x": ' + "[" * 500 + "]" * 500 + "}",
    "nested 90 deep": '{"x": ' + "[" * 90 + "]" * 90 + "}",
    "NaN": '{"x": NaN}',
    "Infinity": '{"x": Infinity}',
    "-Infinity": '{"x": -Infinity}',
    "1e999": '{"x": 1e999}',
    "huge integer": '{"x": 123456789012345678901234567890}',
    "float precision": '{"x": 0.1, "y": 1e-7, "z": -0.0}',
    "duplicate top-level key": '{"env": {"A": "1"}, "env": {"B": "2"}}',
    "duplicate event": '{"hooks": {"Stop": [], "Stop": []}}',
    "top-level array": "[]",
    "top-level string": '"settings"',
    "top-level null": "null",
    "top-level number": "1",
    "hooks: []": '{"hooks": []}',
    "hooks: null": '{"hooks": null}',
    "hooks: string": '{"hooks": "x"}',
    "hooks: number": '{"hooks": 1}',
    "hooks: {}": '{"model": "opus", "hooks": {}}',
    "event: string": '{"hooks": {"Stop": "x"}}',
    "event: object": '{"hooks": {"Stop": {}}}',
    "event: null": '{"hooks": {"Stop": null}}',
    "group: number": '{"hooks": {"Stop": [1]}}',
    "group: null": '{"hooks": {"Stop": [null]}}',
    "group hooks: object": '{"hooks": {"Stop": [{"hooks": {}}]}}',
    "group hooks: null": '{"hooks": {"Stop": [{"hooks": null}]}}',
    "group without hooks": '{"hooks": {"Stop": [{"matcher": "x"}]}}',
    "matcher: number": '{"hooks": {"PreToolUse": [{"matcher": 3, "hooks": []}]}}',
    "handler: string": '{"hooks": {"Stop": [{"hooks": ["echo"]}]}}',
    "handler without type": '{"hooks": {"Stop": [{"hooks": [{"command": "echo"}]}]}}',
    "handler type: number": '{"hooks": {"Stop": [{"hooks": [{"type": 5, "command": "echo"}]}]}}',
    "command handler without command": '{"hooks": {"Stop": [{"hooks": [{"type": "command"}]}]}}',
    "command: number": '{"hooks": {"Stop": [{"hooks": [{"type": "command", "command": 1}]}]}}',
    "timeout: string": '{"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "x", "timeout": "5"}]}]}}',
    "timeout: true": '{"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "x", "timeout": true}]}]}}',
    "timeout: negative": '{"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "x", "timeout": -1}]}]}}',
    "foreign Notification hook": _hooks("Notification", _group("notify-send done")),
    "foreign hook, matcher Bash": _hooks("PreToolUse", _group("./guard.sh", "Bash", timeout=5)),
    "foreign hook, matcher *": _hooks("PreToolUse", _group("./all.sh", "*")),
    "foreign hook, matcher empty": _hooks("PostToolUse", _group("./all.sh", "")),
    "foreign hook, no matcher": _hooks("Stop", _group("./stop.sh")),
    "foreign hook, regex matcher": _hooks("PreToolUse", _group("./mcp.sh", "mcp__.*__write")),
    "foreign hook, extra keys": _hooks(
        "Stop", {"hooks": [{"type": "command", "command": "x", "async": True}], "matcher": "", "x-note": "kept"}
    ),
    "foreign prompt handler": _hooks("Stop", {"hooks": [{"type": "prompt", "prompt": "check the tests"}]}),
    "foreign http handler": _hooks("PreToolUse", {"hooks": [{"type": "http", "url": "http://127.0.0.1:1/h"}]}),
    "foreign `echo stopped && empathy hook Stop`": _hooks("Stop", _group("echo stopped && empathy hook Stop")),
    "foreign `empathy scan --staged`": _hooks("PreToolUse", _group("empathy scan --staged", "Bash")),
    "foreign `./empathy-hook.sh`": _hooks("PreToolUse", _group("./empathy-hook.sh")),
    "foreign `echo empathy hook Stop`": _hooks("Stop", _group("echo empathy hook Stop")),
    "previous release, bare": _hooks("PreToolUse", _group(OLD, "Write")),
    "previous release, absolute path": _hooks("PreToolUse", _group("'/old venv/bin/empathy' hook PreToolUse")),
    "previous release, python -m attune": _hooks("Stop", _group("/usr/bin/python3 -m attune hook Stop")),
    "ours sharing a group with theirs": _hooks(
        "PreToolUse",
        {
            "matcher": "Bash",
            "hooks": [{"type": "command", "command": "./guard.sh"}, {"type": "command", "command": OLD}],
        },
    ),
    "ours twice": _hooks("PreToolUse", _group(OLD, "Write"), _group(OLD, "Bash")),
    "ours under an event we do not install": _hooks("Notification", _group("empathy hook Notification")),
    "many foreign keys": json.dumps(
        {
            "permissions": {"allow": ["Bash(npm test)"], "deny": ["Read(./.env)"], "defaultMode": "acceptEdits"},
            "env": {"FOO": "1"},
            "model": "opus",
            "statusLine": {"type": "command", "command": "status.sh"},
            "enabledPlugins": {"x@y": True},
            "cleanupPeriodDays": 30,
            "includeCoAuthoredBy": False,
        },
        indent=4,
    ),
    "tab indentation": '{\n\t"model": "opus",\n\t"env": {\n\t\t"A": "1"\n\t}\n}\n',
    "minified": '{"model":"opus","hooks":{"Stop":[{"hooks":[{"type":"command","command":"./s.sh"}]}]}}',
    "CRLF line endings": '{\r\n  "model": "opus"\r\n}\r\n',
    "trailing comma": '{"model": "opus",}',
    "comments (JSONC)": '{\n  // mine\n  "model": "opus"\n}',
    "lone surrogate": '{"env": {"A": "\\ud800"}}',
    "astral characters": '{"env": {"A": "\U0001f600 caf\u00e9"}}',
    "long string": json.dumps({"env": {"A": "x" * 1_000_000}}),
    "10,000 foreign hooks": json.dumps(
        {"hooks": {"PreToolUse": [_group(f"./h{i}.sh", "Bash") for i in range(10_000)]}}
    ),
}


SLOW = ("10,000 foreign hooks", "long string")  # json.dumps with indent is pure Python: ~0.5 s a rewrite


def _symlink(project: Path, home: Path) -> None:
    elsewhere = home / "dotfiles" / "claude.json"
    elsewhere.parent.mkdir(parents=True)
    elsewhere.write_text(_hooks("Stop", _group("./stop.sh")))
    (project / ".claude/settings.json").symlink_to(elsewhere)


def _chmod(mode: int, folder: bool = False) -> Callable[[Path, Path], None]:
    def setup(project: Path, home: Path) -> None:
        (project / ".claude/settings.json").write_text(_hooks("Stop", _group("./stop.sh")))
        (project / ".claude" if folder else project / ".claude/settings.json").chmod(mode)

    return setup


def _other_scope(name: str, command: str) -> Callable[[Path, Path], None]:
    def setup(project: Path, home: Path) -> None:
        where = home / ".claude/settings.json" if name == "user" else project / ".claude/settings.local.json"
        where.parent.mkdir(parents=True, exist_ok=True)
        where.write_text(_hooks("PreToolUse", _group(command, install.TOOLS)))

    return setup


SHAPES.update({
    "no file": lambda project, home: None,
    "symlink to a file elsewhere": _symlink,
    "dangling symlink": lambda p, h: (p / ".claude/settings.json").symlink_to(h / "gone.json"),
    "symlink loop": lambda p, h: (p / ".claude/settings.json").symlink_to("settings.json"),
    "read-only file (0444)": _chmod(0o444),
    "read-only .claude/ (0555)": _chmod(0o555, folder=True),
    ".claude is a file": lambda p, h: (p / ".claude").rmdir() or (p / ".claude").write_text("x"),
    "settings.json is a folder": lambda p, h: (p / ".claude/settings.json").mkdir(),
    "settings.json is a FIFO": lambda p, h: os.mkfifo(p / ".claude/settings.json"),
    "ours also in local scope": _other_scope("local", OLD),
    "ours also in user scope": _other_scope("user", "/opt/venv/bin/empathy hook PreToolUse"),
})  # fmt: skip


def _strict(raw: bytes) -> object:
    def reject(name: str) -> object:
        raise ValueError(name)

    return json.loads(raw.decode("utf-8"), parse_constant=reject)


def _foreign(data: object) -> object:
    """What we do not own: the settings with our handlers and the containers they alone filled taken out."""
    if not isinstance(data, dict) or not isinstance(data.get("hooks"), dict):
        return data
    hooks = {}
    for event, groups in data["hooks"].items():
        if not isinstance(groups, list):
            hooks[event] = groups
            continue
        kept = []
        for group in groups:
            handlers = group.get("hooks") if isinstance(group, dict) else None
            if isinstance(handlers, list) and any(ours(h) for h in handlers):
                theirs = [h for h in handlers if not ours(h)]
                if theirs:
                    kept.append({**group, "hooks": theirs})
                continue
            kept.append(group)
        if kept or not groups:
            hooks[event] = kept
    return {**{k: v for k, v in data.items() if k != "hooks"}, **({"hooks": hooks} if hooks else {})}


def _ours_complete(data: object) -> bool:
    """After an install: each of our events holds exactly one well-formed handler of ours."""
    hooks = data.get("hooks") if isinstance(data, dict) else None
    if not isinstance(hooks, dict):
        return False
    for handler in install.HANDLERS:
        mine = [(g, h) for g in hooks.get(handler.event, []) for h in g.get("hooks", []) if ours(h)]
        if len(mine) != 1:
            return False
        group, entry = mine[0]
        if group.get("matcher") != handler.matcher or not str(entry["command"]).endswith(launcher.MARK):
            return False
        if entry.get("type") != "command" or not isinstance(entry.get("timeout"), int) or len(group["hooks"]) != 1:
            return False
    return True


def _snapshot(project: Path, home: Path) -> dict[str, tuple[str, bytes | None]]:
    """Every settings path: its kind (file, link, folder...) and its bytes when it is a readable file."""
    found: dict[str, tuple[str, bytes | None]] = {}
    for path in (*sorted(project.rglob("*")), *sorted(home.rglob("*"))):
        kind = "link" if path.is_symlink() else "dir" if path.is_dir() else "fifo" if path.is_fifo() else "file"
        readable = kind in ("file", "link") and path.exists() and stat.S_ISREG(path.stat().st_mode)
        found[str(path)] = (kind, path.read_bytes() if readable else None)
    return found


def _run(args: list[str]) -> tuple[int | None, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        try:
            code: int | None = cli.main(args)
        except Exception:  # noqa: BLE001 - a traceback is what this benchmark counts
            return None, err.getvalue()
    return code, err.getvalue()


def trial(name: str, shape: Shape, work: Path) -> dict[str, int]:
    counts = dict.fromkeys(COLUMNS, 0)
    project, home = work / "project", work / "home"
    (project / ".claude").mkdir(parents=True)
    home.mkdir()
    os.environ["HOME"] = str(home)
    settings = project / ".claude/settings.json"
    if isinstance(shape, (str, bytes)):
        settings.write_bytes(shape.encode() if isinstance(shape, str) else shape)
    else:
        shape(project, home)
    try:
        original = _foreign(_strict(settings.read_bytes())) if settings.is_file() else None
    except (ValueError, RecursionError):
        original = None
    link = settings.is_symlink()
    for step, args in enumerate((["install"], ["install"], ["uninstall"])):
        before = _snapshot(project, home)
        code, err = _run(["hooks", *args, "--root", str(project)])
        after = _snapshot(project, home)
        if code is None:
            counts["tracebacks"] += 1
            continue
        if _read_only(project) and before != after:
            counts["read-only written"] += 1
        if code != 0:
            counts["written on refusal"] += before != after
            counts["unnamed refusals"] += str(settings) not in err and str(project / ".claude") not in err
            continue
        counts["not idempotent"] += step == 1 and before != after
        if link and not settings.is_symlink():
            counts["foreign lost"] += 1
        if args == ["uninstall"] and not settings.exists() and not settings.is_symlink():
            counts["foreign lost"] += bool(original)  # a file left empty is removed; one with anything else, never
            continue
        try:
            written = _strict(settings.read_bytes())
        except (ValueError, OSError, RecursionError):
            counts["malformed written"] += 1
            continue
        from attune.hooks import settings_file

        # A malformed entry the user had and we kept is theirs; one that appears when we write is ours.
        broken = not isinstance(written, dict) or bool(settings_file.problems(written))
        counts["malformed written"] += (broken and before != after and not _was_broken(before[str(settings)][1])) or (
            args == ["install"] and not _ours_complete(written)
        )
        if original is not None:
            counts["foreign lost"] += _foreign(written) != original
        if step == 0 and list(install.twins("project", project, _commands(settings))):
            counts["twice unwarned"] += "runs each twice" not in err
    return counts


def _read_only(project: Path) -> bool:
    """The user made the settings file or .claude/ read-only (root could still write: we must not)."""
    paths = [project / ".claude", project / ".claude/settings.json"]
    return any(p.exists() and not p.is_symlink() and not p.stat().st_mode & 0o222 for p in paths)


def _was_broken(raw: bytes | None) -> bool:
    from attune.hooks import settings_file

    try:
        data = _strict(raw) if raw is not None else {}
    except (ValueError, RecursionError):
        return True
    return not isinstance(data, dict) or bool(settings_file.problems(data))


def _commands(path: Path) -> dict[str, str]:
    return {event: str(handler["command"]) for event, _, handler in install.installed(path)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="one line per shape")
    parser.add_argument("--quick", action="store_true", help=f"skip the slow shapes: {', '.join(SLOW)}")
    args = parser.parse_args(argv)
    shapes = {name: shape for name, shape in SHAPES.items() if not (args.quick and name in SLOW)}
    totals = dict.fromkeys(COLUMNS, 0)
    home = os.environ.get("HOME")
    started = time.perf_counter()
    try:
        for name, shape in shapes.items():
            work = Path(tempfile.mkdtemp(prefix="attune-hostile-"))
            try:
                counts = trial(name, shape, work)
            finally:
                for path in (work, *work.rglob("*")):
                    if path.is_dir() and not path.is_symlink():
                        path.chmod(0o755)  # the read-only shapes
                shutil.rmtree(work)
            bad = {k: v for k, v in counts.items() if v}
            if args.verbose or bad:
                print(f"{name:45} {bad or 'ok'}")
            for column, value in counts.items():
                totals[column] += value
    finally:
        if home is not None:
            os.environ["HOME"] = home
    elapsed = time.perf_counter() - started
    print(f"{len(shapes)} settings shapes, install + install + uninstall each, in {elapsed:.2f} s")
    print("  ".join(f"{column}: {totals[column]}" for column in COLUMNS))
    return 1 if any(totals.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
