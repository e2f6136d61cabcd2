"""PreToolUse: keep secrets out of files and commands, and files that hold secrets out of the conversation."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from attune.hooks import sensitive
from attune.hooks.payload import NOTHING, WRITES, Answer, Context, Payload, specific, text_of
from attune.scan import known

if TYPE_CHECKING:
    from attune.hooks import exposure, tools
    from attune.scan import Finding

SHOWN = 5  # findings listed in a reason; the rest are counted


class Piece(NamedTuple):
    text: str
    first_line: int  # the file line where this text will start (1 when unknown)


def handle(payload: Payload, context: Context) -> Answer:
    tool = payload.text("tool_name")
    tool_input = payload.mapping("tool_input")
    cwd = payload.cwd or context.root
    if tool in WRITES:
        answer = _write(tool, tool_input, context, cwd)
        if context.library and payload.session_id:  # the file lease (issue 14)
            from attune.hooks import team

            answer = team.on_write(payload, context, tool, tool_input, answer)
        return answer
    if tool == "Bash":
        from attune.hooks import plain  # not at the top: a Write never needs it

        command = text_of(tool_input, "command")
        answer = _command(command, context, cwd)
        if not command or not plain.may_write(command):  # deliver.for_bash's own first test, before its import
            return answer
        from attune.hooks import deliver

        return deliver.for_bash(answer, payload, context, command, cwd)
    if tool in ("Agent", "Task"):
        from attune.hooks import subagent

        subagent.note_task(payload, context, cwd)
        return NOTHING
    if tool == "Read":
        return _read(text_of(tool_input, "file_path"), context)
    return NOTHING


def _write(tool: str, tool_input: Mapping[str, object], context: Context, cwd: str) -> Answer:
    policy = context.policy
    if policy.secrets == "off" and policy.pii == "off":
        return NOTHING
    path = text_of(tool_input, "file_path") or text_of(tool_input, "notebook_path")
    shown = _shown(path, context)
    pieces = _pieces(tool, tool_input, path)
    if policy.secrets != "off":
        values = known.load([context.root, cwd], allowed=policy.allowed_globs)
        present = [k for piece in pieces for k in known.found_in(piece.text, values)]
        if present:
            return _known(f"the new content of {shown}", present, policy.secrets, context, tool=tool)
    from attune import scan

    findings: list[Finding] = []
    for piece in pieces:
        for found in scan.scan_text(piece.text, path, secrets=policy.secrets != "off", pii=policy.pii != "off"):
            findings.append(found._replace(file=shown, line=found.line + piece.first_line - 1))
    secrets = [f for f in findings if f.kind == "secret"]
    personal = [f for f in findings if f.kind == "pii"]
    what = f"the new content of {shown}"
    if (secrets and policy.secrets == "block") or (personal and policy.pii == "block"):
        blocking = secrets if secrets and policy.secrets == "block" else personal
        _audit(context, "hook.blocked", tool=tool, file=shown, findings=[f.type for f in blocking])
        return deny(
            f"{what} holds {_kind(blocking)}: {_list(blocking)}. " + _advice(blocking),
            user=f"attune-companion blocked a {tool} of {shown}: {_list(blocking)}",
        )
    warned = [*(secrets if policy.secrets == "warn" else []), *(personal if policy.pii == "warn" else [])]
    if warned:
        return Answer(output={"systemMessage": f"attune-companion: {what} holds {_kind(warned)}: {_list(warned)}"})
    return NOTHING


def _pieces(tool: str, tool_input: Mapping[str, object], path: str) -> list[Piece]:
    if tool == "Write":
        return [Piece(text_of(tool_input, "content"), 1)]
    if tool == "NotebookEdit":
        return [Piece(text_of(tool_input, "new_source"), 1)]
    edits: Sequence[object] = [tool_input] if tool == "Edit" else _edits(tool_input)
    current = _current(path) if edits else None
    pieces = []
    for edit in edits:
        if not isinstance(edit, dict):
            continue
        old, new = text_of(edit, "old_string"), text_of(edit, "new_string")
        position = current.find(old) if current is not None and old else -1
        pieces.append(Piece(new, current.count("\n", 0, position) + 1 if current and position >= 0 else 1))
    return pieces


def _edits(tool_input: Mapping[str, object]) -> Sequence[object]:
    edits = tool_input.get("edits")
    return edits if isinstance(edits, list) else []


def _current(path: str) -> str | None:
    """The file being edited, to place findings on its lines; None when it cannot be read.

    Only a regular file is read, without blocking and at most `limit` bytes: an Edit of
    /dev/zero, /dev/urandom or a FIFO used to hang the hook or kill it with MemoryError (issue 10).
    """
    import stat

    limit = 20_000_000
    try:  # stat first: opening some devices has effects of its own (a tape rewinds, a watchdog arms)
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except (OSError, ValueError):
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped for something else since the stat
            return None
        chunks: list[bytes] = []
        size = 0
        while size <= limit and (chunk := os.read(fd, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
        return None if size > limit else b"".join(chunks).decode("utf-8", "replace")
    except (OSError, ValueError, MemoryError):
        return None
    finally:
        os.close(fd)


def _command(command: str, context: Context, cwd: str) -> Answer:
    from attune.hooks import plain

    policy = context.policy
    uses: list[tools.Use] = []
    if command and (policy.sensitive_files != "off" or policy.secrets != "off") and not plain.reads_nothing(command):
        from attune.hooks import reads  # a Write, or a plain command, never needs the shell reader

        uses = reads.uses(command)
    if uses:  # exposure finds nothing in no uses: its import is skipped too
        from attune.hooks import exposure
    if policy.sensitive_files != "off" and uses:
        found = exposure.sensitive_use(uses, cwd, policy)
        if found is not None:
            if policy.sensitive_files == "block":
                _audit(context, "hook.blocked", tool="Bash", file=found.name, findings=["sensitive-file"])
            return _sensitive(found.name, found.glob, policy.sensitive_files, via=_via(found.use))
    if policy.secrets == "off" or not command:
        return NOTHING
    values = known.load([context.root, cwd], allowed=policy.allowed_globs)
    present = known.found_in(command, values)
    if present:
        return _known("this command", present, policy.secrets, context, tool="Bash")
    variables = exposure.variables_printed(uses, values) if uses else []
    if variables:
        return _known("this command", variables, policy.secrets, context, tool="Bash", printing=True)
    printed = exposure.secrets_printed(uses, cwd, values) if uses else []
    if printed:
        return _printing(printed, policy.secrets, context)
    from attune import scan

    secrets = [f for f in scan.scan_text(command, "command.sh", pii=False) if f.kind == "secret"]
    if not secrets:
        return NOTHING
    listed = _list(secrets, lines=command.count("\n") > 0)
    if policy.secrets == "warn":
        return Answer(output={"systemMessage": f"attune-companion: a Bash command holds {_kind(secrets)}: {listed}"})
    _audit(context, "hook.blocked", tool="Bash", findings=[f.type for f in secrets])
    return deny(
        f"this command holds {_kind(secrets)}: {listed}. Do not put credentials on a command line, where "
        "they reach shell history, process lists and logs. Reference an environment variable instead "
        '(for example "Authorization: Bearer $API_TOKEN") and ask the user to set it.',
        user=f"attune-companion blocked a Bash command: {listed}",
    )


def _via(use: tools.Use) -> str:
    if use.how == "copy":
        return f"this command ({use.by}, a name no guard protects, where anything can print it)"
    if use.how == "read":
        return f"this command ({use.by} reads it)"
    return f"this command ({use.by} may read it; if it only uses the file without printing it, ask the user to run it)"


def _known(
    what: str, present: Sequence[known.Known], mode: str, context: Context, *, tool: str, printing: bool = False
) -> Answer:
    """A write or a command holding, or printing, the value of a secret the environment or a .env file holds."""
    names = known.describe(present)
    verb = "prints" if printing else "holds"
    if mode == "warn":
        return Answer(output={"systemMessage": f"attune-companion: {what} {verb} the value of {names}"})
    _audit(context, "hook.blocked", tool=tool, findings=["known-value"])
    if printing:
        advice = (
            "The output of a failing command cannot be redacted. Check that it is set without printing it "
            f'(test -n "${present[0].name}" && echo set), pipe it into the program that needs it, or ask the user.'
        )
    else:
        advice = (
            "Never copy a secret's value: reference the variable instead (for example "
            '"$AWS_SECRET_ACCESS_KEY" in a command, os.environ["NAME"] in code), or ask the user.'
        )
    return deny(
        f"{what} {verb} the value of {names}. {advice}",
        user=f"attune-companion blocked a {tool}: it {verb} the value of {names}",
    )


def _printing(printed: Sequence[exposure.Printed], mode: str, context: Context) -> Answer:
    """A command that would print a file holding a secret: refused before it runs, since a failing
    command's output cannot be redacted afterwards (issue 10)."""
    parts = []
    for p in printed:
        items = [f"line {f.line}: {f.type} ({f.masked})" for f in p.secrets[:SHOWN]]
        items += [f"the value of ${k.name}" for k in p.values[:SHOWN]]
        parts.append(f"{p.name} ({', '.join(items)})")
    listed = "; ".join(parts)
    if mode == "warn":
        return Answer(output={"systemMessage": f"attune-companion: a Bash command prints secrets: {listed}"})
    _audit(context, "hook.blocked", tool="Bash", findings=["printed-file"])
    return deny(
        f"this command would print secrets into the conversation: {listed}. Print only the lines you need, "
        "with the secret filtered out (for example grep -v or sed '/TOKEN/d'), read the file with the Read "
        "tool, whose output is redacted, or ask the user to look.",
        user=f"attune-companion kept secrets in {', '.join(p.name for p in printed)} out of the conversation",
    )


