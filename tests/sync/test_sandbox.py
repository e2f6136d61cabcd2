"""Templates are untrusted input (issue 11): every entry point renders a repository's templates in a sandbox."""

from __future__ import annotations

import json
import os
import threading

import pytest

from attune import config
from attune.sync import watch
from tests.helpers import build_tree, commit_all, git, write_pattern
from tests.helpers import run_cli as run

OUT = ".claude/rules/attune"
RULES = ".empathy/templates/rules.md.j2"


def escape(marker):
    """The issue's payload: a walk from a harmless global to `os.system`."""
    return f"{{{{ cycler.__init__.__globals__.os.system('touch {marker}') }}}}\n"


def snapshot(root):
    folder = root / OUT
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.is_dir() else {}


@pytest.fixture
def synced(repo, capsys):
    write_pattern(repo, "tz-naive")
    write_pattern(repo, "null-user", paths=["src/api/**"])
    assert run(capsys, "sync", "--root", str(repo))[0] == 0
    return repo


@pytest.mark.parametrize("flags", [[], ["--check"], ["--dry-run"], ["--force"]])
def test_an_escaping_template_runs_nothing_and_changes_no_rule(synced, tmp_path, capsys, flags):
    marker = tmp_path / "escaped"
    before = snapshot(synced)
    build_tree(synced, {RULES: "# {{ category.title }}\n" + escape(marker)})
    code, _, err = run(capsys, "sync", "--root", str(synced), *flags)
    assert code == 1
    assert not marker.exists()
    assert snapshot(synced) == before
    line = err.strip()
    assert "\n" not in line
    assert line.startswith(f"empathy: error: {RULES}:2: template error: ")
    assert "unsafe" in line and "sandbox" in line


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "unsafe"),
        ("{{ self._TemplateReference__context }}", "unsafe"),
        ("{{ lipsum.__globals__ }}", "lipsum"),
        ("{{ '{0.__class__}'.format(1) }}", "unsafe"),
        ("{{ 'x' * 10**9 }}", "too large"),
        ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "took longer"),
        ("{% for i in range(100000) %}{% for j in range(100000) %}xxxxxxxx{% endfor %}{% endfor %}", "larger"),
        ("{% set ns = namespace(x='xx') %}{% for i in range(64) %}{% set ns.x = ns.x ~ ns.x %}{% endfor %}", "large"),
        ("{{ 'x' | center(10**9) }}", "too large"),
        ("{{ '%999999999d' | format(1) }}", "too large"),
        ('{% include "../config.yaml" %}', "outside"),
        ('{% include "/etc/passwd" %}', "outside"),
        ('{% extends "../../.git/config" %}', "outside"),
    ],
)
def test_hostile_templates_are_one_line_errors(synced, capsys, source, message):
    before = snapshot(synced)
    build_tree(synced, {RULES: source + "\n"})
    code, _, err = run(capsys, "sync", "--root", str(synced))
    assert code == 1
    assert snapshot(synced) == before
    assert err.count("\n") == 1 and err.startswith(f"empathy: error: {RULES}:1: template error: ")
    assert message in err


def test_a_symlinked_include_cannot_read_outside_the_template_folder(synced, tmp_path, capsys):
    credentials = tmp_path / "credentials"
    credentials.write_text("aws_secret_access_key = not-for-the-rules\n")
    before = snapshot(synced)
    build_tree(synced, {RULES: '{% include "creds.j2" %}\n'})
    (synced / ".empathy/templates/creds.j2").symlink_to(credentials)
    code, _, err = run(capsys, "sync", "--root", str(synced))
    assert code == 1
    assert snapshot(synced) == before
    assert "not-for-the-rules" not in err
    assert err.startswith("empathy: error: .empathy/templates/creds.j2:1: template error: ")
    assert "symbolic link" in err


def test_a_symlinked_template_is_refused(synced, tmp_path, capsys):
    outside = tmp_path / "outside.j2"
    outside.write_text("OUTSIDE {{ category.title }}\n")
    before = snapshot(synced)
    (synced / ".empathy/templates").mkdir()
    (synced / RULES).symlink_to(outside)
    code, _, err = run(capsys, "sync", "--root", str(synced))
    assert code == 1
    assert snapshot(synced) == before
    assert err.startswith(f"empathy: error: {RULES}:1: template error: ") and "symbolic link" in err


