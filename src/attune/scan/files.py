"""What `empathy scan` reads: files and directories (git's view, .gitignore respected) or the staged index."""

from __future__ import annotations

import codecs
import os
import stat
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from attune import safefile
from attune.errors import UserError

BASELINE_NAME = ".secrets.baseline"
MAX_BYTES = 32_000_000  # larger files are reported as not scanned, never read whole into memory
_SNIFF = 8192
# UTF-32 first: its little-endian mark starts with UTF-16's. Text with a mark holds NULs, so marks come first.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)  # fmt: skip
# PNG, JPEG, GIF, PDF, ZIP (and jar, docx, wheel), ELF, gzip, Java class, Mach-O, 7z
_BINARY = (
    b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"%PDF-", b"PK\x03\x04", b"PK\x05\x06",
    b"\x7fELF", b"\x1f\x8b", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"7z\xbc\xaf\x27\x1c",
)  # fmt: skip


class Source(NamedTuple):
    shown: str  # the name printed in findings
    path: Path  # absolute, for baseline keys
    data: bytes


class NotScanned(NamedTuple):
    """A file that could not be scanned: reported with its reason and fix, never skipped in silence (issue 10)."""

    file: str
    reason: str


def decode(data: bytes) -> str | None:
    """The text of a file, or None for binary content, decided by content alone (issue 10).

    Binary means a known signature or a NUL byte in the first block. Everything else is text: UTF-8,
    UTF-8/16/32 with a byte order mark, or else Latin-1, which maps each byte to one character, so a
    stray byte (`café` saved as Latin-1) neither hides the file nor shifts its line numbers.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    if data.startswith(_BINARY) or b"\0" in data[:_SNIFF]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def missing(paths: Sequence[str]) -> list[str]:
    return [p for p in paths if not os.path.lexists(p)]


def from_paths(paths: Sequence[str]) -> Iterator[Source | NotScanned]:
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for rel in _walk(path):
                target = path / rel
                shown = rel if given in (".", "./") else f"{given.rstrip('/')}/{rel}"
                yield from _read(shown, target)
        else:
            yield from _read(given, path)


def _read(shown: str, path: Path) -> Iterator[Source | NotScanned]:
    """A symbolic link is skipped (git stores where it points; its target is scanned as itself)."""
    if path.name == BASELINE_NAME:
        return
    try:
        mode = os.lstat(path).st_mode
    except OSError as exc:
        yield NotScanned(shown, _unreadable(exc.strerror or str(exc)))
        return
    if stat.S_ISLNK(mode) or stat.S_ISDIR(mode):
        return
    if not stat.S_ISREG(mode):
        yield NotScanned(shown, _special(mode))  # never opened: reading a FIFO or a device would hang
        return
    try:  # should it have changed since lstat, safefile still opens no link and never blocks (issue 15)
        data = safefile.load(str(path), MAX_BYTES).data
    except safefile.Refused as exc:
        if exc.reason == "not-regular":
            yield NotScanned(shown, _special(exc.mode))
        elif exc.reason == "too-large":
            yield NotScanned(shown, _too_large(exc.size))
        elif exc.reason != "link":  # a link now: skipped, as one found by lstat is
            yield NotScanned(shown, _unreadable(exc.detail))
        return
    yield Source(shown, path.resolve(), data)


def _unreadable(why: str) -> str:
    return f"cannot read it ({why}); check its permissions, or leave it out"


def _special(mode: int) -> str:
    kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
    return f"not a regular file ({kind}); it was not opened: leave it out of the paths to scan"


def _too_large(size: int) -> str:
    return (
        f"larger than the {MAX_BYTES // 1_000_000} MB limit ({size / 1e6:.1f} MB); "
        "leave it out (pre-commit `exclude:`) or split it"
    )


def _walk(directory: Path) -> list[str]:
    """Relative file names under `directory`: git's own list inside a work tree, every file elsewhere."""
    result = subprocess.run(
        ["git", "-C", str(directory), "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        capture_output=True,
        check=False,
    )
    if result.returncode == 0 and not _ignored(directory):
        names = sorted({n for n in result.stdout.decode("utf-8", "surrogateescape").split("\0") if n})
        # Deleted tracked files and submodules drop out; a FIFO or device stays, to be reported.
        return [n for n in names if os.path.lexists(directory / n) and not (directory / n).is_dir()]
    # Outside a work tree, or a directory git ignores but the user named: every file, .git/ excepted.
    found: list[str] = []
    for top, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if d != ".git")
        base = Path(top).relative_to(directory)
        found.extend((base / f).as_posix() for f in sorted(files))
    return found


def _ignored(directory: Path) -> bool:
    check = ["git", "-C", str(directory), "check-ignore", "-q", "."]
    return subprocess.run(check, capture_output=True, check=False).returncode == 0


def staged(paths: Sequence[str]) -> Iterator[Source | NotScanned]:
    """The index content of staged files (added, copied, modified, renamed), not the working tree."""
    root = _git_root()
    # Run from the current directory, so that PATHS mean what the user typed; git prints root-relative names.
    listed = _git(None, "diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR", "--", *paths).split(b"\0")
    names = [n.decode("utf-8", "surrogateescape") for n in listed if n]
    if not names:
        return
    entries = []
    for record in _git(root, "ls-files", "--stage", "-z", "--", *names).split(b"\0"):
        if not record:
            continue
        meta, raw_name = record.split(b"\t", 1)
        mode, sha, _stage = meta.split()
        name = raw_name.decode("utf-8", "surrogateescape")
        if mode in (b"100644", b"100755") and Path(name).name != BASELINE_NAME:
            entries.append((name, sha))
    # Sizes first, so that a blob over the limit is reported without being read.
    checked = _git(root, "cat-file", "--batch-check", stdin=b"".join(sha + b"\n" for _, sha in entries))
    sizes = [int(line.split()[2]) for line in checked.splitlines()]
    for (name, _sha), size in zip(entries, sizes, strict=True):
        if size > MAX_BYTES:
            yield NotScanned(name, _too_large(size))
    entries = [entry for entry, size in zip(entries, sizes, strict=True) if size <= MAX_BYTES]
    if not entries:
        return
    blobs = _git(root, "cat-file", "--batch", stdin=b"".join(sha + b"\n" for _, sha in entries))
    position = 0
    for name, _sha in entries:
        header_end = blobs.index(b"\n", position)
        size = int(blobs[position:header_end].split()[2])
        data = blobs[header_end + 1 : header_end + 1 + size]
        position = header_end + 1 + size + 1
        yield Source(name, root / name, data)


def _git_root() -> Path:
    result = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise UserError("--staged needs a git repository: run it inside one, or scan paths instead")
    return Path(result.stdout.strip())


def _git(root: Path | None, *args: str, stdin: bytes | None = None) -> bytes:
    where = [] if root is None else ["-C", str(root)]
    result = subprocess.run(["git", *where, *args], input=stdin, capture_output=True, check=False)
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip()
        raise UserError(f"git {args[0]} failed in {root or Path.cwd()}: {message}")
    return result.stdout
