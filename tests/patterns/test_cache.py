from __future__ import annotations

import marshal
import os

from attune import cli, config
from attune.patterns import cache, store
from tests.helpers import build_tree, write_pattern

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
    return marshal.loads(cache.location(root).read_bytes())["files"]  # noqa: S302 - the cache we just wrote


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
