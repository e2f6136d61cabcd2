"""Working memory under hostile input: secrets as names (issue 10), a damaged store (issue 11)."""

from __future__ import annotations

import json
import os

import pytest

from attune import memory
from tests.helpers import EMAIL, fake_secret
from tests.helpers import run_memory as run


def every_file_text(project):
    texts = []
    for folder, _, files in [*os.walk(project / ".empathy"), *os.walk(project / ".git/attune")]:
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


def entry_file(project, key="working:before"):
    from attune import digest

    return project / ".git/attune/state/memory" / (digest.fingerprint(key, 16) + ".json")


def damage(project, how):
    memory.stash("working:before", "lost", root=project)
    store = entry_file(project)
    if how == "truncated":
        store.write_bytes(store.read_bytes()[:30])
    elif how == "random":
        store.write_bytes(os.urandom(8192))
    elif how == "empty":
        store.write_bytes(b"")
    elif how == "dangling link":
        store.unlink()
        store.symlink_to(project / "elsewhere.json")
    elif how == "link to a file outside":
        (project.parent / "victim.json").write_text(json.dumps({"key": "working:before", "value": {}, "expires": None}))
        store.unlink()
        store.symlink_to(project.parent / "victim.json")
    elif how == "not our JSON":
        store.write_text(json.dumps({"key": 5, "value": [], "expires": "soon"}))
    elif how == "pipe":  # opening it to read would wait for a writer forever (issue 15)
        store.unlink()
        os.mkfifo(store)
    elif how == "directory":
        store.unlink()
        store.mkdir()
        (store / "inside").write_text("kept")
    return store.read_bytes() if store.is_file() and not store.is_symlink() else None


@pytest.mark.parametrize(
    "how",
    ["truncated", "random", "empty", "directory", "pipe", "dangling link", "link to a file outside", "not our JSON"],
)
def test_a_damaged_entry_is_moved_aside_and_rebuilt_with_one_warning(project, capsys, how):
    before = damage(project, how)
    commands = [
        ("list",),
        ("get", "working:before"),
        ("stash", "working:after", "kept"),
        ("get", "working:after"),
        ("forget", "working:after"),
        ("stash", "working:before", "again"),
        ("get", "working:before"),
        ("clear",),
        ("stash", "working:last", "1"),
    ]
    warnings = []
    for args in commands:
        code, _, err = run(project, capsys, *args)
        assert "Traceback" not in err and code in (0, 1), (args, err)
        warnings += [line for line in err.splitlines() if "moved aside" in line]
    assert run(project, capsys, "get", "working:last")[:2] == (0, "1\n")
    store = entry_file(project)
    aside = sorted(p for p in store.parent.iterdir() if p.name.startswith(store.name + ".damaged-"))
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith("empathy: warning: ") and "rebuilds it" in warnings[0]
    assert len(aside) == 1  # moved aside, never deleted
    if aside[0].is_symlink():
        assert not (project / "elsewhere.json").exists()
    elif before is not None:
        assert aside[0].read_bytes() == before
    elif how == "pipe":
        assert aside[0].is_fifo()
    else:
        assert (aside[0] / "inside").read_text() == "kept"
    if how == "link to a file outside":
        assert json.loads((project.parent / "victim.json").read_text())["value"] == {}  # never written through


def test_a_store_folder_that_is_a_file_is_moved_aside(project, capsys):
    folder = project / ".git/attune/state/memory"
    folder.parent.mkdir(parents=True)
    folder.write_text("not a folder")
    code, _, err = run(project, capsys, "stash", "working:x", "1")
    assert code == 0 and err.count("moved aside") == 1, err
    assert run(project, capsys, "get", "working:x")[:2] == (0, "1\n")


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
