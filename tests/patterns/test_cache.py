from __future__ import annotations

import marshal
import os
import shutil
import subprocess
import sys

import pytest

from attune import cli, config
from attune.patterns import cache, store
from tests.helpers import build_tree, write_pattern

RULES = ".claude/rules/attune"
PAST = 1_700_000_000  # a modification time well outside the racy window


def _settled(path):
    os.utime(path, (PAST, PAST))
    return path


def _swap_keeping_stamp(path, old, new):
    """Change a file's text without changing its size, mtime or inode."""
    assert len(old) == len(new)
    stat = path.stat()
    with open(path, "r+", encoding="utf-8") as handle:  # in place: the inode stays
        text = handle.read().replace(old, new)
        handle.seek(0)
        handle.write(text)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size


def _cached_files(root):
    return cache.read(root, cache.key(config.load(root)))


def _titles(root, **kwargs):
    return [p.title for p in store.load_library(root, config.load(root), **kwargs).patterns]


def test_the_cache_lives_outside_the_repository(repo):
    _settled(write_pattern(repo, "a"))
    store.load_library(repo, config.DEFAULT)
    location = cache.location(repo)
    assert location.is_file()
    assert not location.is_relative_to(repo)
    assert _cached_files(repo).keys() == {".empathy/patterns/debugging/a.md"}


def test_unchanged_files_are_not_read_again(repo):
    path = _settled(write_pattern(repo, "a", title="Alpha"))
    assert _titles(repo) == ["Alpha"]
    _swap_keeping_stamp(path, "Alpha", "Omega")
    assert _titles(repo) == ["Alpha"]  # served from the cache: the file was not read
    assert _titles(repo, use_cache=False) == ["Omega"]


def test_edited_files_are_read_again(repo):
    path = _settled(write_pattern(repo, "a", title="Alpha"))
    _titles(repo)
    write_pattern(repo, "a", title="Alphabet")
    _settled(path)
    assert _titles(repo) == ["Alphabet"]


def test_files_changed_in_the_last_seconds_are_not_cached(repo):
    write_pattern(repo, "fresh")
    _settled(write_pattern(repo, "old"))
    store.load_library(repo, config.DEFAULT)
    cached = _cached_files(repo)
    assert list(cached) == [".empathy/patterns/debugging/old.md"]


def test_a_config_change_invalidates_the_cache(repo):
    path = _settled(write_pattern(repo, "a", "chores", title="Alpha"))
    problems = store.load_library(repo, config.load(repo)).problems
    assert "not a configured category" in problems[0].message
    build_tree(repo, {".empathy/config.yaml": "categories:\n  debugging: bug-patterns\n  chores: chores\n"})
    _swap_keeping_stamp(path, "Alpha", "Omega")
    assert _titles(repo) == ["Omega"]


def test_a_damaged_cache_is_ignored_and_rewritten(repo):
    _settled(write_pattern(repo, "a", title="Alpha"))
    _titles(repo)
    cache.location(repo).write_bytes(marshal.dumps({"key": "x", "files": [1, 2]})[:-3])
    assert _titles(repo) == ["Alpha"]
    assert _cached_files(repo)


def test_deleted_files_leave_the_cache(repo):
    _settled(write_pattern(repo, "a"))
    gone = _settled(write_pattern(repo, "b"))
    store.load_library(repo, config.DEFAULT)
    gone.unlink()
    assert [p.id for p in store.load_library(repo, config.DEFAULT).patterns] == ["a"]
    assert list(_cached_files(repo)) == [".empathy/patterns/debugging/a.md"]


def test_sync_force_reads_every_file(repo, capsys):
    path = _settled(write_pattern(repo, "a", title="Alpha"))
    cli.main(["sync", "--root", str(repo), "-q"])
    _swap_keeping_stamp(path, "Alpha", "Omega")
    cli.main(["sync", "--root", str(repo), "-q"])
    assert "Alpha" in (repo / ".claude/rules/attune/bug-patterns.md").read_text()
    cli.main(["sync", "--root", str(repo), "-q", "--force"])
    assert "Omega" in (repo / ".claude/rules/attune/bug-patterns.md").read_text()


