"""The keyword pass's shortcuts find what the plain regex search finds (issue 15)."""

from __future__ import annotations

import random

import pytest

from attune.scan import providers, scan_text
from attune.scan.provider_spec import sample
from attune.scan.providers import PROVIDERS

ANCHORED = [p for p in PROVIDERS if providers._anchor(p) is not None]
NOISE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-.: \n"


def test_the_azure_keys_are_anchored_and_the_formats_with_a_prefix_are_not():
    ids = {p.id for p in ANCHORED}
    assert {"azure-cosmosdb-key", "azure-storage-identifiable-key", "new-relic-license-key"} <= ids
    assert "github-token" not in ids and all(not p.context for p in ANCHORED)


@pytest.mark.parametrize("provider", ANCHORED, ids=lambda p: p.id)
def test_an_anchored_search_finds_what_the_regex_search_finds(provider):
    index = PROVIDERS.index(provider)
    pattern, _ = providers._patterns(index)
    anchor = providers._anchor(provider)
    rng = random.Random(provider.id)
    for _ in range(30):
        parts = []
        for _ in range(rng.randint(1, 6)):
            value = sample(provider, rng)
            if rng.random() < 0.3:  # overlapping and glued copies, and values cut short
                value = value[: rng.randint(1, len(value))] + sample(provider, rng)
            parts += [value, "".join(rng.choice(NOISE) for _ in range(rng.randint(0, 40)))]
        text = "".join(parts)
        start, end = rng.randint(0, 10), len(text) - rng.randint(0, 10)
        expected = [m.span() for m in pattern.finditer(text, start, end)]
        assert [m.span() for m in providers._anchored(pattern, text, start, end, anchor)] == expected, text


def test_a_run_of_one_letter_still_finds_a_twitter_token_after_it_on_its_line():
    # The keyword (21 a's) matches at every offset of the run; only its first match on a line is looked at.
    (twitter,) = [p for p in PROVIDERS if p.id == "twitter-bearer-token"]
    token = sample(twitter, random.Random(1))
    found = scan_text("echo " + "a" * 200_000 + " " + token + "\n", "run.sh", pii=False)
    assert [f.type for f in found] == ["twitter-bearer-token"]
