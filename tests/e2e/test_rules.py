"""How CLAUDE.md and .claude/rules/ reach the model in the real CLI, and when InstructionsLoaded fires.

The rules sync writes path-scoped rules; these tests pin which frontmatter the client honours.
"""

from __future__ import annotations

import re

from tests.e2e.claude import record_all, recorded, seen, texts, write_settings
from tests.fakes import replies

RULES = {
    "CLAUDE.md": "MARK-CLAUDE-MD\n",
    ".claude/rules/always.md": "MARK-ALWAYS\n<!-- MARK-HTML-COMMENT: source hash abc123 -->\n",
    ".claude/rules/team/nested.md": "MARK-NESTED\n",
    ".claude/rules/scoped.md": '---\npaths:\n  - "src/**/*.py"\n---\nMARK-SCOPED\n',
    ".claude/rules/docs.md": '---\npaths:\n  - "docs/**/*.md"\n---\nMARK-DOCS\n',
    # Variants a generator or a person may write:
    ".claude/rules/globs-key.md": '---\nglobs: "docs/**"\n---\nMARK-GLOBS-KEY\n',
    ".claude/rules/empty-paths.md": "---\npaths:\n---\nMARK-EMPTY-PATHS\n",
    ".claude/rules/bad-yaml.md": "---\npaths: [unclosed\n---\nMARK-BAD-YAML\n",
    ".claude/rules/unquoted.md": "---\npaths:\n  - **/*.md\n---\nMARK-UNQUOTED\n",
    ".claude/rules/string.md": '---\npaths: "src/**/*.py"\n---\nMARK-STRING\n',
    ".claude/rules/comma.md": "---\npaths: src/**/*.py, lib/**/*.py\n---\nMARK-COMMA\n",
    ".claude/rules/braces.md": '---\npaths:\n  - "src/*.{py,pyi}"\n---\nMARK-BRACES\n',
    ".claude/rules/no-slash.md": '---\npaths:\n  - "*.py"\n---\nMARK-NO-SLASH\n',
    ".claude/rules/not-markdown.txt": "MARK-TXT\n",
}


def _marks(body):
    return set(re.findall(r"MARK-[A-Z-]+", texts(body)))


def test_which_rules_load_at_start_and_which_after_a_read_of_a_matching_file(claude, fake_api, project, tmp_path):
    log = tmp_path / "hooks.jsonl"
    write_settings(project, record_all(project, log))
    for rel, text in {**RULES, "src/app.py": "x = 1\n"}.items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(text)
    # Eleven files load (six at start, five on the Read): the last reply waits until all are recorded.
    done = replies.text("done", hold=seen(log, "InstructionsLoaded", 11))
    fake_api.script(replies.tool_use("Read", {"file_path": str(project / "src/app.py")}), done)

    run = claude("read the app")

    assert run.returncode == 0, run.stderr
    first, second = fake_api.messages()
    always = {
        "MARK-CLAUDE-MD",
        "MARK-ALWAYS",
        "MARK-NESTED",  # .claude/rules/ is read recursively
        "MARK-GLOBS-KEY",  # another tool's key: ignored, so the rule is unconditional
        "MARK-EMPTY-PATHS",
        # An unquoted glob starting with `*` is not valid YAML, yet this rule loads unconditionally
        # (while bad-yaml.md, also invalid, never loads): a path-scoped rule that silently became global.
        "MARK-UNQUOTED",
    }
    on_read = {"MARK-SCOPED", "MARK-STRING", "MARK-COMMA", "MARK-BRACES", "MARK-NO-SLASH"}
    assert _marks(first) == always
    assert _marks(second) == always | on_read
    # Never: a glob that did not match, frontmatter that is not YAML, a file that is not .md,
    # and block-level HTML comments (stripped before the text reaches the model).
    assert not {"MARK-DOCS", "MARK-BAD-YAML", "MARK-TXT", "MARK-HTML-COMMENT"} & _marks(second)

    # Unconditional rules sit in the first user message; a path-scoped one arrives beside the tool result.
    assert {"MARK-ALWAYS", "MARK-CLAUDE-MD"} <= _marks(first["messages"][0])
    (result_message,) = [m for m in second["messages"] if m["role"] == "user" and "tool_result" in str(m)]
    assert {"MARK-SCOPED"} <= _marks(result_message) and "MARK-ALWAYS" not in _marks(result_message)
    assert "MARK" not in texts(first["system"])

    loads = [r["payload"] for r in recorded(log) if r["payload"]["hook_event_name"] == "InstructionsLoaded"]
    reasons = {p["file_path"].removeprefix(str(project) + "/"): p["load_reason"] for p in loads}
    assert reasons == {
        "CLAUDE.md": "session_start",
        ".claude/rules/always.md": "session_start",
        ".claude/rules/team/nested.md": "session_start",
        ".claude/rules/globs-key.md": "session_start",
        ".claude/rules/empty-paths.md": "session_start",
        ".claude/rules/unquoted.md": "session_start",
        ".claude/rules/scoped.md": "path_glob_match",
        ".claude/rules/string.md": "path_glob_match",
        ".claude/rules/comma.md": "path_glob_match",
        ".claude/rules/braces.md": "path_glob_match",
        ".claude/rules/no-slash.md": "path_glob_match",
    }
    scoped = {p["file_path"].rsplit("/", 1)[1]: p for p in loads if p["load_reason"] == "path_glob_match"}
    assert scoped["scoped.md"]["globs"] == ["src/**/*.py"]
    assert scoped["scoped.md"]["trigger_file_path"] == str(project / "src/app.py")
    assert scoped["scoped.md"]["memory_type"] == "Project"
    assert scoped["comma.md"]["globs"] == ["src/**/*.py", "lib/**/*.py"]
    assert scoped["braces.md"]["globs"] == ["src/*.py", "src/*.pyi"]
    # A glob without a slash matches the file name at any depth, not only at the project root.
    assert scoped["no-slash.md"]["globs"] == ["*.py"]
    assert all(p["hook_event_name"] == "InstructionsLoaded" for p in loads)


def test_a_write_triggers_a_path_scoped_rule_once(claude, fake_api, project, tmp_path):
    log = tmp_path / "hooks.jsonl"
    write_settings(project, record_all(project, log))
    (project / ".claude/rules").mkdir(parents=True)
    (project / ".claude/rules/scoped.md").write_text('---\npaths:\n  - "src/**/*.py"\n---\nMARK-SCOPED\n')
    new = project / "src" / "new.py"
    fake_api.script(
        replies.tool_use("Write", {"file_path": str(new), "content": "y = 2\n"}),
        replies.tool_use("Read", {"file_path": str(new)}),
        replies.text("done", hold=seen(log, "InstructionsLoaded")),
    )

    claude("write then read")

    bodies = fake_api.messages()
    assert ["MARK-SCOPED" in texts(body) for body in bodies] == [False, True, True]
    assert texts(bodies[-1]).count("MARK-SCOPED") == 1
    loads = [r["payload"] for r in recorded(log) if r["payload"]["hook_event_name"] == "InstructionsLoaded"]
    assert [(p["load_reason"], p["trigger_file_path"]) for p in loads] == [("path_glob_match", str(new))]
