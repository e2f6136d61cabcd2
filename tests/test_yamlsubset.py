from __future__ import annotations

import random

import pytest
import yaml

from attune import yamlio, yamlsubset

# Values chosen to sit on the edges of YAML 1.1 resolution: booleans, octal, sexagesimal,
# dates, floats, indicators, comments, quotes and non-ASCII text.
TRICKY = [
    "plain",
    "two words",
    "yes",
    "No",
    "ON",
    "off",
    "y",
    "n",
    "null",
    "Null",
    "~",
    "true",
    "0",
    "1",
    "012",
    "0o12",
    "0x1F",
    "1_000",
    "1.5",
    "1.",
    ".5",
    "1e3",
    "1.0e+3",
    "+1",
    "-1",
    "12:30",
    "1:20:30",
    "2026-01-02",
    "2026-1-2",
    "2026-13-45",
    "2026-01-02T10:00:00Z",
    ".inf",
    ".nan",
    "-.inf",
    "a: b",
    "a:b",
    "https://example.com/x?y=1",
    "ends:",
    "a #c",
    "a#b",
    "C#",
    "'single'",
    '"double"',
    '"esc\\"aped"',
    "'it''s'",
    "it's",
    'say "hi"',
    "[a, b]",
    "[]",
    "[a, ]",
    "['x', \"y\"]",
    "[yes, no]",
    "[1, 2]",
    "{a: 1}",
    "- item",
    "? q",
    "! tag",
    "&anchor",
    "*alias",
    "%dir",
    "@at",
    "`tick`",
    "|",
    ">",
    "a | b",
    "src/**",
    "**/*.py",
    '"**/*.{ts,tsx}"',
    '"src/[ab]/*.go"',
    "fix, then test",
    "é",
    "日本",
    "naïve café",
    "a\u00a0b",
    "a  b",
    "trailing   ",
    "=",
    "<<",
    "-",
    "--",
    "a - b",
    "a -b",
    "A",
    "Z9",
    "x.y.z",
    "1.2.3",
    "v1.2.3",
    "0.9",
    "0.90",
    "00",
    "10",
    "3.14159",
    ".claude/rules/attune",
    ".empathy",
    ".NaN",
    ".Inf",
    ".e1",
    "..x",
    "./x",
    ".5e3",
    ".inf x",
    ".nano",
    "a\x85b",
    "a\u2028b",
    "\ufeffx",
    "a\x7fb",
    "tab\there",
    "a\x00b",
    "a\x9fb",
    "\u00a0lead",
    "\U0001f600",
]
KEYS = ["id", "title", "paths", "tags", "yes", "on", "n", "key_2", "a-b", "_x", "Status"]


def _random_doc(rng: random.Random) -> str:
    out = []
    for _ in range(rng.randint(0, 6)):
        key = rng.choice(KEYS)
        shape = rng.random()
        if shape < 0.55:
            out.append(f"{key}: {rng.choice(TRICKY)}")
        elif shape < 0.75:
            indent = rng.choice(["", "  ", "    "])
            out.append(f"{key}:")
            out.extend(f"{indent}- {rng.choice(TRICKY)}" for _ in range(rng.randint(0, 3)))
        elif shape < 0.9:
            out.append(f"{key}:")
            out.extend(f"  {rng.choice(KEYS)}: {rng.choice(TRICKY)}" for _ in range(rng.randint(1, 3)))
        else:
            out.append(rng.choice(["# comment", "", "   ", "  # indented comment", "---", "  cont"]))
    return "\n".join(out) + rng.choice(["", "\n", "\n\n", "\r\n"])


def _pyyaml(text: str) -> object:
    try:
        return ("ok", yaml.load(text, Loader=yaml.SafeLoader))
    except (yaml.YAMLError, ValueError):
        return ("error",)


