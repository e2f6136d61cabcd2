from __future__ import annotations

from attune import cli
from tests.helpers import build_tree


def _snapshot(root):
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in root.rglob("*")
        if p.is_file() and ".git/" not in p.as_posix()
    }


def test_init_creates_the_library(repo, capsys):
    assert cli.main(["init", "--root", str(repo)]) == 0
    out = capsys.readouterr().out
    for rel in (
        ".empathy/config.yaml",
        ".empathy/.gitignore",
        ".empathy/patterns/debugging/example-naive-aware-datetime.md",
        ".empathy/patterns/security/example-credentials-from-environment.md",
        ".empathy/patterns/tech_debt/example-legacy-module.md",
        ".empathy/patterns/inspection/example-error-messages.md",
    ):
        assert (repo / rel).is_file(), rel
        assert f"created {rel}" in out
    ignored = (repo / ".empathy/.gitignore").read_text().splitlines()
    assert {"cache/", "sessions/", "logs/"} <= set(ignored)
    assert "#" in (repo / ".empathy/config.yaml").read_text()  # commented for the reader


def test_examples_validate_and_stay_out_of_the_rules(repo, capsys):
    cli.main(["init", "--root", str(repo)])
    assert cli.main(["patterns", "validate", "--root", str(repo)]) == 0
    assert cli.main(["sync", "--root", str(repo)]) == 0
    assert not list((repo / ".claude").rglob("*.md"))  # examples are staged, not published


def test_init_twice_changes_nothing(repo, capsys):
    cli.main(["init", "--root", str(repo)])
    before = _snapshot(repo)
    capsys.readouterr()
    assert cli.main(["init", "--root", str(repo)]) == 0
    assert _snapshot(repo) == before
    assert "nothing changed" in capsys.readouterr().out


def test_init_overwrites_nothing_and_keeps_user_ignore_lines(repo, capsys):
    build_tree(
        repo,
        {
            ".empathy/config.yaml": "token_budget: 100\n",
            ".empathy/.gitignore": "my-notes/\ncache/",
            ".empathy/patterns/debugging/mine.md": "hand written\n",
        },
    )
    cli.main(["init", "--root", str(repo)])
    assert (
        "added sessions/, logs/, private/, state/, *.jsonl, report.html to .empathy/.gitignore"
        in capsys.readouterr().out
    )
    assert (repo / ".empathy/config.yaml").read_text() == "token_budget: 100\n"
    assert (repo / ".empathy/patterns/debugging/mine.md").read_text() == "hand written\n"
    assert not (repo / ".empathy/patterns/debugging/example-naive-aware-datetime.md").exists()
    lines = (repo / ".empathy/.gitignore").read_text().splitlines()
    assert lines[:2] == ["my-notes/", "cache/"]
    assert lines.count("cache/") == 1
    assert "sessions/" in lines


def test_init_finds_the_git_top_level(repo, monkeypatch):
    sub = repo / "src" / "pkg"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    assert cli.main(["init"]) == 0
    assert (repo / ".empathy/config.yaml").is_file()
    assert not (sub / ".empathy").exists()


def test_git_ignores_local_state(repo):
    import subprocess

    cli.main(["init", "--root", str(repo)])
    build_tree(repo, {".empathy/cache/x": "", ".empathy/sessions/s.json": "{}", ".empathy/audit.jsonl": ""})
    status = subprocess.run(
        ["git", "-C", str(repo), "status", "--porcelain", "-uall"], capture_output=True, text=True, check=True
    ).stdout
    assert "cache/" not in status and "sessions/" not in status and "audit.jsonl" not in status
    assert ".empathy/config.yaml" in status
