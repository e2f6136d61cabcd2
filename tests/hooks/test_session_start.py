from __future__ import annotations

import json

from tests.helpers import EMAIL, build_tree, fake_secret, pattern


def previous_session(hook, project, message="Refactored the lexer; tests pass."):
    for name in ("src/lexer.py", "tests/test_lexer.py"):
        payload = {
            "session_id": "old",
            "tool_name": "Edit",
            "tool_input": {"file_path": str(project / name), "old_string": "a", "new_string": "b"},
        }
        hook("PostToolUse", payload, project=project)
    hook("Stop", {"session_id": "old", "last_assistant_message": message}, project=project)


def context_of(run):
    return run.output["hookSpecificOutput"]["additionalContext"]


def test_nothing_to_say_says_nothing(hook, project):
    run = hook("SessionStart", {"source": "startup"}, project=project)
    assert (run.code, run.raw) == (0, "")


def test_the_previous_session_is_summarised(hook, project):
    previous_session(hook, project)
    run = hook("SessionStart", {"session_id": "new", "source": "startup"}, project=project)
    assert run.output["hookSpecificOutput"]["hookEventName"] == "SessionStart"
    text = context_of(run)
    assert text.startswith("## Previous session in this project (last active ")
    assert "Its last answer: Refactored the lexer; tests pass." in text
    assert "Files touched: src/lexer.py, tests/test_lexer.py" in text


def test_a_wizard_summary_is_preferred_to_the_last_message(hook, project):
    previous_session(hook, project)
    path = project / ".empathy/sessions/old.json"
    data = json.loads(path.read_text())
    data["summary"] = {
        "decisions": ["Keep the hand-written lexer"],
        "open_questions": ["Unicode identifiers?"],
        "next_steps": ["Port the tests"],
        "topics": ["lexer"],
        "offline": True,
        "model": None,
    }
    path.write_text(json.dumps(data))
    text = context_of(hook("SessionStart", {"session_id": "new", "source": "startup"}, project=project))
    assert "Decisions:\n- Keep the hand-written lexer" in text
    assert "Open questions:\n- Unicode identifiers?" in text
    assert "Its last answer" not in text


def test_staged_patterns_are_listed(hook, project):
    build_tree(
        project, {".empathy/staging/retry.md": pattern("retry-storm", title="Retry storm on 503", status="staged")}
    )
    text = context_of(hook("SessionStart", {"source": "startup"}, project=project))
    assert "## Patterns waiting for review (1)" in text
    assert "- Retry storm on 503 (debugging, id retry-storm)" in text


def test_the_digest_is_capped_and_scrubbed(hook, project):
    key = fake_secret("anthropic")
    previous_session(hook, project, message=f"Mail {EMAIL} about {key}. " + "More detail. " * 500)
    build_tree(project, {".empathy/config.yaml": "hooks:\n  digest_tokens: 100\n"})
    text = context_of(hook("SessionStart", {"session_id": "new", "source": "startup"}, project=project))
    assert len(text) <= 400
    assert text.endswith("…")
    assert key not in text and "jane.doe" not in text


def test_resumed_and_compacted_sessions_get_no_digest(hook, project):
    previous_session(hook, project)
    for source in ("resume", "compact"):
        assert hook("SessionStart", {"session_id": "new", "source": source}, project=project).raw == ""
    assert hook("SessionStart", {"session_id": "new", "source": "clear"}, project=project).output


def test_the_current_session_is_not_its_own_previous_session(hook, project):
    previous_session(hook, project)
    assert hook("SessionStart", {"session_id": "old", "source": "startup"}, project=project).raw == ""
