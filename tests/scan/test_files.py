"""What `empathy scan` reads: text in any encoding is scanned, binary is decided by content, and a file
that cannot be scanned is reported, never skipped in silence (issue 10)."""

from __future__ import annotations

import codecs
import json
import os
import random
import subprocess
import sys

import pytest
from benchmarks import fakes

from attune.cli import main
from attune.scan import files
from tests.helpers import git

STRIPE = "sk_" + "live_" + fakes.pick(random.Random("files"), fakes.B62, 24)


@pytest.fixture
def tree(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_latin_1_file_is_scanned_with_its_line_numbers(tree, capsys):
    (tree / "app.py").write_bytes(f"# café\n\nSTRIPE = '{STRIPE}'\n".encode("latin-1"))
    assert main(["scan", "app.py"]) == 1
    assert capsys.readouterr().out.startswith("app.py:3: stripe-key: sk_li…")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-be"])
def test_text_with_a_byte_order_mark_is_decoded(tree, capsys, encoding):
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE, "utf-32-be": codecs.BOM_UTF32_BE}
    data = bom.get(encoding, b"") + f"# clé\r\nkey = '{STRIPE}'\r\n".encode(encoding)
    (tree / "notes.txt").write_bytes(data)
    assert main(["scan", "notes.txt"]) == 1
    assert capsys.readouterr().out.startswith("notes.txt:2: stripe-key: ")


@pytest.mark.parametrize(
    "magic",
    [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"GIF89a", b"%PDF-1.7\n", b"PK\x03\x04", b"\x7fELF", b"\x1f\x8b"],
)
def test_binary_is_decided_by_its_signature_or_a_nul_byte(magic):
    body = f"\nkey = '{STRIPE}'\n".encode()
    assert files.decode(magic + body) is None
    assert files.decode(b"plain\0" + body) is None
    assert files.decode(b"plain" + body) is not None


def test_an_undecodable_byte_keeps_the_rest_of_the_file_and_its_lines():
    text = files.decode(b"caf\xe9 \xff\xfe\n\xc3\xa9t\xc3\xa9\nthird\n")
    assert text is not None and text.split("\n")[2] == "third" and len(text.split("\n")) == 4


def _scan(*args, cwd):
    """`empathy scan` as a process, with a timeout: opening a FIFO would hang it."""
    return subprocess.run(
        [sys.executable, "-m", "attune", "scan", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_fifo_is_reported_as_not_scanned_and_never_opened(tree):
    (tree / "clean.txt").write_text("nothing here\n")
    os.mkfifo(tree / "pipe")
    for args in (["pipe", "clean.txt"], ["."]):
        result = _scan(*args, cwd=tree)
        assert result.returncode == 1, result.stderr
        assert result.stdout == ""
        assert "pipe: not scanned: not a regular file (a FIFO)" in result.stderr
    result = _scan("--format", "json", "pipe", cwd=tree)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["findings"] == []
    assert [(n["file"], n["reason"].split(";")[0]) for n in report["not_scanned"]] == [
        ("pipe", "not a regular file (a FIFO)")
    ]


def test_a_file_over_the_size_limit_is_reported_in_every_format(tree, capsys):
    with open(tree / "dump.sql", "wb") as handle:
        handle.truncate(files.MAX_BYTES + 1)  # sparse: no disk space used, and it is never read
    assert main(["scan", "dump.sql"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("empathy scan: dump.sql: not scanned: larger than the 32 MB limit (32.0 MB); ")
    assert main(["scan", "--format", "sarif", "dump.sql"]) == 1
    run = json.loads(capsys.readouterr().out)["runs"][0]
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and "larger than the 32 MB limit" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "dump.sql"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_an_unreadable_file_is_reported_and_the_others_are_scanned(tree, capsys):
    (tree / "locked.txt").write_text("x\n")
    (tree / "locked.txt").chmod(0)
    (tree / "app.py").write_text(f"KEY = '{STRIPE}'\n")
    assert main(["scan", "."]) == 1
    out, err = capsys.readouterr()
    assert out.startswith("app.py:1: stripe-key: ")
    assert "locked.txt: not scanned: cannot read it" in err


def test_staged_decodes_latin_1_and_reports_a_blob_over_the_limit(repo, monkeypatch, capsys):
    monkeypatch.chdir(repo)
    (repo / "app.py").write_bytes(f"# café\nSTRIPE = '{STRIPE}'\n".encode("latin-1"))
    git(repo, "add", "app.py")
    assert main(["scan", "--staged"]) == 1
    assert capsys.readouterr().out.startswith("app.py:2: stripe-key: ")
    (repo / "app.py").write_text("clean = True\n")
    (repo / "big.txt").write_bytes(b"a\n" * (files.MAX_BYTES // 2 + 1))
    git(repo, "add", "app.py", "big.txt")
    assert main(["scan", "--staged"]) == 1
    assert "big.txt: not scanned: larger than the " in capsys.readouterr().err
