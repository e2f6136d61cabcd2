"""The `empathy` command line: parse arguments and dispatch; each branch imports what it needs."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from attune import __version__
from attune.errors import UserError

if TYPE_CHECKING:
    import argparse

_Args = TypeVar("_Args")


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["hook"]:  # the hot path: no argparse, no parser to build (issue 4)
        return _hook(args_list[1:])
    if args_list[:1] == ["sync"] and (plain := sync_arguments(args_list[1:])) is not None:
        return _guarded(_sync, plain)  # the main job, read without argparse (see sync_arguments)
    # Only the named command's parser is built: building all of them costs ~10 ms of every run.
    # `--version` needs no command's parser: building them all cost it 6.7 of 34 ms of CPU (issue 15).
    parser = _parser(args_list[0] if args_list[:1] and args_list[0] in PARSERS else None,
                     bare=args_list[:1] == ["--version"])  # fmt: skip
    args = parser.parse_args(args_list)
    if args.command is None:
        parser.print_help()
        return 2
    return _guarded(_dispatch, args)


def _hook(argv: list[str]) -> int:
    """`empathy hook EVENT`, without the cycle collector from the first hook module on.

    hooks.runner turns it off for the call; its imports run before that, and the collector's
    passes over the objects they create cost a clean 1 KB Write 1 ms of its 28 ms of CPU (median
    of 41 interleaved runs), for nothing the process's exit would not reclaim. In-process callers
    (tests, the fuzzer) get it back as they had it.
    """
    import gc

    collecting = gc.isenabled()
    gc.disable()
    try:
        from attune.hooks import runner

        return runner.main(argv)
    finally:
        if collecting:
            gc.enable()


def _guarded(command: Callable[[_Args], int], args: _Args) -> int:
    """Run a command: a UserError is one line on stderr and exit 1, Ctrl-C exits 130."""
    try:
        return command(args)
    except UserError as exc:
        print(f"empathy: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _pipe_closed()


def _pipe_closed() -> int:
    """The reader went away (`empathy costs | head -1`): stop quietly, as `yes | head` does (issue 15).

    Standard output is pointed at /dev/null so that the interpreter's last flush does not
    raise again on the way out; 141 is what a shell reports for a process its pipe ended.
    """
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 141


class SyncArguments(NamedTuple):
    root: str | None = None
    dry_run: bool = False
    check: bool = False
    watch: bool = False
    verbose: bool = False
    quiet: bool = False
    force: bool = False
    target: str | None = None  # --target NAME goes through argparse (issue 16)


def sync_arguments(argv: Sequence[str]) -> SyncArguments | None:
    """`empathy sync` arguments as argparse would read them, when they are plain; else None.

    It pays for itself: without it, a no-op sync of 100 patterns takes 15% more CPU time (53 ms,
    not 45) and one of 1,000 patterns 10% more (66 ms, not 59), by `python -m
    benchmarks.bench_startup` (issue 15). Plain means the flags spelled out in full
    and `--root DIR` or `--root=DIR`. Anything else (--help, a typo, an abbreviation, combined
    short flags, two exclusive modes) goes to argparse, which explains it. tests/test_cli.py
    holds the two readers to the same answers.
    """
    root = None
    dry_run = check = watch = verbose = quiet = force = False
    arguments = iter(argv)
    for arg in arguments:
        if arg == "--dry-run":
            dry_run = True
        elif arg == "--check":
            check = True
        elif arg == "--watch":
            watch = True
        elif arg in ("-v", "--verbose"):
            verbose = True
        elif arg in ("-q", "--quiet"):
            quiet = True
        elif arg == "--force":
            force = True
        elif arg == "--root":
            value = next(arguments, None)
            if value is None or value.startswith("-"):
                return None
            root = value
        elif arg.startswith("--root="):
            root = arg.removeprefix("--root=")
        else:
            return None
    if sum((dry_run, check, watch)) > 1 or (verbose and quiet):
        return None
    return SyncArguments(
        root=root, dry_run=dry_run, check=check, watch=watch, verbose=verbose, quiet=quiet, force=force
    )


def _sync(args: SyncArguments) -> int:
    from attune.sync import command as sync_command

    return sync_command.sync(
        root=args.root, dry_run=args.dry_run, check=args.check, verbose=args.verbose, quiet=args.quiet,
        watch=args.watch, force=args.force, target=args.target,
    )  # fmt: skip


def sync_main(argv: Sequence[str] | None = None) -> int:
    """`empathy sync` by its other name, `empathy-sync-claude`."""
    return main(["sync", *(sys.argv[1:] if argv is None else argv)])


def run() -> None:
    """The `empathy` console script."""
    code = main()
    # A hook runs on every tool call (issue 4) and `memory recall` answers one question (issue 13): no teardown.
    if sys.argv[1:2] in (["sync"], ["hook"]) or sys.argv[1:3] == ["memory", "recall"]:
        _leave(code)
    sys.exit(code)


def run_sync() -> None:
    """The `empathy-sync-claude` console script."""
    _leave(sync_main())


def _leave(code: int) -> None:
    """End a sync at once, as mypy ends its runs, instead of freeing every object one by one.

    Tearing the interpreter down costs a no-op sync of 100 patterns 12% of its CPU time (6 ms of
    51) and one of 1,000 patterns 9% (6 ms of 65), by `python -m benchmarks.bench_startup` (issue
    15), and `memory recall` over 10,000 patterns 10% (57.5 against 51.8 ms CPU, median of 21
    interleaved runs), and does nothing either needs: files are written and closed, the index's
    connection is closed. So output is flushed and the
    process exits, unless another thread is still running (then the ordinary exit waits for
    it, as it should).
    """
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said there
            if code == 0:
                code = 1
    os._exit(code)


def _dispatch(args: argparse.Namespace) -> int:
    """One explicit, type-checked call per command; each branch imports only its own module."""
    command = args.command
    if command == "init":
        from attune import scaffold

        return scaffold.init(root=args.root, targets=args.targets)
    if command == "sync":
        plain = SyncArguments(
            root=args.root, dry_run=args.dry_run, check=args.check, watch=args.watch, verbose=args.verbose,
            quiet=args.quiet, force=args.force, target=args.target,
        )  # fmt: skip
        return _sync(plain)
    if command == "scan":
        from attune.scan import command as scan_command

        return scan_command.scan(
            paths=args.paths, only=args.only, staged=args.staged, baseline=args.baseline,
            update_baseline=args.update_baseline, output_format=args.output_format, quiet=args.quiet,
            history=args.history,
        )  # fmt: skip
    if command == "doctor":
        from attune import doctor

        return doctor.doctor(root=args.root)
    if command == "route":
        from attune.llm import command as llm_command

        return llm_command.route(
            task=args.task, input_tokens=args.input_tokens, output_tokens=args.output_tokens, tier=args.tier,
            json_output=args.json_output, root=args.root,
        )  # fmt: skip
    if command == "costs":
        from attune.llm import command as llm_command

        return llm_command.costs(since=args.since, json_output=args.json_output, root=args.root)
    group, _, action = command.partition(" ")
    if group == "patterns":
        return _patterns_command(action, args)
    if group == "hooks":
        return _hooks_command(action, args)
    if group == "memory":
        return _memory_command(action, args)
    if group == "wizard":
        return _wizard_command(action, args)
    if command == "report":
        from attune.report import command as report_command

        return report_command.report(
            out=args.out, days=args.days, open_page=args.open_page, as_json=args.as_json, root=args.root
        )
    if command == "agents":
        from attune.team import command as team_command

        return team_command.agents(root=args.root, as_json=args.as_json)
    if command == "agents release":
        from attune.team import command as team_command

        return team_command.release(target=args.target, root=args.root, as_json=args.as_json)
    if command == "signal send":
        from attune.team import command as team_command

        return team_command.send(
            message=args.message, to=args.to, everyone=args.everyone, sender=args.sender, root=args.root
        )
    if command == "signal list":
        from attune.team import command as team_command

        return team_command.list_signals(inbox=args.inbox, take=args.take, root=args.root)
    if command == "mcp":
        from attune.mcp import command as mcp_command

        return mcp_command.serve(root=args.root)
    if command == "mcp install":
        from attune.mcp import command as mcp_command

        return mcp_command.install(scope=args.scope, client=args.client, dry_run=args.dry_run, root=args.root)
    if command == "rules explain":
        from attune.rules import explain

        return explain.explain(root=args.root, path=args.path, sessions=args.sessions)
    raise NotImplementedError(f"command {command!r} has a parser but no dispatch branch")


def _patterns_command(action: str, args: argparse.Namespace) -> int:
    """`empathy patterns ACTION`: one explicit call per action."""
    from attune.patterns import command as patterns_command

    if action == "validate":
        return patterns_command.validate(files=args.files, strict=args.strict, root=args.root)
    if action == "list":
        return patterns_command.list_patterns(category=args.category, status=args.status, root=args.root)
    if action == "new":
        return patterns_command.new(category=args.category, title=args.title, globs=args.globs, root=args.root)
    if action == "stage":
        return patterns_command.stage(
            category=args.category, title=args.title, body=args.body, body_file=args.body_file, globs=args.globs,
            confidence=args.confidence, source=args.source, root=args.root,
        )  # fmt: skip
    if action == "staged":
        return patterns_command.staged(as_json=args.as_json, root=args.root)
    if action == "promote":
        return patterns_command.promote(pattern_id=args.pattern_id, category=args.category, root=args.root)
    if action == "reject":
        return patterns_command.reject(pattern_id=args.pattern_id, reason=args.reason, root=args.root)
    if action == "review":
        return patterns_command.review(
            base=args.base, head=args.head, output_format=args.output_format, root=args.root, quiet=args.quiet
        )
    if action == "extract":
        from attune.llm import extract

        return extract.extract(since=args.since, offline=args.offline, root=args.root, quiet=args.quiet)
    raise NotImplementedError(f"command 'patterns {action}' has a parser but no dispatch branch")


def _hooks_command(action: str, args: argparse.Namespace) -> int:
    """`empathy hooks ACTION`: one explicit call per action."""
    from attune.hooks import command as hooks_command

    if action == "install":
        return hooks_command.install_hooks(
            scope=args.scope, dry_run=args.dry_run, root=args.root, hook_command=args.hook_command, git=args.git
        )
    if action == "uninstall":
        return hooks_command.uninstall_hooks(scope=args.scope, dry_run=args.dry_run, root=args.root, git=args.git)
    if action == "status":
        return hooks_command.status(root=args.root)
    raise NotImplementedError(f"command 'hooks {action}' has a parser but no dispatch branch")


def _memory_command(action: str, args: argparse.Namespace) -> int:
    """`empathy memory ACTION`: one explicit call per action."""
    from attune.memory import command as memory_command

    if action == "recall":
        return memory_command.recall(
            query=args.query, days=args.days, limit=args.limit, as_json=args.as_json, root=args.root
        )
    if action == "stash":
        return memory_command.stash(key=args.key, value=args.value, ttl=args.ttl, agent=args.agent, root=args.root)
    if action == "get":
        return memory_command.get(key=args.key, agent=args.agent, root=args.root)
    if action == "list":
        return memory_command.list_keys(prefix=args.prefix, agent=args.agent, root=args.root)
    if action == "forget":
        return memory_command.forget(key=args.key, agent=args.agent, root=args.root)
    if action == "clear":
        return memory_command.clear(root=args.root)
    raise NotImplementedError(f"command 'memory {action}' has a parser but no dispatch branch")


def _wizard_command(action: str, args: argparse.Namespace) -> int:
    """`empathy wizard ACTION`: one explicit call per action."""
    from attune.llm.wizards import run as wizard_run

    if action == "list":
        return wizard_run.list_wizards(root=args.root)
    if action == "run":
        return wizard_run.run(name=args.name, args=args.args, show_help=args.show_help)
    if action == "trigger":
        from attune.llm import trigger

        return trigger.trigger(event=args.event, session_id=args.session_id, root=args.root)
    raise NotImplementedError(f"command 'wizard {action}' has a parser but no dispatch branch")


def _root(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--root", metavar="DIR", help="project root (default: the git top level, else the current directory)"
    )


def _scan_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    scan = commands.add_parser(
        "scan",
        help="find secrets and personal data in files; exit 1 on findings (pre-commit, CI)",
        description="Scan files and directories (default: the current directory; .gitignore respected, binary "
        "files skipped) for secrets and personal data. Prints path:line: type: masked-value; never a full "
        "secret. Exit 0 when clean, 1 with findings, 2 on usage errors. A line with `pragma: allowlist secret` "
        "is skipped; findings recorded in the detect-secrets baseline (.secrets.baseline) are not reported again.",
    )
    scan.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: .)")
    kind = scan.add_mutually_exclusive_group()
    kind.add_argument("--secrets", dest="only", action="store_const", const="secrets", help="only secrets")
    kind.add_argument("--pii", dest="only", action="store_const", const="pii", help="only personal data")
    scan.add_argument("--staged", action="store_true", help="scan the staged content (the index), not the files")
    scan.add_argument(
        "--baseline", metavar="FILE", help="a detect-secrets baseline (default: .secrets.baseline at the git top level)"
    )
    scan.add_argument(
        "--update-baseline", action="store_true", help="record every current finding in the baseline and exit 0"
    )
    scan.add_argument(
        "--format", dest="output_format", choices=("text", "json", "sarif"), default="text", help="output format"
    )
    scan.add_argument("-q", "--quiet", action="store_true", help="no progress line on a terminal")
    scan.add_argument(
        "--history",
        nargs="?",
        const="",
        metavar="RANGE",
        help="scan the lines commits added (default: all of HEAD's history; e.g. main..HEAD), not the files",
    )
    scan.set_defaults(command="scan", only=None)


def _review_parsers(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    review = actions.add_parser(
        "review",
        help="what a branch does to the library: patterns, rule files, tokens, problems, duplicates",
        description="Compare the pattern library at --head with where it left --base (their merge base, as a pull "
        "request's diff does), reading both from git: committed work only, never the working tree. Reports patterns "
        "added, changed, removed and promoted, the patterns and globs each rule file gains or loses, the change in "
        "tokens loaded in every session, validation problems in the changed files and near-duplicate patterns. "
        "Exit 0 whatever it finds; 1 on errors such as an unknown ref.",
    )
    review.add_argument("--base", required=True, metavar="REF", help="where the change goes, e.g. origin/main")
    review.add_argument(
        "--head",
        default="HEAD",
        metavar="REF",
        help="the change (default HEAD, the last commit; uncommitted work is not reviewed)",
    )
    review.add_argument(
        "--format", dest="output_format", choices=("markdown", "json"), default="markdown",
        help="markdown (a pull-request comment, the default) or json",
    )  # fmt: skip
    review.add_argument("-q", "--quiet", action="store_true", help="no progress line on a terminal")
    _root(review)
    review.set_defaults(command="patterns review")

    extract = actions.add_parser(
        "extract",
        help="stage a draft debugging pattern for each bug-fix commit since REF",
        description="Find the commits in REF..HEAD that fix bugs (by their message and diff) and run the "
        "bug-pattern wizard on each: with an API key it drafts with the model, without one offline from the "
        "message and diff. Drafts go to .empathy/staging/ with the commit as source; commits already staged or "
        "in the library are skipped. One line per commit.",
    )
    extract.add_argument("--since", required=True, metavar="REF", help="look at commits after this one, e.g. v1.2")
    extract.add_argument("--offline", action="store_true", help="do not call the API: offline drafts only")
    extract.add_argument("-q", "--quiet", action="store_true", help="no progress line on a terminal")
    _root(extract)
    extract.set_defaults(command="patterns extract")


def _parser(only: str | None = None, *, bare: bool = False) -> argparse.ArgumentParser:
    """The whole parser, with `only` the parser of that one command (start-up pays for one), or
    with `bare` none of the commands' parsers."""
    import argparse  # not at the top: `empathy hook` (every tool call) never needs it

    class Parser(argparse.ArgumentParser):  # the subcommands' parsers are of the same class, so the same width
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("formatter_class", _formatter)
            super().__init__(*args, **kwargs)

    parser: argparse.ArgumentParser = Parser(
        prog="empathy",
        description="Attune Companion: a git-reviewed pattern library for Claude Code, synced into path-scoped rules.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.set_defaults(command=None)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name, build in PARSERS.items():
        if not bare and (only is None or name == only):
            build(commands)
    return parser


def _formatter(prog: str) -> argparse.HelpFormatter:
    """argparse's help formatter, told the terminal's width (issue 15: start-up).

    Left to find the width itself, argparse imports shutil (and with it bz2 and lzma) in the
    formatter it builds for every argument added: 2.0 ms of every command's start-up, about 4%
    of `empathy memory recall` (`python -X importtime`, best of 5 runs).
    """
    import argparse

    return argparse.HelpFormatter(prog, width=_columns() - 2)


@functools.cache
def _columns() -> int:
    """shutil.get_terminal_size's columns: $COLUMNS, else the terminal's, else 80."""
    with contextlib.suppress(KeyError, ValueError):
        if (columns := int(os.environ["COLUMNS"])) > 0:
            return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):  # no stdout at all, or not a terminal
        return 80


