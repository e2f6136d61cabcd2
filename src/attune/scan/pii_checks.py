"""Check digits and validity rules of national identity, tax and insurance numbers (issue 12).

Each function takes the value with separators removed (upper case) and says whether a real issuer could
have issued it: check digits, reserved prefixes and embedded dates. None of them looks at context.
"""

from __future__ import annotations

import datetime

from attune import dates

_VERHOEFF_D = (
    "0123456789", "1234067895", "2340178956", "3401289567", "4012395678",
    "5987604321", "6598710432", "7659821043", "8765932104", "9876543210",
)  # fmt: skip
_VERHOEFF_P = (
    "0123456789", "1576283094", "5803796142", "8916043527", "9453128706", "4286573901", "2793806415", "7046913258",
)  # fmt: skip


def luhn(number: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(number)):
        digit = int(char)
        if i % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def verhoeff(number: str) -> bool:
    check = 0
    for i, char in enumerate(reversed(number)):
        check = int(_VERHOEFF_D[check][int(_VERHOEFF_P[i % 8][int(char)])])
    return check == 0


def _weighted(number: str, weights: tuple[int, ...]) -> int:
    return sum(int(c) * w for c, w in zip(number, weights, strict=False))


def _today() -> datetime.date:
    """Today as attune.dates gives it: EMPATHY_TODAY pins it in tests, so no outcome hangs on the day."""
    return datetime.date.fromisoformat(dates.today())


def _date(year: int, month: int, day: int) -> bool:
    try:
        return datetime.date(year, month, day) <= _today()
    except ValueError:
        return False


def _date_yy(yymmdd: str, centuries: tuple[int, ...] = (1900, 2000)) -> bool:
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6])
    return any(_date(c + yy, mm, dd) for c in centuries)


def _same(number: str) -> bool:
    return len(set(number)) == 1


def ssn(number: str) -> bool:
    """SSA rules: no area 000, 666 or 900-999 (ITINs), no group 00, no serial 0000 (issue 12)."""
    area, group, serial = number[:3], number[3:5], number[5:]
    if area in ("000", "666") or area >= "900" or group == "00" or serial == "0000":
        return False
    if number in ("123456789", "078051120", "219099999"):
        return False  # published in ads and on a wallet insert, or made up for docs: never anyone's
    # 111-22-3333 and 555-55-5555: each part one digit repeated is how documents write a placeholder
    return not (len(set(area)) == len(set(group)) == len(set(serial)) == 1)


def itin(number: str) -> bool:
    group = int(number[3:5])
    return number[0] == "9" and (50 <= group <= 65 or 70 <= group <= 88 or 90 <= group <= 99) and group != 93


def ca_sin(number: str) -> bool:
    return number[0] not in "08" and luhn(number)


def uk_nino(value: str) -> bool:
    prefix = value[:2]
    if prefix in ("BG", "GB", "NK", "KN", "TN", "NT", "ZZ") or value[0] in "DFIQUV" or value[1] in "DFIOQUV":
        return False
    return value[-1] in "ABCD"


def uk_nhs(number: str) -> bool:
    check = 11 - _weighted(number, (10, 9, 8, 7, 6, 5, 4, 3, 2)) % 11
    return not _same(number) and check != 10 and check % 11 == int(number[9])


def de_steuer_id(number: str) -> bool:
    if number[0] == "0":
        return False
    counts = sorted((number[:10].count(d) for d in set(number[:10])), reverse=True)
    if counts[0] not in (2, 3) or (len(counts) > 1 and counts[1] > 1):
        return False
    product = 10
    for char in number[:10]:
        total = (int(char) + product) % 10 or 10
        product = total * 2 % 11
    return (11 - product) % 10 == int(number[10])


def fr_insee(value: str) -> bool:
    body = value[:13].replace("2A", "19").replace("2B", "18")
    if not body.isdigit() or value[0] not in "12378" or not (1 <= int(value[3:5]) <= 12 or int(value[3:5]) >= 20):
        return False
    return 97 - int(body) % 97 == int(value[13:])


