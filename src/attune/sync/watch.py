"""`empathy-sync-claude --watch`: a watchdog observer on `.empathy/` that keeps the rules current.

The observer thread only queues paths. The main loop waits for a quiet moment (a save is
often a burst: write, rename, chmod), re-reads only the files that changed, and renders
through the same `plan` and `apply` as a one-off sync, so that only changed rule files are
written. Rule files live outside `.empathy/`, so our own writes never wake the loop.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import FrameType
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from attune import config as config_mod
from attune import paths
from attune.config import Config
from attune.errors import Problem, UserError
from attune.patterns import store
from attune.patterns.model import Library, SourceFile
from attune.rules import index as rules_index
from attune.sync import render, report

QUIET = 0.05  # seconds without events that end a burst
LONGEST_WAIT = 0.3  # render at the latest this long after the first event of a burst
_IGNORED_EVENTS = frozenset({"opened", "closed_no_write"})
_Handler = Callable[[int, FrameType | None], Any] | int | None


class _Inbox(FileSystemEventHandler):
    """Called on the observer's thread: only records which paths changed."""

    def __init__(self) -> None:
        self.changed: dict[str, bool] = {}  # path -> it is a folder, to be read whole
        self.lock = threading.Lock()
        self.wake = threading.Event()

    def on_any_event(self, event: FileSystemEvent) -> None:
        # A folder's "modified" event only echoes a change to a file in it, reported anyway.
        if event.event_type in _IGNORED_EVENTS or (event.is_directory and event.event_type == "modified"):
            return
        with self.lock:
            for raw in (event.src_path, event.dest_path):
                if raw:
                    path = os.fsdecode(raw)
                    self.changed[path] = self.changed.get(path, False) or event.is_directory
            self.wake.set()

    def take(self) -> dict[str, bool]:
        with self.lock:
            changed, self.changed = self.changed, {}
            self.wake.clear()
            return changed


class _Project:
    """The library as last read, updated file by file."""

    def __init__(self, root: Path, config: Config) -> None:
        self.root = root
        self.config = config
        self.files: dict[str, SourceFile] = {}
        self.reload()

    def reload(self) -> None:
        """Everything, through the parse cache (a watch usually starts where the last sync left off)."""
        self.files = {f.path: f for f in store.load_library(self.root, self.config).files}

    def library(self) -> Library:
        return store.assemble(self.files.values())

    def refresh(self, changed: Mapping[str, bool]) -> tuple[list[str], str | None]:
        """Re-read what changed; returns the pattern files re-read and a config error, if any."""
        patterns_dir = (self.root / paths.PATTERNS_DIR).as_posix() + "/"
        templates_dir = (self.root / self.config.templates_dir).as_posix() + "/"
        config_file = (self.root / paths.CONFIG_FILE).as_posix()
        touched: list[str] = []
        for raw in sorted(changed):
            if raw == patterns_dir[:-1]:  # the whole patterns folder appeared or went away
                self.reload()
                return [paths.PATTERNS_DIR], None
            if raw == config_file:
                try:
                    self.config = config_mod.load(self.root)
                except UserError as exc:
                    return touched, str(exc)
                self.reload()
                return [paths.CONFIG_FILE], None
            if raw.startswith(templates_dir):
                touched.append(paths.relative(Path(raw), self.root))
            elif raw.startswith(patterns_dir):
                touched.extend(self._refresh_folder(Path(raw)) if changed[raw] else self._refresh_file(Path(raw)))
        return touched, None

    def _refresh_folder(self, path: Path) -> list[str]:
        """A folder created, deleted or moved: forget what was under it, read what is there now."""
        prefix = paths.relative(path, self.root) + "/"
        gone = [known for known in self.files if known.startswith(prefix)]
        for known in gone:
            del self.files[known]
        found = [p for p in store.pattern_files(self.root) if paths.relative(p, self.root).startswith(prefix)]
        for item in found:
            self.files[paths.relative(item, self.root)] = store.read_file(self.root, item, self.config)
        return sorted(set(gone) | {paths.relative(p, self.root) for p in found})

    def _refresh_file(self, path: Path) -> list[str]:
        rel = paths.relative(path, self.root)
        if not store.is_pattern_file(path.name):
            return []
        if path.is_file():
            self.files[rel] = store.read_file(self.root, path, self.config)
        else:
            self.files.pop(rel, None)
        return [rel]