def _init_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    init = commands.add_parser(
        "init",
        help="create .empathy/ with a commented config, category folders and examples",
        description="Create .empathy/ in the project: config.yaml, one folder per category with an example "
        "pattern, and .gitignore entries for local state. Existing files are never overwritten.",
    )
    _root(init)
    init.add_argument(
        "--targets", metavar="NAMES", help="agents to write for, e.g. claude,cursor (saved as targets: in the config)"
    )  # issue 16
    init.set_defaults(command="init")


def _sync_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sync = commands.add_parser(
        "sync",
        help="render the pattern library into .claude/rules/attune/ (also: empathy-sync-claude)",
        description="Render active patterns into Claude Code rule files: one file per category and set of "
        "paths: globs. Only files whose content changed are written; generated files whose patterns are gone "
        "are removed; files without our marker are never touched.",
    )
    _root(sync)
    mode = sync.add_mutually_exclusive_group()
    mode.add_argument(
        "--dry-run", action="store_true", help="show what would change, write nothing (with --verbose: a diff)"
    )
    mode.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the rules are out of date or a pattern has errors (CI, pre-commit)",
    )
    mode.add_argument(
        "--watch", action="store_true", help="keep running and re-render whenever .empathy/ changes (Ctrl-C stops)"
    )
    noise = sync.add_mutually_exclusive_group()
    noise.add_argument("-v", "--verbose", action="store_true", help="also report the approximate tokens of every file")
    noise.add_argument("-q", "--quiet", action="store_true", help="print only problems and warnings")
    sync.add_argument("--force", action="store_true", help="re-render every file, even those with unchanged sources")
    sync.add_argument(
        "--target",
        metavar="NAME",
        help="sync only this agent's files this once: claude, agents-md, cursor, copilot, gemini",
    )  # issue 16
    sync.add_argument("--version", action="version", version=f"empathy {__version__}")  # for empathy-sync-claude
    sync.set_defaults(command="sync")


