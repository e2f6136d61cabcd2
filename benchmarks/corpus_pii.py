"""Personal data for the labeled corpus beyond the first six types, and hard negatives for each (issue 12).

Identity numbers are drawn at random in their national shape until their check digits hold (rejection
sampling), so each is a syntactically valid number nobody was issued on purpose. Each type comes with the
names a developer gives such a field; the line says what it holds, as real code and data do.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from typing import NamedTuple

from attune.scan import pii_checks as check
from attune.scan import pii_fiction, pii_iban
from benchmarks import fakes

D = string.digits
U = string.ascii_uppercase


class Kind(NamedTuple):
    make: Callable[[random.Random], str]
    names: tuple[str, ...]


def _until(make: Callable[[random.Random], str], valid: Callable[[str], bool]) -> Callable[[random.Random], str]:
    def draw(r: random.Random) -> str:
        while True:
            value = make(r)
            if valid("".join(c for c in value if c.isalnum()).upper()):
                return value

    return draw


def _n(r: random.Random, size: int, first: str = D) -> str:
    return r.choice(first) + fakes.pick(r, D, size - 1)


def _date6(r: random.Random, order: str = "ymd", lo: int = 1940, hi: int = 2004) -> tuple[str, int]:
    year, month, day = r.randrange(lo, hi), r.randrange(1, 13), r.randrange(1, 29)
    parts = {"y": f"{year % 100:02d}", "m": f"{month:02d}", "d": f"{day:02d}"}
    return "".join(parts[c] for c in order), year


def _group(value: str, sizes: tuple[int, ...], sep: str) -> str:
    out, at = [], 0
    for size in sizes:
        out.append(value[at : at + size])
        at += size
    return sep.join(out)


def _nino(r: random.Random) -> str:
    first, second = r.choice("ABCEGHJKLMNOPRSTWXYZ"), r.choice("ABCEGHJKLMNPRSTWXYZ")
    body = fakes.pick(r, D, 6)
    return r.choice(
        [
            f"{first}{second}{body}{r.choice('ABCD')}",
            f"{first}{second} {_group(body, (2, 2, 2), ' ')} {r.choice('ABCD')}",
        ]
    )


def _cf(r: random.Random) -> str:
    date, _ = _date6(r, "y")
    body = fakes.pick(r, U, 6) + date[:2] + r.choice("ABCDEHLMPRST") + f"{r.randrange(1, 72):02d}"
    return body + r.choice(U) + fakes.pick(r, D, 3) + r.choice(U)


def _hetu(r: random.Random) -> str:
    date, year = _date6(r, "dmy")
    return date + ("-" if year < 2000 else "A") + fakes.pick(r, D, 3) + r.choice("0123456789ABCDEFHJKLMNPRSTUVWXY")


def _pesel(r: random.Random) -> str:
    date, year = _date6(r)
    month = int(date[2:4]) + (20 if year >= 2000 else 0)
    return date[:2] + f"{month:02d}" + date[4:] + fakes.pick(r, D, 5)


def _curp(r: random.Random) -> str:
    date, _ = _date6(r)
    return (r.choice(U) + r.choice("AEIOU") + fakes.pick(r, U, 2) + date + r.choice("HM") + r.choice(["DF", "JC", "NL"])
            + fakes.pick(r, "BCDFGHJKLMNPRSTVWXZ", 3) + r.choice("0A") + r.choice(D))  # fmt: skip


def _cpf(r: random.Random) -> str:
    n = fakes.pick(r, D, 11)
    return r.choice([n, f"{n[:3]}.{n[3:6]}.{n[6:9]}-{n[9:]}"])


def _dob(r: random.Random) -> str:
    year, month, day = r.randrange(1930, 2006), r.randrange(1, 13), r.randrange(1, 29)
    name = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December")[month - 1]  # fmt: skip
    return r.choice([f"{year}-{month:02d}-{day:02d}", f"{day:02d}/{month:02d}/{year}", f"{month}/{day}/{year}",
                     f"{day:02d}.{month:02d}.{year}", f"{name} {day}, {year}", f"{day} {name[:3]} {year}",
                     f"{day}-{name[:3]}-{year}", f"{year}{month:02d}{day:02d}"])  # fmt: skip


def _passport(r: random.Random) -> str:
    return r.choice([
        _n(r, 9, "123456789"), r.choice("ACEFGHJKLMNPRSTVWXYZ") + fakes.pick(r, D, 8),
        fakes.pick(r, "CFGHJKLMNPRTVWXYZ", 1) + fakes.pick(r, "CFGHJKLMNPRTVWXYZ0123456789", 3) + fakes.pick(r, D, 5),
        fakes.pick(r, D, 2) + fakes.pick(r, U, 2) + fakes.pick(r, D, 5), r.choice(U) + _n(r, 7, "123456789"),
        fakes.pick(r, U, 2) + fakes.pick(r, D, 6), "E" + fakes.pick(r, D, 8),
    ])  # fmt: skip


def _licence(r: random.Random) -> str:
    surname = "".join(r.choice(fakes.LAST).upper()[:5].ljust(5, "9"))
    date, _ = _date6(r, "ymd")
    dvla = surname + date[0] + date[2:4] + date[4:6] + date[1] + fakes.pick(r, U, 2) + r.choice(D) + fakes.pick(r, U, 2)
    return r.choice([
        r.choice(U) + fakes.pick(r, D, 7), _group(fakes.pick(r, D, 9), (3, 3, 3), " "), dvla,
        f"{r.choice(U)}{fakes.pick(r, D, 3)}-{fakes.pick(r, D, 3)}-{fakes.pick(r, D, 2)}-{fakes.pick(r, D, 3)}-0",
        r.choice(U) + fakes.pick(r, D, 12), fakes.pick(r, D, 8),
    ])  # fmt: skip


_STREETS = ("Maple", "Oak", "Elm", "Cedar", "Highland", "Lincoln", "Church", "Victoria", "Station", "Mill")
_TOWNS = ("Springfield", "Riverside", "Fairview", "Madison", "Georgetown", "Salem", "Kingston", "Ashford")


def _address(r: random.Random) -> str:
    n, street, town = r.randrange(1, 9999), r.choice(_STREETS), r.choice(_TOWNS)
    return r.choice([
        f"{n} {street} {r.choice(['Street', 'St', 'Avenue', 'Ave', 'Road', 'Rd', 'Lane', 'Drive', 'Blvd'])}",
        f"{n} {street} St, {town}, {r.choice(['CA', 'NY', 'TX', 'IL', 'WA'])} {r.randrange(10000, 99999)}",
        f"{n} {street} Ave Apt {r.randrange(1, 40)}, {town}, OR {r.randrange(97001, 97999)}",
        f"{r.randrange(1, 300)} {street} Road, {town} {r.choice(['SW1A', 'M1', 'B33', 'LS6', 'EH1'])} {r.choice(D)}"
        f"{fakes.pick(r, 'ABDEFGHJLNPQRSTUWXYZ', 2)}",
        f"{street}straße {r.randrange(1, 200)}, {r.randrange(10000, 99999)} Berlin",
        f"{r.randrange(1, 200)} rue de la {street}, {r.randrange(10000, 95999)} Paris",
        f"Flat {r.randrange(1, 30)}, {r.randrange(1, 300)} {street} Gardens",
    ])  # fmt: skip


def _national_phone(r: random.Random) -> str:
    return r.choice([
        f"030 {fakes.pick(r, D, 8)}", f"06 {_group(fakes.pick(r, D, 8), (2, 2, 2, 2), ' ')}",
        f"07{r.choice('1234589')}{fakes.pick(r, D, 2)} {fakes.pick(r, D, 6)}", f"03-{fakes.pick(r, D, 4)}-{fakes.pick(r, D, 4)}",
        f"9{fakes.pick(r, D, 4)} {fakes.pick(r, D, 5)}", f"(11) 9{fakes.pick(r, D, 4)}-{fakes.pick(r, D, 4)}",
        f"(02) 9{fakes.pick(r, D, 3)} {fakes.pick(r, D, 4)}", f"({_n(r, 3, '23456789')}) {_n(r, 3, '2346789')}-{fakes.pick(r, D, 4)}",
        f"{_n(r, 3, '23456789')}.{_n(r, 3, '2346789')}.{fakes.pick(r, D, 4)}", f"06-{fakes.pick(r, D, 8)}",
        f"3{fakes.pick(r, D, 2)} {fakes.pick(r, D, 3)} {fakes.pick(r, D, 4)}", f"6{fakes.pick(r, D, 8)}",
        f"+91 9{fakes.pick(r, D, 4)} {fakes.pick(r, D, 5)}", f"+49 (0)30 {fakes.pick(r, D, 7)}",
    ])  # fmt: skip


def _intl_email(r: random.Random) -> str:
    return r.choice([f"{r.choice(['josé', 'müller', 'zoë', 'søren'])}.{r.choice(fakes.LAST)}@bücher-{r.randrange(99)}.de",
                     f"{r.choice(fakes.FIRST)}@{r.choice(['例子', 'пример', 'münchen'])}{r.randrange(9)}.{r.choice(['рф', 'com', 'de'])}",
                     f"{r.choice(fakes.FIRST)}+{r.choice(['billing', 'news'])}@mail.{r.choice(['xn--bcher-kva', 'acme-corp'])}.ch"])  # fmt: skip


def _ipv6_forms(r: random.Random) -> str:
    v4 = fakes.public_ipv4(r)
    return r.choice([f"::ffff:{v4}", f"2a0{r.randrange(10)}:{r.randrange(4096, 65535):x}::{r.randrange(1, 65535):x}",
                     f"2600:{r.randrange(4096, 65535):x}:{r.randrange(1, 65535):x}::{r.randrange(1, 255):x}"])  # fmt: skip


# fmt: off
KINDS: dict[str, Kind] = {
    "ssn-spaced": Kind(lambda r: _group(f"{r.randrange(1, 665):03d}{r.randrange(1, 99):02d}{r.randrange(1, 9999):04d}",
                                        (3, 2, 4), r.choice([" ", "", "."])),
                       ("ssn", "social_security_number", "customerSsn", "SSN")),
    "us-itin": Kind(_until(lambda r: f"9{fakes.pick(r, D, 2)}-{r.randrange(70, 89)}-{fakes.pick(r, D, 4)}", check.itin),
                    ("itin", "taxpayer_itin")),
    "uk-nino": Kind(_until(_nino, check.uk_nino), ("ni_number", "national_insurance_number", "nino")),
    "uk-nhs": Kind(_until(lambda r: _group(_n(r, 10, "4"), (3, 3, 4), r.choice([" ", ""])), check.uk_nhs), ("nhs_number",)),
    "ca-sin": Kind(_until(lambda r: _group(_n(r, 9, "1234567"), (3, 3, 3), r.choice([" ", "-", ""])), check.ca_sin),
                   ("sin", "social_insurance_number")),
    "de-steuer-id": Kind(_until(lambda r: _n(r, 11, "123456789"), check.de_steuer_id), ("steuer_id", "tax_id", "steuerIdNr")),
    "fr-insee": Kind(_until(lambda r: f"{r.choice('12')} {_date6(r)[0][:2]} {_date6(r)[0][2:4]} {fakes.pick(r, D, 2)} "
                            f"{fakes.pick(r, D, 3)} {fakes.pick(r, D, 3)} {fakes.pick(r, D, 2)}", check.fr_insee),
                     ("insee", "numero_securite_sociale", "nir")),
    "es-dni": Kind(_until(lambda r: fakes.pick(r, D, 8) + r.choice(U), check.es_dni), ("dni", "documento_identidad")),
    "es-nie": Kind(_until(lambda r: r.choice("XYZ") + fakes.pick(r, D, 7) + r.choice(U), check.es_dni), ("nie",)),
    "it-codice-fiscale": Kind(_until(_cf, check.it_codice_fiscale), ("codice_fiscale", "cf")),
    "nl-bsn": Kind(_until(lambda r: _n(r, 9, "123456789"), check.nl_bsn), ("bsn", "burgerservicenummer")),
    "in-aadhaar": Kind(_until(lambda r: _group(_n(r, 12, "23456789"), (4, 4, 4), r.choice([" ", ""])), check.in_aadhaar),
                       ("aadhaar", "aadhaar_number")),
    "in-pan": Kind(lambda r: fakes.pick(r, U, 3) + "P" + r.choice(U) + fakes.pick(r, D, 4) + r.choice(U), ("pan", "pan_number")),
    "br-cpf": Kind(_until(_cpf, check.br_cpf), ("cpf",)),
    "au-tfn": Kind(_until(lambda r: _group(_n(r, 9, "1234567"), (3, 3, 3), r.choice([" ", ""])), check.au_tfn),
                   ("tfn", "tax_file_number")),
    "au-medicare": Kind(_until(lambda r: _n(r, 10, "23456"), check.au_medicare), ("medicare_number",)),
    "se-personnummer": Kind(_until(lambda r: _date6(r)[0] + "-" + fakes.pick(r, D, 4), check.se_personnummer),
                            ("personnummer",)),
    "pl-pesel": Kind(_until(_pesel, check.pl_pesel), ("pesel",)),
    "ch-ahv": Kind(_until(lambda r: f"756.{fakes.pick(r, D, 4)}.{fakes.pick(r, D, 4)}.{fakes.pick(r, D, 2)}", check.ch_ahv),
                   ("ahv_nummer", "avs")),
    "cn-resident-id": Kind(_until(lambda r: _n(r, 6, "1234") + str(_date6(r)[1]) + _date6(r)[0][2:] + fakes.pick(r, D, 3)
                                  + r.choice(D + "X"), check.cn_resident_id), ("resident_id", "id_card")),
    "sg-nric": Kind(_until(lambda r: r.choice("ST") + fakes.pick(r, D, 7) + r.choice("JZIHGFEDCBA"), check.sg_nric), ("nric",)),
    "fi-hetu": Kind(_until(_hetu, check.fi_hetu), ("henkilotunnus", "hetu")),
    "mx-curp": Kind(_until(_curp, check.mx_curp), ("curp",)),
    "za-id": Kind(_until(lambda r: _date6(r)[0] + fakes.pick(r, D, 4) + r.choice("01") + "8" + r.choice(D), check.za_id),
                  ("id_number", "sa_id_number")),
    "kr-rrn": Kind(_until(lambda r: _date6(r)[0] + "-" + r.choice("12") + fakes.pick(r, D, 6), check.kr_rrn), ("rrn",)),
    "us-bank-routing": Kind(_until(lambda r: r.choice("0123") + fakes.pick(r, D, 8), check.us_aba),
                            ("routing_number", "aba_routing")),
    "us-npi": Kind(_until(lambda r: r.choice("12") + fakes.pick(r, D, 9), check.us_npi), ("npi", "provider_npi")),
    "bank-account": Kind(lambda r: _n(r, r.randrange(8, 13), "123456789"), ("bank_account_number", "acct_no")),
    "dob": Kind(_dob, ("date_of_birth", "dob", "birthDate", "birthday", "DOB")),
    "passport": Kind(_passport, ("passport_number", "passport_no", "passportNumber", "passport")),
    "drivers-licence": Kind(_licence, ("drivers_license", "driver_license_number", "dl_number", "driving_licence_no")),
    "address": Kind(_address, ("address", "home_address", "shipping_address", "billing_address", "street_address")),
    "phone-national": Kind(_national_phone, ("phone", "mobile", "tel", "phone_number", "cell", "contact_phone")),
    "email-intl": Kind(_intl_email, ("email", "contact")),
    "ipv6-forms": Kind(_ipv6_forms, ("client_ip", "remote_addr", "peer")),
}
# fmt: on
# What each label is reported as: personal data of the six first types may come in new forms.
REPORTED = {"ssn-spaced": "ssn", "phone-national": "phone", "email-intl": "email", "ipv6-forms": "ip"}


def line(r: random.Random, comment: str, assign: Callable[[str, str], str], label: str) -> str:
    kind = KINDS[label]
    name, value = r.choice(kind.names), kind.make(r)
    forms = [
        assign(name, value),
        f"{comment} {name.replace('_', ' ')}: {value}" if comment else f"{name}: {value}",
        f"{comment} contact: {value}" if comment else f"Contact: {value}",  # the field says whose, not what
    ]
    return r.choice(forms)


def _broken(label: str) -> Callable[[random.Random], tuple[str | None, str]]:
    """A number of the type's shape with one digit changed, under the type's own name."""

    def make(r: random.Random) -> tuple[str | None, str]:
        value = KINDS[label].make(r)
        digits = [i for i, c in enumerate(value) if c.isdigit()]
        # a middle digit: each scheme here catches one changed digit, except the CURP's, blind at weight 10
        at = digits[-1] if label == "mx-curp" else digits[len(digits) // 2]
        return r.choice(KINDS[label].names), value[:at] + str((int(value[at]) + 1) % 10) + value[at + 1 :]

    return make


def _fictional_phone(r: random.Random) -> str:
    return r.choice([
        f"555-01{r.randrange(100):02d}", f"(415) 555-01{r.randrange(100):02d}", "+1 212 " + f"555 01{r.randrange(100):02d}",
        f"020 7946 0{r.randrange(1000):03d}", f"+44 20 7946 0{r.randrange(1000):03d}", f"0113 496 0{r.randrange(1000):03d}",
        f"07700 900{r.randrange(1000):03d}", f"+44 7700 900{r.randrange(1000):03d}", f"0161 496 0{r.randrange(1000):03d}",
        f"(02) 5550 {r.randrange(10000):04d}", f"0491 57{r.randrange(10)} {r.randrange(1000):03d}",
        f"+61 491 570 {r.randrange(1000):03d}", "1800 160 401", f"01632 960{r.randrange(1000):03d}",
    ])  # fmt: skip


def _test_card(r: random.Random) -> str:
    number = r.choice(sorted(pii_fiction.TEST_CARDS))
    return r.choice([number, " ".join(number[i : i + 4] for i in range(0, len(number), 4))])


# fmt: off
NEGATIVES: dict[str, Callable[[random.Random], tuple[str | None, str]]] = {
    "fictional-phone": lambda r: (r.choice(["phone", "support_line", "tel"]), _fictional_phone(r)),
    "test-card": lambda r: (r.choice(["card_number", "test_card", "cc"]), _test_card(r)),
    "test-iban": lambda r: (r.choice(["iban", "test_iban"]), r.choice(sorted(pii_iban.TEST_IBANS))),
    "documentation-ipv6": lambda r: (None, f"peer {r.choice(['::ffff:192.0.2.44', '::ffff:198.51.100.2', '2001:db8:85a3::8a2e:370:7334', '::ffff:10.0.0.7', 'fe80::1ff:fe23:4567:890a'])} connected"),
    "invalid-id": lambda r: _broken(r.choice(sorted(set(KINDS) - {"in-pan", "us-itin", "kr-rrn", "uk-nino", "bank-account", "dob", "passport", "drivers-licence", "address", "phone-national", "email-intl", "ipv6-forms", "ssn-spaced"})))(r),
    "number-without-name": lambda r: (r.choice(["order_id", "invoice_number", "user_id", "row_count", "timestamp_ms", "build_number"]),
                                      r.choice([fakes.pick(r, D, 9), fakes.pick(r, D, 11), fakes.pick(r, D, 13), f"{fakes.pick(r, D, 3)} {fakes.pick(r, D, 3)} {fakes.pick(r, D, 3)}"])),
    "date-not-birth": lambda r: (r.choice(["created_at", "updated_at", "expires", "release_date", "last_login"]), _dob(r)),
    "passport-word": lambda r: (None, r.choice(["passport_required = True", "# passport.js strategy v0.7.0",
                                                 "const passport = require('passport');", "passport expiry: 2031-05-01",
                                                 "app.use(passport.initialize()); // session 86400"])),
    "licence-word": lambda r: (None, r.choice(["# Licensed under the Apache License, Version 2.0", "SPDX-License-Identifier: GPL-2.0-or-later",
                                                "license = \"BSD-3-Clause\"", "driver = \"postgresql+psycopg2\"", "driver_version: 535.104.05",
                                                "Copyright 2001-2024 the contributors; license MIT", "DRIVER_TIMEOUT_MS=30000"])),
    "address-word": lambda r: (None, r.choice(["ip address 10.0.0.1 is reserved", "email address: ops@example.com",
                                                "address = 0x7ffe12345678", "MAC address 00:1A:2B:3C:4D:5E", "bind address 127.0.0.1:8080",
                                                "home = /home/build/app-2024",
                                                "See line 12 Main Loop in the street-map module",
                                                "ADDRESS_FAMILY = 23  # AF_INET6"])),
    "phone-word": lambda r: (None, r.choice(["phone_model = 'iPhone 15 Pro'", "tel_version = '2.31.0.1'",
                                              f"call_timeout_ms = {r.randrange(1000, 99999)}", f"contact_count: {r.randrange(10**5, 10**7)}",
                                              f"mobile build 2024.{r.randrange(10, 99)}.{r.randrange(100, 999)}"])),
}
# fmt: on
