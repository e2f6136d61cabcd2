"""Plan and apply a sync: render what changed, write atomically, remove what is gone.

No threads here: the watcher calls `plan` and `apply` from its own loop.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from attune import atomic, digest, paths
from attune.config import Config
from attune.errors import Problem
from attune.patterns.model import Library
from attune.sync import confine, rules, screen
from attune.sync.rules import Generated, Rule

if TYPE_CHECKING:
    import jinja2


class Change(NamedTuple):
    name: str  # file name inside the output directory
    action: str  # "write", "remove", "unchanged", "kept" (its sources are broken) or "blocked"
    old: str | None  # current text on disk
    new: str | None  # text to write
    tokens: int  # approximate tokens that reach the model once this change is applied
    always: bool  # loaded in every session (no `paths:`)
    rule: Rule | None


class Plan(NamedTuple):
    output_dir: Path
    changes: tuple[Change, ...]
    problems: tuple[Problem, ...]

    @property
    def pending(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.action in ("write", "remove"))


class Templates(NamedTuple):
    fingerprint: str  # a hash of every template that could shape a rule file, packaged or overridden
    builtin: bool  # only the packaged rules.md.j2 applies, unchanged: attune.sync.builtin renders it


def templates(root: Path, config: Config) -> Templates:
    from attune.sync import builtin
    from attune.sync.template import PACKAGED

    combined = digest.hasher()
    rule_templates = {builtin.TEMPLATE} | {f"{c.output}.md.j2" for c in config.categories}
    overridden = packaged = False
    override = confine.folder(root, config.templates_dir, "templates")
    for directory in (override, PACKAGED):
        for name, data in _template_files(directory):
            combined.update(f"{directory == PACKAGED}:{name}\0".encode())
            combined.update(data)
            if name not in rule_templates:
                continue
            if directory == PACKAGED and name == builtin.TEMPLATE:
                packaged = digest.fingerprint(data) == builtin.TEMPLATE_DIGEST
            else:
                overridden = True
    return Templates(combined.hexdigest(), packaged and not overridden)


def _template_files(directory: Path | None) -> list[tuple[str, bytes]]:
    """Each `.j2` file's name and bytes; for a link or a special file, what it points to (never read
    through it: the sandbox's loader refuses it when it is rendered)."""
    if directory is None:
        return []
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = []
    for entry in entries:
        if not entry.name.endswith(".j2"):
            continue
        if entry.is_file(follow_symlinks=False):
            found.append((entry.name, Path(entry.path).read_bytes()))
        elif entry.is_symlink():
            found.append((entry.name, b"symlink:" + os.fsencode(os.readlink(entry.path))))
        elif not entry.is_dir(follow_symlinks=False):
            found.append((entry.name, b"special file"))
    return found


Renderer = Callable[[Rule], str]


def renderer(root: Path, config: Config, *, builtin: bool) -> Renderer:
    """`builtin`: render the packaged template without Jinja (see attune.sync.builtin)."""
    if builtin:
        from attune.sync import builtin as packaged

        return lambda rule: finish(packaged.render_body(rule))
    environment = _environment(root, config)
    return lambda rule: render_body(environment, rule, root)


