from __future__ import annotations

import random

import pytest
from benchmarks import fakes

from attune.scan import scan_text


def _types(text, filename="notes.txt"):
    return [(f.type, f.line) for f in scan_text(text, filename, secrets=False)]


@pytest.mark.parametrize("seed", range(25))
@pytest.mark.parametrize(
    ("kind", "make"),
    [
        ("email", fakes.email),
        ("phone", fakes.phone),
        ("ssn", fakes.ssn),
        ("card", fakes.card),
        ("iban", fakes.iban),
        ("ip", fakes.public_ipv4),
        ("ip", fakes.public_ipv6),
    ],
)
def test_valid_personal_data_is_found(kind, make, seed):
    value = make(random.Random(f"{kind}-{seed}"))
    line = f"login from {value}" if kind == "ip" else f"contact: {value}"
    assert _types(f"customer record\n{line}\n") == [(kind, 2)]


def test_a_dotted_quad_starting_with_one_digit_needs_a_host_context():
    assert _types("Return e.g. ['7.1.4.34', 1806]\nsee section 8.2.4.44\n") == []
    quad9, client, server = ".".join("9999"), ".".join(("5", "61", "20", "7")), ".".join(("81", "2", "69", "160"))
    assert _types(f"nameserver {quad9}\nclient {client} connected\n") == [("ip", 1), ("ip", 2)]
    assert _types(f"server: {server}\nlast seen {server}\n") == [("ip", 1), ("ip", 2)]


@pytest.mark.parametrize(
    "text",
    [
        "alice@example.com bob@example.org ci@build.test root@localhost dev@host.invalid",
        "12345+octocat@users.noreply.github.com and the icon at logo@2x.png",
        "git clone git@github.com:acme/tool.git",
        "Contact 555-0142 or (415) 555-0199 from the film",  # reserved for fiction
        "version 1.2.3.4, __version__ = '4.2.1.0', requests==2.31.0.1, build 10.0.19041.1",
        "Order #100234567 shipped; invoice INV-2026-004512; run_id: 9876543210; ISBN 978-3-16-148410-0",
        "at 2026-01-15T10:30:00Z (epoch 1736937000) took 10:30:45.123456",
        "SSNs 000-12-3456, 666-12-3456, 912-34-5678, 123-00-4567, 123-45-0000, 123-45-6789",
        "card 4539 1488 0343 6468 fails Luhn; 4242 4242 4242 4242 is Stripe's documented test card",
        "IBAN DE00370400440532013000 has a bad checksum; GB82WEST12345698765432 is the documented example",
        "hosts 10.1.2.3 192.168.0.10 172.16.5.4 127.0.0.1 169.254.10.20 100.64.0.1 0.0.0.0 255.255.255.255",
        "docs 192.0.2.10 198.51.100.7 203.0.113.99 2001:db8::1 fe80::1 ::1 and C++ std::vector<int>::iterator",
        "OID 1.3.6.1.4.1.311.21.8 and MAC 00:1A:2B:3C:4D:5E and time 12:34:56",
        "inet_aton() converts an IP string (123.45.67.89) to 32-bit packed format",
    ],
)
def test_look_alikes_are_not_reported(text):
    assert _types(text + "\n") == []


def test_card_groupings_and_issuers():
    number = fakes.card_number(random.Random(3))
    assert _types(f"{number}\n") == [("card", 1)]
    # a Luhn-valid number with no issuer prefix is an id, not a card
    assert _types(f"{fakes.luhn_complete('9' + '1' * 14)}\n") == []
    # a Luhn-valid card with ragged grouping is not how cards are written
    assert _types(f"{number[:3]} {number[3:9]} {number[9:]}\n") == []


def test_iban_checksum_decides():
    good = fakes.iban(random.Random(4), spaced=True)
    broken = good[:2] + f"{(int(good[2:4]) + 1) % 100:02d}" + good[4:]
    assert _types(f"pay to {good}\n") == [("iban", 1)]
    assert _types(f"pay to {broken}\n") == []


def test_secrets_only_mode_ignores_pii():
    assert scan_text(f"mail {fakes.email(random.Random(1))}\n", pii=False) == []
