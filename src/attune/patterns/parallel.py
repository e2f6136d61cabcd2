"""Parse many pattern files at once on several cores, by forking; one core does them in turn.

Parsing is what a first sync of a large library spends most of its time on (about 60 us a
file), and it is pure Python, so threads cannot share it out. `multiprocessing` costs more to
start (its import, a pool, pickled NamedTuples) than it would save on 1,000 files, so this
forks directly: each child parses a contiguous share of the files and sends the stamps and
SourceFiles back through a pipe as plain tuples in `marshal` format; the parent parses the
first share meanwhile. Nothing is written or printed by a child.

Forking is used only where it is safe and pays: on Linux, with no other thread running (a
thread holding a lock at fork time could deadlock the child), and for enough files. Whatever
goes wrong in a child (a crash, a kill, a value marshal refuses) is only slower: the parent
parses that share itself. The results are the same either way, in the same order.

A child dies with its parent (issue 11: a killed sync left its workers parsing for seconds):
before each file it checks that its parent is still the one that forked it (getppid, 0.2 us),
so an orphan stops within one file's parse. PR_SET_PDEATHSIG would stop it at once, but only
through ctypes, whose import costs the child 3 to 10 ms, all of it on the sync's critical path.

It pays for itself (issue 15): in a first sync of bench_sync's 10,000 patterns on two cores, the
forked parser does 360 ms of the 2.7 s of CPU work, which the second core takes off the sync's
critical path (13%); of 1,000 patterns, 35 to 50 ms of 310 (12%). Figures are CPU time, the
parent's (RUSAGE_SELF) against its children's: wall time on a shared machine measures the others.

`flag_all` shares out a yes/no question the same way, one byte an answer: the sync's secret
screen, which costs a first sync more than the parse does (attune.sync.screen).
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
from collections.abc import Callable, Sequence
from typing import NamedTuple, TypeVar

from attune.patterns.cache import Stamp, from_plain, to_plain
from attune.patterns.model import SourceFile

Loaded = tuple[Stamp, SourceFile]  # a file's stamp, taken before reading it, and what it holds

T = TypeVar("T")
R = TypeVar("R")
PER_WORKER = 250  # fewer files than this per process and a fork costs more than it saves
MAX_WORKERS = 8


def workers(count: int, per_worker: int = PER_WORKER) -> int:
    """How many processes (this one included) should share `count` items, `per_worker` at least each."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return 1
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return 1
    cores = len(os.sched_getaffinity(0))
    return max(1, min(cores, MAX_WORKERS, count // per_worker))


def parse_all(items: Sequence[T], parse: Callable[[T], Loaded], processes: int | None = None) -> list[Loaded]:
    """`[parse(item) for item in items]`, shared out across `processes` (default: `workers`)."""
    count = processes if processes is not None else workers(len(items))
    return _shared(items, parse, _send_loaded, _receive_loaded, count)


def flag_all(
    items: Sequence[T], flag: Callable[[T], bool], per_worker: int, processes: int | None = None
) -> list[bool]:
    """`[flag(item) for item in items]`, shared out the same way (the sync's secret screen, issue 15)."""
    count = processes if processes is not None else workers(len(items), per_worker)
    return _shared(items, flag, bytes, _receive_flags, count)


def _send_loaded(loaded: list[Loaded]) -> bytes:
    return marshal.dumps([(source.path, to_plain(stamp, source)) for stamp, source in loaded])


def _receive_loaded(payload: bytes) -> list[Loaded]:
    received = marshal.loads(payload)  # noqa: S302 - from our own child, through a pipe
    return [from_plain(path, plain) for path, plain in received]


def _receive_flags(payload: bytes) -> list[bool]:
    if payload.strip(b"\0\1"):
        raise ValueError("not flags")
    return [byte == 1 for byte in payload]


def _shared(
    items: Sequence[T],
    work: Callable[[T], R],
    send: Callable[[list[R]], bytes],
    receive: Callable[[bytes], list[R]],
    processes: int,
) -> list[R]:
    count = min(len(items), processes)
    if count <= 1:
        return [work(item) for item in items]
    bounds = [len(items) * index // count for index in range(count + 1)]
    shares = [items[bounds[index] : bounds[index + 1]] for index in range(count)]
    children = [_fork(share, work, send) for share in shares[1:]]
    try:
        results = [work(item) for item in shares[0]]
        for index, share in enumerate(shares[1:]):
            child, children[index] = children[index], _Child(None, None)  # _collect reaps it, come what may
            results.extend(_collect(child, share, work, receive))
    except BaseException:  # Ctrl-C, say: leave no child behind
        for child in children:
            _abandon(child)
        raise
    return results


class _Child(NamedTuple):
    pid: int | None  # None when the fork itself failed, or once collected
    pipe: int | None


def _abandon(child: _Child) -> None:
    import signal  # only here: importing it builds its enums, about 2 ms

    if child.pid is None:
        return
    with contextlib.suppress(OSError):
        os.kill(child.pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.waitpid(child.pid, 0)
    if child.pipe is not None:
        with contextlib.suppress(OSError):
            os.close(child.pipe)


def _fork(share: Sequence[T], work: Callable[[T], R], send: Callable[[list[R]], bytes]) -> _Child:
    parent = os.getpid()
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return _Child(None, None)
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return _Child(None, None)
    if pid == 0:  # the child: work, send, and leave without running the parent's exit handlers
        status = 1
        try:
            os.close(read_end)
            done = []
            for item in share:
                if os.getppid() != parent:  # orphaned: nobody will read the result
                    break
                done.append(work(item))
            else:
                view = memoryview(send(done))
                while view:
                    view = view[os.write(write_end, view) :]
                status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return _Child(pid, read_end)


def _collect(child: _Child, share: Sequence[T], work: Callable[[T], R], receive: Callable[[bytes], list[R]]) -> list[R]:
    if child.pid is None or child.pipe is None:
        return [work(item) for item in share]
    chunks = []
    try:
        while chunk := os.read(child.pipe, 1 << 20):
            chunks.append(chunk)
    finally:
        os.close(child.pipe)
        _, status = os.waitpid(child.pid, 0)
    try:
        if status != 0:
            raise ValueError(f"status {status}")
        received = receive(b"".join(chunks))
        if len(received) != len(share):
            raise ValueError("short")
        return received
    except (ValueError, TypeError, EOFError):
        return [work(item) for item in share]  # the child failed: do its share here
