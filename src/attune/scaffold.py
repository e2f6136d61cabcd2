"""`empathy init`: create `.empathy/` in a project without overwriting anything."""

from __future__ import annotations

import re
from pathlib import Path

from attune import atomic, paths
from attune.config import DEFAULT_CATEGORIES
from attune.sync.template import PACKAGED

_GITIGNORE_HEADER = "# Local state written by attune-companion: not for git.\n"


def init(*, root: str | None, targets: str | None = None) -> int:
    top = Path(root).resolve() if root else paths.find_root()
    if not top.is_dir():
        from attune.errors import UserError

        raise UserError(f"--root {root}: no such directory")
    created: list[str] = []
    kept: list[str] = []

    def place(rel: str, text: str) -> None:
        target = top / rel
        if target.exists():
            kept.append(rel)
        else:
            atomic.write_atomic(target, text)
            created.append(rel)

    chosen = _targets(targets)
    place(paths.CONFIG_FILE, _with_targets((PACKAGED / "config.yaml").read_text(encoding="utf-8"), chosen))
    updated = bool(chosen) and paths.CONFIG_FILE in kept and _set_targets(top / paths.CONFIG_FILE, chosen)
    for category in DEFAULT_CATEGORIES:
        example = (PACKAGED / "examples" / f"{category.name}.md").read_text(encoding="utf-8")
        folder = f"{paths.PATTERNS_DIR}/{category.name}"
        if any((top / folder).glob("*.md")):
            kept.append(f"{folder}/")
            continue
        place(f"{folder}/{_example_name(example)}.md", example)
    ignored = _gitignore(top, created, kept)
    for rel in created:
        print(f"created {rel}")
    for rel, entries in ignored:
        print(f"added {', '.join(entries)} to {rel}")
        created.append(rel)
    if updated:
        print(f"set targets: [{', '.join(chosen)}] in {paths.CONFIG_FILE}")
    if kept and not created and not updated:
        print(f"{paths.EMPATHY_DIR}/ is already set up in {top}; nothing changed")
    elif created:
        print("next: edit the examples (status: staged -> active) or add your own with "
              "`empathy patterns new CATEGORY TITLE`, then run `empathy-sync-claude`")  # fmt: skip
    return 0


def _example_name(text: str) -> str:
    first = next(line for line in text.splitlines() if line.startswith("id: "))
    return first.removeprefix("id: ").strip()


def _gitignore(top: Path, created: list[str], kept: list[str]) -> list[tuple[str, list[str]]]:
    """Add our local-state entries to .empathy/.gitignore, keeping every line already there."""
    rel = f"{paths.EMPATHY_DIR}/.gitignore"
    target = top / rel
    try:
        current = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        current = ""
    present = {line.strip() for line in current.splitlines()}
    missing = [entry for entry in paths.LOCAL_STATE if entry not in present]
    if not missing:
        kept.append(rel)
        return []
    prefix = current if not current or current.endswith("\n") else current + "\n"
    header = "" if current else _GITIGNORE_HEADER
    atomic.write_atomic(target, prefix + header + "".join(f"{entry}\n" for entry in missing))
    if not current:
        created.append(rel)
        return []
    return [(rel, missing)]  # an upgrade brought new local state: say so, never "nothing changed"


def _targets(text: str | None) -> tuple[str, ...]:
    """`--targets claude,cursor` (issue 16)."""
    if text is None:
        return ()
    from attune.sync.targets import settings

    try:
        return settings.split(text)
    except ValueError as exc:
        from attune.errors import UserError

        raise UserError(f"--targets {text}: {exc}; known: {', '.join(settings.NAMES)}") from None


def _with_targets(text: str, chosen: tuple[str, ...]) -> str:
    if not chosen:
        return text
    line = f"targets: [{', '.join(chosen)}]"
    return re.sub(r"^# targets: \[claude\]$", line, text, count=1, flags=re.MULTILINE)


def _set_targets(config: Path, chosen: tuple[str, ...]) -> bool:
    """Write the choice into an existing config: replace its one-line `targets:`, or add one at the end."""
    text = config.read_text(encoding="utf-8")
    line = f"targets: [{', '.join(chosen)}]"
    found = re.search(r"^targets:[^\n]*\n?(?P<more>[ \t-][^\n]*)?", text, flags=re.MULTILINE)
    if found is not None and found.group("more") is not None and found.group("more").strip():
        from attune.errors import UserError

        raise UserError(f"{paths.CONFIG_FILE}: targets: spans several lines; write `{line}` there yourself")
    if found is not None:
        updated = text[: found.start()] + line + "\n" + text[found.end() :]
    else:
        updated = text + ("" if text.endswith("\n") or not text else "\n") + line + "\n"
    if updated == text:
        return False
    atomic.write_atomic(config, updated)
    return True
