"""The shortcuts that keep 1 MB texts fast find what the plain reading finds (issue 15).

Each shortcut skips work on long lines of base64 or of one repeated letter; each test here puts a finding where
a shortcut could lose it: in the middle of a long line of noise, or after a long run.
"""

from __future__ import annotations

import base64
import random
import re
import string

import pytest
from benchmarks import corpus_pii

from attune.scan import (
    assign,
    context,
    decoded,
    pii_context,
    pii_ids,
    pii_stems,
    prefilter,
    providers,
    scan_text,
    secret_names,
)
from attune.scan.provider_spec import sample

B64 = string.ascii_letters + string.digits + "+/="


def _noise(seed: object, size: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(B64) for _ in range(size))


def _types(text):
    return sorted({f.type for f in scan_text(text, "notes.txt", secrets=False)})


@pytest.mark.parametrize("label", sorted(corpus_pii.KINDS))
def test_personal_data_inside_a_long_line_of_base64_is_found_as_on_its_own_line(label):
    kind = corpus_pii.KINDS[label]
    r = random.Random(label)
    line = f"{r.choice(kind.names)}: {kind.make(r)}"
    alone = _types(line + "\n")
    assert alone, line
    inside = _types(_noise(label, 60_000) + " " + line + " " + _noise(label + "2", 60_000) + "\n")
    assert set(alone) <= set(inside), line


def test_one_search_for_any_free_format_finds_where_the_first_of_them_matches():
    # any_free() stands in for the 20 searches of pii_ids.FREE over a window: None exactly when they all find
    # nothing, and otherwise the first offset where one of them matches.
    values = [kind.make(random.Random(i)) for i, kind in enumerate(corpus_pii.KINDS.values()) for _ in range(3)]
    rng = random.Random(15)
    found = 0
    for _ in range(400):
        parts = []
        for _ in range(rng.randint(1, 4)):
            value = rng.choice(values)
            if rng.random() < 0.3:
                value = value[: rng.randint(1, len(value))]
            glue = "".join(rng.choice(B64 + string.digits * 3) for _ in range(rng.randint(0, 6)))
            parts += [value, rng.choice([" ", "=", "-", ".", ":", "", glue]) + glue + rng.choice([" ", "/", ""])]
        text = "".join(parts)
        lo, hi = rng.randint(0, 5), len(text) - rng.randint(0, 5)
        starts = [m.start() for fmt in pii_ids.FREE if (m := fmt.pattern.search(text, lo, hi))]
        match = pii_ids.any_free().search(text, lo, hi)
        assert (match.start() if match else None) == (min(starts) if starts else None), text
        found += bool(starts)
    assert found > 20  # the texts do hold identity numbers


def _every_assignment(chunk):
    """The plain reading `assign._assignments` replaces: `_ASSIGN` from each name's end, kept if secret_name
    could take the name."""
    position, found = 0, []
    while (match := assign._ASSIGN.search(chunk, position)) is not None:
        if secret_names.NAME_HINT.search(match.group("name")):
            found.append(match.span())
        position = match.end("name")
    return found


def test_assignments_are_read_only_at_names_with_a_hint_and_none_is_lost():
    words = ["api_key", "PASSWORD", "tok", "token", "x", "authz", "db.pass", "--secret", "KEYKEY", "é", "pat", "a-b"]
    glue = [" = ", "=", ": ", ":=", " ", "\n", "+", "/", "'", '"', ",", "(", "=>", "é", ""]
    rng = random.Random(15)
    for _ in range(500):
        values = [*words, _noise(rng.random(), 12)]
        text = "".join(rng.choice(words) + rng.choice(glue) + rng.choice(values) + rng.choice(glue) for _ in range(8))
        kept = [m.span() for m in assign._assignments(text) if m.re is assign._ASSIGN.compiled]
        assert kept == _every_assignment(text), text


def test_a_secret_after_a_long_run_of_one_letter_or_inside_base64_noise_is_still_found():
    value = "Zx9" + "kQ7wPm2Rt5vN8bL4" + "yH3j"
    line = f"db_password = {value}"
    assert [f.type for f in scan_text(line + "\n", "app.env", pii=False)] == ["password"]
    for before in ("a" * 300_000 + " ", _noise("before", 300_000) + " ", "keykeykey" * 30_000 + " "):
        found = scan_text(before + line + " " + _noise("after", 1000) + "\n", "app.env", pii=False)
        assert "password" in [f.type for f in found]


def _keywords_by_line(text, spans):
    automaton = providers._build()
    lower = text.lower()
    return {(lower.count("\n", 0, end), indexes) for lo, hi in spans for end, indexes in automaton.iter(lower, lo, hi)}


def test_the_keyword_pass_skips_the_inside_of_long_runs_and_no_line_loses_a_keyword():
    # Twitter's keyword is 21 a's: inside a long run of a's the pass reads only the run's ends.
    keywords = sorted({k for p in providers.PROVIDERS for k in p.keywords})
    rng = random.Random(15)
    runs = [0, 5, 21, 73, 74, 75, 76, 200, 1000]
    for _ in range(200):
        lines = [
            rng.choice(["", rng.choice(keywords)])
            + "a" * rng.choice(runs)
            + rng.choice(["", "b", rng.choice(keywords)])
            for _ in range(rng.randint(1, 4))
        ]
        text = "\n".join(lines)
        spans = list(providers._read(text.lower()))
        assert _keywords_by_line(text, spans) == _keywords_by_line(text, [(0, len(text))]), text
    assert len(list(providers._read("x" + "a" * 10_000 + "y"))) == 2


