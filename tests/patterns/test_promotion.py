from __future__ import annotations

import json
import subprocess

import pytest

from attune import audit, cli
from tests.helpers import EMAIL, fake_secret, write_pattern

BODY = "**Error:** 503 from the gateway. **Root cause:** retries without jitter. **Fix:** add jitter."


def stage(repo, capsys, *args):
    code = cli.main(["patterns", "stage", "--root", str(repo), *args])
    captured = capsys.readouterr()
    return code, captured.out.strip(), captured.err


def staged(repo, capsys):
    cli.main(["patterns", "staged", "--json", "--root", str(repo)])
    return json.loads(capsys.readouterr().out)


def rules(repo):
    return "".join(p.read_text() for p in (repo / ".claude/rules/attune").glob("*.md"))


def test_stage_promote_sync(repo, capsys):
    cli.main(["init", "--root", str(repo)])
    capsys.readouterr()
    code, pattern_id, _ = stage(repo, capsys, "--category", "debugging", "--title", "Retry storm on 503",
                                "--body", BODY, "--paths", "src/api/**", "--confidence", "0.8", "--source", "PR #7")  # fmt: skip
    assert (code, pattern_id) == (0, "retry-storm-on-503")
    (draft,) = staged(repo, capsys)
    assert {k: draft[k] for k in ("id", "title", "category", "confidence", "source", "classification")} == {
        "id": "retry-storm-on-503", "title": "Retry storm on 503", "category": "debugging",
        "confidence": 0.8, "source": "PR #7", "classification": "PUBLIC",
    }  # fmt: skip
    cli.main(["sync", "--root", str(repo), "-q"])
    assert "Retry storm" not in rules(repo)  # staged patterns never reach the rules
    assert cli.main(["patterns", "promote", pattern_id, "--root", str(repo)]) == 0
    assert "run empathy-sync-claude to publish it" in capsys.readouterr().out
    promoted = repo / ".empathy/patterns/debugging/retry-storm-on-503.md"
    assert "status: active" in promoted.read_text()
    assert not (repo / ".empathy/staging/retry-storm-on-503.md").exists()
    assert cli.main(["patterns", "validate", "--root", str(repo)]) == 0
    cli.main(["sync", "--root", str(repo), "-q"])
    assert "## Retry storm on 503" in (repo / ".claude/rules/attune/bug-patterns--api.md").read_text()
    assert [e["action"] for e in audit.entries(repo)] == ["classified", "classified", "promoted"]


def test_a_secret_refuses_staging(repo, capsys):
    (repo / ".empathy").mkdir()
    key = fake_secret("anthropic")
    code, _, err = stage(repo, capsys, "--category", "security", "--title", "Rotate keys", "--body", f"old key {key}")
    assert code == 1
    assert "refused to stage 'rotate-keys': its body holds a secret: anthropic-api-key" in err
    assert key not in err
    assert not (repo / ".empathy/staging").exists()
    assert [e["action"] for e in audit.entries(repo)] == ["staging.refused"]


def test_personal_data_is_scrubbed_and_a_sensitive_pattern_stays_private(repo, capsys):
    subprocess.run(["git", "-C", str(repo), "commit", "-q", "--allow-empty", "-m", "start"], check=True)
    cli.main(["init", "--root", str(repo)])
    capsys.readouterr()
    _, pattern_id, _ = stage(repo, capsys, "--category", "security", "--title", "Exporter owner",
                             "--body", f"Ask {EMAIL} before changing the exporter.")  # fmt: skip
    text = (repo / f".empathy/staging/{pattern_id}.md").read_text()
    assert EMAIL not in text and "Ask [EMAIL] before" in text
    assert "classification: SENSITIVE" in text
    cli.main(["patterns", "promote", pattern_id, "--root", str(repo)])
    assert "SENSITIVE, so it stays out of git and out of the rules" in capsys.readouterr().out
    private = repo / f".empathy/private/patterns/security/{pattern_id}.md"
    assert private.is_file()
    cli.main(["sync", "--root", str(repo), "-q"])
    assert "Exporter owner" not in rules(repo)
    status = subprocess.run(
        ["git", "-C", str(repo), "status", "--porcelain", "-uall"], capture_output=True, text=True, check=True
    ).stdout
    assert "private" not in status
    actions = [e["action"] for e in audit.entries(repo)]
    assert actions == ["staging.scrubbed", "classified", "classified", "promoted"]
    promoted = next(e for e in audit.entries(repo) if e["action"] == "promoted")
    assert promoted["classification"] == "SENSITIVE"


def test_a_sensitive_pattern_in_the_library_is_never_synced(repo, capsys):
    write_pattern(repo, "secret-plan", extra="classification: SENSITIVE")
    write_pattern(repo, "open-plan")
    code = cli.main(["patterns", "validate", "--root", str(repo)])
    assert "a SENSITIVE pattern does not belong in the committed library" in capsys.readouterr().out
    assert code == 0
    cli.main(["sync", "--root", str(repo), "-q"])
    assert "Open plan" in rules(repo) and "Secret plan" not in rules(repo)


