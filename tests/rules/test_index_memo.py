"""The rules index made from remembered pieces reads exactly as one made whole (issue 15)."""

from __future__ import annotations

import json
import os

from attune import cli
from attune import config as config_mod
from attune.patterns import store
from attune.rules import index, memo
from attune.sync import render
from tests.helpers import write_pattern


def _sync(root):
    assert cli.main(["sync", "--root", str(root), "-q"]) == 0


def _whole(root):
    """The index and texts files as the sync wrote them before the memo: every rule made afresh."""
    config = config_mod.load(root)
    plan = render.plan(root, config, store.load_library(root, config, use_cache=False))
    found, delivered = index.build(root, plan)
    dump = lambda value: json.dumps(value, ensure_ascii=False, sort_keys=True) + "\n"  # noqa: E731
    return dump(found), dump(delivered)


def _write(root, pattern_id, confidence="0.9", **kwargs):
    target = write_pattern(root, pattern_id, **kwargs)
    target.write_text(target.read_text().replace("confidence: 0.9", f"confidence: {confidence}"))


def _written(root):
    return (root / index.INDEX).read_text(encoding="utf-8"), (root / index.TEXTS).read_text(encoding="utf-8")


def test_every_sync_writes_what_a_whole_build_writes_as_rules_change(repo):
    write_pattern(repo, "tz-naive", title="Zoned \u00e9t\u00e9 it's \\\\ <here>")
    write_pattern(repo, "null-user", paths=["src/api/**"], body="Check for a missing user: MARK-ONE.")
    _write(repo, "db-lock", "0.6", paths=["src/db/**", "migrations/**"])
    for number in range(20):  # one rule past the cap: shortened, ranked by confidence
        write_pattern(repo, f"big{number:02}", paths=["src/big/**"], title=f"Big {number:02}", body="x" * 600)
    _sync(repo)
    assert os.path.exists(memo.memo_path(repo))
    assert _written(repo) == _whole(repo)

    steps = [
        lambda: write_pattern(repo, "null-user", paths=["src/api/**"], body="Check for a missing user: MARK-TWO."),
        lambda: _write(repo, "big07", "1.0", paths=["src/big/**"], title="Big 07", body="x" * 600),
        lambda: _write(repo, "db-lock", "0.6", paths=["src/db/**"]),  # new globs: a renamed file
        (repo / ".empathy/patterns/debugging/tz-naive.md").unlink,
        lambda: write_pattern(repo, "tz-naive", paths=["src/api/**"]),  # joins another rule
    ]
    for step in steps:
        step()
        _sync(repo)
        assert _written(repo) == _whole(repo)
    assert "MARK-TWO" in _written(repo)[1] and "MARK-ONE" not in _written(repo)[1]
    (entry,) = [e for e in index.load(str(repo)) if e.file.endswith("big.md")]
    assert entry.patterns[0] == "big07" and entry.shortened  # the ranking follows a changed confidence


def test_a_rule_file_changed_by_hand_is_made_again_not_taken_from_the_memo(repo):
    write_pattern(repo, "null-user", paths=["src/api/**"], body="Check for a missing user: MARK-ONE.")
    _sync(repo)
    rule = repo / ".claude/rules/attune/bug-patterns--api.md"
    rule.write_text(rule.read_text().replace("MARK-ONE", "MARK-HAND"))  # no longer intact: the sync rewrites it
    _sync(repo)
    assert _written(repo) == _whole(repo) and "MARK-ONE" in _written(repo)[1]


def test_a_damaged_memo_is_only_slower(repo):
    write_pattern(repo, "null-user", paths=["src/api/**"], body="Check for a missing user: MARK-ONE.")
    _sync(repo)
    expected = _written(repo)
    for garbage in (
        b"",
        b"\x00garbage",
        __import__("marshal").dumps({"k": ("a", "b")}),
        __import__("marshal").dumps([1]),
    ):
        with open(memo.memo_path(repo), "wb") as handle:
            handle.write(garbage)
        (repo / index.INDEX).unlink()
        _sync(repo)
        assert _written(repo) == expected


def test_an_entry_and_a_string_are_written_as_json_writes_them():
    entries = [
        {"file": ".claude/rules/attune/x.md", "globs": [], "tokens": 0, "patterns": [], "shortened": False},
        {"file": "a\"b\\c\u00e9\u2028\x01", "globs": ["src/**/*.{ts,tsx}", "\t"], "tokens": 123456789012,
         "patterns": ["p1", "\ud800"], "shortened": True},
        {"file": "f", "globs": ["g"], "tokens": 1, "patterns": ["p"], "shortened": False, "extra": {"n": [1.5, None]}},
    ]  # fmt: skip
    for entry in entries:
        assert memo._entry(entry) == json.dumps(entry, ensure_ascii=False, sort_keys=True)
        for value in entry.values():
            if isinstance(value, str):
                assert memo._string(value) == json.dumps(value, ensure_ascii=False)