def _patterns_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    patterns = commands.add_parser(
        "patterns",
        help="validate, list and create patterns",
        description="Work with the pattern library under .empathy/patterns/.",
    )
    patterns.set_defaults(command=None)
    actions = patterns.add_subparsers(title="actions", metavar="ACTION", required=True)

    validate = actions.add_parser(
        "validate",
        help="report every problem as path:line: message; exit 1 on errors",
        description="Check pattern files (default: the whole library) and the config: YAML, fields, types, "
        "duplicate ids, category folders, globs Claude Code would mishandle, and text that tries to override "
        "the model's instructions (a warning).",
    )
    validate.add_argument("files", nargs="*", metavar="FILE", help="pattern files to report on (default: all)")
    validate.add_argument("--strict", action="store_true", help="treat warnings as errors")
    _root(validate)
    validate.set_defaults(command="patterns validate")

    listing = actions.add_parser("list", help="list patterns with their id, status, scope and title")
    listing.add_argument("--category", metavar="C", help="only this category")
    listing.add_argument("--status", metavar="S", choices=("active", "staged", "deprecated"), help="only this status")
    _root(listing)
    listing.set_defaults(command="patterns list")

    new = actions.add_parser(
        "new",
        help="write a new pattern file from the template and print its path",
        description="Write .empathy/patterns/CATEGORY/<slug>.md from the pattern template, ready to edit.",
    )
    new.add_argument("category", metavar="CATEGORY", help="a configured category, e.g. debugging")
    new.add_argument("title", metavar="TITLE", help="the pattern's title, in quotes")
    new.add_argument(
        "--paths", nargs="+", dest="globs", metavar="GLOB", default=[], help="globs it applies to (default: everywhere)"
    )
    _root(new)
    new.set_defaults(command="patterns new")
    _review_parsers(actions)

    stage = actions.add_parser(
        "stage",
        help="stage a draft pattern for review and print its id",
        description="Write a draft into .empathy/staging/ for review. A secret refuses it (exit 1); personal "
        "data is scrubbed; a classification (PUBLIC, INTERNAL, SENSITIVE) is detected and recorded.",
    )
    stage.add_argument("--category", required=True, metavar="C", help="a configured category")
    stage.add_argument("--title", required=True, metavar="T")
    body_from = stage.add_mutually_exclusive_group(required=True)
    body_from.add_argument("--body", metavar="TEXT", help="the pattern's Markdown body")
    body_from.add_argument("--body-file", metavar="F", help="read the body from a file")
    stage.add_argument("--paths", nargs="+", dest="globs", metavar="GLOB", default=[], help="globs it applies to")
    stage.add_argument("--confidence", type=float, metavar="X", help="0 to 1")
    stage.add_argument("--source", metavar="S", help="the commit, pull request or URL it was learned from")
    _root(stage)
    stage.set_defaults(command="patterns stage")
    staged_list = actions.add_parser("staged", help="list staged drafts waiting for review")
    staged_list.add_argument("--json", dest="as_json", action="store_true", help="print a JSON list")
    _root(staged_list)
    staged_list.set_defaults(command="patterns staged")
    promote = actions.add_parser(
        "promote",
        help="validate a staged draft and move it into the library as active",
        description="Validate the draft and move it into .empathy/patterns/CATEGORY/ as active; a SENSITIVE "
        "one goes to .empathy/private/patterns/ instead (git-ignored, never synced).",
    )
    promote.add_argument("pattern_id", metavar="ID")
    promote.add_argument("--category", metavar="C", help="file it under another category")
    _root(promote)
    promote.set_defaults(command="patterns promote")
    reject = actions.add_parser("reject", help="drop a staged draft (a copy stays in .empathy/private/rejected/)")
    reject.add_argument("pattern_id", metavar="ID")
    reject.add_argument("--reason", metavar="TEXT", help="recorded in the audit log")
    _root(reject)
    reject.set_defaults(command="patterns reject")