def test_keywords_behind_their_rarest_letter_are_the_keywords_the_text_holds():
    rng = random.Random(15)
    pieces = [*assign._SHORTEST_KEYWORDS, "a" * 50, "p", "h", "-", "_", " ", "\n", "tok", "pas"]
    for _ in range(300):
        lower = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
        assert assign.present_keywords(lower) == tuple(w for w in assign._SHORTEST_KEYWORDS if w in lower), lower


@pytest.mark.parametrize("shape", ["NW1 6XE", "WA 98101", "B12", "742 Evergreen road"])
def test_the_pii_prefilter_still_sees_a_capital_shape_after_a_megabyte_of_digits_and_spaces(shape):
    commands = "ls -la src | grep foo && x=1; " * 35_000
    assert not prefilter.has_pii_candidate(commands)
    assert prefilter.has_pii_candidate(commands + "home address: " + shape)


@pytest.mark.parametrize("provider", [p for p in providers.PROVIDERS if p.context], ids=lambda p: p.id)
def test_a_named_format_read_from_its_keywords_finds_what_its_regex_search_finds(provider):
    pattern, _ = providers._patterns(providers.PROVIDERS.index(provider))
    rng = random.Random(provider.id)
    for _ in range(20):
        parts = []
        for _ in range(rng.randint(1, 5)):
            name = rng.choice(provider.keywords)
            parts += [
                rng.choice([name, name.upper(), name.title(), name + name, name + "-" * 41 + name]),
                rng.choice([" = ", ": ", "_KEY=", "", " x "]),
            ]
            parts += [sample(provider, rng), _noise(rng.random(), rng.randint(0, 30)) + rng.choice(["", " ", "\n"])]
        text = "".join(parts)
        lo, hi = rng.randint(0, 3), len(text) - rng.randint(0, 3)
        expected = [m.span() for m in pattern.finditer(text, lo, hi)]
        got = providers._at_keywords(pattern, text, text.lower(), lo, hi, keywords=provider.keywords)
        assert [m.span() for m in got] == expected, text


def test_a_named_token_inside_a_megabyte_line_of_base64_is_found():
    (okta,) = [p for p in providers.PROVIDERS if p.id == "okta-api-token"]
    token = sample(okta, random.Random(2))
    text = _noise("left", 500_000) + " OKTA_TOKEN=" + token + " " + _noise("right", 500_000) + "\n"
    assert "okta-api-token" in [f.type for f in scan_text(text, "run.sh", pii=False)]


def test_the_flag_regex_with_its_dash_first_matches_what_the_lookbehind_first_form_matched():
    before_first = re.compile(r"(?<![\w-])--?" + context._FLAG.pattern.removeprefix(r"-(?<![\w-]-)-?"), re.ASCII)
    rng = random.Random(15)
    pieces = ["-", "--", " ", "p", "token", "x", "'", '"', "\n", "=", "abc123", "-p", "é"]
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert [m.span() for m in context._FLAG.finditer(text)] == [m.span() for m in before_first.finditer(text)]
    assert context._FLAG.search("run --token abc123")


def test_the_stems_of_a_long_line_found_once_judge_each_window_as_the_stem_regex_does():
    stems = list(pii_context._STEMS)
    rng = random.Random(15)
    for round_ in range(40):
        pieces = [rng.choice(stems) for _ in range(60)] + [_noise(round_, 400)[i : i + 7] for i in range(0, 400, 7)]
        rng.shuffle(pieces)
        text = "".join(p if rng.random() < 0.5 else p.title() for p in pieces) + rng.choice(["", " x"])
        lower = pii_context.lowered(text)
        line = pii_stems.LineStems(pii_context._STEMS, lower, 0, len(text))

        def valid(at, end, text=text, lower=lower):
            return end - at >= 5 or (pii_context._edge(text, lower, at) and pii_context._edge(text, lower, end))

        for _ in range(50):
            lo = rng.randrange(len(text))
            hi = min(len(text), lo + rng.randint(1, 180))
            assert line.any_valid(lo, hi, valid) == pii_context._has_stem(text, lower, lo, hi), (text[lo:hi], lo)


def test_the_ipv6_hint_in_its_hex_and_colon_image_is_the_hint_regex():
    rng = random.Random(15)
    pieces = ["a", "F", "0", "12", "beef", "12345", ":", "::", "g", " ", "é", "\n", "x:"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        image = text.encode("utf-8", "surrogatepass").translate(prefilter._HEX_COLONS)
        assert (prefilter._IPV6_IMAGE.search(image) is None) == (prefilter._IPV6_HINT.search(text) is None), text
    assert prefilter.has_pii_candidate("x = f(a) if b else c\n" * 50_000 + "peer 2001:db8:85a3:0:0:8a2e:370:7334\n")


def test_an_encoded_secret_inside_a_megabyte_of_base64_noise_is_found_and_a_uuid_is_not_decoded():
    token = "ghp_" + "A1b2C3d4" * 4 + "E5f6"
    encoded = base64.b64encode(f"GITHUB_TOKEN={token}\n".encode()).decode()
    text = _noise("left", 500_000) + " " + encoded + " " + _noise("right", 500_000) + "\n"
    found = [f for f in scan_text(text, "run.sh", pii=False) if f.type == "github-token"]
    assert found
    # An inline SVG decodes to printable text; it is an image all the same (is_hash_or_id, now asked after
    # the decoding, still says so).
    svg = base64.b64encode(b'<svg width="10" height="10"></svg>').decode()
    div = base64.b64encode(b'<div width="10" height="10"></div>').decode()
    assert decoded._b64text(svg) is None
    assert decoded._b64text(div) is not None
