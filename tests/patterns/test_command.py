from __future__ import annotations

import datetime

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
    rel = capsys.readouterr().out.strip()
    assert rel == ".empathy/patterns/debugging/flaky-db-test-connection-reset.md"
    parsed = store.read_file(repo, repo / rel, config.DEFAULT)
    (p,) = parsed.patterns
    assert (p.id, p.title, p.paths, p.status) == (
        "flaky-db-test-connection-reset",
        "Flaky DB test: connection reset",
        ("tests/**",),
        "active",
    )
    assert p.created == datetime.date.today().isoformat()
    assert [pr.message for pr in parsed.problems] == [
        "the body still holds placeholder text from `empathy patterns new`"
    ]


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