@pytest.mark.parametrize("seed", range(40))
def test_subset_reads_exactly_what_pyyaml_reads(seed):
    rng = random.Random(seed)
    accepted = 0
    for _ in range(250):
        text = _random_doc(rng)
        try:
            doc = yamlsubset.parse(text)
        except yamlsubset.YamlError:
            # The subset only raises for duplicate keys; the full reader must refuse too.
            with pytest.raises(yamlsubset.YamlError):
                yamlio._load_full(text)
            continue
        if doc is None:
            continue
        accepted += 1
        expected = _pyyaml(text)
        assert expected == ("ok", doc.data), text
        assert doc.lines == yamlio._load_full(text).lines, text
    assert accepted > 20  # the generator must exercise the fast path, not only the fallback


@pytest.mark.parametrize("value", TRICKY)
def test_every_tricky_scalar_agrees_with_pyyaml(value):
    for text in (f"k: {value}\n", f"k:\n  - {value}\n", f"k:\n  s: {value}\n"):
        doc = yamlsubset.parse(text)
        if doc is not None:
            assert _pyyaml(text) == ("ok", doc.data), text


def test_frontmatter_of_a_typical_pattern_takes_the_fast_path():
    text = (
        "id: null-user\ntitle: Null check on user lookup\ncategory: debugging\n"
        'paths:\n  - "src/api/**"\ntags: [api, db]\nstatus: active\nconfidence: 0.9\n'
        "created: 2026-01-02\nsource: https://github.com/o/r/pull/12\n"
    )
    doc = yamlsubset.parse(text)
    assert doc is not None
    assert doc.lines[("paths", 0)] == 5


def test_duplicate_keys_are_an_error_on_both_paths():
    with pytest.raises(yamlio.YamlError, match="duplicate key 'id'") as fast:
        yamlio.load("id: a\nid: b\n")
    with pytest.raises(yamlio.YamlError, match="duplicate key 'id'") as full:
        yamlio.load("id: a\nbody: |\n  x\nid: b\n")
    assert (fast.value.line, full.value.line) == (2, 4)


def test_errors_carry_the_file_line_after_an_offset():
    with pytest.raises(yamlio.YamlError) as exc:
        yamlio.load("id: a\ntags: [a\n", first_line=2)
    assert exc.value.line == 3  # the line that opens the unclosed list, in file numbering
    assert yamlio.load("id: a\ntitle: b\n", first_line=2).lines[("title",)] == 3


def test_dates_are_datetime_dates():
    """The dates the readers make are datetime's very own classes."""
    import datetime

    from attune import dates

    assert dates.date is datetime.date and dates.datetime is datetime.datetime
    doc = yamlsubset.parse("created: 2026-01-28")
    assert doc is not None and type(doc.data["created"]) is datetime.date  # type: ignore[index]


@pytest.mark.parametrize(
    "text",
    [
        "version: 1\ncategories:\n\tdebugging: bug-patterns\n",
        "paths:\n  - a\n\t- b\n",
        "a: 1\nb:\n  c: 1\n\td: 2\n",
    ],
)
def test_a_tab_used_for_indentation_is_named_as_such_at_its_line(text):
    line = next(n for n, raw in enumerate(text.split("\n"), 1) if raw.startswith("\t"))
    with pytest.raises(yamlio.YamlError) as caught:
        yamlio.load(text, first_line=10)
    assert caught.value.line == line + 9
    assert str(caught.value).startswith("a tab indents this line, and YAML allows only spaces there; replace it")


def test_a_tab_that_is_not_indentation_is_not_called_one():
    with pytest.raises(yamlio.YamlError) as caught:
        yamlio.load("a: b: c\t\n")
    assert "tab" not in str(caught.value)


@pytest.mark.parametrize("odd", ["\u2028", "\u2029", "\x85"])
def test_line_numbers_are_the_editors_even_after_a_unicode_line_separator(odd):
    # PyYAML counts these as line breaks; an editor does not, so a title holding one shifted every line after it.
    text = f'title: "A{odd}B{odd}C"\ncategory: debugging\npaths:\n  - "src/**"\nconfidence: x: y\n'
    with pytest.raises(yamlio.YamlError) as caught:
        yamlio.load(text)
    assert caught.value.line == 5
    doc = yamlio.load(text.replace("confidence: x: y", "confidence: 0.5"))
    assert doc.lines[("paths", 0)] == 4 and doc.lines[("confidence",)] == 5