def _read(path: str, context: Context) -> Answer:
    if context.policy.sensitive_files == "off" or not path:
        return NOTHING
    glob = sensitive.matches(path, context.policy)
    if glob is None:
        return NOTHING
    mode = context.policy.sensitive_files
    if mode == "block":  # `empathy report` counts blocked reads from the audit log (issue 17)
        _audit(context, "hook.blocked", tool="Read", file=_shown(path, context), findings=["sensitive-file"])
    return _sensitive(_shown(path, context), glob, mode, via="reading it")


def _sensitive(name: str, glob: str, mode: str, *, via: str) -> Answer:
    if mode == "warn":
        return Answer(output={"systemMessage": f"attune-companion: {name} holds secrets by nature ({glob!r})"})
    return deny(
        f"{name} holds secrets by nature (it matches {glob!r}), and {via} would put them into the "
        "conversation. Work from the variable names instead: read an example file such as .env.example, "
        "or ask the user. (Exceptions go in hooks.allowed_globs in .empathy/config.yaml.)",
        user=f"attune-companion kept {name} out of the conversation",
    )


def _audit(context: Context, action: str, **fields: object) -> None:
    if context.library:
        import contextlib

        from attune import audit

        # A guard fails closed: an audit log that cannot be written must not cost the verdict.
        with contextlib.suppress(OSError):
            audit.record(context.path, action, **fields)


