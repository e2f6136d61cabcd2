"""The Jinja sandbox for a repository's templates: no Python reachable, files only from the template folder,
bounded output, memory and time (issue 11: a template override ran `os.system` from `sync --check`).

Jinja's ImmutableSandboxedEnvironment blocks attribute walks (`cycler.__init__.__globals__`); this
module adds what it leaves open: a loader that refuses symbolic links and names leading out of the
folder, a whitelist of filters and of methods on built-in values, and budgets checked inside the
template's own code (every loop step, call, operator, `~`, output and capture buffer), so that
`{% for %}` nests and doubling strings stop after a few seconds or a few megabytes.
"""

from __future__ import annotations

import os
import re
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from attune import safefile
from attune.sync import limits
from attune.sync.limits import MAX_CHARS, check_format, limit, size

MAX_WORK = 8 * MAX_CHARS  # characters produced in all, captured ones (macros, `{% set %}` blocks) included
SECONDS = 2.0  # rendering one file
_SAFE_METHODS = {
    str: frozenset(
        "capitalize casefold count endswith find index isalnum isalpha isascii isdecimal isdigit isidentifier "
        "islower isnumeric isprintable isspace istitle isupper lower lstrip partition removeprefix removesuffix "
        "rfind rindex rpartition rsplit rstrip split splitlines startswith strip swapcase title upper".split()
    ),
    tuple: frozenset({"count", "index"}),
    list: frozenset({"count", "index"}),
    dict: frozenset({"get", "items", "keys", "values"}),
}
_VALUES = (str, bytes, int, float, complex, list, tuple, dict, set, frozenset, range)
# Filters a template may use; the ones that build text get a size check before they run (attune.sync.limits).
_PLAIN_FILTERS = (
    "abs count d default dictsort first float groupby int items last length list map max min reject rejectattr "
    "reverse round select selectattr sort unique"
).split()
_TEXT_FILTERS = (
    "capitalize e escape filesizeformat forceescape lower safe string striptags title tojson trim truncate "
    "upper urlencode wordcount"
).split()


class Refused(SecurityError):
    """A template file the loader will not read; `path` (relative to the root) is the file to fix."""

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class Folder(jinja2.BaseLoader):
    """Templates from `root/folder` only: regular files, no symbolic link on the way, no `..` or absolute name."""

    def __init__(self, root: str, folder: str) -> None:
        self.root = root
        self.parts = [p for p in folder.split("/") if p not in ("", ".")]

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        name = template.replace("\\", "/")
        parts = [p for p in name.split("/") if p not in ("", ".")]
        if name.startswith("/") or re.match(r"[A-Za-z]:", name) or ".." in parts:
            raise Refused(f"{template!r} leads outside the template folder; name a file inside it")
        path = self.root
        walked: list[str] = []
        for part in [*self.parts, *parts]:
            path = os.path.join(path, part)
            walked.append(part)
            try:
                info = os.lstat(path)
            except (FileNotFoundError, NotADirectoryError):
                raise jinja2.TemplateNotFound(template) from None
            if stat.S_ISLNK(info.st_mode):
                raise _refused("link", "", template, "/".join(walked))
        try:
            info, data = safefile.load(path, MAX_CHARS)
        except safefile.Refused as exc:
            raise _refused(exc.reason, exc.detail, template, "/".join(walked)) from None
        return data.decode("utf-8"), path, lambda: _unchanged(path, info.st_mtime_ns)


def _refused(reason: safefile.Reason, detail: str, template: str, rel: str) -> Exception:
    """The loader's words for what attune.safefile would not read."""
    if reason == "missing":  # removed since the walk above
        return jinja2.TemplateNotFound(template)
    if reason == "link":
        return Refused(f"{rel} is a symbolic link; templates are read only from regular files in the "
                       "repository: replace the link with a copy of the file", rel)  # fmt: skip
    if reason == "not-regular":
        return Refused(f"{rel} is not a regular file; make it one", rel)
    if reason == "too-large":
        return Refused(f"{rel} is larger than {MAX_CHARS:,} bytes", rel)
    return Refused(f"{rel} cannot be read ({detail})", rel)


