"""Every provider format: true examples are found with their type, close look-alikes are not (issue 12).

True examples are built at run time from each format's grammar (so this file holds no token), then written
into a file the way a developer would, and scanned through the whole engine: prefilter, keyword pass,
regex, noise filters and the order in which detectors win.
"""

from __future__ import annotations

import random
import zlib
from pathlib import Path

import pytest

from attune.scan import has_candidate, provider_checks, scan_text, scrub
from attune.scan.detectors import DETECTORS
from attune.scan.provider_spec import Provider, Run, sample
from attune.scan.providers import PROVIDERS

BY_ID = {p.id: p for p in PROVIDERS}
DOC = Path(__file__).resolve().parents[2] / "docs" / "scanning-formats.md"


def _line(provider: Provider, value: str, form: int) -> tuple[str, str]:
    name = provider.keywords[0] + "_key" if provider.context else "CREDENTIAL"
    forms = [
        ("settings.py", f'{name} = "{value}"'),
        ("config.yaml", f"  {name.lower()}: {value}"),
        (".env", f"{name}={value}"),
        ("config.json", f'  "{name}": "{value}",'),
    ]
    return forms[form % len(forms)]


def _scan(provider: Provider, value: str, form: int) -> list[tuple[str, int]]:
    filename, line = _line(provider, value, form)
    text = f"# generated\n{line}\n"
    assert has_candidate(text), line
    return [(f.type, f.line) for f in scan_text(text, filename)]


def test_there_are_two_hundred_formats_with_unique_ids_and_lowercase_keywords():
    assert len(PROVIDERS) >= 200
    assert len(BY_ID) == len(PROVIDERS)
    assert not set(BY_ID) & {d.type for d in DETECTORS} - {"mailchimp-key", "square-oauth-secret"}
    for provider in PROVIDERS:
        assert provider.keywords and all(k == k.lower() and len(k) >= 2 for k in provider.keywords), provider.id
        assert provider.name


@pytest.mark.parametrize("provider_id", sorted(BY_ID))
def test_true_examples_are_found_with_their_type(provider_id):
    provider = BY_ID[provider_id]
    r = random.Random(provider_id)
    for form in range(4):
        value = sample(provider, r)
        found = _scan(provider, value, form)
        assert found == [(provider_id, 2)], (value, form)


def _placeholder(provider: Provider, r: random.Random) -> str:
    """The format's fixed parts with every random run written as X: a template, not a credential."""
    out = []
    for part in provider.parts:
        if isinstance(part, Run):
            out.append("X" * part.low)
        elif isinstance(part, tuple):
            out.append(part[0])
        else:
            out.append(part)
    return "".join(out)


def _truncated(provider: Provider, value: str) -> str | None:
    last = provider.parts[-1]
    if not isinstance(last, Run):
        return None
    tail = len(value) - len(value.rstrip(_alphabet_chars(last)))
    cut = tail - last.low + 1
    return value[:-cut] if 0 < cut < len(value) else None


def _alphabet_chars(run: Run) -> str:
    from attune.scan.provider_spec import _chars

    return _chars(run.alphabet)


@pytest.mark.parametrize("provider_id", sorted(BY_ID))
def test_false_examples_are_not_taken_for_the_format(provider_id):
    provider = BY_ID[provider_id]
    r = random.Random(provider_id + "false")
    value = sample(provider, r)
    looks_alike = [_placeholder(provider, r)]
    short = _truncated(provider, value)
    if short is not None:
        looks_alike.append(short)
    for fake in looks_alike:
        for form in range(2):
            filename, line = _line(provider, fake, form)
            assert provider_id not in [f.type for f in scan_text(f"{line}\n", filename)], line
    if provider.context:  # the same value without the provider's name is not this provider's
        assert provider_id not in [f.type for f in scan_text(f'value = "{value}"\n', "a.py")]
    else:  # glued to a longer identifier, it is part of something else
        assert provider_id not in [f.type for f in scan_text(f'value = "Zq{value}"\n', "a.py")]
    for line in provider.false:
        assert provider_id not in [f.type for f in scan_text(f"{line}\n", "a.py")], line


@pytest.mark.parametrize(
    "line",
    [
        'HEROKU_APP_ID = "%u"',
        "datadog_org_uuid: %u",
        'splunk_project = "%u"',
        "octopus: API-DOCUMENTATIONSECTIONSTITLEANDBODY",
        "notion: secret_the_application_passphrase_for_every_user",
        "see https://docs.example.com/api-reference/sdk-overview",
    ],
)
def test_identifiers_and_names_next_to_a_provider_name_are_not_credentials(line):
    r = random.Random(line)
    uuid = "-".join("".join(r.choice("0123456789abcdef") for _ in range(n)) for n in (8, 4, 4, 4, 12))
    assert scan_text(line.replace("%u", uuid) + "\n", "app.py") == []


