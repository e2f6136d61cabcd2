"""A small, exact reader for the flat YAML that frontmatter and config files are made of.

It reads a top-level mapping of `key: scalar`, `key: [flow, list]`, block lists of scalars
and one level of nested `key: scalar` mappings, and returns None for anything else so that
PyYAML reads it instead (`attune.yamlio`). A scalar it accepts must resolve exactly as
PyYAML's SafeLoader resolves it: no escapes, no YAML 1.1 booleans, no octal or sexagesimal
numbers. Being wrong here would change what a pattern means, so it refuses when in doubt.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import NamedTuple

KeyPath = tuple[str | int, ...]


class YamlDoc(NamedTuple):
    data: object
    lines: Mapping[KeyPath, int]  # 1-based line of every mapping key and sequence item


class YamlError(ValueError):
    def __init__(self, problem: str, line: int, first: int | None = None) -> None:
        self.problem = problem
        self.line = line
        self.first = first  # for a duplicate key: the line of its first occurrence
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return self.problem if self.first is None else f"{self.problem} (first at line {self.first})"

    def shifted(self, lines: int) -> YamlError:
        return YamlError(self.problem, self.line + lines, None if self.first is None else self.first + lines)


class _Unsupported(Exception):
    """The document is outside the subset: let PyYAML read it."""


_DQUOTED = re.compile(r'"([^"\\]*)"(?: +#.*)? *$')
_FLOW = re.compile(r"\[([^\[\]{}]*)\](?: +#.*)? *$")
_FLOW_ITEM = re.compile(r""" *(?:"([^"\\,]*)"|'([^',]*)'|([A-Za-z][A-Za-z0-9_./-]*)) *(?:,|$)""")
_SIMPLE = re.compile(r"[A-Za-z][A-Za-z0-9_./,()@+'-]*(?: [A-Za-z0-9_./,()@+'-]+)*$")  # no edge spaces
_PLAIN_BAD = re.compile(r"[#\[\]{}]|: |:$")
_INT = re.compile(r"(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"(?:0|[1-9][0-9]*)\.[0-9]+$")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# YAML 1.1 booleans and nulls exactly as PyYAML's resolver spells them; any other casing of these
# words (and y/n, which other YAML readers treat as booleans) goes to PyYAML.
_RESOLVED: dict[str, object] = {
    **dict.fromkeys(("yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    **dict.fromkeys(("no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
    **dict.fromkeys(("null", "Null", "NULL", "~"), None),
}
_SPECIAL_WORDS = frozenset({"y", "n", "yes", "no", "true", "false", "on", "off", "null"})


@functools.cache
def _odd_chars() -> re.Pattern[str]:
    """Characters PyYAML refuses, plus the ones it treats as line breaks or a byte-order mark.

    (The complement of its printable set, which as a negated class costs 5 ms to compile; this
    one costs 1 ms, so it is compiled only for text that is not ASCII.)
    """
    return re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff\u2028\u2029]")


class _General(NamedTuple):
    key: re.Pattern[str]  # the value without trailing spaces
    item: re.Pattern[str]
    nested: re.Pattern[str]
    squoted: re.Pattern[str]


@functools.cache
def _general() -> _General:
    """What only the general reader and rarer values need, compiled on first use (about 1 ms)."""
    return _General(
        re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*?))? *$"),
        re.compile(r"( *)- +(.*)$"),
        re.compile(r"( +)([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*?))? *$"),
        re.compile(r"'([^']*)'(?: +#.*)? *$"),
    )


def _odd(text: str) -> bool:
    """Whether `text` holds a character that _odd_chars matches (tabs are among them)."""
    if text.isascii():  # printable ASCII is exactly what is left once those are taken out
        return not text.replace("\n", " ").isprintable()
    return _odd_chars().search(text) is not None


