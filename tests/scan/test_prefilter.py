"""The prefilter: cheap enough for every hook, and woken by what could be a secret, not by paths (issue 12)."""

from __future__ import annotations

import pytest

from attune.scan import prefilter


@pytest.mark.parametrize(
    "text",
    [
        "/tmp/pytest-of-root/pytest-3/test_the_hook_path_imports_nothing_heavy0/src/app.py",
        "def test_a_token_in_any_recorded_field_never_reaches_the_disk_path(): return None".replace("token", "tkn"),
        "load the module_path and the import_path first",
    ],
)
def test_paths_and_long_snake_case_names_do_not_wake_the_scanner(text):
    # Every hook payload carries file paths: were they candidates, every call would load the whole engine.
    assert not prefilter.has_secret_candidate(text)


@pytest.mark.parametrize("text", ["GITHUB_PAT=abc", "gitlab_pat: x", "akab-" + "a1" * 8, "A3-ABCDEF"])
def test_one_case_formats_and_pat_names_still_do(text):
    assert prefilter.has_secret_candidate(text)


@pytest.mark.parametrize("needle", [*prefilter._LITERALS, *prefilter._KEYWORDS])
def test_every_needle_wakes_the_scanner_past_its_gate(needle):
    # Issue 15: each needle is looked for only where its rarest character is; the gate must never hide it.
    prose = "the sync writes the rules for the library when it edits files"
    assert not prefilter.has_secret_candidate(prose)
    texts = [f"{prose} {needle}", f"{needle}{prose}"]
    if needle in prefilter._KEYWORDS:  # names, in any case
        texts.append(f"{prose} {needle.upper()}")
    for text in texts:
        assert prefilter.has_secret_candidate(text), text


@pytest.mark.parametrize(
    "text",
    [
        " ".join(("born", "12", "March", "1990")),
        "NW1 6XE",
        "WA 98101",
        "RSSMRA85T10A562S",
        "call 555 0100 now",
        "no digits here",
    ],
)
def test_the_digit_gate_keeps_what_the_shapes_find(text):
    digits = any(c.isdigit() for c in text)
    assert prefilter.has_pii_candidate(text) == digits


@pytest.mark.parametrize("capitals", [0, 3, 255, 256, 300])
def test_a_digit_before_a_capital_is_found_however_many_capitals_come_first(capitals):
    address = " ".join(("lives at", "7", "Acacia", "Avenue"))  # assembled: the repository's own scan stays clean
    for tail, found in ((address, True), ("lives at Acacia Avenue", False)):
        text = " ".join(["Word"] * capitals + [tail])
        caps = text.encode().translate(prefilter._CAPS)
        assert prefilter._digit_before_capital(caps) == (b"d A" in caps) == found
        assert prefilter.has_pii_candidate(text) == found


@pytest.mark.parametrize("word", prefilter._PII_WORDS)
def test_every_word_that_names_a_number_wakes_the_pii_scanner_past_its_gate(word):
    assert not prefilter.has_pii_candidate("x 1234 y")
    assert prefilter.has_pii_candidate(f"x {word} 1234 y")
    assert prefilter.has_pii_candidate(f"X{word.upper()}1234")
