"""Every personal data type of issue 12 with true and false examples, through the real `scan_text` and `scrub`.

Values come from the corpus generators at run time (benchmarks/corpus_pii.py), so this file holds no number
the repository's own scan would report.
"""

from __future__ import annotations

import random
import string

import pytest
from benchmarks import corpus_pii, fakes

from attune.scan import pii_fiction, pii_iban, scan_text, scrub


def _types(text):
    return [f.type for f in scan_text(text + "\n", "notes.txt", secrets=False)]


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("label", sorted(corpus_pii.KINDS))
def test_each_type_is_found_under_the_names_developers_give_it(label, seed):
    r = random.Random(f"{label}-{seed}")
    kind = corpus_pii.KINDS[label]
    value = kind.make(r)
    expected = corpus_pii.REPORTED.get(label, label)
    assert expected in _types(f"{r.choice(kind.names)}: {value}"), value
    assert expected in _types(f'    {r.choice(kind.names)} = "{value}"'), value


_CHECKED = sorted(
    set(corpus_pii.KINDS)
    - {
        "in-pan",
        "us-itin",
        "kr-rrn",
        "uk-nino",
        "bank-account",
        "dob",
        "passport",
        "drivers-licence",
        "address",
        "phone-national",
    }
    - {"email-intl", "ipv6-forms", "ssn-spaced"}
)


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("label", _CHECKED)
def test_a_number_whose_check_digit_fails_is_not_reported(label, seed):
    name, value = corpus_pii._broken(label)(random.Random(f"{label}-{seed}"))
    assert _types(f"{name}: {value}") == [], value


# Numbers that are personal data only where the line names them: here the name says something else.
_NAMED_ONLY = ("ca-sin", "de-steuer-id", "nl-bsn", "au-tfn", "au-medicare", "uk-nhs", "pl-pesel", "za-id", "dob")


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("label", _NAMED_ONLY)
def test_bare_numbers_need_a_name(label, seed):
    value = corpus_pii.KINDS[label].make(random.Random(f"{label}-{seed}"))
    assert _types(f"order_ref = {value}") == [], value


def test_ssn_in_every_separator_form_with_its_name_and_never_issued_ranges():
    for sep in ("-", " ", ".", ""):
        assert _types(f"ssn: 219{sep}45{sep}6781") == ["ssn"]
        assert _types(f"customerSsn = '219{sep}45{sep}6781'") == ["ssn"]
    assert _types("ref 219 45 6781") == []  # spaced or bare, the name decides
    for never in ("000-45-6781", "666-45-6781", "219-00-6781", "219-45-0000", "111-22-3333", "078-05-1120"):
        assert _types(f"ssn: {never}") == [], never


def test_a_person_record_makes_a_birth_date_and_a_checked_number():
    assert _types("# contact: 1985-03" + "-12") == ["dob"]
    assert _types("contact: 2024-03-12") == []  # not an adult's birth year
    number = corpus_pii.KINDS["de-steuer-id"].make(random.Random(1))
    assert _types(f"patient: {number}") == ["de-steuer-id"]
    assert _types(f"row: {number}") == []


def test_aws_account_ids_and_counting_runs_are_not_national_numbers_or_phones():
    assert _types("aws budgets create-subscriber --account-id 1111" + "22223333") == []
    assert _types("contact: arn:aws:iam::1111" + "22223333:user/x") == []
    assert _types("# >= botocore 1.19.41 (memberId is now part of the body)") == []
    assert _types("Plz send bank account # to 215555" + "0100") == []  # a fictional phone number


def test_a_person_record_names_addresses_and_document_numbers():
    assert _types("# contact: 742 Cedar " + "Terrace") == ["address"]
    assert _types("patient: C01X0" + "0T47") == ["id-number"]
    assert _types("ref: C01X00T47 and 742 Cedar Terrace") == []


def test_words_spelled_by_a_token_are_not_names():
    token = "".join(["5454175235", ":AA-_YCxw", "usaJwIp4V", "oHOoD", "lTO1gx", "-RCR6Ey"])
    assert _types(f"BOT_TOKEN={token}") == []