def read_generated(output_dir: Path) -> tuple[dict[str, Generated], set[str]]:
    """Our files in the output directory, and the names of Markdown files that are not ours."""
    ours: dict[str, Generated] = {}
    foreign: set[str] = set()
    try:
        entries = sorted(os.scandir(output_dir), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return ours, foreign
    for entry in entries:
        if not entry.name.endswith(".md") or entry.name.startswith("."):
            continue
        if not entry.is_file(follow_symlinks=False):  # a link: never read or written through (issue 11)
            if entry.is_symlink():
                foreign.add(entry.name)
            continue
        try:
            text = Path(entry.path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            foreign.add(entry.name)
            continue
        generated = rules.parse_generated(text)
        if generated is None:
            foreign.add(entry.name)
        else:
            ours[entry.name] = generated
    return ours, foreign


def plan(root: Path, config: Config, library: Library, *, force: bool = False, jinja: bool = False) -> Plan:
    """What a sync would do; `jinja` renders the packaged template with Jinja too (for tests).

    Jinja is imported only when some file must be rendered and a template is overridden.
    """
    output_dir = root / config.output_dir
    confine.folder(root, config.output_dir, "rule files")
    existing, foreign = read_generated(output_dir)
    found = templates(root, config)
    problems = list(library.problems)
    held = screen.unsafe_names(library.usable)
    problems += held.values()
    usable = [p for p in library.usable if p.file not in held]
    groups = rules.group(usable, config, found.fingerprint)
    # Scan what is about to be rendered (issue 10): a no-op sync renders, and so scans, nothing.
    stale = [p for r in groups if _stale(existing.get(r.name), r, force) for p in r.patterns]
    leaks = screen.secrets(root, stale, usable, rendered_only=found.builtin)  # the fields it shows (issue 15)
    if leaks:
        problems += [problem for found_here in leaks.values() for problem in found_here]
        usable = [p for p in usable if p.file not in leaks]
        groups = rules.group(usable, config, found.fingerprint)
    broken = library.broken | set(held) | set(leaks)
    kept = {name for name, generated in existing.items() if generated.source_files & broken}
    render_rule: Renderer | None = None
    changes: list[Change] = []
    for rule in groups:
        old = existing.get(rule.name)
        always = not rule.paths
        if rule.name in kept:
            changes.append(Change(rule.name, "kept", old.text if old else None, None, _tokens(old), always, rule))
            continue
        if rule.name in foreign:
            where = paths.relative(output_dir / rule.name, root)
            problems.append(
                Problem(
                    where,
                    1,
                    "exists but was not written by empathy-sync-claude, so it is left alone; "
                    "rename it to let the sync write its patterns",
                )
            )
            changes.append(Change(rule.name, "blocked", None, None, 0, always, rule))
            continue
        if old is not None and not _stale(old, rule, force):
            changes.append(Change(rule.name, "unchanged", old.text, old.text, rules.tokens(old.body), always, rule))
            continue
        if render_rule is None:
            render_rule = renderer(root, config, builtin=found.builtin and not jinja)
        body = render_rule(rule)
        text = rules.assemble(rule, body)
        action = "unchanged" if old is not None and old.text == text else "write"
        changes.append(Change(rule.name, action, old.text if old else None, text, rules.tokens(body), always, rule))
    planned = {rule.name for rule in groups}
    for name, old in existing.items():
        if name in planned:
            continue
        if name in kept:
            changes.append(
                Change(name, "kept", old.text, None, rules.tokens(old.body), not old.text.startswith("---"), None)
            )
        else:
            changes.append(Change(name, "remove", old.text, None, 0, False, None))
    changes.sort(key=lambda c: c.name)
    return Plan(output_dir, tuple(changes), tuple(sorted(set(problems))))


def apply(plan: Plan) -> None:
    # A sync killed mid-write leaves its temporary files; no other code removes them (issue 11).
    confine.remove_stale_temporaries(plan.output_dir)
    for change in plan.pending:
        target = plan.output_dir / change.name
        if change.action == "write" and change.new is not None:
            atomic.write_atomic(target, change.new, durable=False)  # regenerated by the next sync
        elif change.action == "remove":
            target.unlink(missing_ok=True)


def diff(plan: Plan, root: Path) -> str:
    return "".join(
        file_diff(paths.relative(plan.output_dir / change.name, root), change.old, change.new)
        for change in plan.pending
    )


def file_diff(name: str, old: str | None, new: str | None) -> str:
    """A unified diff of one generated file, as `git diff` names it (`/dev/null` for a new or removed file)."""
    import difflib

    return "".join(difflib.unified_diff(
        (old or "").splitlines(keepends=True), (new or "").splitlines(keepends=True),
        f"a/{name}" if old is not None else "/dev/null", f"b/{name}" if new is not None else "/dev/null",
    ))  # fmt: skip


def _stale(old: Generated | None, rule: Rule, force: bool) -> bool:
    return old is None or old.sources != rule.sources or not old.intact or force


def _tokens(generated: Generated | None) -> int:
    return rules.tokens(generated.body) if generated is not None else 0


def _environment(root: Path, config: Config) -> jinja2.Environment:
    from attune.sync import template

    return template.environment(root, config.templates_dir)


def render_body(env: jinja2.Environment, rule: Rule, root: Path) -> str:
    """A rule file's body as the model sees it; `patterns review` renders past revisions with it too."""
    from attune.sync import template

    context = {"category": rule.category, "paths": list(rule.paths), "patterns": list(rule.patterns)}
    return finish(template.render(env, [f"{rule.category.output}.md.j2", "rules.md.j2"], context, root))


def finish(body: str) -> str:
    """A rendered body ends with exactly one newline, whatever the template leaves."""
    return body.rstrip("\n") + "\n"