def parse(text: str, first_line: int = 1) -> YamlDoc | None:
    """The document, or None when it is outside the subset (read it with PyYAML then).

    `first_line` is the number of the document's first line in its file (frontmatter starts
    at line 2), so that the line numbers come out right without a second pass.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if "\r" in text or _odd(text):
        return None
    try:
        return _parse_flat(text, first_line) or _parse(text, first_line)
    except _Unsupported:
        return None


# The three kinds of line nearly every frontmatter is made of: `key: value`, `key:` opening a
# list, and `  - item`. findall splits a document into them in C; _parse_flat reads a document
# made of nothing else (half the time of _parse, which reads all of the subset).
_FLAT_LINE = re.compile(r"^(?:([A-Za-z][A-Za-z0-9_-]*):(?: +(.*?))? *|( +)- +(.*))$", re.MULTILINE)


def _parse_flat(text: str, first_line: int) -> YamlDoc | None:
    """The document, or None when it has any other kind of line (a blank one, a comment, ...)."""
    found = _FLAT_LINE.findall(text)
    if len(found) != text.count("\n") + 1:
        return None
    data: dict[str, object] = {}
    lines: dict[KeyPath, int] = {}
    block_key: str | None = None  # the key whose list is being read
    block: list[object] | None = None
    block_indent = ""
    number = first_line - 1
    for key, value, indent, item in found:
        number += 1
        if key:  # _top_level, inlined: this loop is the hot path of every sync
            if key.lower() in _SPECIAL_WORDS:
                raise _Unsupported
            if key in data:
                raise YamlError(f"duplicate key {key!r}", number, lines[(key,)])
            lines[(key,)] = number
            block = None
            if not value or value[0] == "#":
                data[key] = None
                block_key = key
            else:
                data[key] = _scalar(value) if value[0] != "[" else _value(value, (key,), number, lines)
                block_key = None
        elif block_key is None:
            return None
        else:
            if block is None:
                block, block_indent = [], indent
                data[block_key] = block
            elif indent != block_indent:
                return None
            lines[(block_key, len(block))] = number
            block.append(_scalar(item))
    return YamlDoc(data if data else None, lines)


def _parse(text: str, first_line: int) -> YamlDoc:
    expressions = _general()
    data: dict[str, object] = {}
    lines: dict[KeyPath, int] = {}
    block_key: str | None = None  # the key whose value is the block being read
    block: list[object] | dict[str, object] | None = None
    block_indent = -1
    number = first_line - 1
    for raw in text.split("\n"):
        number += 1
        content = raw.lstrip(" ")
        if not content or content[0] == "#":
            continue
        indent = len(raw) - len(content)
        if raw.startswith(("---", "...", "%")):
            raise _Unsupported
        item = expressions.item.match(raw) if content[0] == "-" else None
        if indent == 0 and item is None:
            match = expressions.key.match(raw)
            if match is None:
                raise _Unsupported
            key, value = match.groups()
            block_key = _top_level(key, value, number, data, lines)
            block, block_indent = None, -1
            continue
        if block_key is None:
            raise _Unsupported  # a continuation line, a nested block or a top-level list
        if item is not None:
            if block is None:
                block, block_indent = [], indent
                data[block_key] = block
            if not isinstance(block, list) or indent != block_indent:
                raise _Unsupported
            lines[(block_key, len(block))] = number
            block.append(_scalar(item.group(2)))
            continue
        nested = expressions.nested.match(raw)
        if nested is None or not nested.group(3) or nested.group(3).startswith("#"):
            raise _Unsupported
        if block is None:
            block, block_indent = {}, indent
            data[block_key] = block
        if not isinstance(block, dict) or indent != block_indent:
            raise _Unsupported
        key = nested.group(2)
        _check_key(key)
        if key in block:
            raise YamlError(f"duplicate key {key!r}", number, lines[(block_key, key)])
        lines[(block_key, key)] = number
        block[key] = _value(nested.group(3), (block_key, key), number, lines)
    return YamlDoc(data if data else None, lines)


def _top_level(
    key: str, value: str | None, number: int, data: dict[str, object], lines: dict[KeyPath, int]
) -> str | None:
    """Read `key: value` into `data`; return the key when a block (list or mapping) may follow."""
    _check_key(key)
    if key in data:
        raise YamlError(f"duplicate key {key!r}", number, lines[(key,)])
    lines[(key,)] = number
    if not value or value[0] == "#":  # no value: a block may follow
        data[key] = None
        return key
    data[key] = _value(value, (key,), number, lines)
    return None


def _check_key(key: str) -> None:
    if key.lower() in _SPECIAL_WORDS:
        raise _Unsupported


def _value(text: str, path: KeyPath, number: int, lines: dict[KeyPath, int]) -> object:
    if not text.startswith("["):
        return _scalar(text)
    items = list(_flow(text))  # a list of its own: the memoized tuple is shared
    for index in range(len(items)):
        item_key: KeyPath = (*path, index)
        lines[item_key] = number
    return items


@functools.lru_cache(maxsize=1024)  # tags: [a, b] lists repeat across a library, as scalars do
def _flow(text: str) -> tuple[object, ...]:
    return tuple(_flow_items(text))


def _flow_items(text: str) -> list[object]:
    match = _FLOW.match(text)
    if match is None:
        raise _Unsupported
    inner = match.group(1)
    items: list[object] = []
    if not inner.strip(" "):
        return items
    position = 0
    while position < len(inner):
        item = _FLOW_ITEM.match(inner, position)
        if item is None or item.end() == position:
            raise _Unsupported
        double, single, plain = item.groups()
        if plain is not None and plain.lower() in _SPECIAL_WORDS:
            raise _Unsupported
        items.append(double if double is not None else single if single is not None else plain)
        position = item.end()
    if inner.rstrip(" ").endswith(","):
        raise _Unsupported
    return items


@functools.lru_cache(maxsize=4096)
def _scalar(text: str) -> object:
    """A scalar's value; memoized, as libraries repeat their dates, statuses, tags and globs.

    Every value it returns is immutable (str, int, float, bool, None, date), so sharing one is
    safe; a refusal raises and is not memoized.
    """
    if text in _RESOLVED:
        return _RESOLVED[text]
    first = text[:1]
    if first == '"':
        match = _DQUOTED.match(text)
        if match is None:
            raise _Unsupported
        return match.group(1)
    if first == "'":
        match = _general().squoted.match(text)
        if match is None:
            raise _Unsupported
        return match.group(1)
    if _SIMPLE.match(text):  # most values: words, titles and paths, with no indicator or comment
        if text.lower() in _SPECIAL_WORDS:
            raise _Unsupported
        return text
    if " #" in text:
        text = text[: text.index(" #")]
    text = text.rstrip(" ")
    if not text or _PLAIN_BAD.search(text):
        raise _Unsupported
    first = text[0]
    if first.isascii() and first.isdigit():
        return _number_or_date(text)
    if first == "." and text[1:2].isalpha() and text.lower() not in (".inf", ".nan"):
        return text  # a dotted path such as .claude/rules: only .5, .inf and .nan resolve otherwise
    if not (first.isascii() and first.isalpha()) and first.isascii():
        raise _Unsupported  # indicators, signs, dots, quotes: leave them to PyYAML
    if text.lower() in _SPECIAL_WORDS:
        raise _Unsupported
    return text


def _number_or_date(text: str) -> object:
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    if _DATE.match(text):
        from attune.dates import date  # lazily: a no-op sync reads no date

        try:
            return date.fromisoformat(text)
        except ValueError:
            raise _Unsupported from None
    raise _Unsupported
