"""Where each target puts the rule groups of the library, and what its format cannot say (issue 16).

The groups are the Claude rule files' (attune.sync.rules.group): one per category and set of
globs. Formats are documented in docs/targets.md with the sources they were taken from.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from attune.sync.rules import Rule, to_json
from attune.sync.targets import globs

# The folder-scoped instruction file of the agents that read one per folder (issue 16).
FOLDER_FILES = {"agents-md": "AGENTS.md", "gemini": "GEMINI.md"}
CURSOR_DIR = ".cursor/rules"
COPILOT_DIR = ".github/instructions"
COPILOT_FILE = ".github/copilot-instructions.md"
# Folders never given an instruction file: ours, git's, and the agents' own.
_NO_FOLDER = (".empathy", ".git", ".claude", ".cursor", ".github")


class Unit(NamedTuple):
    path: str  # relative to the root
    section: bool  # a marked section of a file a person may share; else the whole file is ours
    head: str  # frontmatter (whole files only)
    groups: tuple[Rule, ...]
    notes: tuple[str, ...]  # what the format cannot express here, shown in the marker and by --verbose
    always: bool  # read in every session


def units(target: str, groups: Sequence[Rule], is_folder: Callable[[str], bool]) -> list[Unit]:
    """`is_folder(rel)`: a real folder of the repository (AGENTS.md goes only into folders that exist)."""
    if target == "cursor":
        return [_cursor(group) for group in groups]
    if target == "copilot":
        return _copilot(groups)
    return _folders(FOLDER_FILES[target], groups, is_folder)


def _stem(rule: Rule) -> str:
    return rule.name.removesuffix(".md")


def _yaml_plain(text: str) -> str:
    """`text` unquoted where YAML reads it back as the same string, else as a double-quoted scalar."""
    plain = (
        text
        and text[0] not in "*&!|>'\"%@`{[]},#?:- "
        and ": " not in text
        and " #" not in text
        and text == text.strip()
        and text.isprintable()
    )
    return text if plain else to_json(text, ensure_ascii=False)


def _cursor(rule: Rule) -> Unit:
    title = rule.category.title + (f": {', '.join(rule.paths)}" if rule.paths else "")
    notes: tuple[str, ...] = ()
    if rule.paths:
        bad = globs.inexpressible(rule.paths)
        if bad:
            notes = (f"Cursor globs are one comma-separated list: {', '.join(bad)} cannot be said exactly",)
        scope = f"globs: {_yaml_plain(globs.comma_list(rule.paths))}\nalwaysApply: false"
    else:
        scope = "globs:\nalwaysApply: true"
    head = f"---\ndescription: {to_json(title, ensure_ascii=False)}\n{scope}\n---\n"
    return Unit(f"{CURSOR_DIR}/{_stem(rule)}.mdc", False, head, (rule,), notes, not rule.paths)


def _copilot(groups: Sequence[Rule]) -> list[Unit]:
    found: list[Unit] = []
    unscoped = tuple(group for group in groups if not group.paths)
    if unscoped:
        found.append(Unit(COPILOT_FILE, True, "", unscoped, (), True))
    for rule in groups:
        if not rule.paths:
            continue
        bad = globs.inexpressible(rule.paths)
        notes = (
            (f"Copilot's applyTo is one comma-separated list: {', '.join(bad)} cannot be said exactly",) if bad else ()
        )
        head = (
            f"---\ndescription: {to_json(rule.category.title, ensure_ascii=False)}\n"
            f"applyTo: {to_json(globs.comma_list(rule.paths), ensure_ascii=False)}\n---\n"
        )
        found.append(Unit(f"{COPILOT_DIR}/{_stem(rule)}.instructions.md", False, head, (rule,), notes, False))
    return found


def placement(rule: Rule, is_folder: Callable[[str], bool]) -> str:
    """The folder whose instruction file holds a scoped group, or "" for the root file."""
    if not rule.paths:
        return ""
    folders = {globs.folder(glob) for glob in globs.flat(rule.paths)}
    if len(folders) != 1:
        return ""
    (base,) = folders
    if not base or base.split("/")[0] in _NO_FOLDER or not is_folder(base):
        return ""
    return base


def _folders(filename: str, groups: Sequence[Rule], is_folder: Callable[[str], bool]) -> list[Unit]:
    by_folder: dict[str, list[Rule]] = {}
    for rule in groups:
        by_folder.setdefault(placement(rule, is_folder), []).append(rule)
    found: list[Unit] = []
    for base in sorted(by_folder):
        members = tuple(by_folder[base])
        notes: list[str] = []
        if base == "":
            scoped = [", ".join(rule.paths) for rule in members if rule.paths]
            if scoped:
                notes.append(
                    f"{filename} cannot scope by glob: the sections for {'; '.join(scoped)} are read in every "
                    "session, under headings that name their paths"
                )
        else:
            wider = [glob for rule in members for glob in globs.flat(rule.paths) if not globs.whole_folder(glob)]
            if wider:
                notes.append(
                    f"{filename} scopes by folder only: {', '.join(wider)} apply to all of {base}/ here, "
                    "under headings that name their paths"
                )
        path = f"{base}/{filename}" if base else filename
        found.append(Unit(path, True, "", members, tuple(notes), base == ""))
    return found
