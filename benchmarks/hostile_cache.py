"""Hostile input for `empathy sync`: a damaged parse cache, and malformed pattern libraries (issue 11).

    python benchmarks/hostile_cache.py [--every-byte] [--timeout 20]

Part 1 damages the parse cache of a small library in many ways (a flipped bit at every byte
or at 200 sampled positions, truncations, swapped and duplicated ranges, another key, a
folder, a pipe, a link to /dev/zero...) and runs the real sync (`attune.cli.main`, in this
process; in a child process with a timeout where a hang is possible) after each, counting
tracebacks and rule files that differ from a cold sync. Part 2 builds libraries with one
hostile thing each (links out, loops, devices, pipes, huge, binary and mis-encoded files,
YAML bombs...) and runs `python -m attune sync` twice (the second run with the parse cache)
and `patterns validate` in child processes, counting tracebacks, hangs and text from outside
the repository that reached a rule file. Every column should read 0. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

SECRET = "OUTSIDE-" + "MARKER-7f3a"  # text that lives outside the repository
RULES = ".claude/rules/attune"
PAST = 1_700_000_000


def pattern(pattern_id: str, category: str = "debugging", title: str | None = None, body: str = "") -> str:
    body = body or "**Error:** boom\n\n**Root cause:** a cause\n\n**Fix:** a fix"
    return f'---\nid: {pattern_id}\ntitle: "{title or pattern_id}"\ncategory: {category}\n---\n\n{body}\n'


def base_library(root: Path) -> None:
    """Four patterns in three categories, two of equal size, and a bulk file; all settled."""
    files = {
        "debugging/alpha.md": pattern("alpha", title="Alpha"),
        "debugging/bravo.md": pattern("bravo", title="Bravo"),
        "security/keys.md": pattern("keys", "security", body="Keep keys in the vault."),
        "tech_debt/old.md": pattern("old", "tech_debt", body="Remove the v1 client."),
        "security/bulk.yaml": "- id: bulk-one\n  title: One\n  category: security\n  body: Rotate them.\n",
    }
    for rel, text in files.items():
        target = root / ".empathy/patterns" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        os.utime(target, (PAST, PAST))  # outside the racy window: cached


def rules(root: Path) -> dict[str, bytes]:
    folder = root / RULES
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.is_dir() else {}


def sync_here(root: Path) -> tuple[str, dict[str, bytes]]:
    """The real sync (`attune.cli.main`) in a forked copy of this process, so that a crash of the
    interpreter itself (marshal on damaged bytes can segfault) is counted, not fatal: ("ok" |
    "traceback" | "crash", the rules it left)."""
    shutil.rmtree(root / RULES, ignore_errors=True)
    pid = os.fork()
    if pid == 0:
        status = 3
        try:
            from attune import cli

            with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                cli.main(["sync", "--root", str(root), "-q"])
            status = 0
        except BaseException:  # noqa: BLE001 - counting crashes is the point
            status = 3
        finally:
            os._exit(status)
    _, status = os.waitpid(pid, 0)
    outcome = "ok" if status == 0 else "traceback" if os.WIFEXITED(status) else "crash"
    return outcome, rules(root)


def run(root: Path, env: dict[str, str], timeout: float, *command: str) -> tuple[str, str]:
    """`python -m attune COMMAND --root ROOT` in a child: ("hang"|"traceback"|"ok", output)."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "attune", *command, "--root", str(root)],
            check=False, capture_output=True, text=True, errors="replace", timeout=timeout, env=env,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return "hang", ""
    output = done.stdout + done.stderr
    return ("traceback" if "Traceback" in output else "ok"), output


# Part 1: the parse cache


