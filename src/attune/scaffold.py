"""`empathy init`: create `.empathy/` in a project without overwriting anything."""

from __future__ import annotations

from pathlib import Path

from attune import atomic, paths
from attune.config import DEFAULT_CATEGORIES
from attune.sync.template import PACKAGED

_GITIGNORE_HEADER = "# Local state written by attune-companion: not for git.\n"


def init(*, root: str | None) -> int:
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

    place(paths.CONFIG_FILE, (PACKAGED / "config.yaml").read_text(encoding="utf-8"))
    for category in DEFAULT_CATEGORIES:
        example = (PACKAGED / "examples" / f"{category.name}.md").read_text(encoding="utf-8")
        folder = f"{paths.PATTERNS_DIR}/{category.name}"
        if any((top / folder).glob("*.md")):
            kept.append(f"{folder}/")
            continue
        place(f"{folder}/{_example_name(example)}.md", example)
    updated = _gitignore(top, created, kept)
    for rel in created:
        print(f"created {rel}")
    for rel, entries in updated:
        print(f"added {', '.join(entries)} to {rel}")
        created.append(rel)
    if kept and not created:
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
