"""What the targets keep from the Claude rules' guarantees (issue 16): no-op, markers, removal, links, secrets."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from attune import cli
from attune.config import parse
from tests.helpers import fake_secret, write_pattern
from tests.sync.test_targets import every_feature, outputs, sync

ALL = "claude, agents-md, cursor, copilot, gemini"


def configure(repo, targets=ALL):
    config = repo / ".empathy/config.yaml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f"targets: [{targets}]\n", encoding="utf-8")


def stats(root):
    return {path: (os.stat(root / path).st_mtime_ns, os.stat(root / path).st_ino) for path in outputs(root)}


def test_a_no_op_sync_writes_nothing_for_any_target(repo, capsys):
    every_feature(repo)
    configure(repo)
    assert sync(repo, capsys)[0] == 0
    before = stats(repo)
    claude = {p.name: p.stat().st_mtime_ns for p in (repo / ".claude/rules/attune").iterdir()}
    code, out, _ = sync(repo, capsys)
    assert code == 0
    assert "wrote" not in out and "removed" not in out
    assert stats(repo) == before
    assert {p.name: p.stat().st_mtime_ns for p in (repo / ".claude/rules/attune").iterdir()} == claude
    for target in ("agents-md", "cursor", "copilot", "gemini"):
        assert f"{target}: up to date" in out
    assert sync(repo, capsys, "--check")[0] == 0


def test_text_above_and_below_the_section_is_kept_byte_for_byte(repo, capsys):
    write_pattern(repo, "tz-naive")
    configure(repo, "agents-md")
    above, below = "# Ours\r\n\r\nno newline at the end:", "\n## Below\n\ttabs\n  \n"
    (repo / "AGENTS.md").write_text(above, encoding="utf-8", newline="")
    assert sync(repo, capsys)[0] == 0
    text = (repo / "AGENTS.md").read_bytes().decode()
    (repo / "AGENTS.md").write_bytes((text + below).encode())
    write_pattern(repo, "tz-naive", body="A changed body.")
    assert sync(repo, capsys)[0] == 0
    now = (repo / "AGENTS.md").read_bytes().decode()
    assert now.startswith(above) and now.endswith(below)
    assert "A changed body." in now
    (repo / ".empathy/patterns/debugging/tz-naive.md").unlink()  # nothing left: only our section goes
    code, out, _ = sync(repo, capsys)
    assert code == 0 and "wrote AGENTS.md" in out
    assert (repo / "AGENTS.md").read_bytes().decode() == above + below  # as the person left it


def test_files_and_sections_that_are_only_ours_go_when_their_patterns_go(repo, capsys):
    every_feature(repo)
    configure(repo)
    assert sync(repo, capsys)[0] == 0
    assert (repo / "src/cache/AGENTS.md").exists() and (repo / ".cursor/rules/coding-patterns--cache.mdc").exists()
    (repo / ".empathy/patterns/inspection/stampede.md").unlink()
    code, out, _ = sync(repo, capsys)
    assert code == 0
    for gone in ("src/cache/AGENTS.md", "src/cache/GEMINI.md", ".cursor/rules/coding-patterns--cache.mdc",
                 ".github/instructions/coding-patterns--cache.instructions.md"):  # fmt: skip
        assert f"removed {gone}" in out
        assert not (repo / gone).exists()
    assert "src/cache/AGENTS.md" not in (repo / "AGENTS.md").read_text(encoding="utf-8")


def test_a_hand_edit_inside_our_part_fails_the_check_and_is_repaired(repo, capsys):
    every_feature(repo)
    configure(repo)
    assert sync(repo, capsys)[0] == 0
    for rel in ("src/api/GEMINI.md", ".github/instructions/bug-patterns--api.instructions.md"):
        path = repo / rel
        path.write_text(path.read_text(encoding="utf-8").replace("a fix", "something else"), encoding="utf-8")
    code, out, _ = sync(repo, capsys, "--check")
    assert code == 1
    assert "src/api/GEMINI.md would be written; run empathy-sync-claude (gemini)" in out
    assert ".github/instructions/bug-patterns--api.instructions.md would be written" in out
    assert sync(repo, capsys)[0] == 0
    assert sync(repo, capsys, "--check")[0] == 0


def test_verbose_says_what_a_format_cannot_express(repo, capsys):
    every_feature(repo)
    configure(repo)
    code, out, _ = sync(repo, capsys, "--verbose")
    assert code == 0
    assert "cannot express: AGENTS.md cannot scope by glob: the sections for **/*.sql" in out
    assert "cannot express: GEMINI.md scopes by folder only: src/legacy/**/*.py apply to all of src/legacy/" in out
    assert "note: AGENTS.md cannot scope by glob" in (repo / "AGENTS.md").read_text(encoding="utf-8")


def test_a_symlinked_output_folder_is_refused(repo, capsys, tmp_path):
    write_pattern(repo, "tz-naive", paths=["src/api/**"])
    configure(repo, "cursor")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (repo / ".cursor").mkdir()
    (repo / ".cursor/rules").symlink_to(elsewhere)
    code, _, err = sync(repo, capsys)
    assert code == 1
    assert ".cursor/rules: is a symbolic link" in err
    assert list(elsewhere.iterdir()) == []


def test_a_symlinked_folder_gets_no_agents_md_and_a_linked_file_is_left_alone(repo, capsys, tmp_path):
    write_pattern(repo, "tz-naive", paths=["src/api/**"])
    write_pattern(repo, "other")
    configure(repo, "agents-md")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (repo / "src").mkdir()
    (repo / "src/api").symlink_to(elsewhere)
    assert sync(repo, capsys)[0] == 0
    assert list(elsewhere.iterdir()) == []
    assert "`src/api/**`" in (repo / "AGENTS.md").read_text(encoding="utf-8")  # in the root file instead
    (repo / "AGENTS.md").unlink()
    (repo / "AGENTS.md").symlink_to(elsewhere / "AGENTS.md")
    code, _, err = sync(repo, capsys)
    assert code == 0
    assert "AGENTS.md:1: is not a regular file" in err
    assert list(elsewhere.iterdir()) == []


def test_an_agents_md_that_is_a_pipe_or_not_utf8_is_left_alone(repo, capsys):
    """Read through attune.safefile (issue 15): a pipe is never read, and neither file is written."""
    write_pattern(repo, "tz-naive")
    configure(repo, "agents-md")
    os.mkfifo(repo / "AGENTS.md")
    code, _, err = sync(repo, capsys)
    assert code == 0 and "AGENTS.md:1: is not a regular file" in err
    (repo / "AGENTS.md").unlink()
    (repo / "AGENTS.md").write_bytes(b"# Notes \xff\n")
    code, _, err = sync(repo, capsys)
    assert code == 0 and "AGENTS.md:1: cannot be read as UTF-8 (UnicodeDecodeError)" in err
    assert (repo / "AGENTS.md").read_bytes() == b"# Notes \xff\n"


def test_a_pattern_holding_a_secret_reaches_no_target(repo, capsys):
    token = fake_secret("github")
    write_pattern(repo, "leaky", paths=["src/api/**"], body=f"The deploy key is {token}")
    write_pattern(repo, "fine")
    (repo / "src/api").mkdir(parents=True)
    configure(repo)
    code, out, err = sync(repo, capsys)
    assert code == 0
    assert err.count("github-token") == 1  # reported once, not once per target
    assert token not in out + err
    assert all(token not in text for text in outputs(repo).values())


def test_a_one_off_target_and_an_unknown_one(repo, capsys):
    write_pattern(repo, "tz-naive")
    code, _, _ = sync(repo, capsys, "--target", "gemini")
    assert code == 0
    assert list(outputs(repo)) == ["GEMINI.md"]
    assert not (repo / ".claude").exists()
    code, _, err = sync(repo, capsys, "--target", "vim")
    assert code == 1 and "--target vim: unknown target" in err


def test_the_config_names_targets():
    config, problems = parse("targets: [cursor, claude, cursor]\n")
    assert config.targets == ("claude", "cursor") and problems == []
    config, problems = parse("targets: [curser]\n")
    assert config.targets == ("claude",)
    assert problems[0].line == 1 and "unknown target 'curser'" in problems[0].message
    assert parse("version: 1\n")[0].targets == ("claude",)


@pytest.mark.parametrize("existing", [None, "version: 1\n", "version: 1\ntargets: [claude]\n"])
def test_init_writes_the_targets_into_the_config(repo, capsys, existing):
    config = repo / ".empathy/config.yaml"
    if existing is not None:
        config.parent.mkdir(parents=True)
        config.write_text(existing, encoding="utf-8")
    assert cli.main(["init", "--root", str(repo), "--targets", "cursor,claude agents-md"]) == 0
    out = capsys.readouterr().out
    if existing is not None and "targets: [claude]" not in existing:
        assert "set targets: [claude, agents-md, cursor] in .empathy/config.yaml" in out
    assert "nothing changed" not in out
    parsed, problems = parse(config.read_text(encoding="utf-8"))
    assert parsed.targets == ("claude", "agents-md", "cursor") and problems == []
    assert cli.main(["init", "--root", str(repo), "--targets", "vim"]) == 1
    assert "--targets vim: unknown target 'vim'" in capsys.readouterr().err


def test_the_jinja_path_renders_what_the_builtin_renders_and_an_override_applies(repo, capsys):
    from attune.config import load
    from attune.patterns import store
    from attune.sync.targets import plan

    every_feature(repo)
    names = ("agents-md", "cursor", "copilot", "gemini")
    library = store.load_library(repo, load(repo))
    plain = plan.plan(repo, load(repo), library, names)
    jinja = plan.plan(repo, load(repo), library, names, jinja=True)
    assert [[c.new for c in p.changes] for p in plain] == [[c.new for c in p.changes] for p in jinja]
    override = repo / ".empathy/templates/cursor.md.j2"
    override.parent.mkdir(parents=True)
    override.write_text("{% for p in patterns %}* {{ p.title }} for {{ target }}\n{% endfor %}", encoding="utf-8")
    assert sync(repo, capsys, "--target", "cursor")[0] == 0
    assert (
        Path(repo / ".cursor/rules/bug-patterns.mdc")
        .read_text(encoding="utf-8")
        .endswith("-->\n* Tz naive for cursor\n")
    )


def test_doctor_checks_each_configured_target(repo, capsys):
    every_feature(repo)
    configure(repo, "agents-md, cursor")
    assert sync(repo, capsys)[0] == 0
    cli.main(["doctor", "--root", str(repo)])
    out = capsys.readouterr().out
    assert "agents-md: up to date (4 files)" in out and "cursor: up to date (7 files)" in out
    assert ".claude/rules/attune is up to date" not in out  # claude is not a target here
    write_pattern(repo, "tz-naive", body="Changed.")
    cli.main(["doctor", "--root", str(repo)])
    out = capsys.readouterr().out
    assert "agents-md: 1 file(s) out of date, first AGENTS.md" in out
    assert "cursor: 1 file(s) out of date, first .cursor/rules/bug-patterns.mdc (fix: empathy-sync-claude)" in out


def test_dry_run_writes_nothing_and_names_each_target(repo, capsys):
    every_feature(repo)
    configure(repo, "claude, copilot")
    code, out, _ = sync(repo, capsys, "--dry-run", "--verbose")
    assert code == 0
    assert "would write .github/copilot-instructions.md (copilot)" in out
    assert "would write .claude/rules/attune/bug-patterns.md" in out
    assert "+++ b/.github/instructions/bug-patterns--api.instructions.md" in out  # the diff
    assert outputs(repo) == {} and not (repo / ".claude").exists()


def test_copilot_drops_its_section_when_no_unscoped_pattern_is_left(repo, capsys):
    write_pattern(repo, "everywhere")
    write_pattern(repo, "scoped", paths=["src/**"])
    configure(repo, "copilot")
    (repo / ".github").mkdir()
    (repo / ".github/copilot-instructions.md").write_text("Team notes.\n", encoding="utf-8")
    assert sync(repo, capsys)[0] == 0
    assert "# Bug patterns\n" in (repo / ".github/copilot-instructions.md").read_text(encoding="utf-8")
    (repo / ".empathy/patterns/debugging/everywhere.md").unlink()
    code, out, _ = sync(repo, capsys)
    assert code == 0 and "wrote .github/copilot-instructions.md" in out
    assert (repo / ".github/copilot-instructions.md").read_text(encoding="utf-8") == "Team notes.\n"  # as it was
    assert (repo / ".github/instructions/bug-patterns--src.instructions.md").exists()


def test_a_killed_syncs_temporary_file_goes_with_the_next_write(repo, capsys):
    write_pattern(repo, "tz-naive")
    configure(repo, "cursor, agents-md")
    left = [repo / ".cursor/rules/.bug-patterns.mdc.999999999.0.tmp", repo / ".AGENTS.md.999999999.3.tmp"]
    others = repo / ".notes.md.999999999.0.tmp"  # not a file the sync writes here: not its to delete
    for path in [*left, others]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("half", encoding="utf-8")
    assert sync(repo, capsys)[0] == 0
    assert not any(path.exists() for path in left)
    assert others.exists()


@pytest.mark.parametrize("target", ["agents-md", "cursor", "copilot", "gemini"])
def test_the_packaged_target_templates_are_what_the_builtin_renderer_stands_in_for(target):
    from attune import digest
    from attune.sync.targets import bodies
    from attune.sync.template import PACKAGED

    # Editing one means editing bodies.TEMPLATE_DIGEST too, after checking the Jinja test above still holds.
    assert digest.fingerprint((PACKAGED / f"{target}.md.j2").read_bytes()) == bodies.TEMPLATE_DIGEST


def test_a_target_override_renders_in_the_sandbox(repo, capsys):
    write_pattern(repo, "tz-naive")
    configure(repo, "gemini")
    override = repo / ".empathy/templates/gemini.md.j2"
    override.parent.mkdir(parents=True)
    override.write_text("{{ cycler.__init__.__globals__.os.system('true') }}\n", encoding="utf-8")
    code, _, err = sync(repo, capsys)
    assert code == 1
    assert err.startswith("empathy: error: .empathy/templates/gemini.md.j2:1: template error:")
    assert not (repo / "GEMINI.md").exists()


def test_budget_and_codex_size_warnings(repo, capsys):
    for number in range(40):
        write_pattern(repo, f"long-{number}", body="Words that fill the file. " * 40)
    configure(repo, "agents-md, cursor")
    code, _, err = sync(repo, capsys)
    assert code == 0
    assert "tokens of agents-md instructions are read in every session, over the token_budget of 2000" in err
    assert "tokens of cursor instructions are read in every session" in err
    assert "warning: AGENTS.md is " in err and "Codex reads 32,768 bytes of AGENTS.md files by default" in err