def cache_corruptions(original: bytes, every_byte: bool, seed: int = 11) -> list[tuple[str, bytes]]:
    rng = random.Random(seed)
    size = len(original)
    positions = range(size) if every_byte else sorted(rng.sample(range(size), min(200, size)))
    cases = []
    for position in positions:
        damaged = bytearray(original)
        damaged[position] ^= 1 << rng.randrange(8)
        cases.append((f"bit flip at {position}", bytes(damaged)))
    for length in sorted({0, 1, 8, size // 2, size - 1, *rng.sample(range(size), 30)}):
        cases.append((f"truncated to {length}", original[:length]))
    for _ in range(10):
        start, other = sorted(rng.sample(range(size - 16), 2))
        width = rng.randrange(1, min(16, other - start) + 1) if other > start else 1
        swapped = bytearray(original)
        swapped[start : start + width], swapped[other : other + width] = (
            original[other : other + width], original[start : start + width],
        )  # fmt: skip
        cases.append((f"ranges of {width} swapped at {start} and {other}", bytes(swapped)))
    alpha, bravo = original.find(b"alpha.md"), original.find(b"bravo.md")
    if alpha >= 0 and bravo >= 0:  # two entries of equal size, traded
        traded = original.replace(b"alpha.md", b"\0").replace(b"bravo.md", b"alpha.md").replace(b"\0", b"bravo.md")
        cases.append(("entries of two equal-size files swapped", traded))
    cases += [
        ("zeroed", bytes(size)),
        ("random bytes of the same size", rng.randbytes(size)),
        ("doubled", original * 2),
        ("trailing garbage", original + b"\x00garbage"),
        ("the first half twice", original[: size // 2] * 2),
        ("16 MB of random bytes", rng.randbytes(1 << 24)),
    ]
    return cases


def special_caches(location: Path) -> list[tuple[str, Callable[[], None]]]:
    def replace(make: Callable[[], None]) -> Callable[[], None]:
        def install() -> None:
            if location.is_dir() and not location.is_symlink():
                shutil.rmtree(location)
            else:
                with contextlib.suppress(FileNotFoundError):
                    location.unlink()
            make()

        return install

    return [
        ("a folder", replace(location.mkdir)),
        ("a named pipe", replace(lambda: os.mkfifo(location))),
        ("a link to /dev/zero", replace(lambda: location.symlink_to("/dev/zero"))),
        ("a link to itself", replace(lambda: location.symlink_to(location.name))),
        ("a dangling link", replace(lambda: location.symlink_to("/nonexistent/cache"))),
        ("unreadable (mode 000)", replace(lambda: (location.write_bytes(b"x"), location.chmod(0)))),
        ("in a folder that is a file", replace(lambda: (shutil.rmtree(location.parent), location.parent.touch()))),
    ]


def part_one(work: Path, env: dict[str, str], every_byte: bool, timeout: float) -> None:
    from attune import config
    from attune.patterns import cache, store

    root = work / "cached"
    base_library(root)
    _, cold = sync_here(root)  # a first sync: no cache yet
    store.load_library(root, config.load(root))  # the cache now holds every file
    location = cache.location(root)
    original = location.read_bytes()
    total = crashed = wrong = hangs = 0
    for name, data in cache_corruptions(original, every_byte):
        location.write_bytes(data)
        outcome, got = sync_here(root)
        failed = outcome != "ok"
        total, crashed, wrong = total + 1, crashed + failed, wrong + (not failed and got != cold)
        if failed or got != cold:
            print(f"  {outcome if failed else 'silent wrong output'}: {name}")
    # Written by other code: another key (another Python, another version of ours).
    parsed = {e.rel: store.load(e.rel, e.path, config.DEFAULT) for e in store.scan(root)}
    for key in ("0" * 24, cache.key(config.DEFAULT)[::-1]):
        cache.write(root, key, parsed)
        outcome, got = sync_here(root)
        total, crashed, wrong = total + 1, crashed + (outcome != "ok"), wrong + (outcome == "ok" and got != cold)
    for name, install in special_caches(location):
        install()
        shutil.rmtree(root / RULES, ignore_errors=True)
        outcome, _ = run(root, env, timeout, "sync", "-q")
        total += 1
        hangs += outcome == "hang"
        crashed += outcome == "traceback"
        wrong += outcome == "ok" and rules(root) != cold
        if outcome != "ok":
            print(f"  {outcome}: the cache is {name}")
    print(f"cache: {total} corruptions of a {len(original)}-byte parse cache, each followed by a real sync")
    print(f"  tracebacks or crashes {crashed}   silent wrong outputs {wrong}   hangs {hangs}")


# Part 2: malformed libraries


def _write(root: Path, rel: str, data: str | bytes) -> Path:
    target = root / ".empathy/patterns" / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        target.write_text(data, encoding="utf-8")
    else:
        target.write_bytes(data)
    return target


def _link(root: Path, rel: str, to: str | Path) -> None:
    target = root / ".empathy/patterns" / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.symlink_to(to)


def _socket(path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))


def _outside_patterns(root: Path, outside: Path) -> None:
    os.replace(root / ".empathy/patterns", root / "kept")
    (root / ".empathy/patterns").symlink_to(outside / "library")


def _outside_empathy(root: Path, outside: Path) -> None:
    shutil.copytree(root / ".empathy", outside / "empathy-copy", dirs_exist_ok=True)
    (outside / "empathy-copy/patterns/debugging/secret.md").write_text(pattern("sec", title=SECRET))
    shutil.rmtree(root / ".empathy")
    (root / ".empathy").symlink_to(outside / "empathy-copy")


def malformed(outside: Path) -> list[tuple[str, Callable[[Path], object]]]:
    secret_file = outside / "notes.md"
    big = "x" * (2 << 20)
    bomb = (
        "---\nid: bomb\ntitle: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"k{i}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
            for i in range(9)
        )
        + "category: debugging\n---\n\nbody\n"
    )
    return [
        ("link to a pattern outside", lambda r: _link(r, "debugging/link.md", secret_file)),
        ("relative link outside", lambda r: _link(r, "debugging/link.md", "../../../../outside/notes.md")),
        ("link to a pattern inside", lambda r: _link(r, "debugging/link.md", "alpha.md")),
        ("link to itself", lambda r: _link(r, "debugging/loop.md", "loop.md")),
        ("two links in a loop", lambda r: (_link(r, "debugging/a.md", "b.md"), _link(r, "debugging/b.md", "a.md"))),
        ("dangling link", lambda r: _link(r, "debugging/gone.md", "/nonexistent/gone.md")),
        ("link to /dev/zero", lambda r: _link(r, "debugging/zero.md", "/dev/zero")),
        ("link to /dev/urandom", lambda r: _link(r, "debugging/random.yaml", "/dev/urandom")),
        ("link to /proc/self/environ", lambda r: _link(r, "debugging/env.md", "/proc/self/environ")),
        ("link to /etc/passwd", lambda r: _link(r, "debugging/passwd.yaml", "/etc/passwd")),
        ("link to /dev/stdin", lambda r: _link(r, "debugging/stdin.md", "/dev/stdin")),
        ("named pipe .md", lambda r: os.mkfifo(r / ".empathy/patterns/debugging/pipe.md")),
        ("named pipe .yaml", lambda r: os.mkfifo(r / ".empathy/patterns/security/pipe.yaml")),
        ("unix socket .md", lambda r: _socket(r / ".empathy/patterns/debugging/sock.md")),
        ("linked folder outside", lambda r: _link(r, "debugging/more", outside / "library/debugging")),
        (
            "linked category folder",
            lambda r: (
                shutil.rmtree(r / ".empathy/patterns/tech_debt"),
                _link(r, "tech_debt", outside / "library/debugging"),
            ),
        ),
        ("linked folder loop", lambda r: _link(r, "debugging/again", "..")),
        ("linked folder named x.md", lambda r: _link(r, "debugging/dir.md", outside)),
        (".empathy/patterns linked outside", lambda r: _outside_patterns(r, outside)),
        (".empathy linked outside", lambda r: _outside_empathy(r, outside)),
        ("2 MB pattern file", lambda r: _write(r, "debugging/huge.md", pattern("huge", body=big))),
        ("1.5 MB bulk file", lambda r: _write(r, "security/huge.yaml", "- id: h\n  body: " + "y" * 1_500_000)),
        ("sparse 4 GB file", lambda r: os.truncate(_write(r, "debugging/sparse.md", ""), 4 << 30)),
        ("random binary", lambda r: _write(r, "debugging/bin.md", random.Random(1).randbytes(4096))),
        ("NUL in the frontmatter", lambda r: _write(r, "debugging/nul.md", pattern("nul", title="a\0b"))),
        ("NUL in the body", lambda r: _write(r, "debugging/nulbody.md", pattern("nulbody", body="a\0b"))),
        ("Latin-1 text", lambda r: _write(r, "debugging/latin.md", pattern("latin", title="café").encode("latin-1"))),
        ("UTF-16 with a BOM", lambda r: _write(r, "debugging/u16.md", pattern("u16").encode("utf-16"))),
        ("UTF-8 BOM", lambda r: _write(r, "debugging/bom.md", "\ufeff" + pattern("bom"))),
        (
            "lone surrogate bytes",
            lambda r: _write(r, "debugging/sur.md", pattern("sur", title="\udcff").encode("utf-8", "surrogatepass")),
        ),
        ("invalid YAML", lambda r: _write(r, "debugging/bad.md", "---\nid: bad\ntitle: [unclosed\n---\nbody\n")),
        ("unclosed frontmatter", lambda r: _write(r, "debugging/open.md", "---\nid: open\ntitle: x\n")),
        ("empty file", lambda r: _write(r, "debugging/empty.md", "")),
        ("only ---", lambda r: _write(r, "debugging/dash.md", "---\n")),
        ("YAML alias bomb", lambda r: _write(r, "debugging/bomb.md", bomb)),
        (
            "YAML nested 5,000 deep",
            lambda r: _write(r, "debugging/deep.md", "---\nid: deep\ntags: " + "[" * 5000 + "]" * 5000 + "\n---\n"),
        ),
        (
            "python object tag",
            lambda r: _write(r, "debugging/tag.md", "---\nid: !!python/object/apply:os.system [echo hi]\n---\n"),
        ),
        ("duplicate ids", lambda r: _write(r, "debugging/dup.md", pattern("alpha"))),
        (
            "duplicate keys",
            lambda r: _write(r, "debugging/keys.md", "---\nid: k\nid: k2\ntitle: T\ncategory: debugging\n---\n\nb\n"),
        ),
        ("bulk file that is a mapping", lambda r: _write(r, "security/map.yaml", "id: x\ntitle: y\n")),
        ("bulk file of scalars", lambda r: _write(r, "security/scalars.yaml", "- 1\n- two\n- null\n")),
        (
            "bulk body that is a mapping",
            lambda r: _write(r, "security/body.yaml", "- id: b\n  title: B\n  category: security\n  body: {a: 1}\n"),
        ),
        (
            "bulk file of 8,000 patterns",
            lambda r: _write(
                r,
                "security/many.yaml",
                "".join(f"- id: m{i}\n  title: M\n  category: security\n  body: b\n" for i in range(8000)),
            ),
        ),
        ("id with a path", lambda r: _write(r, "debugging/path.md", pattern("../../etc/x"))),
        ("folder not a category", lambda r: _write(r, "nowhere/x.md", pattern("x", "nowhere"))),
        ("a folder named x.md", lambda r: (r / ".empathy/patterns/debugging/folder.md").mkdir()),
        ("a 900 KB line", lambda r: _write(r, "debugging/line.md", pattern("line", title="t" * 900_000))),
        ("CRLF line ends", lambda r: _write(r, "debugging/crlf.md", pattern("crlf").replace("\n", "\r\n"))),
        (
            "Jinja in the body",
            lambda r: _write(r, "debugging/jinja.md", pattern("jinja", body="{{ 7*7 }} {% raw %} {# x")),
        ),
        ("newline in a file name", lambda r: _write(r, "debugging/a\nb.md", pattern("nl"))),
        (
            "non-UTF-8 file name",
            lambda r: Path(os.fsdecode(bytes(r / ".empathy/patterns/debugging") + b"/\xff\xfe.md")).write_text(
                pattern("ff")
            ),
        ),
        (
            "absolute glob",
            lambda r: _write(
                r, "debugging/glob.md", pattern("glob").replace("category:", 'paths: ["/etc/**"]\ncategory:')
            ),
        ),
        ("unreadable file (mode 000)", lambda r: _write(r, "debugging/locked.md", pattern("locked")).chmod(0)),
        ("unreadable folder (mode 000)", lambda r: (r / ".empathy/patterns/debugging").chmod(0)),
    ]


def leaked(root: Path) -> bool:
    text = (
        "".join(p.read_text(encoding="utf-8", errors="replace") for p in (root / RULES).glob("*.md"))
        if (root / RULES).is_dir()
        else ""
    )
    return SECRET in text or "root:x:0:0" in text or "HOSTILE_ENV_" + "MARKER" in text


def part_two(work: Path, env: dict[str, str], timeout: float) -> None:
    outside = work / "outside"
    (outside / "library/debugging").mkdir(parents=True)
    (outside / "notes.md").write_text(pattern("outsider", title=SECRET), encoding="utf-8")
    (outside / "library/debugging/secret.md").write_text(pattern("secret", title=SECRET), encoding="utf-8")
    env = env | {"HOSTILE_ENV_" + "MARKER": SECRET, "XDG_CACHE_HOME": str(work / "cache2")}
    cases = malformed(outside)
    crashed = hangs = leaks = 0
    for number, (name, build) in enumerate(cases):
        root = work / f"lib{number:02}"
        base_library(root)
        build(root)
        outcomes = []
        for command in (("sync",), ("sync",), ("patterns", "validate"), ("sync", "--check")):
            outcome, _ = run(root, env, timeout, *command)
            outcomes.append(outcome)
        bad = leaked(root)
        crashed += "traceback" in outcomes
        hangs += "hang" in outcomes
        leaks += bad
        if bad or set(outcomes) != {"ok"}:
            print(f"  {name}: {', '.join(sorted(set(outcomes) - {'ok'}) + ['content from outside rendered'] * bad)}")
        for path in root.rglob("*"):  # let cleanup through what the case locked
            with contextlib.suppress(OSError):
                if not path.is_symlink():
                    path.chmod(0o700)
        with contextlib.suppress(OSError):
            (root / ".empathy/patterns/debugging").chmod(0o700)
    print(f"libraries: {len(cases)} malformed libraries, each run through sync, sync (cached), validate, sync --check")
    print(f"  tracebacks {crashed}   hangs {hangs}   content from outside rendered {leaks}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every-byte", action="store_true", help="flip a bit in every byte, not in 200")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds before a run counts as a hang")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="attune-hostile-") as scratch:
        work = Path(scratch)
        os.environ["XDG_CACHE_HOME"] = str(work / "cache")  # never the user's own cache
        os.environ["HOME"] = str(work / "home")
        env = dict(os.environ)
        import attune

        print(f"attune from {Path(attune.__file__).parent}; python {sys.version.split()[0]}")
        part_one(work, env, args.every_byte, args.timeout)
        part_two(work, env, args.timeout)


if __name__ == "__main__":
    main()