@pytest.fixture
def synced(repo):
    """A small library synced once, with its cache written: the rule files a cold sync gives."""
    for index, category in enumerate(("debugging", "security", "tech_debt", "debugging", "security")):
        _settled(write_pattern(repo, f"p{index}", category, paths=[f"src/m{index}/**"], title=f"Pättern {index}"))
    build_tree(
        repo,
        {
            ".empathy/patterns/security/bulk.yaml": "- id: bulk\n  title: Bulk\n  category: security\n  body: Keep keys in the vault.\n"
        },
    )
    _settled(repo / ".empathy/patterns/security/bulk.yaml")
    assert cli.main(["sync", "--root", str(repo), "-q"]) == 0
    assert cache.location(repo).is_file()
    return repo, _rules(repo)


def _rules(repo):
    return {p.name: p.read_bytes() for p in sorted((repo / RULES).iterdir())}


def _sync_with_cache(repo, data):
    """Put `data` in place of the cache, delete the rules, run the real sync: the rules it wrote."""
    cache.location(repo).write_bytes(data)
    shutil.rmtree(repo / RULES)
    assert cli.main(["sync", "--root", str(repo), "-q"]) == 0
    return _rules(repo)


def test_a_damaged_byte_anywhere_in_the_cache_gives_the_rules_of_a_cold_sync(synced):
    repo, cold = synced
    original = cache.location(repo).read_bytes()
    step = max(1, len(original) // 200)
    wrong = []
    for position in range(0, len(original), step):
        damaged = bytearray(original)
        damaged[position] ^= 1 << position % 8  # one bit, a different one from byte to byte
        if _sync_with_cache(repo, bytes(damaged)) != cold:
            wrong.append(position)
    assert wrong == []


def test_a_truncated_or_swapped_cache_gives_the_rules_of_a_cold_sync(synced):
    repo, cold = synced
    original = cache.location(repo).read_bytes()
    for size in range(0, len(original), max(1, len(original) // 50)):
        assert _sync_with_cache(repo, original[:size]) == cold
    half = len(original) // 2
    assert _sync_with_cache(repo, original[half:] + original[:half]) == cold
    assert _sync_with_cache(repo, original + b"extra") == cold


def test_a_cache_that_is_a_folder_gives_the_rules_of_a_cold_sync(synced):
    repo, cold = synced
    location = cache.location(repo)
    location.unlink()
    location.mkdir()
    shutil.rmtree(repo / RULES)
    assert cli.main(["sync", "--root", str(repo), "-q"]) == 0
    assert _rules(repo) == cold


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads a file of mode 000")
def test_an_unreadable_cache_gives_the_rules_of_a_cold_sync(synced):
    repo, cold = synced
    location = cache.location(repo)
    location.chmod(0)
    shutil.rmtree(repo / RULES)
    assert cli.main(["sync", "--root", str(repo), "-q"]) == 0
    assert _rules(repo) == cold


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not os.path.exists("/dev/zero"), reason="needs pipes, /dev/zero")
def test_a_cache_that_is_a_pipe_or_a_device_does_not_hang_the_sync(synced):
    repo, cold = synced
    location = cache.location(repo)
    for make in (os.mkfifo, lambda path: os.symlink("/dev/zero", path)):
        location.unlink()
        make(location)
        shutil.rmtree(repo / RULES)
        done = subprocess.run(
            [sys.executable, "-m", "attune", "sync", "--root", str(repo), "-q"],
            check=False, capture_output=True, text=True, timeout=20, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        assert (done.returncode, done.stderr) == (0, "")
        assert _rules(repo) == cold


def test_a_file_that_cannot_be_read_does_not_rewrite_the_cache_on_every_sync(synced):
    repo, _ = synced
    os.symlink("/nowhere", repo / ".empathy/patterns/debugging/link.md")
    cli.main(["sync", "--root", str(repo), "-q"])
    _settled(cache.location(repo))
    cli.main(["sync", "--root", str(repo), "-q"])
    assert cache.location(repo).stat().st_mtime == PAST  # not written again


def test_a_cache_folder_that_is_a_file_costs_only_speed(synced):
    repo, cold = synced
    folder = cache.location(repo).parent
    shutil.rmtree(folder)
    folder.write_bytes(b"")
    shutil.rmtree(repo / RULES)
    assert cli.main(["sync", "--root", str(repo), "-q"]) == 0
    assert _rules(repo) == cold
