"""Working memory under hostile input: secrets as names (issue 10), a damaged store (issue 11)."""

from __future__ import annotations

import json
import os
import sqlite3
import time

import pytest

from attune import memory
from tests.helpers import EMAIL, fake_secret
from tests.helpers import run_memory as run

STORE = ".empathy/cache/memory/cache.db"


def every_file_text(project):
    texts = []
    for folder, _, files in os.walk(project / ".empathy"):
        for name in files:
            with open(os.path.join(folder, name), "rb") as handle:
                texts.append(os.path.join(folder, name) + "\n" + handle.read().decode("utf-8", "replace"))
    return "\n".join(texts)


@pytest.mark.parametrize("kind", ["github", "aws"])
def test_a_secret_used_as_a_key_or_an_agent_id_is_refused_and_never_echoed(project, capsys, kind):
    token = fake_secret(kind)
    attempts = [
        ("stash", token, "value"),
        ("stash", f"working:{token}", "value"),
        ("stash", "fine", "value", "--agent", token),
        ("get", token),
        ("forget", token),
        ("get", "fine", "--agent", f"agent-{token}"),
        ("list", "--agent", token),
    ]
    for args in attempts:
        code, out, err = run(project, capsys, *args)
        assert (code, out, err.count("\n")) == (1, "", 1), (args, out, err)
        assert "holds a secret" in err and token not in err, err
    assert memory.keys(root=project) == []
    assert token not in every_file_text(project)


def test_personal_data_in_a_key_is_refused(project, capsys):
    code, out, err = run(project, capsys, "stash", f"contact:{EMAIL}", "value")
    assert (code, out) == (1, "")
    assert "holds personal data: email (" in err and EMAIL not in err
    assert EMAIL not in every_file_text(project)


def test_personal_data_in_the_keys_of_a_value_is_scrubbed(project, capsys):
    assert run(project, capsys, "stash", "contacts", f'{{"{EMAIL}": "on call"}}')[0] == 0
    assert memory.retrieve("contacts", root=project) == {"[EMAIL]": "on call"}


def damage(project, how):
    memory.stash("working:before", "lost", root=project)
    store = project / STORE
    for extra in ("-wal", "-shm"):
        store.with_name(store.name + extra).unlink(missing_ok=True)
    if how == "truncated":
        store.write_bytes(store.read_bytes()[:3000])
    elif how == "random":
        store.write_bytes(os.urandom(8192))
    elif how == "empty":
        store.write_bytes(b"")
        os.utime(store, (time.time() - 60, time.time() - 60))  # left empty, not being created
    elif how == "dangling link":  # SQLite would follow it and quietly start an empty store there
        store.unlink()
        store.symlink_to(project / "elsewhere.db")
    elif how == "Cache table dropped":  # diskcache would quietly create it again, empty
        with sqlite3.connect(store) as db:
            db.execute("DROP TABLE Cache")
    elif how == "directory":
        store.unlink()
        store.mkdir()
        (store / "inside").write_text("kept")
    return store.read_bytes() if store.is_file() else None


@pytest.mark.parametrize("how", ["truncated", "random", "empty", "directory", "dangling link", "Cache table dropped"])
def test_a_damaged_store_is_moved_aside_and_rebuilt_with_one_warning(project, capsys, how):
    before = damage(project, how)
    commands = [
        ("list",),
        ("get", "working:before"),
        ("stash", "working:after", "kept"),
        ("get", "working:after"),
        ("forget", "working:after"),
        ("clear",),
        ("stash", "working:last", "1"),
    ]
    warnings = []
    for args in commands:
        code, _, err = run(project, capsys, *args)
        assert "Traceback" not in err and code in (0, 1), (args, err)
        warnings += [line for line in err.splitlines() if "moved aside" in line]
    assert run(project, capsys, "get", "working:last")[:2] == (0, "1\n")
    aside = sorted(p for p in (project / STORE).parent.iterdir() if p.name.startswith("cache.db.damaged-"))
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith("empathy: warning: ") and "rebuilt" in warnings[0]
    assert len(aside) == 1  # moved aside, never deleted
    if aside[0].is_symlink():
        assert not (project / "elsewhere.db").exists()
    elif before is not None:
        assert aside[0].read_bytes() == before
    else:
        assert (aside[0] / "inside").read_text() == "kept"
    with sqlite3.connect(project / STORE) as db:
        assert db.execute("PRAGMA quick_check").fetchone() == ("ok",)


def test_a_store_folder_that_is_a_file_is_moved_aside(project, capsys):
    folder = project / STORE
    folder.parent.parent.mkdir(parents=True)
    folder.parent.write_text("not a folder")
    code, _, err = run(project, capsys, "stash", "working:x", "1")
    assert code == 0 and err.count("moved aside") == 1, err
    assert run(project, capsys, "get", "working:x")[:2] == (0, "1\n")


def test_a_row_that_is_not_json_is_ignored_with_a_warning(project, capsys):
    memory.stash("working:good", "kept", root=project)
    memory.stash("working:bad", "lost", root=project)
    with sqlite3.connect(project / STORE) as db:
        db.execute("UPDATE Cache SET mode = 1, value = 'not json {' WHERE key = 'working:bad'")
    code, out, err = run(project, capsys, "list")
    assert code == 0 and out.startswith("working:good\t")
    assert "entry 'working:bad' is damaged (not JSON)" in err and "empathy memory forget 'working:bad'" in err
    assert run(project, capsys, "forget", "working:bad")[0] == 0
    assert run(project, capsys, "list")[2] == ""


def test_recall_never_prints_a_secret_an_older_release_stored(project, capsys):
    key = fake_secret("github")
    sessions = project / ".empathy/sessions"
    sessions.mkdir()
    (sessions / "old.json").write_text(json.dumps({
        "session_id": "old", "updated": "2026-01-01T00:00:00Z", "last_assistant_message": f"deploy key {key} rotated",
    }))  # fmt: skip
    code, out, _ = run(project, capsys, "recall", "deploy key rotated")
    assert code == 0 and "rotated" in out and key not in out
    code, out, _ = run(project, capsys, "recall", "deploy key rotated", "--json")
    assert code == 0 and "rotated" in out and key not in out