def _unchanged(path: str, mtime: int) -> bool:
    try:
        return os.lstat(path).st_mtime_ns == mtime
    except OSError:
        return False


class _Generator(CodeGenerator):
    """Compiles `~` and capture buffers into checked calls (Jinja's own sandbox leaves them unchecked)."""

    def buffer(self, frame: Frame) -> None:
        frame.buffer = self.temporary_identifier()
        self.writeline(f"{frame.buffer} = environment.attune_buffer()")

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.attune_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class _Buffer(list):  # type: ignore[type-arg]
    def __init__(self, env: Sandbox) -> None:
        super().__init__()
        self.env = env

    def append(self, item: Any) -> None:
        self.env.charge(len(item) if isinstance(item, str) else size(item))
        super().append(item)

    def extend(self, items: Iterable[Any]) -> None:
        for item in items:
            self.append(item)


class Sandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "%", "+"})
    code_generator_class = _Generator

    def __init__(self, loader: jinja2.BaseLoader, extra_filters: dict[str, Callable[..., Any]]) -> None:
        super().__init__(
            loader=loader,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            autoescape=False,
            finalize=self._output,
        )
        self.deadline = float("inf")
        self.produced = 0
        self.globals.pop("lipsum", None)  # lipsum(n) builds any amount of text
        self.globals["dict"] = _dict
        defaults = dict(self.filters)
        self.filters = {name: defaults[name] for name in _PLAIN_FILTERS}
        self.filters.update({name: limits.checked(defaults[name]) for name in _TEXT_FILTERS})
        self.filters.update({name: limits.checked(fn) for name, fn in extra_filters.items()})
        for name, guard in limits.GUARDS.items():
            self.filters[name] = limits.checked(defaults[name], guard)

    def start(self, seconds: float = SECONDS) -> None:
        self.deadline = time.monotonic() + seconds
        self.produced = 0

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise SecurityError(f"rendering took longer than {SECONDS:g} s; a loop runs too often")

    def charge(self, chars: int) -> None:
        self.produced += chars
        if self.produced > MAX_WORK:
            raise SecurityError(f"the template produces more than {MAX_WORK:,} characters; it is too large")
        self.tick()

    def attune_buffer(self) -> _Buffer:
        return _Buffer(self)

    def attune_concat(self, items: tuple[Any, ...]) -> str:
        limit(sum(len(item) if isinstance(item, str) else size(item) for item in items))
        text = "".join(str(item) for item in items)
        self.charge(len(text))
        return text

    def attune_iter(self, iterable: Iterable[Any]) -> Iterator[Any]:
        for item in iterable:
            self.tick()
            yield item

    def _output(self, value: Any) -> Any:
        limit(len(value) if isinstance(value, str) else size(value))
        return value

    def _generate(
        self, source: nodes.Template, name: str | None, filename: str | None, defer_init: bool = False
    ) -> str:
        for loop in source.find_all(nodes.For):  # every loop step checks the deadline
            call = nodes.Call(nodes.EnvironmentAttribute("attune_iter"), [loop.iter], [], None, None)
            loop.iter = call.set_lineno(loop.iter.lineno)
        return super()._generate(source, name, filename, defer_init)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if isinstance(obj, _VALUES) and callable(value):  # "x".ljust(10**9), (1).to_bytes(10**9), str.format
            allowed = next((names for kind, names in _SAFE_METHODS.items() if isinstance(obj, kind)), frozenset())
            return attr in allowed
        return True

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        __self.tick()
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self.tick()
        if operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0:
            limits.check_bits(left.bit_length() * right)
        elif operator == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(count, int):
                    (limit if isinstance(seq, str) else limits.check_items)(len(seq) * count)
            if isinstance(left, int) and isinstance(right, int):
                limits.check_bits(left.bit_length() + right.bit_length())
        elif operator == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
            (limit if isinstance(left, str) else limits.check_items)(len(left) + len(right))
        elif operator == "%" and isinstance(left, str):
            check_format(left)
            limit(len(left) + size(right))
        result = super().call_binop(context, operator, left, right)
        if isinstance(result, str):
            limit(len(result))
        return result


def _dict(**items: Any) -> dict[str, Any]:
    return items
