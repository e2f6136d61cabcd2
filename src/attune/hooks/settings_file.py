"""A Claude Code settings file, read strictly and written back safely, whatever the user has there (issue 11).

Reading refuses what cannot be written back unchanged (bytes that are not UTF-8, NaN, duplicate
keys, absurd nesting) and what Claude Code would ignore (a malformed hook entry makes it ignore
the whole file, our hooks included). Writing goes through a symlink to its target, atomically,
and refuses a file or folder the user made read-only. Each refusal is one line: the file, what
is wrong, the fix; nothing is written.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from pathlib import Path
from typing import NamedTuple

from attune import atomic, digest, paths
from attune.errors import UserError

MAX_DEPTH = 100  # settings nest a few levels; this keeps json.dumps far from the recursion limit
BACKUP_SUFFIX = ".attune-backup"
_NOTHING = "nothing was written"


class Settings(NamedTuple):
    path: Path  # the name the user knows, perhaps a symlink
    target: Path  # the regular file behind it: what is read and written
    text: str | None  # None: no file yet
    data: dict[str, object]


class _NotStrict(ValueError):
    """JSON that Python reads but Claude Code would not, or that would not be written back as it was."""

    def __init__(self, message: str, where: str, *, last: bool = False) -> None:
        super().__init__(message)
        self.where = where  # a regex for the place, to name its line (the parser does not say)
        self.last = last


def load(path: Path) -> Settings:
    target = _target(path)
    try:
        raw = target.read_bytes() if target.exists() or target.is_symlink() else None
    except OSError as exc:
        raise UserError(f"{path}: cannot read it ({exc.strerror}); {_NOTHING}") from None
    if raw is None:
        return Settings(path, target, None, {})
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UserError(
            f"{path}:{line}: not UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8, then run again; {_NOTHING}"
        ) from None
    if text.startswith("\ufeff"):
        raise UserError(f"{path}: starts with a byte-order mark; save it as UTF-8 without BOM; {_NOTHING}")
    data = parse(path, text)
    return Settings(path, target, text, data)


def _target(path: Path) -> Path:
    if not path.is_symlink():
        target = path
    else:
        try:
            target = path.resolve(strict=True)
        except FileNotFoundError:
            raise UserError(
                f"{path}: a symlink to {os.readlink(path)}, which does not exist; create that file or remove "
                f"the link; {_NOTHING}"
            ) from None
        except (OSError, RuntimeError):  # a loop: RuntimeError before Python 3.13, OSError since
            raise UserError(f"{path}: a symlink that loops; point it at a file or remove it; {_NOTHING}") from None
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise UserError(f"{path}: cannot read it ({exc.strerror}); {_NOTHING}") from None
    if not stat.S_ISREG(mode):  # a folder, a FIFO (reading one would hang), a device
        raise UserError(f"{path}: not a regular file; move it away and run again; {_NOTHING}")
    return target


def parse(path: Path, text: str) -> dict[str, object]:
    if not text.strip():
        return {}
    try:
        data = json.loads(text, parse_constant=_constant, parse_float=_float, object_pairs_hook=_object)
    except json.JSONDecodeError as exc:
        raise UserError(
            f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {_in_our_words(exc.msg)}; fix it first; {_NOTHING}"
        ) from None
    except _NotStrict as exc:
        raise UserError(f"{path}:{_line_of(exc.where, text, last=exc.last)}: not strict JSON ({exc}); "
                        f"fix it first; {_NOTHING}") from None  # fmt: skip
    except RecursionError:
        raise UserError(f"{path}: nested too deeply to be settings; fix it first; {_NOTHING}") from None
    if not isinstance(data, dict):
        raise UserError(f"{path}: the settings must be a JSON object; {_NOTHING}")
    if _depth(data) > MAX_DEPTH:
        raise UserError(f"{path}: nested more than {MAX_DEPTH} levels deep; fix it first; {_NOTHING}")
    if not isinstance(data.get("hooks", {}), dict):
        raise UserError(f'{path}: "hooks" must be a JSON object of event names; fix it first; {_NOTHING}')
    return data


# Python's json messages, said the way a person editing the file would understand them (issue 15).
_JSON_MESSAGES = (
    ("Expecting property name enclosed in double quotes",
     "expected a key in double quotes (a comma before `}`?)"),
    ("Expecting ',' delimiter", "a comma is missing between two items"),
    ("Expecting ':' delimiter", "a colon is missing after a key"),
    ("Expecting value", "a value is missing here (a trailing comma before `]`, or an empty value?)"),
    ("Extra data", "there is more text after the settings' closing `}`"),
    ("Unterminated string", "a string is not closed with a double quote"),
    ("Invalid control character", "a tab or line break inside a string must be written as \\t or \\n"),
    ("Invalid \\escape", "a backslash inside a string must be doubled (\\\\) or start a JSON escape"),
    ("Invalid \\uXXXX escape", "a \\u escape needs four hexadecimal digits"),
)  # fmt: skip


def _in_our_words(message: str) -> str:
    for python, ours in _JSON_MESSAGES:
        if message.startswith(python):
            return ours
    return message[:1].lower() + message[1:]


def _constant(name: str) -> object:
    raise _NotStrict(f"{name} is not a JSON value: Claude Code cannot read the file", re.escape(name))


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999 would be written back as Infinity
        raise _NotStrict(f"{text} is too large for a number: a rewrite would make it Infinity", re.escape(text))
    return value


def _object(pairs: list[tuple[str, object]]) -> dict[str, object]:
    data: dict[str, object] = {}
    for key, value in pairs:
        if key in data:  # json keeps the last one: a rewrite would drop the others
            raise _NotStrict(
                f"the key {json.dumps(key)} appears twice in one object: a rewrite would drop one",
                re.escape(json.dumps(key)) + r"\s*:",
                last=True,  # the line of the second one, where the editor's eye should go
            )
        data[key] = value
    return data


def _line_of(where: str, text: str, *, last: bool = False) -> int:
    """The line of the first (or last) match of `where` that is not inside a string."""
    lines = [
        text.count("\n", 0, found.start()) + 1
        for found in re.finditer(rf'({where})|"(?:[^"\\]|\\.)*"', text)
        if where and found.group(1)
    ]
    return (lines[-1] if last else lines[0]) if lines else 1


def _depth(data: object) -> int:
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        deepest = max(deepest, depth)
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def problems(data: dict[str, object]) -> list[str]:
    """Hook entries Claude Code would reject, which makes it ignore the whole file: as `hooks.EVENT[i]...: what`."""
    found = []
    hooks = data.get("hooks", {})
    for event, groups in hooks.items() if isinstance(hooks, dict) else ():
        where = f"hooks.{event}"
        if not isinstance(groups, list):
            found.append(f"{where}: must be a list of matcher groups")
            continue
        for i, group in enumerate(groups):
            if not isinstance(group, dict):
                found.append(f'{where}[{i}]: must be an object with a "hooks" list')
                continue
            if group.get("matcher") is not None and not isinstance(group["matcher"], str):
                found.append(f"{where}[{i}].matcher: must be a string")
            handlers = group.get("hooks", [])
            if not isinstance(handlers, list):
                found.append(f"{where}[{i}].hooks: must be a list of handlers")
                continue
            for j, handler in enumerate(handlers):
                found.extend(f"{where}[{i}].hooks[{j}]{p}" for p in _handler_problems(handler))
    return found


def _handler_problems(handler: object) -> list[str]:
    if not isinstance(handler, dict):
        return [': must be an object with "type"']
    kind = handler.get("type")
    if not isinstance(kind, str):
        return [".type: missing or not a string"]
    if kind == "command" and not isinstance(handler.get("command"), str):
        return [".command: missing or not a string"]
    timeout = handler.get("timeout")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0):
        return [".timeout: must be a positive number of seconds"]
    return []


def render(data: object, before: str | None) -> str:
    try:
        text = json.dumps(data, indent=_indent(before), ensure_ascii=False) + "\n"
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate ("\ud800") only survives as an escape
        text = json.dumps(data, indent=_indent(before)) + "\n"
    return text


def _indent(text: str | None) -> int | str:
    """Keep the file's own indentation."""
    for line in (text or "").splitlines()[1:]:
        stripped = line.lstrip()
        if stripped and line != stripped:
            width = len(line) - len(stripped)
            return "\t" if line.startswith("\t") else width
    return 2


