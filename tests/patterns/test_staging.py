from __future__ import annotations

import pytest

from attune import config
from attune.errors import UserError
from attune.patterns import store
from attune.patterns.staging import stage_pattern, taken_ids
from tests.helpers import write_pattern


def test_a_staged_pattern_is_valid_library_text(repo):
    target = stage_pattern(
        repo,
        pattern_id="pool-keyerror",
        title='KeyError: "pool" on reconnect',
        category="debugging",
        body="**Error:** `KeyError: 'pool'`\n\n**Root cause:** never created.\n\n**Fix:** create it.",
        source="0123456789abcdef",
        globs=["src/db/**/*.py"],
        tags=["python", "db"],
        confidence=0.7,
    )
    assert target == repo / ".empathy" / "staging" / "pool-keyerror.md"
    parsed = store.parse(".empathy/staging/pool-keyerror.md", target.read_text(), config.DEFAULT)
    assert parsed.problems == ()
    (pattern,) = parsed.patterns
    assert (pattern.id, pattern.title, pattern.status, pattern.source) == (
        "pool-keyerror",
        'KeyError: "pool" on reconnect',
        "staged",
        "0123456789abcdef",
    )
    assert pattern.paths == ("src/db/**/*.py",) and pattern.tags == ("python", "db") and pattern.confidence == 0.7
    assert pattern.body.startswith("**Error:** `KeyError: 'pool'`")


def test_an_id_already_taken_is_refused_and_nothing_is_written(repo):
    write_pattern(repo, "in-library")
    stage_pattern(repo, pattern_id="staged-one", title="t", category="debugging", body="b", source="s")
    before = (repo / ".empathy" / "staging" / "staged-one.md").read_text()
    for taken in ("in-library", "staged-one"):
        with pytest.raises(UserError, match=f"pattern id '{taken}' is already taken"):
            stage_pattern(repo, pattern_id=taken, title="other", category="debugging", body="new", source="x")
    assert (repo / ".empathy" / "staging" / "staged-one.md").read_text() == before
    assert not (repo / ".empathy" / "staging" / "in-library.md").exists()
    assert taken_ids(repo) == {"in-library", "staged-one"}
