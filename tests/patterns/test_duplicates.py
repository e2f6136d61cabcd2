"""The near-duplicate measure, and the labelled fixes that justify its threshold."""

from __future__ import annotations

import pytest

from attune import config
from attune.patterns import duplicates, store
from attune.patterns.duplicates import THRESHOLD, fix_text, similarity, words
from tests.helpers import pattern

# (fix A, paraphrase of A, a different fix for the same problem)
PAIRS = [
    (
        "Use `yaml.safe_load` instead of `yaml.load` when reading config files.",
        "Never call `yaml.load` on config: parse it with `yaml.safe_load`, which cannot build arbitrary objects.",
        "Validate config files against the JSON schema in `schema.json` before reading any key.",
    ),
    (
        "Create the pool in `connect()` when `cfg` has no `pool` key, with `make_pool(cfg)`; do not index `cfg['pool']`.",
        "In `connect()`, fall back to `make_pool(cfg)` if the pool key is missing rather than reading `cfg['pool']`.",
        "Retry the connection once after a failover: catch `OperationalError` in `connect()` and reconnect.",
    ),
    (
        "Pass `timeout=10` to every `requests.get` and `requests.post`; without it a hung server blocks the worker.",
        "Give requests calls an explicit timeout (`requests.get(url, timeout=10)`); the default waits forever.",
        "Mount an `HTTPAdapter` with `Retry(total=3, backoff_factor=0.5)` on the session so 502s are retried.",
    ),
    (
        "Compare datetimes in UTC: build them with `datetime.now(timezone.utc)`, never naive `datetime.now()`.",
        "Naive `datetime.now()` breaks comparisons with aware timestamps; use `datetime.now(timezone.utc)`.",
        "Store timestamps as integers (epoch seconds) in the database and format them only for display.",
    ),
    (
        "Close files with a with-block, `with open(path) as handle:`, so the descriptor is released on errors.",
        "Open files in a `with open(path) as handle` block; a bare `open()` leaks the descriptor on exceptions.",
        "Write files atomically: write a temporary file in the same directory, then `os.replace` it over the target.",
    ),
    (
        "Run `subprocess.run` with a list of arguments and `shell=False`; never build a command string from input.",
        "Do not pass `shell=True` with user-controlled strings; give `subprocess.run` an argument list instead.",
        "Quote every argument with `shlex.quote` when a shell pipeline is unavoidable, and log the final command.",
    ),
    (
        "Await `session.close()` in a `finally` block so the aiohttp connector is not left open.",
        "Close the aiohttp session in `finally:` with `await session.close()`, or its connector stays open.",
        "Use `async with aiohttp.ClientSession() as session:` so the session closes itself.",
    ),
    (
        "Hash passwords with `argon2id` through `argon2.PasswordHasher`; never store `sha256` digests.",
        "Store password hashes from `argon2.PasswordHasher().hash(password)` (argon2id), not plain `sha256`.",
        "Rate-limit login attempts per account and per IP with the `limits` library to slow password guessing.",
    ),
]


def score(first, second):
    return similarity(words(first), words(second))


def test_the_threshold_separates_paraphrases_from_different_fixes():
    same = [score(fix, paraphrase) for fix, paraphrase, _ in PAIRS]
    different = [score(a, other) for fix, paraphrase, other in PAIRS for a in (fix, paraphrase)]
    # Paraphrases score 0.38 and above, different fixes 0.20 and below: the threshold leaves a
    # margin on both sides, so that a rewording or a shared word or two does not flip a verdict.
    assert min(same) >= THRESHOLD + 0.05, sorted(same)
    assert max(different) <= THRESHOLD - 0.05, sorted(different)


def test_code_weighs_more_than_prose():
    assert words("Use `yaml.safe_load` for config files") == {"yaml": 2, "safe_load": 2, "config": 1, "file": 1}
    # "get" is a glue word in prose but not in `requests.get`; call arguments are not recognised as code
    assert words("requests.get(url, timeout=10) and get it") == {
        "request": 2,
        "get": 2,
        "url": 1,
        "timeout": 2,
        "10": 2,
    }


@pytest.mark.parametrize(
    ("body", "fix"),
    [
        ("**Error:** boom\n\n**Root cause:** a cause\n\n**Fix:** use the pool.\n", " use the pool.\n"),
        ("**Error:** boom\n**Fix**: retry once\n**Why:** flaky", " retry once\n"),
        ("## Error\nboom\n## Fix\nCreate the pool first.\n## Notes\nsee #12", "\nCreate the pool first.\n"),
        ("Error: boom\nSolution: close the file\nand log it", " close the file\nand log it"),
        ("Name modules as nouns and functions as verbs.", "Name modules as nouns and functions as verbs."),
    ],
)
def test_the_fix_is_its_section_or_the_whole_body(body, fix):
    assert fix_text(body) == fix


def library(*items):
    parsed = [store.parse(f".empathy/patterns/debugging/{i}.md", pattern(i, body=b), config.DEFAULT) for i, b in items]
    assert all(f.problems == () for f in parsed)
    return [f.patterns[0] for f in parsed]


def test_find_reports_each_pair_once_and_skips_fixes_too_short_to_judge():
    error = "**Error:** e\n\n**Root cause:** c\n\n**Fix:** "
    one, again, other, short, short_too = library(
        ("one", error + PAIRS[0][0]), ("again", error + PAIRS[0][1]), ("other", error + PAIRS[0][2]),
        ("short", error + "see the docs"), ("short-too", error + "see the docs"),
    )  # fmt: skip
    found = duplicates.find([one, again, short], [one, again, other, short, short_too])
    assert [(d.first.id, d.second.id) for d in found] == [("one", "again")]
    assert found[0].similarity == round(score(PAIRS[0][0], PAIRS[0][1]), 2)


def test_each_changed_pattern_reports_its_closest_few():
    error = "**Error:** e\n\n**Root cause:** c\n\n**Fix:** "
    fix = "Pass `timeout=10` to `requests.get` and `requests.post` in the worker"
    extra = ["scheduler", "cron", "beat", "queue", "broker"]
    changed, *others = library(*((f"p{n}", f"{error}{fix} {' '.join(extra[:n])}") for n in range(6)))
    found = duplicates.find([changed], [changed, *others])
    assert [d.second.id for d in found] == ["p1", "p2", "p3"]  # the closest, most alike first
    assert found[0].similarity > found[1].similarity > found[2].similarity >= THRESHOLD


def test_find_scores_pairs_as_similarity_does():
    """find() computes the weighted Jaccard with set operations; it must equal similarity()."""
    import random

    from attune.patterns.duplicates import _profile

    rng = random.Random(3)
    vocabulary = [f"word{i}" for i in range(12)] + ["safe_load", "utf8", "x2"]
    for _ in range(2000):
        first = {w: rng.choice((1, 2)) for w in rng.sample(vocabulary, rng.randint(1, 10))}
        second = {w: rng.choice((1, 2)) for w in rng.sample(vocabulary, rng.randint(1, 10))}
        a, b = _profile(first), _profile(second)
        common = len(a.keys & b.keys) + len(a.heavy & b.heavy)
        assert common / (a.weight + b.weight - common) == similarity(first, second)