def es_dni(value: str) -> bool:
    number = value[:-1].replace("X", "0").replace("Y", "1").replace("Z", "2")
    return "TRWAGMYFPDXBNJZSQVHLCKE"[int(number) % 23] == value[-1]


_CF_ODD = dict(zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", (
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10,
    22, 25, 24, 23,
), strict=True))  # fmt: skip


def it_codice_fiscale(value: str) -> bool:
    total = 0
    for i, char in enumerate(value[:15]):
        total += _CF_ODD[char] if i % 2 == 0 else (int(char) if char.isdigit() else ord(char) - 65)
    return chr(65 + total % 26) == value[15]


def nl_bsn(number: str) -> bool:
    total = _weighted(number, (9, 8, 7, 6, 5, 4, 3, 2)) - int(number[8])
    return number != "000000000" and total % 11 == 0


def in_aadhaar(number: str) -> bool:
    return number[0] not in "01" and verhoeff(number)


def br_cpf(number: str) -> bool:
    if _same(number):
        return False
    first = _weighted(number, (10, 9, 8, 7, 6, 5, 4, 3, 2)) * 10 % 11 % 10
    second = _weighted(number, (11, 10, 9, 8, 7, 6, 5, 4, 3, 2)) * 10 % 11 % 10
    return number[9:] == f"{first}{second}"


def au_tfn(number: str) -> bool:
    weights = (1, 4, 3, 7, 5, 8, 6, 9, 10) if len(number) == 9 else (10, 7, 8, 4, 6, 3, 5, 1)
    return not _same(number) and _weighted(number, weights) % 11 == 0


def au_medicare(number: str) -> bool:
    return number[0] in "23456" and _weighted(number, (1, 3, 7, 9, 1, 3, 7, 9)) % 10 == int(number[8])


def se_personnummer(number: str) -> bool:
    short = number[-10:]
    day = int(short[4:6])
    return _date_yy(short[:4] + f"{day - 60 if day > 60 else day:02d}") and luhn(short)


def fi_hetu(value: str) -> bool:
    if len(value) == 10:
        value = value[:6] + "-" + value[6:]  # compacted: the century sign was "-" or "+"
    centuries = {"+": 1800, "-": 1900, "A": 2000}
    century = centuries.get(value[6], 1900 if value[6] in "YXWVU" else 2000)
    if not _date(century + int(value[4:6]), int(value[2:4]), int(value[:2])):
        return False
    return "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(value[:6] + value[7:10]) % 31] == value[10]