def run(root: Path, config: Config, *, verbose: bool, quiet: bool, stop: threading.Event | None = None) -> int:
    """Sync, then keep syncing until Ctrl-C, SIGTERM or `stop` is set."""
    stop = stop if stop is not None else threading.Event()
    project = _Project(root, config)
    inbox = _Inbox()
    observer = Observer()
    observer.schedule(inbox, str(root / paths.EMPATHY_DIR), recursive=True)
    previous = _on_sigterm(stop)
    observer.start()
    try:
        _render(project, [], verbose=verbose, quiet=quiet)
        if not quiet:
            print(f"watching {paths.EMPATHY_DIR}/ for changes (Ctrl-C to stop)", flush=True)
        while not stop.is_set():
            if not inbox.wake.wait(timeout=0.2):
                continue
            _settle(inbox, stop)
            touched, error = project.refresh(inbox.take())
            if error is not None:
                print(f"empathy: error: {error}; keeping the previous config", file=sys.stderr, flush=True)
            elif touched:
                _render(project, touched, verbose=verbose, quiet=quiet)
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        observer.join()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    if not quiet:
        print("stopped watching", flush=True)
    return 0


def _settle(inbox: _Inbox, stop: threading.Event) -> None:
    """Wait until events stop arriving for QUIET seconds, or LONGEST_WAIT has passed."""
    deadline = time.monotonic() + LONGEST_WAIT
    seen = -1
    while not stop.is_set() and time.monotonic() < deadline:
        with inbox.lock:
            count = len(inbox.changed)
        if count == seen:
            return
        seen = count
        time.sleep(QUIET)


def _render(project: _Project, touched: list[str], *, verbose: bool, quiet: bool) -> None:
    started = time.perf_counter()
    library = project.library()
    try:
        plan = render.plan(project.root, project.config, library)
        render.apply(plan)
        rules_index.write(project.root, plan)  # what the hooks deliver (issue 13)
        others, other_problems = _sync_targets(project, library)
    except UserError as exc:  # a broken template override: say so and keep watching
        print(f"empathy: error: {exc}", file=sys.stderr, flush=True)
        return
    elapsed = (time.perf_counter() - started) * 1000
    shown = set(touched)
    for problem in sorted({*plan.problems, *other_problems}):
        if not touched or problem.path in shown:
            print(problem, file=sys.stderr, flush=True)
    if quiet:
        return
    changes = [f"{'wrote' if c.action == 'write' else 'removed'} {c.name}" for c in plan.pending] + others
    what = "; ".join(changes) if changes else "no rule changed"
    cause = f" after {_describe(touched)}" if touched else ""
    print(f"{time.strftime('%H:%M:%S')} {what}{cause} ({elapsed:.0f} ms)", flush=True)
    if verbose:
        print(report.token_report(plan), flush=True)
    report.budget_warning(plan, project.config)


def _sync_targets(project: _Project, library: Library) -> tuple[list[str], list[Problem]]:
    """The other configured agents' files, through the same plan and apply as a one-off sync (issue 16)."""
    names = [name for name in project.config.targets if name != "claude"]
    if not names:
        return [], []
    from attune.sync.targets import plan as targets_plan

    plans = targets_plan.plan(project.root, project.config, library, names)
    targets_plan.apply(project.root, plans)
    done = [f"{'wrote' if c.action == 'write' else 'removed'} {c.path}" for p in plans for c in p.pending]
    return done, [problem for p in plans for problem in p.problems]


def _describe(touched: list[str]) -> str:
    return touched[0] if len(touched) == 1 else f"{len(touched)} changes"


def _on_sigterm(stop: threading.Event) -> _Handler | None:
    """Stop cleanly on SIGTERM too; only the main thread may install a handler."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = signal.getsignal(signal.SIGTERM)
    signal.signal(signal.SIGTERM, handler)
    return previous