def test_a_symlinked_template_folder_is_refused(synced, tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere"
    build_tree(elsewhere, {"rules.md.j2": "OUTSIDE\n"})
    before = snapshot(synced)
    (synced / ".empathy/templates").symlink_to(elsewhere, target_is_directory=True)
    code, _, err = run(capsys, "sync", "--root", str(synced))
    assert code == 1
    assert snapshot(synced) == before
    assert "symbolic link" in err and "OUTSIDE" not in err


def test_a_template_that_is_a_pipe_or_too_large_is_a_one_line_error(synced, capsys):
    """Read through attune.safefile: a pipe is never opened for a blocking read, a giant never read (issue 15)."""
    from attune.sync.limits import MAX_CHARS

    (synced / ".empathy/templates").mkdir()
    os.mkfifo(synced / RULES)
    code, _, err = run(capsys, "sync", "--root", str(synced))
    assert (code, err) == (
        1,
        f"empathy: error: {RULES}:1: template error: {RULES} is not a regular file; make it one\n",
    )
    (synced / RULES).unlink()
    (synced / RULES).write_text("x" * (MAX_CHARS + 1))
    code, _, err = run(capsys, "sync", "--root", str(synced))
    assert (code, err) == (
        1,
        f"empathy: error: {RULES}:1: template error: {RULES} is larger than {MAX_CHARS:,} bytes\n",
    )


def test_a_safe_override_still_renders_with_filters_loops_and_includes(synced, capsys):
    build_tree(synced, {
        RULES: (
            "{% import 'macros.j2' as m %}# {{ category.title | upper }}\n"
            "{% for p in patterns %}{{ m.item(p) }}{% endfor %}"
            "{{ '%.1f' | format(0.25) }} {{ patterns | map(attribute='id') | join(', ') }}\n"
        ),
        ".empathy/templates/macros.j2": "{% macro item(p) %}- {{ p.title ~ '!' }} ({{ p.paths | length }})\n{% endmacro %}",
    })  # fmt: skip
    assert run(capsys, "sync", "--root", str(synced))[0] == 0
    text = (synced / OUT / "bug-patterns.md").read_text()
    assert text.endswith("-->\n# BUG PATTERNS\n- Tz naive! (0)\n0.2 tz-naive\n")


def test_watch_renders_a_hostile_template_in_the_sandbox(synced, tmp_path, capsys):
    marker = tmp_path / "escaped"
    before = snapshot(synced)
    stop = threading.Event()
    result = []
    thread = threading.Thread(
        target=lambda: result.append(watch.run(synced, config.load(synced), verbose=False, quiet=False, stop=stop))
    )
    thread.start()
    lines = []
    try:
        from tests.sync.test_watch import wait_for

        def seen(text):
            captured = capsys.readouterr()
            lines.extend((captured.out + captured.err).splitlines())
            return any(text in line for line in lines)

        wait_for(lambda: seen("watching"), what="the watcher to start")
        build_tree(synced, {RULES: escape(marker)})
        wait_for(lambda: seen("template error"), what="the sandbox error")
    finally:
        stop.set()
        thread.join(timeout=10)
    assert result == [0]
    assert not marker.exists()
    assert snapshot(synced) == before
    error = next(line for line in lines if "template error" in line)
    assert error.startswith(f"empathy: error: {RULES}:1: template error: ")


def test_patterns_new_renders_its_template_in_the_sandbox(repo, tmp_path, capsys):
    marker = tmp_path / "escaped"
    build_tree(repo, {".empathy/templates/pattern.md.j2": "---\nid: {{ id }}\n" + escape(marker)})
    code, _out, err = run(capsys, "patterns", "new", "debugging", "A title", "--root", str(repo))
    assert code == 1
    assert not marker.exists()
    assert not (repo / ".empathy/patterns/debugging").exists()
    assert err.startswith("empathy: error: .empathy/templates/pattern.md.j2:3: template error: ")


def test_patterns_new_still_renders_the_packaged_template(repo, capsys):
    (repo / ".empathy").mkdir()
    code, out, _ = run(capsys, "patterns", "new", "debugging", "A title", "--root", str(repo))
    assert code == 0
    assert (repo / out.strip()).read_text().startswith('---\nid: a-title\ntitle: "A title"\n')


def test_review_renders_the_pull_requests_templates_in_the_sandbox(repo, tmp_path, capsys):
    marker = tmp_path / "escaped"
    build_tree(repo, {".empathy/config.yaml": "version: 1\n"})
    write_pattern(repo, "one")
    commit_all(repo, "base")
    git(repo, "checkout", "-q", "-b", "pr")
    build_tree(repo, {RULES: escape(marker)})
    write_pattern(repo, "two")
    commit_all(repo, "a pull request with a hostile template")
    git(repo, "checkout", "-q", "main")
    code, out, _ = run(capsys, "patterns", "review", "--root", str(repo), "--base", "main", "--head", "pr",
                       "--format", "json")  # fmt: skip
    assert code == 0
    assert not marker.exists()
    tokens = json.loads(out)["every_session_tokens"]
    assert tokens["method"] == "estimated"
    assert tokens["note"].startswith(f"at pr: {RULES}:1: template error: ") and "unsafe" in tokens["note"]
    assert not any(name.startswith("empathy-review-") for name in os.listdir(tmp_path))
