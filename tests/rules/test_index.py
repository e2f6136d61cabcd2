from __future__ import annotations

import json

from attune import cli
from attune.rules import index
from tests.helpers import write_pattern


def _sync(root):
    assert cli.main(["sync", "--root", str(root), "-q"]) == 0


def test_the_sync_writes_the_index_of_scoped_and_unscoped_rules(repo):
    write_pattern(repo, "tz-naive")
    write_pattern(repo, "null-user", paths=["src/api/**"], body="Check for a missing user: MARK-NULL-USER.")
    _sync(repo)

    entries = index.load(str(repo))
    by_file = {e.file: e for e in entries}
    scoped = by_file[".claude/rules/attune/bug-patterns--api.md"]
    assert scoped.globs == ("src/api/**",) and scoped.patterns == ("null-user",)
    delivered = index.texts(str(repo))
    assert "MARK-NULL-USER" in delivered[scoped.file] and not scoped.shortened
    assert "attune-companion: generated" not in delivered[scoped.file]  # the marker never reaches the model
    unscoped = by_file[".claude/rules/attune/bug-patterns.md"]
    assert unscoped.globs == () and unscoped.file not in delivered  # the client loads it itself: never delivered
    assert [(e.file, g) for e, g in index.matching(entries, "src/api/v1/users.py")] == [(scoped.file, "src/api/**")]
    assert index.matching(entries, "src/web/app.py") == []


def test_a_no_op_sync_rewrites_a_missing_index_and_leaves_a_current_one_alone(repo):
    write_pattern(repo, "null-user", paths=["src/api/**"])
    _sync(repo)
    target = repo / index.INDEX
    target.unlink()
    _sync(repo)
    assert target.exists()
    before = target.stat().st_mtime_ns
    _sync(repo)
    assert target.stat().st_mtime_ns == before


def test_a_no_op_sync_repairs_an_index_or_texts_file_changed_since_it_wrote_them(repo):
    """Issue 15: a no-op sync trusts its stamp, which holds how both files stood once written."""
    write_pattern(repo, "null-user", paths=["src/api/**"], body="Check for a missing user: MARK-NULL-USER.")
    _sync(repo)
    written = {name: (repo / name).read_bytes() for name in (index.INDEX, index.TEXTS)}
    with open(index.stamp_path(repo)) as stamp:
        first = stamp.read()
    _sync(repo)
    with open(index.stamp_path(repo)) as stamp:
        assert stamp.read() == first  # a file written by the last sync and one left unchanged read alike
    for name in (index.INDEX, index.TEXTS):
        (repo / name).write_text((repo / name).read_text().replace("MARK-NULL-USER", "MARK-PLANTED").replace("1", "2"))
        _sync(repo)
        assert (repo / name).read_bytes() == written[name]
        (repo / name).unlink()
        _sync(repo)
        assert (repo / name).read_bytes() == written[name]
    with open(index.stamp_path(repo), "w") as stamp:
        stamp.write("garbage\n")
    (repo / index.TEXTS).write_text("{}\n")
    _sync(repo)
    assert (repo / index.TEXTS).read_bytes() == written[index.TEXTS]


def test_an_edited_pattern_reaches_the_delivered_text_past_the_stamp(repo):
    write_pattern(repo, "null-user", paths=["src/api/**"], body="Check for a missing user: MARK-ONE.")
    _sync(repo)
    write_pattern(repo, "null-user", paths=["src/api/**"], body="Check for a missing user: MARK-TWO.")
    _sync(repo)
    (text,) = index.texts(str(repo)).values()
    assert "MARK-TWO" in text and "MARK-ONE" not in text


def test_a_rule_past_the_cap_is_delivered_as_its_most_relevant_patterns_and_its_path(repo):
    for number in range(30):
        write_pattern(repo, f"p{number:02}", paths=["src/api/**"], title=f"Pattern {number:02}", body="x" * 600)
    (repo / ".empathy/patterns/debugging/p07.md").write_text(
        (repo / ".empathy/patterns/debugging/p07.md").read_text().replace("confidence: 0.9", "confidence: 1.0")
    )
    _sync(repo)

    (entry,) = [e for e in index.load(str(repo)) if e.globs]
    text = index.texts(str(repo))[entry.file]
    assert entry.shortened and len(text) <= index.RULE_CAP
    assert text.startswith("## Pattern 07")  # the most confident first
    assert f"read {entry.file} for all of them" in text
    assert entry.patterns[0] == "p07"


def test_an_unreadable_or_foreign_index_reads_as_none(repo):
    assert index.load(str(repo)) is None
    target = repo / index.INDEX
    target.parent.mkdir(parents=True)
    target.write_text("{not json")
    assert index.load(str(repo)) is None
    target.write_text(json.dumps({"version": 99, "rules": []}))
    assert index.load(str(repo)) is None


def test_newer_dates_sort_first_whatever_their_digits():
    dates = [
        "2026-01-12",
        "2026-02-28",
        "2025-12-31",
        "2026-02-28T10:00",
        "\u0663\u0662",
    ]  # the last: Arabic-Indic digits
    spelled = ["".join(chr(0x10FFFF - ord(c)) if c.isdigit() else c for c in d) for d in dates]
    assert [index._inverted(d) for d in dates] == spelled
    assert sorted(dates[:3], key=index._inverted) == ["2026-02-28", "2026-01-12", "2025-12-31"]