def _github(r: random.Random, body30: str) -> str:
    return "gh" + "p_" + body30 + provider_checks.base62(zlib.crc32(body30.encode()), 6)


def test_a_github_token_with_a_valid_checksum_is_found_even_when_its_body_spells_a_word():
    body = "Example" + "".join(random.Random(1).choice("abcdefghij0123456789") for _ in range(23))
    token = _github(random.Random(1), body)
    assert provider_checks.crc32_base62(token, 4)
    assert [f.type for f in scan_text(f'GITHUB_TOKEN = "{token}"\n', "a.py")] == ["github-token"]
    broken = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert not provider_checks.crc32_base62(broken, 4)
    assert [f.type for f in scan_text(f'GITHUB_TOKEN = "{broken}"\n', "a.py")] != ["github-token"]


def test_bech32_accepts_a_valid_age_key_and_rejects_a_changed_one():
    # Built at run time: the Bech32 checksum of "age-secret-key-1" + 52 data characters.
    charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
    hrp = "age-secret-key-"
    data = [random.Random(7).randrange(32) for _ in range(52)]
    values = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp] + data + [0] * 6
    polymod = provider_checks._polymod(values) ^ 1
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    key = (hrp + "1" + "".join(charset[d] for d in data + checksum)).upper()
    assert provider_checks.bech32(key)
    assert not provider_checks.bech32(key[:-1] + ("Q" if key[-1] != "Q" else "P"))
    assert [f.type for f in scan_text(f"{key}\n", "keys.txt")] == ["age-secret-key"]


def test_the_scanning_doc_lists_every_detector_id():
    text = DOC.read_text()
    missing = [i for i in sorted({*BY_ID, *(d.type for d in DETECTORS)}) if f"`{i}`" not in text]
    assert missing == []


def test_a_url_password_that_starts_with_a_percent_encoded_character_is_found():
    password = "%21" + "G1oalUm" + "%5E7Q3TmKG"
    found = scan_text(f'DATABASE_URL = "postgres://app:{password}@db-5.acme-corp.net:5432/queue"\n', "a.toml")
    assert [f.type for f in found] == ["url-credentials"]
    assert scan_text('url = "postgres://app:%(password)s@db/queue"\n', "a.py") == []


@pytest.mark.parametrize("provider_id", sorted(BY_ID))
def test_the_prefilter_lets_every_format_through_without_a_secret_sounding_name(provider_id):
    provider = BY_ID[provider_id]
    r = random.Random(provider_id + "prefilter")
    for _ in range(30):
        # a format without a prefix comes after its provider's name: the names people give it say key or token
        name = f"{provider.keywords[0]}_key" if provider.context else "value"
        line = f'{name} = "{sample(provider, r)}"\n'
        assert has_candidate(line), line


@pytest.mark.parametrize(
    "value",
    [
        "sk_" + "test_4eC39HqLyjWDarjtT1zdp7dc",
        "gh" + "p_16C7e42F292c6912E7710c838347Ae178B4a",
    ],
)
def test_the_providers_own_documentation_examples_are_not_leaks(value):
    assert scan_text("api_key = " + repr(value) + "\n", "quickstart.py") == []
    changed = value[:-2] + "Zq"  # any other value of the format is still found
    assert [f.type for f in scan_text("api_key = " + repr(changed) + "\n", "quickstart.py")] != []


def test_a_format_whose_keyword_fills_many_lines_is_still_found_on_the_last_one():
    provider = BY_ID["airtable-pat"]
    value = sample(provider, random.Random(12))
    text = "".join(f"path_{i} = pattern(compat)\n" for i in range(100)) + f'AIRTABLE = "{value}"\n'
    assert [(f.type, f.line) for f in scan_text(text, "a.py")] == [("airtable-pat", 101)]


def test_offsets_stay_right_after_letters_that_lowering_would_lengthen():
    provider = BY_ID["digitalocean-pat"]
    value = sample(provider, random.Random(13))
    text = "# İstanbul ẞtraße\n" + f'DO = "{value}"\n'
    scrubbed = scrub(text)
    assert scrubbed.text == '# İstanbul ẞtraße\nDO = "[SECRET:digitalocean-pat]"\n'
