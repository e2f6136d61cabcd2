from __future__ import annotations

import re

import pytest

from attune import cli, config
from attune.patterns import store
from tests.helpers import write_pattern


def test_list_filters_by_category_and_status(repo, capsys):
    write_pattern(repo, "a-bug", "debugging", paths=["src/**"])
    write_pattern(repo, "b-bug", "debugging", status="staged")
    write_pattern(repo, "c-sec", "security", body="Decision.")
    assert cli.main(["patterns", "list", "--root", str(repo)]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert [r[0] for r in rows] == ["a-bug", "b-bug", "c-sec"]
    assert rows[0][3] == "src/**" and rows[2][3] == "everywhere"
    cli.main(["patterns", "list", "--root", str(repo), "--category", "debugging", "--status", "staged"])
    assert [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()] == ["b-bug"]


def test_list_rejects_an_unknown_category(repo, capsys):
    write_pattern(repo, "a")
    assert cli.main(["patterns", "list", "--root", str(repo), "--category", "bugs"]) == 1
    assert "unknown category 'bugs'" in capsys.readouterr().err


def test_new_writes_a_pattern_that_parses(repo, capsys):
    (repo / ".empathy").mkdir()
    assert (
        cli.main(
            [
                "patterns",
                "new",
                "debugging",
                "Flaky DB test: connection reset",
                "--paths",
                "tests/**",
                "--root",
                str(repo),
            ]
        )
        == 0
    )
    out, err = capsys.readouterr()
    rel = out.strip()
    assert rel == ".empathy/patterns/debugging/flaky-db-test-connection-reset.md"
    assert "fill in its `<!-- fill in: ... -->` parts" in err
    parsed = store.read_file(repo, repo / rel, config.DEFAULT)
    assert parsed.patterns == () and [(pr.line, pr.warning) for pr in parsed.problems] == [(15, False)]
    assert parsed.problems[0].message.startswith("the body still holds placeholder text from `empathy patterns new`")
    filled = re.sub(r"<!-- fill in: [^>]*-->", "written down", (repo / rel).read_text())
    (repo / rel).write_text(filled)
    (p,) = store.read_file(repo, repo / rel, config.DEFAULT).patterns
    assert (p.id, p.title, p.paths, p.status) == (
        "flaky-db-test-connection-reset",
        "Flaky DB test: connection reset",
        ("tests/**",),
        "active",
    )
    assert p.created == "2026-11-15"  # EMPATHY_TODAY, as tests/conftest.py pins it


def test_a_new_pattern_never_reaches_the_rules_until_filled_in(repo, capsys):
    write_pattern(repo, "kept")
    assert cli.main(["sync", "--root", str(repo)]) == 0
    before = {p.name: p.read_text() for p in (repo / ".claude/rules/attune").iterdir()}
    cli.main(["patterns", "new", "debugging", "Half written", "--root", str(repo)])
    assert cli.main(["sync", "--root", str(repo)]) == 0
    assert {p.name: p.read_text() for p in (repo / ".claude/rules/attune").iterdir()} == before
    assert "half-written.md:" in capsys.readouterr().err
    assert cli.main(["sync", "--check", "--root", str(repo)]) == 1


@pytest.mark.parametrize("glob", ["/etc/**", "../outside/**", "src\\api\\*.py"])
def test_new_refuses_paths_that_validate_refuses(repo, capsys, glob):
    (repo / ".empathy").mkdir()
    assert cli.main(["patterns", "new", "debugging", "X", "--paths", glob, "--root", str(repo)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"empathy: error: --paths glob {glob!r}: ") and err.count("\n") == 1
    assert not (repo / ".empathy/patterns/debugging").exists() or not any((repo / ".empathy/patterns").rglob("*.md"))


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("!!! ??? ---", "title-without-letters"),
        ("日本語のバグ", "title-without-latin-letters"),
        ("Café crash in naïve parser", "cafe-crash-in-naive-parser"),
        (
            "Deploy failed silently when the push was rejected by the remote server again",
            "deploy-failed-silently-when-the-push-was-rejected-by-the",
        ),
    ],
)
def test_ids_from_titles_say_what_they_lack_and_end_at_a_word(title, slug):
    from attune.patterns.ids import MAX_WORDS_LENGTH, slugify

    assert slugify(title) == slug and len(slug) <= MAX_WORDS_LENGTH


def test_new_never_reuses_an_id(repo, capsys):
    (repo / ".empathy").mkdir()
    for _ in range(2):
        cli.main(["patterns", "new", "security", "Hash passwords", "--root", str(repo)])
    out = capsys.readouterr().out.split()
    assert out == [".empathy/patterns/security/hash-passwords.md", ".empathy/patterns/security/hash-passwords-2.md"]


def test_new_rejects_an_unknown_category(repo, capsys):
    (repo / ".empathy").mkdir()
    assert cli.main(["patterns", "new", "bugs", "X", "--root", str(repo)]) == 1
    assert "unknown category 'bugs'; configured: debugging, security, tech_debt, inspection" in capsys.readouterr().err


def test_new_uses_an_override_template(repo, capsys):
    (repo / ".empathy/templates").mkdir(parents=True)
    (repo / ".empathy/templates/pattern.md.j2").write_text(
        "---\nid: {{ id }}\ntitle: {{ title | yaml }}\ncategory: {{ category }}\n---\n\nTeam template. error cause fix\n"
    )
    cli.main(["patterns", "new", "debugging", "X y", "--root", str(repo)])
    assert (repo / ".empathy/patterns/debugging/x-y.md").read_text().endswith("Team template. error cause fix\n")
