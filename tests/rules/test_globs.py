from __future__ import annotations

import pytest

from attune.rules import globs

# (glob, path, matches): the client's behaviour as tests/e2e/OBSERVED.md records it, plus gitignore-like folders.
CASES = [
    ("src/api/**", "src/api/users.py", True),
    ("src/api/**", "src/api/v1/orders.py", True),
    ("src/api/**", "src/apiary.py", False),
    ("src/api/**", "lib/src/api/users.py", False),  # a glob with a slash is anchored at the root
    ("src/**/*.py", "src/app.py", True),
    ("src/**/*.py", "src/a/b/app.py", True),
    ("src/**/*.py", "src/app.pyc", False),
    ("*.py", "src/app.py", True),  # no slash: any depth (OBSERVED.md, "Differs")
    ("*.py", "app.py", True),
    ("/*.py", "src/app.py", False),  # a leading slash anchors it at the root
    ("/*.py", "app.py", True),
    ("src/*.{py,pyi}", "src/a.pyi", True),
    ("src/*.{py,pyi}", "src/a.txt", False),
    ("src/api", "src/api/users.py", True),  # a folder: everything under it
    ("docs/[ab].md", "docs/a.md", True),
    ("docs/[!ab].md", "docs/a.md", False),
    ("src/?.py", "src/x.py", True),
    ("src/?.py", "src/xy.py", False),
    ("a+b/(x).py", "a+b/(x).py", True),  # regex characters are literal
]


@pytest.mark.parametrize(("glob", "path", "expected"), CASES)
def test_match(glob, path, expected):
    assert (globs.match(path, globs.compile_globs([glob])) == glob) is expected


def test_braces_expand_nested_and_report_the_glob_as_written():
    assert globs.expand("src/{a,b/{c,d}}.py") == ["src/a.py", "src/b/c.py", "src/b/d.py"]
    assert globs.match("src/b/d.py", globs.compile_globs(["src/{a,b/{c,d}}.py"])) == "src/{a,b/{c,d}}.py"


@pytest.mark.parametrize("glob", ["**", "**/*", "*", "/**", "{*,src/**}"])
def test_globs_that_make_a_rule_global(glob):
    assert globs.is_global(glob)


@pytest.mark.parametrize("glob", ["src/**", "*.py", "**/*.md", "docs"])
def test_globs_that_do_not(glob):
    assert not globs.is_global(glob)
