from __future__ import annotations

import pytest

from attune import config
from attune.patterns import store
from attune.sync import rules
from tests.helpers import pattern


def _pattern(pid, paths=None, status="active", category="debugging"):
    (p,) = store.parse(
        f".empathy/patterns/{category}/{pid}.md",
        pattern(pid, category, paths=paths, status=status, body="error cause fix"),
        config.DEFAULT,
    ).patterns
    return p


def test_patterns_group_by_category_and_exact_glob_set():
    groups = rules.group(
        [_pattern("a", ["b/**", "a/**"]), _pattern("b", ["a/**", "b/**"]), _pattern("c", ["a/**"]), _pattern("d")],
        config.DEFAULT,
        "fp",
    )
    assert [(r.name, [p.id for p in r.patterns]) for r in groups] == [
        ("bug-patterns--a-b.md", ["a", "b"]),
        ("bug-patterns--a.md", ["c"]),
        ("bug-patterns.md", ["d"]),
    ]
    assert groups[0].paths == ("a/**", "b/**")


def test_sources_hash_follows_content_and_templates():
    base = rules.group([_pattern("a")], config.DEFAULT, "fp")[0].sources
    assert rules.group([_pattern("a")], config.DEFAULT, "fp")[0].sources == base
    assert rules.group([_pattern("a")], config.DEFAULT, "other-templates")[0].sources != base
    assert rules.group([_pattern("a", ["x/**"])], config.DEFAULT, "fp")[0].sources != base


def test_generated_files_round_trip_and_detect_tampering():
    rule = rules.group([_pattern("a", ["src/**"])], config.DEFAULT, "fp")[0]
    text = rules.assemble(rule, "# Body\n")
    parsed = rules.parse_generated(text)
    assert parsed is not None
    assert (parsed.sources, parsed.intact, parsed.body) == (rule.sources, True, "# Body\n")
    assert parsed.source_files == {".empathy/patterns/debugging/a.md"}
    assert rules.parse_generated(text.replace("# Body", "# Edited")).intact is False
    assert rules.parse_generated(text.replace('"src/**"', '"lib/**"')).intact is False


def test_files_without_the_marker_are_not_ours():
    assert rules.parse_generated("# Notes\n") is None
    assert rules.parse_generated('---\npaths:\n  - "x"\n---\n# Notes\n') is None
    assert rules.parse_generated("<!-- attune-companion: something else -->\n") is None


def test_tokens_ignore_html_comments():
    assert rules.tokens("<!-- a very long comment that costs nothing -->\nabcd efgh") == 3


@pytest.mark.parametrize(
    ("globs", "slug"),
    [
        (("src/api/**",), "api"),
        (("src/**/*.py",), "src-py"),
        (("**/*.py",), "py"),
        (("src/attune/yamlio.py",), "yamlio-py"),
        (("Makefile",), "makefile"),
        (("**",), "all"),
        (("src/**/*.{ts,tsx}", "web/*.ts"), "src-ts-tsx-web-ts"),
        ((".empathy/patterns/**", "src/attune/patterns/**"), "patterns"),
    ],
)
def test_scoped_file_names_are_short_and_readable(globs, slug):
    assert rules._slug(globs) == slug


def test_to_json_writes_what_json_dumps_writes():
    import json
    import random

    from attune.sync.rules import to_json

    rng = random.Random(11)
    alphabet = [
        "a",
        "Z",
        "0",
        " ",
        "*",
        "{",
        ",",
        "/",
        '"',
        "\\",
        "\n",
        "\t",
        "\x00",
        "\x7f",
        "é",
        "✓",
        "\U0001f600",
        "'",
    ]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        assert to_json(text) == json.dumps(text)
        assert to_json(text, ensure_ascii=False) == json.dumps(text, ensure_ascii=False)
        nested = [text, [text, "src/**"], []]
        assert to_json(nested) == json.dumps(nested)


def test_the_scope_of_a_rule_file_reads_back_with_each_globs_line():
    """One reader of a rule's `paths:` for the report, `rules explain` and the MCP server (issue 15)."""
    rule = rules.group([_pattern("a", ["src/**", "lib/{a,b}/*.py"])], config.DEFAULT, "fp")[0]
    text = rules.assemble(rule, "# Body\n---\nnot frontmatter\n")
    assert rules.scope_of(text) == (rules.Glob(3, "lib/{a,b}/*.py"), rules.Glob(4, "src/**"))
    assert [g.glob for g in rules.scope_of(text)] == list(rule.paths)
    # A rule file written by hand, as the client reads it: a single glob, plain YAML, other keys first.
    assert rules.scope_of('---\npaths: "src/**"\n---\n') == (rules.Glob(2, "src/**"),)
    assert rules.scope_of("---\ndescription: x\npaths:\n  - docs/**\n  - ''\n---\nbody\n") == (
        rules.Glob(4, "docs/**"),
    )
    # Loaded in every session: no frontmatter, no `paths:`, an unclosed or unreadable frontmatter.
    for unscoped in ("# Notes\n", "---\ndescription: x\n---\n", '---\npaths:\n  - "x"\n', "---\npaths: [\n---\n"):
        assert rules.scope_of(unscoped) == (), unscoped
