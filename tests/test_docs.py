"""The docs cover the CLI: every command and every flag `empathy` offers appears in README.md or docs/ (issue 15)."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from attune import cli

ROOT = Path(__file__).resolve().parents[1]


def docs_text() -> str:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    return "\n".join(page.read_text(encoding="utf-8") for page in pages)


def commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    """(command path, flag or "") for every command and every option string of the whole parser."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*prefix, name), ""
                yield from commands(sub, (*prefix, name))
        elif prefix:
            for flag in action.option_strings:
                if flag.startswith("--") and flag not in ("--help", "--version"):
                    yield prefix, flag


CLI = sorted(set(commands(cli._parser())))


def test_the_walk_sees_the_whole_cli():
    # A walk that found nothing would pass the tests below vacuously.
    names = {" ".join(path) for path, flag in CLI if not flag}
    assert {"sync", "scan", "patterns review", "hooks install", "memory recall", "wizard run"} <= names
    assert (("scan",), "--staged") in CLI and (("sync",), "--watch") in CLI


COMMON = {"--root": "README.md"}  # flags every command takes, documented once where the README says so


def sections() -> list[str]:
    """The docs cut at every heading outside a code block: a flag counts as documented in a section that
    names its command."""
    found, current, fenced = [], [], False
    for line in docs_text().splitlines():
        fenced ^= line.startswith("```")
        if not fenced and re.match(r"#+ ", line):
            found.append("\n".join(current))
            current = []
        current.append(line)
    return [*found, "\n".join(current)]


def names(command: str) -> re.Pattern[str]:
    """A mention of the command: `empathy patterns new`, or `patterns new` in backquotes; sync has a second name."""
    other = "|empathy-sync-claude" if command == "sync" else ""
    return re.compile(rf"empathy {re.escape(command)}\b|`{re.escape(command)}[` ]{other}")


@pytest.mark.parametrize(("path", "flag"), CLI, ids=lambda v: " ".join(v) if isinstance(v, tuple) else v)
def test_documented(path, flag):
    command = " ".join(path)
    about = [section for section in sections() if names(command).search(section)]
    assert about, f"`empathy {command}` is not in README.md or docs/: document it"
    if flag in COMMON:
        assert flag in (ROOT / COMMON[flag]).read_text(encoding="utf-8")
    elif flag:
        assert any(re.search(rf"{re.escape(flag)}\b", section) for section in about), (
            f"`empathy {command} {flag}` is not in any docs section about `empathy {command}`: document it there"
        )


def test_the_readme_stays_short_and_links_every_page():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.encode()) < 10_000
    for page in sorted((ROOT / "docs").glob("*.md")):
        assert f"docs/{page.name}" in readme, f"README.md does not link docs/{page.name}"


def test_relative_links_in_the_docs_resolve():
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if "://" in target:
                continue
            assert (page.parent / target).exists(), f"{page.relative_to(ROOT)} links {target}, which does not exist"
