from __future__ import annotations

import json
import time

from attune import cli, sessions
from attune.memory import recall
from tests.helpers import write_pattern

DAY = 86400.0


def record(project, session, message, *, days_ago=0.0, files=(), summary=None):
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - days_ago * DAY))
    data = {"version": 1, "session_id": session, "started": stamp, "updated": stamp, "cwd": str(project),
            "last_assistant_message": message, "compact_summaries": [], "files_touched": list(files),
            "timeline": [], "summary": summary, "folded": 0}  # fmt: skip
    path = sessions.record_path(project, session)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))


def recall_json(project, capsys, *args):
    assert cli.main(["memory", "recall", *args, "--json", "--root", str(project)]) == 0
    return json.loads(capsys.readouterr().out)


def test_sessions_and_patterns_are_ranked_by_relevance(repo, capsys):
    (repo / ".empathy").mkdir()
    record(
        repo,
        "s-hash",
        "Moved password hashing to argon2id; old password hashes migrate at login.",
        files=["src/auth.py"],
    )
    record(repo, "s-css", "Fixed the navbar layout on small screens.")
    record(repo, "s-login", "The login form now shows a spinner.")
    write_pattern(repo, "argon2", "security", title="Hash passwords with argon2id", body="Never bcrypt for new code.")
    write_pattern(
        repo, "retry", title="Retry storm", body="**Error:** 503 storm. **Cause:** no jitter. **Fix:** backoff."
    )
    hits = recall_json(repo, capsys, "argon2id password hashing")
    # Both say all three words; the pattern's title counts twice. Nothing else mentions them.
    assert [(h["kind"], h["id"]) for h in hits] == [("pattern", "argon2"), ("session", "s-hash")]
    assert {"kind", "id", "title", "date", "path", "score", "snippet"} <= hits[0].keys()
    assert hits[0]["path"] == ".empathy/patterns/security/argon2.md"
    assert hits[1]["path"] == ".empathy/sessions/s-hash.json"
    assert "password hashing" in hits[1]["snippet"]
    # Both sessions say "login" once: the shorter one says it with more weight (BM25's length norm).
    assert [h["id"] for h in recall_json(repo, capsys, "login")] == ["s-login", "s-hash"]
    assert [h["id"] for h in recall_json(repo, capsys, "navbar")] == ["s-css"]


def test_words_meet_across_simple_suffixes():
    assert recall.words("Hashing hashes hash passwords") == ["hash", "hash", "hash", "password"]


def test_recency_breaks_a_tie_between_equally_relevant_sessions(repo, capsys):
    (repo / ".empathy").mkdir()
    record(repo, "old", "Rewrote the lexer for unicode identifiers.", days_ago=60)
    record(repo, "new", "Rewrote the lexer for unicode identifiers.", days_ago=1)
    assert [h["id"] for h in recall_json(repo, capsys, "lexer unicode")] == ["new", "old"]


def test_days_limits_to_recent_memory(repo, capsys):
    (repo / ".empathy").mkdir()
    record(repo, "old", "Tuned the database connection pool.", days_ago=40)
    record(repo, "new", "Tuned the database connection pool again.", days_ago=2)
    assert [h["id"] for h in recall_json(repo, capsys, "connection pool", "--days", "7")] == ["new"]


def test_summaries_are_searched_and_titled(repo, capsys):
    (repo / ".empathy").mkdir()
    summary = {"decisions": ["Keep SQLite for the cache"], "open_questions": ["Do we need WAL mode?"], "next_steps": [],
               "topics": ["cache"], "offline": True, "model": None}  # fmt: skip
    record(repo, "s1", "ok", summary=summary)
    (hit,) = recall_json(repo, capsys, "wal mode")
    assert hit["title"] == "Keep SQLite for the cache"


def test_text_output_and_nothing_found(repo, capsys):
    (repo / ".empathy").mkdir()
    record(repo, "s1", "Fixed the flaky upload test by waiting for the socket.")
    cli.main(["memory", "recall", "flaky upload", "--root", str(repo)])
    out = capsys.readouterr().out.splitlines()
    assert "session" in out[0] and "Fixed the flaky upload test" in out[0] and "(.empathy/sessions/s1.json)" in out[0]
    cli.main(["memory", "recall", "kubernetes", "--root", str(repo)])
    assert capsys.readouterr().out == "nothing recalled for 'kubernetes'\n"


def test_bm25_prefers_rare_terms():
    documents = [
        recall.Document("pattern", f"p{i}", "common words here", "2026-01-01", "x", "common " * 5) for i in range(50)
    ]
    documents.append(recall.Document("pattern", "rare", "common", "2026-01-01", "x", "zeppelin"))
    hits = recall.Index(documents).search("common zeppelin", now=time.time())
    assert hits[0].document.key == "rare"


def test_a_secret_in_an_older_record_never_reaches_the_output(repo, capsys):
    """Records written before issue 10 may hold a secret or an address: recall shows neither (issue 13)."""
    from tests.helpers import EMAIL, fake_secret

    (repo / ".empathy").mkdir()
    token = fake_secret("github")
    record(repo, "s-leak", f"Rotated the deploy token {token} and told {EMAIL} about the rotation.")
    write_pattern(repo, "rotation", title=f"Rotation by {EMAIL}", body=f"Rotation: the old token was {token}.")
    hits = recall_json(repo, capsys, "rotation token")
    assert sorted(h["id"] for h in hits) == ["rotation", "s-leak"]
    shown = json.dumps(hits)
    assert token not in shown and EMAIL not in shown and "[SECRET:" in shown and "[EMAIL]" in shown
    assert cli.main(["memory", "recall", "rotation token", "--root", str(repo)]) == 0
    out = capsys.readouterr().out
    assert token not in out and EMAIL not in out and "rotation" in out.lower()