def _hook_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    hook = commands.add_parser(
        "hook",
        help="answer a Claude Code hook event (run by Claude Code, reads JSON on stdin)",
        description="Run by Claude Code: `empathy hook EVENT` reads the event's JSON payload on stdin and "
        "answers on stdout and through its exit code. Install it with `empathy hooks install`.",
    )
    hook.add_argument("event", metavar="EVENT", help="Claude Code's event name, e.g. PreToolUse")


def _hooks_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    hooks = commands.add_parser(
        "hooks",
        help="install, remove or show our hooks in Claude Code's settings",
        description="Merge attune's hook handlers into a Claude Code settings file, touching only our own entries.",
    )
    hooks.set_defaults(command=None)
    hook_actions = hooks.add_subparsers(title="actions", metavar="ACTION", required=True)
    scope_help = (
        "project: .claude/settings.json (committed); local: .claude/settings.local.json; user: ~/.claude/settings.json"
    )
    for name, text in (
        ("install", "merge our handlers into a settings file"),
        ("uninstall", "remove exactly our handlers"),
    ):
        action = hook_actions.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
        action.add_argument("--scope", choices=("project", "local", "user"), default="project", help=scope_help)
        action.add_argument("--dry-run", action="store_true", help="print the diff and write nothing")
        action.add_argument(
            "--git", action="store_true", help=f"{name} the git post-commit hook that starts commit wizards instead"
        )
        _root(action)
        if name == "install":
            action.add_argument(
                "--command",
                dest="hook_command",
                metavar="CMD",
                help="what runs empathy, e.g. '/opt/venv/bin/empathy' or 'python3 -m attune' (default for project: "
                "the project's .venv, venv, then PATH; otherwise this installation's absolute path)",
            )
        action.set_defaults(command=f"hooks {name}")
    status = hook_actions.add_parser("status", help="show which settings files hold our hooks")
    _root(status)
    status.set_defaults(command="hooks status")


