"""Globs as the other agents read them (issue 16): frontmatter through a real YAML parser, braces and commas
through a real glob matcher (wcmatch), with Claude Code's semantics on one side and each agent's on the other."""

from __future__ import annotations

import pytest
import yaml
from wcmatch import glob as wc

from attune.sync.targets import globs
from tests.sync.test_targets import every_feature, outputs, sync
from tests.sync.test_targets_sync import configure

CLAUDE = wc.GLOBSTAR | wc.BRACE | wc.DOTMATCH  # picomatch-like: braces expand, ** crosses folders
LISTED = wc.GLOBSTAR | wc.DOTMATCH  # one item of a comma-separated list: no braces left to expand
PATHS = [
    "src/a.ts", "src/a.tsx", "src/deep/b.tsx", "src/a.js", "web/x.ts", "web/sub/x.ts", "lib/a.ts",
    "src/api/v1/h.py", "src/api.py", "a,b.txt", "docs/x.md", "src/x.d.ts",
]  # fmt: skip
GLOBS = [
    "src/**/*.{ts,tsx}", "{src,web}/**/*.ts", "src/**/*.{ts,{js,jsx}}", "src/api/**", "**/*.md", "web/*.ts",
    "src/{a,b}.{ts,js}", "src/{only}.ts", "docs/**",
]  # fmt: skip


def frontmatter(text):
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n")[1])


@pytest.mark.parametrize("glob", GLOBS)
def test_the_comma_list_matches_what_claude_code_matches(glob):
    listed = globs.comma_list((glob,)).split(",")
    for path in PATHS:
        assert wc.globmatch(path, glob, flags=CLAUDE) == any(
            wc.globmatch(path, item, flags=LISTED) for item in listed
        ), path


def test_braces_expand_in_order_and_nested():
    assert globs.expand("src/**/*.{ts,{js,jsx}}") == ["src/**/*.ts", "src/**/*.js", "src/**/*.jsx"]
    assert globs.expand("src/{only}.ts") == ["src/{only}.ts"]
    assert globs.flat(("a/*.{x,y}", "a/*.x")) == ("a/*.x", "a/*.y")
    assert globs.inexpressible(("a/[,;]*",)) == ("a/[,;]*",)


def test_folders_a_glob_can_be_placed_in():
    assert globs.folder("src/api/**") == "src/api" and globs.whole_folder("src/api/**")
    assert globs.folder("src/api/**/*.py") == "src/api" and not globs.whole_folder("src/api/**/*.py")
    assert globs.folder("**/*.py") == "" and globs.folder("Dockerfile") == ""
    assert globs.folder("src/*/x/**") == "src"
    assert globs.folder("../up/**") == ""


def test_cursor_and_copilot_frontmatter_read_back_with_a_yaml_parser(repo, capsys):
    every_feature(repo)
    configure(repo, "cursor, copilot")
    assert sync(repo, capsys)[0] == 0
    files = outputs(repo)
    cursor = {p: frontmatter(t) for p, t in files.items() if p.endswith(".mdc")}
    assert set(cursor) >= {".cursor/rules/bug-patterns.mdc", ".cursor/rules/coding-patterns--sql.mdc"}
    for fields in cursor.values():
        assert set(fields) == {"description", "globs", "alwaysApply"}
        assert isinstance(fields["description"], str) and isinstance(fields["alwaysApply"], bool)
        assert fields["alwaysApply"] == (fields["globs"] is None)
    assert cursor[".cursor/rules/coding-patterns--sql.mdc"]["globs"] == "**/*.sql"  # quoted: * starts an alias
    tsx = cursor[".cursor/rules/coding-patterns--src-ts-tsx-web-ts.mdc"]
    assert tsx["globs"].split(",") == ["src/**/*.ts", "src/**/*.tsx", "web/*.ts"]
    assert tsx["description"] == "Coding patterns: src/**/*.{ts,tsx}, web/*.ts"
    copilot = {p: frontmatter(t) for p, t in files.items() if p.endswith(".instructions.md")}
    assert copilot[".github/instructions/coding-patterns--src-ts-tsx-web-ts.instructions.md"] == {
        "description": "Coding patterns",
        "applyTo": "src/**/*.ts,src/**/*.tsx,web/*.ts",
    }
    assert all(set(fields) == {"description", "applyTo"} for fields in copilot.values())
    assert not files[".github/copilot-instructions.md"].startswith("---")  # read whole, no frontmatter


@pytest.mark.parametrize("title", ["Colon: inside", "#hash", "quote \" and 'single'", "- dash", "ünï"])
def test_awkward_titles_and_globs_read_back_the_same(repo, capsys, title):
    configure(repo, "cursor, copilot")
    config = repo / ".empathy/config.yaml"
    config.write_text(
        config.read_text()
        + f"categories:\n  debugging:\n    output: bugs\n    title: {yaml.safe_dump(title).strip().removesuffix('...').strip()}\n"
    )
    from tests.helpers import write_pattern

    write_pattern(repo, "odd", paths=["@weird/**", "*.cfg", "a: b/**"])
    assert sync(repo, capsys)[0] == 0
    files = outputs(repo)
    (cursor,) = [frontmatter(text) for path, text in files.items() if path.endswith(".mdc")]
    assert cursor["description"] == f"{title}: *.cfg, @weird/**, a: b/**"
    assert cursor["globs"].split(",") == ["*.cfg", "@weird/**", "a: b/**"]
    (copilot,) = [frontmatter(text) for path, text in files.items() if path.endswith(".instructions.md")]
    assert copilot["applyTo"].split(",") == ["*.cfg", "@weird/**", "a: b/**"]