def check_writable(settings: Settings) -> None:
    """Refuse before writing anything: a file or folder without write bits was made read-only on purpose.

    Mode bits are checked as well as os.access, because root may write anywhere.
    """
    if settings.text is not None:
        mode = settings.target.stat().st_mode
        if not mode & 0o222 or not os.access(settings.target, os.W_OK):
            shown = f" (the target of {settings.path})" if settings.target != settings.path else ""
            raise UserError(f"{settings.target}{shown}: the file is read-only (mode {stat.S_IMODE(mode):04o}); "
                            f"make it writable (chmod u+w) if you want us to change it; {_NOTHING}")  # fmt: skip
    for folder in {settings.target.parent, settings.path.parent}:
        _check_folder(settings.path, folder)


def _check_folder(path: Path, folder: Path) -> None:
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise UserError(f"{path}: {existing} is not a folder; move it away and run again; {_NOTHING}")
    mode = existing.stat().st_mode
    if not mode & 0o222 or not os.access(existing, os.W_OK | os.X_OK):
        raise UserError(f"{path}: the folder {existing} is read-only (mode {stat.S_IMODE(mode):04o}); "
                        f"make it writable (chmod u+w) and run again; {_NOTHING}")  # fmt: skip


def save(settings: Settings, text: str) -> Path | None:
    """Write `text` to the file behind the settings path (an empty object removes the file we made);
    keep the previous text as a backup in the user's cache, where `git add -A` cannot pick it up (issue 15).
    """
    check_writable(settings)
    backup = None
    try:
        if settings.text is not None:
            backup = backup_path(settings.path)
            os.makedirs(backup.parent, mode=0o700, exist_ok=True)  # settings can hold env values: yours alone
            atomic.write_atomic(backup, settings.text, mode=0o600)
        if text.strip() == "{}" and settings.text is not None and settings.path == settings.target:
            os.unlink(settings.target)  # nothing left in it: leave no `{}` behind
        else:
            atomic.write_atomic(settings.target, text)
    except OSError as exc:
        raise UserError(f"{settings.path}: cannot write it ({exc.strerror}); {_NOTHING}") from None
    return backup


def backup_path(path: Path) -> Path:
    """Where the previous version of a settings file is kept: one file per settings path."""
    name = f"{digest.fingerprint(str(path.absolute()), size=8)}-{path.name}{BACKUP_SUFFIX}"
    return Path(paths.cache_dir("settings-backups", name))