def pl_pesel(number: str) -> bool:
    month = int(number[2:4])
    century = {0: 1900, 2: 2000, 4: 2100, 6: 2200, 8: 1800}[month // 20 * 2]
    if not _date(century + int(number[:2]), month % 20, int(number[4:6])):
        return False
    return (10 - _weighted(number, (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)) % 10) % 10 == int(number[10])


def be_nrn(number: str) -> bool:
    check = int(number[9:])
    return 97 - int(number[:9]) % 97 == check or 97 - int("2" + number[:9]) % 97 == check


def ch_ahv(number: str) -> bool:
    return number.startswith("756") and (10 - _weighted(number, (1, 3) * 6) % 10) % 10 == int(number[12])


def cn_resident_id(value: str) -> bool:
    if value[0] not in "12345678" or not _date(int(value[6:10]), int(value[10:12]), int(value[12:14])):
        return False
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[_weighted(value, weights) % 11] == value[17]


def kr_rrn(number: str) -> bool:
    return number[6] in "12345678" and _date_yy(number[:6], (1800, 1900) if number[6] in "09" else (1900, 2000))


def sg_nric(value: str) -> bool:
    total = _weighted(value[1:8], (2, 7, 6, 5, 4, 3, 2)) + (4 if value[0] in "TG" else 0)
    letters = "JZIHGFEDCBA" if value[0] in "ST" else "XWUTRQPNMLK"
    return letters[total % 11] == value[8]


def za_id(number: str) -> bool:
    return _date_yy(number[:6]) and number[10] in "01" and luhn(number)


_CURP = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ"


def mx_curp(value: str) -> bool:
    if not _date_yy(value[4:10]):
        return False
    total = sum(_CURP.index(c) * (18 - i) for i, c in enumerate(value[:17]))
    return (10 - total % 10) % 10 == int(value[17])


def cl_rut(value: str) -> bool:
    body, check = value[:-1], value[-1]
    total = sum(int(c) * (2 + i % 6) for i, c in enumerate(reversed(body)))
    digit = 11 - total % 11
    return {11: "0", 10: "K"}.get(digit, str(digit)) == check


def ar_cuil(number: str) -> bool:
    if number[:2] not in ("20", "23", "24", "27"):
        return False
    digit = 11 - _weighted(number, (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)) % 11
    return digit != 10 and digit % 11 == int(number[10])


def no_fnr(number: str) -> bool:
    if not _date_yy(number[:6], (1900, 2000)) and not _date_yy(f"{int(number[:2]) - 40:02d}" + number[2:6]):
        return False
    first = 11 - _weighted(number, (3, 7, 6, 1, 8, 9, 4, 5, 2)) % 11
    second = 11 - _weighted(number, (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)) % 11
    return first % 11 == int(number[9]) and second % 11 == int(number[10]) and 10 not in (first, second)


def dk_cpr(number: str) -> bool:
    return _date_yy(number[4:6] + number[2:4] + number[:2], (1900, 2000))


def pt_nif(number: str) -> bool:
    check = 11 - _weighted(number, (9, 8, 7, 6, 5, 4, 3, 2)) % 11
    return number[0] in "123" and (0 if check >= 10 else check) == int(number[8])


def ie_pps(value: str) -> bool:
    extra = (ord(value[8]) - 64) * 9 if len(value) == 9 and value[8] != "W" else 0
    return "WABCDEFGHIJKLMNOPQRSTUV"[(_weighted(value, (8, 7, 6, 5, 4, 3, 2)) + extra) % 23] == value[7]


def il_id(number: str) -> bool:
    return not _same(number) and luhn(number.zfill(9))


def tr_tckn(number: str) -> bool:
    d = [int(c) for c in number]
    return d[0] != 0 and (sum(d[0:9:2]) * 7 - sum(d[1:8:2])) % 10 == d[9] and sum(d[:10]) % 10 == d[10]


def jp_my_number(number: str) -> bool:
    total = sum(int(c) * (i + 2 if i < 6 else i - 4) for i, c in enumerate(reversed(number[:11])))
    return (0 if total % 11 <= 1 else 11 - total % 11) == int(number[11])


def at_svnr(number: str) -> bool:
    check = _weighted(number, (3, 7, 9, 0, 5, 8, 4, 2, 1, 6)) % 11
    return number[0] != "0" and check == int(number[3]) and _date_yy(number[8:] + number[6:8] + number[4:6])


def ro_cnp(number: str) -> bool:
    if number[0] == "0" or not _date_yy(number[1:7], (1800, 1900, 2000)):
        return False
    check = _weighted(number, (2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9)) % 11
    return (1 if check == 10 else check) == int(number[12])


def us_aba(number: str) -> bool:
    """An ABA routing number: Federal Reserve prefix and the 3-7-1 weighted check."""
    prefix = int(number[:2])
    valid_prefix = prefix <= 12 or 21 <= prefix <= 32 or 61 <= prefix <= 72 or prefix == 80
    return valid_prefix and _weighted(number, (3, 7, 1) * 3) % 10 == 0


def us_npi(number: str) -> bool:
    return number[0] in "12" and luhn("80840" + number)


def account(number: str) -> bool:
    return not _same(number) and number not in "01234567890123456789"
