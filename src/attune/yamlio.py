"""The one owner of PyYAML: load YAML with the line of every key, fast for simple documents.

Pattern frontmatter and our config are almost always flat `key: value` lines and lists of
quoted globs. Importing PyYAML costs about 25 ms, more than the whole of a sync, so such
documents go through `attune.yamlsubset`, which refuses anything it cannot read exactly as
PyYAML would; everything else is read by PyYAML here. `tests/test_yamlsubset.py` holds the
two readers to the same answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from attune import yamlsubset
from attune.yamlsubset import KeyPath, YamlDoc, YamlError

__all__ = ["KeyPath", "YamlDoc", "YamlError", "dump_scalar", "load"]


def load(text: str, first_line: int = 1) -> YamlDoc:
    """Parse one YAML document; `first_line` is the file line of the document's first line."""
    doc = yamlsubset.parse(text, first_line)  # counts from first_line itself
    if doc is not None:
        return doc
    shift = first_line - 1
    try:
        doc = _load_full(text)
    except YamlError as exc:
        raise exc.shifted(shift) from None
    if not shift:
        return doc
    return YamlDoc(doc.data, {k: v + shift for k, v in doc.lines.items()})


def dump_scalar(value: object) -> str:
    """One scalar as YAML text that reads back as the same value (strings double-quoted)."""
    import json  # lazily: a sync needs neither it nor dates

    from attune.dates import date

    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return "null"
    return json.dumps(value)


class _Frame(NamedTuple):
    node: object
    path: KeyPath


def _load_full(text: str) -> YamlDoc:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDoc(None, {})
        lines = _key_lines(node, text)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and mark is not None and mark.index >= len(text.rstrip()):
            mark = exc.context_mark  # an unclosed list or quote: point where it opened, not at the end
        line = _editor_line(text, mark.index) if mark is not None else 1
        if mark is not None and _indenting_tab(text, mark.index):
            raise YamlError(
                "a tab indents this line, and YAML allows only spaces there; replace it with spaces", line
            ) from None
        raise YamlError(f"invalid YAML: {exc.problem or exc.context}", line) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}", 1) from None
    except YamlError:
        raise
    except ValueError as exc:  # the constructor rejects values such as 2026-13-45
        raise YamlError(
            f"invalid YAML value: {exc}", _editor_line(text, node.start_mark.index) if node else 1
        ) from None
    finally:
        loader.dispose()
    return YamlDoc(data, lines)


def _indenting_tab(text: str, index: int) -> bool:
    """Whether the character at `index` is a tab among the line's leading whitespace."""
    start = text.rfind("\n", 0, index) + 1
    return text[index : index + 1] == "\t" and not text[start:index].strip(" \t")


def _editor_line(text: str, index: int) -> int:
    """The line of character `index` as an editor numbers it (issue 15).

    PyYAML's marks count NEL, U+2028 and U+2029 as line breaks too; an editor counts only
    newlines, so a title holding one of those would shift every line number after it.
    """
    return text.count("\n", 0, index) + 1


def _key_lines(root: object, text: str) -> Mapping[KeyPath, int]:
    """Line of every mapping key and sequence item; duplicate keys are an error."""
    import yaml

    lines: dict[KeyPath, int] = {}
    seen: set[int] = set()  # aliases point at nodes already walked; never walk them twice
    stack = [_Frame(root, ())]
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[object, int] = {}
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                line = _editor_line(text, key_node.start_mark.index)
                if key is not None and key in first:
                    raise YamlError(f"duplicate key {key!r}", line, first[key])
                if key is not None:
                    first[key] = line
                    child: KeyPath = (*path, key)
                    lines[child] = line
                    stack.append(_Frame(value_node, child))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                position: KeyPath = (*path, index)
                lines[position] = _editor_line(text, item.start_mark.index)
                stack.append(_Frame(item, position))
    return lines
