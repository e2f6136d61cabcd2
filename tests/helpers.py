"""Shared test helpers: build real file trees and real git repositories."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.com",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.com",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-01-01T00:00:00+00:00",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
}


def build_tree(root: Path, files: dict[str, str]) -> None:
    """Write `files` (relative path -> text, dedented) under `root`."""
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def pattern(
    pattern_id: str,
    category: str = "debugging",
    *,
    title: str | None = None,
    paths: list[str] | None = None,
    status: str = "active",
    body: str = "**Error:** boom\n\n**Root cause:** a cause\n\n**Fix:** a fix",
    extra: str = "",
) -> str:
    """The text of a valid pattern file."""
    lines = [
        "---",
        f"id: {pattern_id}",
        f'title: "{title or pattern_id.replace("-", " ").capitalize()}"',
        f"category: {category}",
    ]
    if paths is not None:
        lines.append("paths:")
        lines.extend(f'  - "{glob}"' for glob in paths)
    lines += [f"status: {status}", "confidence: 0.9", "created: 2026-01-01", "updated: 2026-01-02"]
    if extra:
        lines.append(extra.rstrip("\n"))
    lines += ["---", "", body, ""]
    return "\n".join(lines)


def write_pattern(root: Path, pattern_id: str, category: str = "debugging", **kwargs: object) -> Path:
    target = root / ".empathy" / "patterns" / category / f"{pattern_id}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(pattern(pattern_id, category, **kwargs), encoding="utf-8")  # type: ignore[arg-type]
    return target


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def commit_all(root: Path, message: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD").strip()


def fake_secret(kind: str = "anthropic") -> str:
    """A credential in a real format, assembled at run time so that no committed file holds one."""
    body = "A1b2C3d4E5f6G7h8J9k0"
    if kind == "anthropic":
        return "sk-" + "ant-" + "api03-" + body * 4 + "-" + "XyZ1aB2cD3eF"
    if kind == "github":
        return "gh" + "p_" + body + "Qr5St6Uv7Wx8Yz9A"  # 36 characters after the prefix
    if kind == "aws":
        return "AKIA" + "Z7Q4X2PJ6LKM3NDB"  # base32: real key ids never hold 0, 1, 8 or 9
    raise ValueError(kind)


# Personal data for tests, assembled so that no committed line holds a real-looking address.
EMAIL = "jane.doe" + "@" + "gmail.com"
PHONE = "+1 415 823 " + "0147"  # not 555-0100..0199: that range is reserved for fiction (issue 12)


def run_cli(capsys, *args):
    """`empathy ARGS` in-process: its exit code, stdout and stderr."""
    from attune import cli

    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_process(*args, cwd):
    """`python -m attune ARGS` as a process in `cwd`, with this test's environment: exit code, stdout, stderr."""
    import os
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "attune", *args], cwd=cwd, capture_output=True, text=True,
                            env=os.environ, check=False, timeout=120)  # fmt: skip
    return result.returncode, result.stdout, result.stderr


def listing(folder):
    """Every file in `folder` by name, with its bytes: to show that nothing changed."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.is_dir() else {}


def run_memory(project, capsys, *args):
    """`empathy memory ARGS --root PROJECT` in-process: its exit code, stdout and stderr."""
    return run_cli(capsys, "memory", *args, "--root", str(project))
