"""Parsing in forked processes gives what parsing in turn gives, whatever happens to a child."""

from __future__ import annotations

import os
import threading

import pytest

from attune import config
from attune.patterns import parallel, store
from tests.helpers import build_tree, write_pattern

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="forking needs os.fork")


@pytest.fixture
def library(repo):
    for index in range(120):
        category = ("debugging", "security", "tech_debt", "inspection")[index % 4]
        write_pattern(repo, f"p{index:03}", category, paths=[f"src/m{index % 7}/**"], title=f"Pättern {index}")
    build_tree(
        repo,
        {
            ".empathy/patterns/debugging/broken.md": "---\nid: broken\ntitle: [unclosed\n---\nbody\n",
            ".empathy/patterns/debugging/warned.md": "---\nid: warned\ntitle: W\ncategory: debugging\n---\n\n",
            ".empathy/patterns/security/bulk.yaml": """
                - id: bulk-one
                  title: One
                  category: security
                  body: Keep keys in the vault.
                - id: bulk-two
                  title: Two
                  category: security
                  body: Rotate them.
            """,
        },
    )
    return repo


def _entries_and_reader(root):
    cfg = config.load(root)
    return store.scan(root), lambda entry: store.load(entry.rel, entry.path, cfg)


def test_forked_parsing_equals_parsing_in_turn(library):
    entries, read = _entries_and_reader(library)
    serial = [read(entry) for entry in entries]
    assert any(s.problems for _, s in serial) and sum(len(s.patterns) for _, s in serial) == 123
    assert [stamp for stamp, _ in serial] == [entry.stamp for entry in entries]
    for processes in (2, 3, 5):
        assert parallel.parse_all(entries, read, processes=processes) == serial


def test_a_child_that_dies_costs_only_time(library):
    entries, read = _entries_and_reader(library)
    parent = os.getpid()

    def dies_in_a_child(entry):
        if os.getpid() != parent:
            os._exit(9)
        return read(entry)

    assert parallel.parse_all(entries, dies_in_a_child, processes=3) == [read(entry) for entry in entries]


def test_flags_from_children_equal_flags_in_turn():
    items = list(range(101))
    parent = os.getpid()

    def odd(item):
        return item % 2 == 1

    def dies_in_a_child(item):
        if os.getpid() != parent:
            os._exit(9)
        return odd(item)

    serial = [odd(item) for item in items]
    for processes in (2, 3, 5):
        assert parallel.flag_all(items, odd, per_worker=1, processes=processes) == serial
        assert parallel.flag_all(items, dies_in_a_child, per_worker=1, processes=processes) == serial
    assert parallel.workers(100, per_worker=100) == 1


def test_an_error_in_a_child_is_raised_in_the_parent(library):
    entries, read = _entries_and_reader(library)

    def fails(entry):
        if entry.rel.endswith("p100.md"):
            raise RuntimeError("a bug in the parser")
        return read(entry)

    with pytest.raises(RuntimeError, match="a bug in the parser"):
        parallel.parse_all(entries, fails, processes=3)


def test_no_fork_while_another_thread_runs():
    many = parallel.PER_WORKER * 64
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert parallel.workers(many) == 1
    finally:
        stop.set()
        other.join()
    assert parallel.workers(10) == 1
    assert parallel.workers(many) == min(len(os.sched_getaffinity(0)), parallel.MAX_WORKERS)


def test_a_sync_of_a_large_library_renders_what_a_sync_in_turn_renders(repo, tmp_path):
    """End to end: the same rule files whether the library is parsed in one process or several."""
    import shutil

    from attune.sync import render

    for index in range(parallel.PER_WORKER * 2 + 10):
        write_pattern(repo, f"q{index:04}", paths=[f"src/m{index % 9}/**"])
    cfg = config.load(repo)
    forked = render.plan(repo, cfg, store.load_library(repo, cfg, use_cache=False))
    twin = tmp_path / "twin"
    shutil.copytree(repo, twin)
    entries, read = _entries_and_reader(twin)
    in_turn = render.plan(twin, cfg, store.assemble(s for _, s in parallel.parse_all(entries, read, processes=1)))
    assert [(c.name, c.new) for c in forked.changes] == [(c.name, c.new) for c in in_turn.changes]


def _children(pid):
    """The processes `pid` forked from itself (its parse workers), not the programs it ran (git)."""
    found = set()
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                found.update(int(child) for child in handle.read().split())
        except FileNotFoundError:
            pass
    workers = set()
    for child in found:
        try:
            if os.readlink(f"/proc/{child}/exe") == os.readlink(f"/proc/{pid}/exe"):
                workers.add(child)
        except OSError:
            pass
    return workers


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has stopped running
    except FileNotFoundError:
        return False


@pytest.mark.skipif(
    not os.path.exists("/proc/self/task") or len(os.sched_getaffinity(0)) < 2, reason="needs Linux, 2 cores"
)
def test_parse_workers_die_with_a_killed_sync(repo):
    """Issue 11: a sync killed mid-parse (Ctrl-C in CI, a timeout) left its workers parsing for seconds."""
    import signal
    import subprocess
    import sys
    import time

    for index in range(parallel.PER_WORKER * 2):
        write_pattern(repo, f"p{index:04}")
    item = '- id: h{0}-{1:04}\n  title: "Heavy {1}"\n  category: debugging\n  body: Keep it short.\n'
    for number in range(80):  # last in sorted order, so in the worker's share: seconds of parsing, 0.1 s a file
        text = "".join(item.format(number, index) for index in range(250))
        (repo / f".empathy/patterns/debugging/zz{number:02}.yaml").write_text(text, encoding="utf-8")
    sync = subprocess.Popen([sys.executable, "-m", "attune", "sync", "--root", str(repo), "-q"])
    try:
        deadline = time.monotonic() + 30
        workers = set()
        while not workers and sync.poll() is None and time.monotonic() < deadline:
            workers = _children(sync.pid)
        assert workers, "the sync finished or timed out before it forked a worker"
        time.sleep(0.2)  # well inside the worker's share
        sync.send_signal(signal.SIGKILL)
        sync.wait(timeout=10)
        deadline = time.monotonic() + 2
        while any(map(_alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.02)
        left = [pid for pid in workers if _alive(pid)]
    finally:
        sync.kill()
        sync.wait(timeout=10)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == []
