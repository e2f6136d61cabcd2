"""Working memory under hostile input: secrets as names (issue 10), a damaged store (issue 11)."""

from __future__ import annotations

import os
import sqlite3

import pytest

from attune import cli, memory
from tests.helpers import EMAIL, fake_secret

STORE = ".empathy/cache/memory/cache.db"


@pytest.fixture
def project(repo):
    (repo / ".empathy").mkdir()
    return repo


def run(project, capsys, *args):
    code = cli.main(["memory", *args, "--root", str(project)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


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
    elif how == "directory":
        store.unlink()
        store.mkdir()
        (store / "inside").write_text("kept")
    return store.read_bytes() if store.is_file() else None


@pytest.mark.parametrize("how", ["truncated", "random", "empty", "directory"])
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
    if how == "empty":  # SQLite reads an empty file as an empty database: nothing to repair
        assert (warnings, aside) == ([], [])
        return
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith("empathy: warning: ") and "rebuilt" in warnings[0]
    assert len(aside) == 1  # moved aside, never deleted
    if before is not None:
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