def test_licence_words_alone_and_their_look_alikes():
    assert _types('customer_license = "D123' + '4567"') == ["drivers-licence"]
    assert _types("customer_dl: D123" + "4567") == ["drivers-licence"]
    assert _types("# Copyright 2001-2024 license MIT") == []
    assert _types("see https://dl.acm.org/doi/10.1145/322248.322255") == []


def test_uk_national_insurance_prefix_rules():
    assert _types("ni: " + "JG" + "103759A") == ["uk-nino"]
    for bad in ("BG", "GB", "NK", "KN", "TN", "NT", "ZZ", "DA", "FA", "QA", "AO", "AD"):
        assert _types(f"ni: {bad}103759A") == [], bad
    assert _types("ni: " + "JG" + "103759E") == []  # the suffix is A to D


def test_dates_of_birth_in_many_forms_but_not_other_dates():
    for date in ("1985-03-12", "12/03/1985", "3/12/1985", "12.03.1985", "March 12, 1985", "12 Mar 1985", "19850312"):
        assert _types(f"date_of_birth: {date}") == ["dob"], date
        assert _types(f"created_at: {date}") == [], date
    assert _types("dob: 2999-01-01") == []  # not born yet
    assert _types("dob: 1985-13-40") == []


def test_passports_and_driving_licences_need_their_name():
    assert _types("passport_no: " + "C01X0" + "0T47") == ["passport"]
    assert _types("ref: " + "C01X0" + "0T47") == []
    assert _types("passport_required = True  # 86400") == []
    assert _types("driver_license: " + "D123" + "4567") == ["drivers-licence"]
    assert _types("# Licensed under the Apache License, Version 2.0") == []
    assert _types("driver_version: 535.104.05") == []
    dvla = "MORGA" + "657054SM9IJ"  # the DVLA's own shape needs no name
    assert _types(f"ref {dvla}") == ["drivers-licence"]


def test_addresses_us_uk_and_european():
    us = "1600 Pennsylvania" + " Avenue NW, Washington, DC" + " 20500"
    uk = "221B Baker" + " Street, London NW1" + " 6XE"
    assert _types(f"ship to {us}") == ["address"]
    assert _types(f"see {uk}") == ["address"]  # a postcode ends it: no name needed
    assert _types("home_address: 742 Cedar " + "Terrace") == ["address"]
    assert _types("see 742 Cedar Terrace for the plot") == []
    faker_style = "0487 Hill Ferry Suite 393\nNew Johnville, " + "WA 12345"  # the town on the next line
    assert _types(faker_style) == ["address"]
    for fiction in ("100 Main Street, Any" + "town, USA", "123 Main " + "St", "742 Evergreen " + "Terrace"):
        assert _types(f"home address: {fiction}") == [], fiction
    assert _types("address: Haupt" + "straße 5, " + "10115 Berlin") == ["address"]
    assert _types("ip address 10.0.0.1, MAC address 00:1A:2B:3C:4D:5E, address = 0x7ffe1234") == []


def test_an_organisations_office_is_not_personal_data():
    assert _types("office at 160 Saratoga Avenue, Santa Clara, " + "CA 95051, and the") == []
    assert _types("lives at 160 Sara" + "toga Avenue, Santa Clara, " + "CA 95051") == ["address"]


def test_phones_without_a_country_code_need_a_phone_word():
    assert _types("phone: 030 " + "842" + "75931") == ["phone"]
    assert _types("mobile = '06 12 34 " + "56 78'") == ["phone"]
    assert _types("tel: (02) 94" + "18 " + "6257") == ["phone"]
    assert _types("row 612345678") == []
    assert _types("call me at 823-555-" + "2910x123") == ["phone"]  # an extension is part of the number
    assert _types("001-823-555-" + "2910") == ["phone"]
    assert _types("Order 0012-345-678") == []
    arn = ":".join(["arn", "aws", "ssm-contacts", "us-east-2", "6824287" + "03967", "contact/ops"])
    assert _types(arn) == []  # an account id after a colon, on a line that says contact
    assert _types("mobile build 2024.98.245") == []


