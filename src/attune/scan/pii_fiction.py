"""Numbers reserved for fiction, documentation and testing: nobody's personal data (issue 12).

Phone ranges set aside by regulators for drama (NANP 555-0100..0199, Ofcom's drama ranges, ACMA's fictional
numbers), the test card numbers payment providers publish, and runs and repeats that only tests use.
"""

from __future__ import annotations

# Ofcom's numbers for drama, as national digits: 020 7946 0000-0999, 0113 496 0000-0999, 07700 900000-900999...
_UK_DRAMA = (
    "02079460", "01134960", "01144960", "01154960", "01164960", "01174960", "01184960", "01214960", "01314960",
    "01414960", "01514960", "01614960", "01914980", "02920180", "02896496", "01632960", "07700900", "08081570",
    "09098790", "03069990",
)  # fmt: skip
# ACMA's fictional numbers: (0x) 5550 xxxx and 7010 xxxx, mobiles 0491 570 000-579 999, and a few 1800/1300/1900.
_AU_FICTION = ("025550", "035550", "075550", "085550", "027010", "037010", "077010", "087010", "049157")
_AU_NUMBERS = frozenset(
    ("1800160401", "1800975707", "1800975708", "1800975709", "1800975710", "1800975711", "1300975707",
     "1300975708", "1300975709", "1300975710", "1300975711", "1900654321")
)  # fmt: skip


def fictional_phone(value: str) -> bool:
    """`value` as written: the country code decides which plan's reserved ranges apply."""
    plus = value.lstrip().startswith("+")
    digits = "".join(c for c in value if c.isdigit())
    if plus and digits.startswith("44"):
        national = "0" + digits[2:].removeprefix("0")  # +44 (0)20 ...
        return national.startswith(_UK_DRAMA)
    if plus and digits.startswith("61"):
        national = "0" + digits[2:].removeprefix("0")
        return national.startswith(_AU_FICTION) or national[1:] in _AU_NUMBERS
    if (plus and digits.startswith("1")) or (not plus and len(digits) == 11 and digits[0] == "1"):
        digits = digits[1:]
    if len(digits) == 10 and digits[3:8] == "55501":
        return True  # NANP 555-0100 to 555-0199
    if len(digits) == 7 and digits.startswith("55501"):
        return True
    return not plus and (digits.startswith(_UK_DRAMA) or digits.startswith(_AU_FICTION) or digits in _AU_NUMBERS)


# Test cards that payment providers document (Stripe, Visa, Braintree, Adyen, Authorize.net, PayPal).
TEST_CARDS = frozenset(
    (
        "4242424242424242", "4000056655665556", "5555555555554444", "2223003122003222", "5200828282828210",
        "5105105105105100", "378282246310005", "371449635398431", "6011111111111117", "6011000990139424",
        "6011981111111113", "3056930009020004", "36227206271667", "3566002020360505", "6200000000000005",
        "4111111111111111", "4012888888881881", "4222222222222", "4007000000027", "4012888818888", "5424000000000015",
        "370000000000002", "6011000000000012", "3088000000000017", "38000000000006", "30569309025904",
        "38520000023237", "3530111333300000", "3566111111111113", "6331101999990016", "5019717010103742",
        "4005519200000004", "4009348888881881", "4012000033330026", "4012000077777777", "4217651111111119",
        "4500600000000061", "2223000048400011", "4111111145551142", "5555341244441115", "2222400070000005",
        "4988438843884305", "6011601160116611", "4000002500003155", "4000002760003184", "4000000000003220",
        "4000000000009995", "4000000000000002", "4000000000000077", "4000000000000341", "4100000000000019",
        "4000000000000127", "4000000000000069", "4000000000000119", "4000000000000101", "4000000000000010",
        "4000000000000028", "4000000000000036", "4000000000000044", "4000000000000259", "4000000000001976",
        "4000000000005126", "5454545454545454", "4444333322221111", "5431111111111111", "4917610000000000",
        "6759649826438453", "5200000000000007", "4000000000000051", "5105105105105100", "3714496353984312",
        "4035501000000008", "4000000000000093", "2720992720992729", "4000003800000008", "4000000760000002",
        "4000001240000000", "4000004840008001", "4000000000003063", "4000008260003178", "5200828282828210",
        "4111161010101010", "4117101010101010", "4111111510101010", "378734493671000", "371260714673002",
        "378267515471109", "371544868764018", "4023898493988028", "6011000400000000", "3566002020140006",
    )
)  # fmt: skip


_COUNTING = "01234567890123456789 98765432109876543210"


def is_test_card(number: str) -> bool:
    """Documented test numbers, and the runs and repeats they are built from (4000 0000 0000 0002, 4242...)."""
    if number in TEST_CARDS:
        return True
    body = number[1:-1]
    if any(digit * 7 in body for digit in "0123456789"):
        return True
    if any(number[i : i + 7] in _COUNTING for i in range(len(number) - 6)):
        return True  # 1234567890123456, 6543210123456788: counted, not issued
    return any(number[:period] * (len(number) // period) == number[: len(number) // period * period]
               for period in (1, 2, 4))  # fmt: skip