def deny(reason: str, *, user: str) -> Answer:
    decision = specific("PreToolUse", permissionDecision="deny", permissionDecisionReason=f"attune-companion: {reason}")
    return Answer(output={**decision, "systemMessage": user})


def _shown(path: str, context: Context) -> str:
    """The path as a message shows it: relative to the project, and never carrying a secret (issue 10)."""
    prefix = context.root + os.sep
    shown = path[len(prefix) :] if path.startswith(prefix) else path or "the file"
    from attune import scan  # its import is the prefilter's only: a clean path costs one scan for candidates

    return scan.scrub(shown, pii=False).text if scan.has_candidate(shown) else shown


def _kind(findings: Sequence[Finding]) -> str:
    secret = any(f.kind == "secret" for f in findings)
    return "a secret" if secret and len(findings) == 1 else "secrets" if secret else "personal data"


def _list(findings: Sequence[Finding], *, lines: bool = True) -> str:
    items = [f"line {f.line}: {f.type} ({f.masked})" if lines else f"{f.type} ({f.masked})" for f in findings[:SHOWN]]
    more = f" and {len(findings) - SHOWN} more" if len(findings) > SHOWN else ""
    return "; ".join(items) + more


def _advice(findings: Sequence[Finding]) -> str:
    if any(f.kind == "secret" for f in findings):
        return (
            "Never write secrets into files. Read the value from the environment (for example "
            'os.environ["API_KEY"] or process.env.API_KEY) or use a placeholder such as YOUR_API_KEY, '
            "and tell the user where the real value belongs."
        )
    return "Use obviously fake data instead (for example user@example.com, 555-0100), or ask the user first."