@pytest.mark.parametrize(
    "number",
    ["555-0142", "(415) 555-0199", "+1 212 555 0100", "020 7946 0123", "+44 20 7946 0958", "0113 496 0555",
     "07700 900123", "+44 7700 900077", "01632 960999", "(02) 5550 1234", "0491 570 156", "+61 491 570 110",
     "1800 160 401"],
)  # fmt: skip
def test_numbers_reserved_for_drama_are_not_phones(number):
    assert pii_fiction.fictional_phone(number)
    assert _types(f"phone: {number}") == []


def test_documented_test_cards_and_ibans_are_not_reported_as_anything():
    for number in sorted(pii_fiction.TEST_CARDS):
        grouped = " ".join(number[i : i + 4] for i in range(0, len(number), 4))
        assert _types(f"card: {number}") == [], number
        assert _types(f"card: {grouped}") == [], grouped
    for iban in sorted(pii_iban.TEST_IBANS):
        assert _types(f"iban: {iban}") == [], iban


def test_counted_card_numbers_are_not_cards():
    assert _types("ddshi048 shift  " + "1234567890" + "123456 +1") == []
    assert _types("add '654321" + "0123456788' 0.5") == []


def test_every_registry_country_with_its_length_and_a_bad_checksum_is_nothing_else():
    r = random.Random(12)
    for country, length in pii_iban.LENGTHS.items():
        bban = fakes.pick(r, string.digits, length - 4)
        good = country + fakes.iban_check(country, bban) + bban
        spaced = " ".join(good[i : i + 4] for i in range(0, len(good), 4))
        assert _types(f"pay to {good}") == ["iban"], good
        assert _types(f"pay to {spaced}") == ["iban"], spaced
        broken = spaced[:2] + f"{(int(good[2:4]) + 1) % 100:02d}" + spaced[4:]
        assert _types(f"pay to {broken}") == [], broken
        assert _types(f"pay to {good}0") == [], "one character too long"


def test_ipv6_compressed_and_ipv4_mapped_and_documentation_ranges():
    public_v4 = "".join(["81", ".2", ".69", ".160"])
    assert _types("peer " + "".join(["2a00", ":1450", ":4001", ":82b", "::", "200e"])) == ["ip"]
    assert _types("peer " + "".join(["::", "ffff", ":", public_v4])) == ["ip"]
    assert _types("peer " + "".join(["2606", ":4700", "::", "1111"])) == ["ip"]
    for doc in ("192.0.2.1", "198.51.100.7", "203.0.113.9", "2001:db8::1", "::ffff:192.0.2.1", "::ffff:10.0.0.1"):
        assert _types(f"peer {doc}") == [], doc


def test_internationalised_email_addresses():
    assert _types("mail " + "josé@bücher" + ".de") == ["email"]
    assert _types("mail " + "用户@例子" + ".广告") == ["email"]
    assert _types("mail " + "anna@xn--bcher-kva" + ".ch") == ["email"]


def test_scrub_names_each_new_type():
    lines = [
        "dob: 1985-03" + "-12",
        "ni: JG" + "103759A",
        "pass" + "port_no: C01X0" + "0T47",
        "ship to 1600 Penn" + "sylvania Avenue NW",
    ]
    text = "\n".join(lines)
    scrubbed = scrub(text)
    assert scrubbed.text == "dob: [DOB]\nni: [NATIONAL-ID]\npassport_no: [PASSPORT]\nship to [ADDRESS]"
    assert [f.type for f in scrubbed.findings] == ["dob", "uk-nino", "passport", "address"]


def test_a_birth_date_is_judged_against_attune_dates_today(monkeypatch):
    # The day comes from EMPATHY_TODAY (pinned for the whole suite), never the machine's clock: the
    # same line is a birth date of someone alive on one day and a date in the future on another.
    from attune import dates, scan

    day = "-".join(("2026", "11", "10"))  # assembled, so that the repository's own scan stays clean
    line = "patient date of birth: " + day
    monkeypatch.setenv(dates.TODAY_VARIABLE, day.replace("10", "15"))
    assert "[DOB]" in scan.scrub(line).text
    monkeypatch.setenv(dates.TODAY_VARIABLE, day.replace("10", "01"))
    assert "[DOB]" not in scan.scrub(line).text