def _memory_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    memory = commands.add_parser(
        "memory",
        help="recall past sessions and patterns about a subject",
        description="File-first memory of this project: past sessions (from the hooks) and the pattern library.",
    )
    memory.set_defaults(command=None)
    memory_actions = memory.add_subparsers(title="actions", metavar="ACTION", required=True)
    recall = memory_actions.add_parser(
        "recall",
        help="rank past sessions and patterns by relevance and recency",
        description="Search the session records and the pattern library; the most relevant and recent first.",
    )
    recall.add_argument("query", metavar="QUERY", help="words to look for, e.g. 'password hashing'")
    recall.add_argument("--days", type=float, metavar="N", help="only what changed in the last N days")
    recall.add_argument("--limit", type=int, default=10, metavar="N", help="at most N results (default 10)")
    recall.add_argument("--json", dest="as_json", action="store_true", help="print a JSON list")
    _root(recall)
    recall.set_defaults(command="memory recall")
    stash = memory_actions.add_parser(
        "stash",
        help="remember a value for a while (JSON if it parses as JSON, else text)",
        description="Store VALUE under KEY in working memory. The key's prefix picks how long it lives: "
        "working: 1 h (default), staged: 24 h, coordination: 5 min, session: 30 min (memory.ttl in the "
        "config). A value holding a secret is refused (exit 1); personal data is scrubbed first.",
    )
    stash.add_argument("key", metavar="KEY")
    stash.add_argument("value", metavar="VALUE")
    stash.add_argument("--ttl", type=float, metavar="SECONDS", help="how long to keep it (default: the key's class)")
    stash.add_argument("--agent", metavar="ID", help="keep it private to this agent")
    _root(stash)
    stash.set_defaults(command="memory stash")
    get = memory_actions.add_parser("get", help="print a remembered value (exit 1 when there is none)")
    get.add_argument("key", metavar="KEY")
    get.add_argument("--agent", metavar="ID", help="look in this agent's memory first, then the shared one")
    _root(get)
    get.set_defaults(command="memory get")
    listing_memory = memory_actions.add_parser("list", help="list remembered keys, with time left")
    listing_memory.add_argument("prefix", metavar="PREFIX", nargs="?", default="", help="only keys starting with it")
    listing_memory.add_argument("--agent", metavar="ID", help="also this agent's private keys")
    _root(listing_memory)
    listing_memory.set_defaults(command="memory list")
    forget = memory_actions.add_parser("forget", help="forget one key (exit 1 when there was nothing)")
    forget.add_argument("key", metavar="KEY")
    forget.add_argument("--agent", metavar="ID", help="this agent's private entry")
    _root(forget)
    forget.set_defaults(command="memory forget")
    clear = memory_actions.add_parser("clear", help="forget everything in working memory")
    _root(clear)
    clear.set_defaults(command="memory clear")