def test_reject_keeps_a_private_copy_and_audits_the_reason(repo, capsys):
    (repo / ".empathy").mkdir()
    _, pattern_id, _ = stage(repo, capsys, "--category", "debugging", "--title", "Flaky", "--body", BODY)
    assert cli.main(["patterns", "reject", pattern_id, "--reason", "a duplicate", "--root", str(repo)]) == 0
    assert not (repo / f".empathy/staging/{pattern_id}.md").exists()
    assert (repo / f".empathy/private/rejected/{pattern_id}.md").is_file()
    rejected = [e for e in audit.entries(repo) if e["action"] == "rejected"]
    assert rejected == [{"time": rejected[0]["time"], "action": "rejected", "id": pattern_id, "reason": "a duplicate"}]


def test_promote_refuses_unknown_ids_duplicates_and_bad_drafts(repo, capsys):
    (repo / ".empathy").mkdir()
    assert cli.main(["patterns", "promote", "nope", "--root", str(repo)]) == 1
    assert "no staged pattern 'nope' (staged: none)" in capsys.readouterr().err
    _, pattern_id, _ = stage(repo, capsys, "--category", "debugging", "--title", "Flaky", "--body", BODY)
    write_pattern(repo, pattern_id)  # someone committed the same id meanwhile
    assert cli.main(["patterns", "promote", pattern_id, "--root", str(repo)]) == 1
    assert "the library already has a pattern with id 'flaky'" in capsys.readouterr().err
    assert (repo / f".empathy/staging/{pattern_id}.md").exists()


def test_stage_needs_a_body_and_a_known_category(repo, capsys):
    (repo / ".empathy").mkdir()
    assert stage(repo, capsys, "--category", "chores", "--title", "x", "--body", "y")[0] == 1
    assert stage(repo, capsys, "--category", "debugging", "--title", "x", "--body", "  ")[0] == 1
    assert stage(repo, capsys, "--category", "debugging", "--title", "x", "--body", "y", "--paths", "/abs/**")[0] == 1


def test_stage_reads_the_body_from_a_file(repo, capsys, tmp_path):
    (repo / ".empathy").mkdir()
    body = tmp_path / "body.md"
    body.write_text(BODY)
    _, pattern_id, _ = stage(repo, capsys, "--category", "debugging", "--title", "From file", "--body-file", str(body))
    assert BODY in (repo / f".empathy/staging/{pattern_id}.md").read_text()


def test_promotion_scans_a_draft_edited_by_hand(repo, capsys):
    (repo / ".empathy").mkdir()
    _, pattern_id, _ = stage(repo, capsys, "--category", "debugging", "--title", "Flaky", "--body", BODY)
    draft = repo / f".empathy/staging/{pattern_id}.md"
    original = draft.read_text()
    key = fake_secret("github")
    draft.write_text(original.replace("add jitter.", f"add jitter; the token was {key}"))
    assert cli.main(["patterns", "promote", pattern_id, "--root", str(repo)]) == 1
    assert "its body holds a secret: github-token" in capsys.readouterr().err
    assert draft.exists() and not (repo / ".empathy/patterns").exists()
    draft.write_text(original.replace("add jitter.", f"add jitter; ask {EMAIL}"))
    assert cli.main(["patterns", "promote", pattern_id, "--root", str(repo)]) == 0
    promoted = (repo / f".empathy/private/patterns/debugging/{pattern_id}.md").read_text()
    assert "ask [EMAIL]" in promoted and EMAIL not in promoted
    assert [e["action"] for e in audit.entries(repo)][-4:] == [
        "staging.refused",
        "staging.scrubbed",
        "classified",
        "promoted",
    ]


@pytest.mark.parametrize(
    ("flags", "arguments", "words"),
    [
        (["--category", "bugs"], {"category": "bugs"}, ("unknown category 'bugs'; configured: ", "unknown category")),
        (["--confidence", "2"], {"confidence": 2.0},
         ("--confidence must be a number from 0 to 1", "confidence must be a number from 0 to 1")),
        (["--paths", "/etc/**"], {"paths_": ["/etc/**"]},
         ("--paths glob '/etc/**': is absolute", "paths: glob '/etc/**': is absolute")),
    ],
)  # fmt: skip
def test_stage_and_propose_pattern_refuse_in_their_own_words(repo, capsys, flags, arguments, words):
    """`patterns stage` and the MCP tool propose_pattern refuse through one function, each naming its fields
    as it takes them (issue 15)."""
    from attune.errors import UserError
    from attune.mcp import tools

    cli_words, mcp_words = words
    cli.main(["init", "--root", str(repo)])
    capsys.readouterr()
    code, _, err = stage(repo, capsys, "--category", "debugging", "--title", "T", "--body", BODY, *flags)
    assert code == 1 and err.startswith(f"empathy: error: {cli_words}"), err
    with pytest.raises(UserError) as refused:
        tools.propose_pattern(tools.Project(repo), **{"title": "T", "category": "debugging", "body": BODY, **arguments})
    assert str(refused.value).startswith(mcp_words)
    assert staged(repo, capsys) == []
