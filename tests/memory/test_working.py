from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from attune import audit, cli, memory
from tests.helpers import EMAIL, build_tree, fake_secret
from tests.helpers import run_memory as run


def test_stash_and_retrieve_json_and_text(project, capsys):
    assert run(project, capsys, "stash", "working:plan", '{"step": 2, "files": ["a.py"]}')[0] == 0
    assert run(project, capsys, "stash", "note", "just text")[0] == 0
    assert memory.retrieve("working:plan", root=project) == {"step": 2, "files": ["a.py"]}
    code, out, _ = run(project, capsys, "get", "note")
    assert (code, out) == (0, "just text\n")
    assert run(project, capsys, "get", "missing")[0] == 1


def test_two_processes_share_working_memory(project):
    def child(code):
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout

    child(
        f"from attune import memory; from pathlib import Path; memory.stash('coordination:lock', {{'owner': 'a'}}, root=Path({str(project)!r}))"
    )
    got = child(
        f"from attune import memory; from pathlib import Path; print(memory.retrieve('coordination:lock', root=Path({str(project)!r})))"
    )
    assert got.strip() == "{'owner': 'a'}"
    assert memory.keys("coordination:", root=project) == ["coordination:lock"]


def test_entries_expire(project):
    memory.stash("working:short", 1, ttl=1, root=project)
    assert memory.retrieve("working:short", root=project) == 1
    time.sleep(1.2)
    assert memory.retrieve("working:short", root=project) is None
    assert memory.keys(root=project) == []


def test_key_prefixes_pick_the_ttl_class_and_the_config_can_change_them(project):
    assert memory.stash("coordination:x", 1, root=project).expires_in == 300
    assert memory.stash("session:x", 1, root=project).expires_in == 1800
    assert memory.stash("staged:x", 1, root=project).expires_in == 86400
    assert memory.stash("plain", 1, root=project).expires_in == 3600
    build_tree(project, {".empathy/config.yaml": "memory:\n  ttl: {working: 60, session: 120}\n"})
    assert memory.stash("plain", 1, root=project).expires_in == 60
    assert memory.stash("session:y", 1, root=project).expires_in == 120


def test_agents_keep_private_entries(project, capsys):
    memory.stash("finding", "shared", root=project)
    memory.stash("finding", "mine", agent_id="reviewer", root=project)
    assert memory.retrieve("finding", root=project) == "shared"
    assert memory.retrieve("finding", agent_id="reviewer", root=project) == "mine"
    assert memory.retrieve("finding", agent_id="other", root=project) == "shared"
    assert run(project, capsys, "get", "finding", "--agent", "reviewer")[1] == "mine\n"
    assert "agent reviewer" in run(project, capsys, "list", "--agent", "reviewer")[1]
    assert "agent" not in run(project, capsys, "list")[1]


def test_a_secret_is_refused_with_the_reason_and_audited(project, capsys):
    key = fake_secret("github")
    code, _out, err = run(project, capsys, "stash", "creds", f"token={key}")
    assert code == 1
    assert err.startswith("empathy: error: refused to remember 'creds': the value holds a secret: github-token (ghp_")
    assert key not in err
    assert memory.retrieve("creds", root=project) is None
    (entry,) = [e for e in audit.entries(project) if e["action"] == "memory.refused"]
    assert entry["key"] == "creds" and entry["findings"] == ["github-token"]
    assert key not in (project / ".empathy/audit.jsonl").read_text()


@pytest.mark.parametrize("where", ["environment", ".env"])
def test_the_value_of_a_secret_variable_is_refused_by_value(project, capsys, monkeypatch, where):
    value = "Zq8" + "xT2mW9vLp4RkN7bYc3Hd"  # no shape a scanner knows
    if where == "environment":
        monkeypatch.setenv("DEPLOY_TOKEN", value)
    else:
        (project / ".env").write_text(f"DEPLOY_TOKEN={value}\n")
    code, _out, err = run(project, capsys, "stash", "deploy", f"use {value} for prod")
    assert code == 1
    assert err.startswith("empathy: error: refused to remember 'deploy': the value holds the value of $DEPLOY_TOKEN")
    assert value not in err
    assert memory.retrieve("deploy", root=project) is None
    assert run(project, capsys, "stash", "deploy", "use $DEPLOY_TOKEN for prod")[0] == 0


def test_personal_data_is_scrubbed_before_it_is_stored(project):
    entry = memory.stash("contact", {"owner": EMAIL, "notes": [f"mail {EMAIL}"]}, root=project)
    assert entry.classification == "SENSITIVE"
    assert memory.retrieve("contact", root=project) == {"owner": "[EMAIL]", "notes": ["mail [EMAIL]"]}
    stored = b"".join(p.read_bytes() for p in (project / ".git/attune/state/memory").rglob("*") if p.is_file())
    assert b"[EMAIL]" in stored and EMAIL.encode() not in stored
    assert [e["action"] for e in audit.entries(project)] == ["memory.scrubbed"]


def test_forget_list_and_clear(project, capsys):
    memory.stash("a:1", 1, root=project)
    memory.stash("a:2", 2, root=project)
    memory.stash("b:1", 3, root=project)
    lines = run(project, capsys, "list", "a:")[1].splitlines()
    assert [line.split("\t")[0] for line in lines] == ["a:1", "a:2"]
    assert run(project, capsys, "forget", "a:1")[:2] == (0, "forgot 'a:1'\n")
    assert run(project, capsys, "forget", "a:1")[0] == 1
    assert run(project, capsys, "clear")[1] == "cleared 2 entries from working memory\n"
    assert memory.keys(root=project) == []


def test_the_store_is_json_only_private_and_shared_by_every_worktree(project, tmp_path):
    """Working memory moved onto the team's store, in the git common directory (issue 14)."""
    from tests.helpers import commit_all, git

    memory.stash("x", {"a": 1}, root=project)
    folder = project / ".git/attune/state/memory"
    assert folder.stat().st_mode & 0o077 == 0
    (entry,) = folder.glob("*.json")
    assert entry.stat().st_mode & 0o077 == 0
    record = json.loads(entry.read_text())
    assert (record["key"], record["value"]["value"], record["value"]["agent"]) == ("x", {"a": 1}, None)
    (project / "README.md").write_text("x\n")
    commit_all(project, "start")
    other = tmp_path / "other"
    git(project, "worktree", "add", "-q", str(other), "-b", "other")
    (other / ".empathy").mkdir(exist_ok=True)
    assert memory.retrieve("x", root=other) == {"a": 1}


def test_without_a_library(repo, capsys):
    assert cli.main(["memory", "stash", "k", "v", "--root", str(repo)]) == 1
    assert "run `empathy init`" in capsys.readouterr().err
