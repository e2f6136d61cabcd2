"""The hooks' error log: `.empathy/logs/hooks.log` in a library, else the user's cache (issue 4)."""

from __future__ import annotations

import os
import time

from attune import paths


def error(root: str | None, event: str, exc: BaseException | None, note: str = "") -> str:
    """Append the error to the project's hook log (or the user's, outside a library); return where.

    Never raises: the error log is a record, and a record never stops a verdict (issue 10).
    """
    try:
        if root is not None and os.path.isdir(os.path.join(root, paths.EMPATHY_DIR)):
            target = os.path.join(root, paths.EMPATHY_DIR, "logs", "hooks.log")
        else:
            target = paths.cache_dir("logs", "hooks.log")
        name = type(exc).__name__ if exc is not None else "Deadline"
        message = note or _scrubbed(str(exc).replace("\n", " ")[:500])
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        from attune import appendlog  # never through a link, never into a FIFO (issue 11)

        appendlog.append_line(target, f"{stamp} {event} {name}: {message}".encode("utf-8", "replace").decode())
    except (OSError, ValueError):
        return "(the error log could not be written)"
    return target


def _scrubbed(message: str) -> str:
    try:
        from attune import scan

        return scan.scrub(message, pii=False).text  # an error message must not carry a secret to disk
    except Exception:  # noqa: BLE001 - logging an error must not raise another one
        return "(message withheld)"