def _agents_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`empathy agents` and `empathy signal`: live state shared by sessions and teammates (issue 14)."""
    agents = commands.add_parser(
        "agents",
        help="active sessions, the files they hold (leases) and pending signals; `agents release FILE|SESSION`",
        description="Show the live state every session of this repository shares: sessions, file leases, signals.",
    )
    agents.add_argument("--json", action="store_true", dest="as_json", help="print JSON")
    _root(agents)
    agents.set_defaults(command="agents")
    agents_actions = agents.add_subparsers(title="actions", metavar="ACTION")
    release = agents_actions.add_parser("release", help="free a file's lease, or every lease of a session")
    release.add_argument("target", metavar="FILE|SESSION")
    _root(release)
    release.set_defaults(command="agents release")


def _signal_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    signal = commands.add_parser("signal", help="send messages to other sessions and agents; list pending ones")
    signal.set_defaults(command=None)
    signal_actions = signal.add_subparsers(title="actions", metavar="ACTION", required=True)
    send = signal_actions.add_parser(
        "send",
        help="send MESSAGE to a session or agent (--to), or to every other active session (--all, the default)",
        description="The message reaches each session's model at its next prompt or tool result, once.",
    )
    send.add_argument("message", metavar="MESSAGE")
    send.add_argument("--to", metavar="SESSION", help="a session id (or its first characters), or an agent name")
    send.add_argument("--all", action="store_true", dest="everyone", help="every other active session")
    send.add_argument("--from", dest="sender", metavar="NAME", help="who sends it (default: this session or user)")
    _root(send)
    send.set_defaults(command="signal send")
    listing = signal_actions.add_parser("list", help="pending signals (--for INBOX --take receives them, once)")
    listing.add_argument("--for", dest="inbox", metavar="INBOX", help="only this session's or agent's signals")
    listing.add_argument("--take", action="store_true", help="remove what is printed: receive it")
    _root(listing)
    listing.set_defaults(command="signal list")


def _doctor_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    doctor = commands.add_parser(
        "doctor",
        help="check the installation, Claude Code settings, the library, the rules and which rules load",
        description="Check and explain, one line each with a fix: the package, Claude Code settings and hook "
        "commands, the pattern library, the sync state of the rules, and which rule files loaded recently.",
    )
    _root(doctor)
    doctor.set_defaults(command="doctor")


def _route_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    route = commands.add_parser(
        "route",
        help="show which tier and model a task type goes to, and what it would cost on each tier",
        description="Route a task type (summarize, review_security, ...) to a tier and model, with an estimated "
        "cost, the same work on every tier, and the saving against always using the premium tier.",
    )
    route.add_argument("task", metavar="TASK", help="a task type; an unknown one lists the known ones")
    route.add_argument("--input-tokens", type=int, metavar="N", help="input tokens to price (default 2000)")
    route.add_argument("--output-tokens", type=int, metavar="N", help="output tokens to price (default 500)")
    route.add_argument("--tier", metavar="T", help="price this tier instead of the task's own")
    route.add_argument("--json", action="store_true", dest="json_output", help="print JSON")
    _root(route)
    route.set_defaults(command="route")


def _costs_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    costs = commands.add_parser(
        "costs",
        help="LLM spend from .empathy/ledger.jsonl: total, by wizard and tier, cache and routing savings",
        description="Read .empathy/ledger.jsonl and show what the wizards cost: the total, by wizard and by tier, "
        "what the response cache saved, and the saving against always using the premium tier (an estimate).",
    )
    costs.add_argument("--since", metavar="DATE", help="only calls on or after this date (YYYY-MM-DD, UTC)")
    costs.add_argument("--json", action="store_true", dest="json_output", help="print JSON")
    _root(costs)
    costs.set_defaults(command="costs")


def _wizard_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    import argparse  # as in _parser: never on the hook path

    wizard = commands.add_parser(
        "wizard",
        help="LLM helpers: security-review, bug-pattern, session-summary, code-review, test-gen",
        description="Wizards send one guarded, cached and accounted request to the model the router picks, "
        "and fall back to useful offline work without an API key.",
    )
    wizard.set_defaults(command=None)
    actions = wizard.add_subparsers(title="actions", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="each wizard with its task type, tier, model and purpose")
    _root(listing)
    listing.set_defaults(command="wizard list")
    run = actions.add_parser(
        "run",
        help="run a wizard: empathy wizard run NAME [ARGS] [--tier T] [--dry-run] [--offline] [--json]",
        description="Run one wizard. Its own arguments and the common flags (--tier, --dry-run, --offline, "
        "--json, --root) follow the name; `empathy wizard run NAME --help` lists them.",
        add_help=False,
    )
    run.add_argument("name", metavar="NAME", nargs="?", help="a wizard from `empathy wizard list`")
    run.add_argument("-h", "--help", dest="show_help", action="store_true", help="show this help and exit")
    run.add_argument("args", nargs=argparse.REMAINDER, metavar="ARGS", help="the wizard's arguments and flags")
    run.set_defaults(command="wizard run")
    trigger = actions.add_parser(
        "trigger",
        help="start the wizards the config's triggers: ask for, in the background (hooks and git hooks)",
        description="For hooks: Stop or PreCompact (with --session-id) start session-summary, post-commit starts "
        "security-review and, after a fix commit, bug-pattern, as .empathy/config.yaml's triggers: say. Returns at "
        "once; the wizards run detached and write to .empathy/logs/wizards.log.",
    )
    trigger.add_argument("event", metavar="EVENT", help="Stop, PreCompact or post-commit")
    trigger.add_argument("--session-id", metavar="ID", help="the Claude Code session whose record to summarize")
    _root(trigger)
    trigger.set_defaults(command="wizard trigger")


def _report_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = commands.add_parser(
        "report",
        help="one offline HTML page of the library, the rules, the guards, the costs and the sessions",
        description="Write a self-contained HTML page (no network, no script) showing library health, which "
        "rules loaded or were delivered, what the guards blocked, what the wizards cost and recent sessions, "
        "over the last N days. Built from the scrubbed records on this machine.",
    )
    report.add_argument("--out", metavar="FILE", help="where to write it (default .empathy/report.html; - for stdout)")
    report.add_argument("--days", type=int, default=30, metavar="N", help="the period: the last N days (default 30)")
    report.add_argument("--open", dest="open_page", action="store_true", help="open the page in a browser")
    report.add_argument("--json", dest="as_json", action="store_true", help="print the same figures as JSON instead")
    _root(report)
    report.set_defaults(command="report")


def _mcp_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    mcp = commands.add_parser(
        "mcp",
        help="an MCP server over the pattern library and memory (stdio), and its installation",
        description="Serve the pattern library, session memory and working memory to any MCP client over stdio: "
        "search, get_pattern, list_patterns, rules_for_path, propose_pattern, remember, recall_working, scan_text. "
        "`empathy mcp install` adds it to Claude Code, or prints the configuration for Codex and Cursor.",
    )
    _root(mcp)
    mcp.set_defaults(command="mcp")
    actions = mcp.add_subparsers(title="actions", metavar="ACTION")
    install = actions.add_parser("install", help="add the server to Claude Code, or print another client's config")
    install.add_argument("--scope", choices=("local", "project", "user"), default="local",
                         help="local: you, this project (~/.claude.json); project: .mcp.json, committed; user: you, "
                         "every project (default: local)")  # fmt: skip
    install.add_argument("--client", choices=("claude", "codex", "cursor"), default="claude",
                         help="codex and cursor: print their configuration instead (default: claude)")  # fmt: skip
    install.add_argument("--dry-run", action="store_true", help="say what would change, write nothing")
    _root(install)
    install.set_defaults(command="mcp install")


# Each top-level command's parser, in the order `empathy --help` lists them.
def _rules_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rules = commands.add_parser("rules", help="explain which rule files apply to a path and whether they loaded")
    actions = rules.add_subparsers(title="actions", metavar="ACTION", required=True)
    explain = actions.add_parser(
        "explain",
        help="which of our rule files apply to PATH, through which glob, their token cost, and how they loaded",
        description="Which of our rule files apply to PATH and through which glob, their token cost, and "
        "whether each reached the model in recent sessions (the InstructionsLoaded ledger and our "
        "deliveries): loaded at start, loaded on a read or write, or delivered by a hook (issue 13).",
    )
    explain.add_argument("path", metavar="PATH", help="a file in the project (need not exist)")
    explain.add_argument("--sessions", type=int, default=20, metavar="N", help="how many recent sessions (20)")
    _root(explain)
    explain.set_defaults(command="rules explain")


PARSERS: dict[str, Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]] = {
    "init": _init_parser,
    "sync": _sync_parser,
    "scan": _scan_parser,
    "patterns": _patterns_parser,
    "hook": _hook_parser,
    "hooks": _hooks_parser,
    "memory": _memory_parser,
    "agents": _agents_parser,
    "signal": _signal_parser,
    "doctor": _doctor_parser,
    "route": _route_parser,
    "costs": _costs_parser,
    "wizard": _wizard_parser,
    "report": _report_parser,
    "rules": _rules_parser,
    "mcp": _mcp_parser,
}
