"""The scanner's regexes compile on first use and then behave as re.Pattern does (issue 15)."""

from __future__ import annotations

import re
import subprocess
import sys

from attune.scan.noise import ascii_regex


def test_a_lazy_regex_answers_as_the_compiled_one():
    source = r"(?P<name>[\w.-]+)\s*=\s*(?P<value>\S+)"
    plain = re.compile(source, re.ASCII)
    text = "a = 1\nb.c = two  ünï = x\n"
    for method, args in [
        ("finditer", (text, 2)), ("search", (text, 3, 14)), ("match", (text,)), ("fullmatch", ("x=1",)),
        ("findall", (text,)), ("split", (text,)), ("sub", (r"\g<name>:", text)),
    ]:  # fmt: skip
        lazy = ascii_regex(source)
        for _ in range(2):  # compiled by this call, then the compiled pattern's own method
            got, want = getattr(lazy, method)(*args), getattr(plain, method)(*args)
            if method in ("search", "match", "fullmatch"):
                assert got is not None and got.span() == want.span()
            elif method == "finditer":
                assert [m.span() for m in got] == [m.span() for m in want]
            else:
                assert got == want
    lazy = ascii_regex(source)
    assert lazy.groupindex == plain.groupindex and lazy.groups == plain.groups and lazy.pattern == source
    assert lazy.search("!") is None


def test_loading_the_engine_compiles_no_regex_until_a_text_needs_one():
    probe = (
        "from attune.scan import engine, context, detectors\n"
        "print(context._XML_ELEMENT._compiled is None, detectors.DETECTORS[0].pattern._compiled is None)\n"
        "from attune.scan import scan_text\n"
        "scan_text('<password>' + 'Zq8Xw2Lm9Vn4Bc7Tk1Rp' + '</password>', 'app.xml', pii=False)\n"
        "print(context._XML_ELEMENT._compiled is None)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "True", "False"]
