"""Personal data: emails, phone numbers, US SSNs, payment cards, IBANs and public IP addresses, validated."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Iterator

from attune.scan import noise
from attune.scan.findings import Hit

_ascii = noise.ascii_regex  # ASCII \w, \d and \b (issue 10)

_EMAIL = _ascii(r"(?<![\w.+%-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9-]{1,63}\.)+([A-Za-z]{2,24})(?![\w-])")
_RESERVED_DOMAINS = _ascii(
    r"(?i)@(?:[\w-]+\.)*(?:example\.(?:com|org|net|edu)|[\w-]+\.(?:example|test|invalid|localhost|local|internal))$"
    r"|@(?:users\.noreply\.github\.com|localhost|[\w.-]+\.gserviceaccount\.com)$"  # machine identities, not people
)
_NOT_TLDS = frozenset(
    [
        "png",
        "jpg",
        "jpeg",
        "gif",
        "svg",
        "webp",
        "ico",
        "js",
        "ts",
        "css",
        "map",
        "py",
        "md",
        "txt",
        "json",
        "yaml",
        "yml",
        "lock",
        "git",
    ]
)
_PHONE = _ascii(
    r"(?<![\w+.:/-])(?:\+[1-9]\d{0,2}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{2,4}){1,4}"
    r"|\(\d{3}\)[ .-]?\d{3}[ .-]\d{4}|\d{3}[.-]\d{3}[.-]\d{4}|0\d{1,4}(?:[ ]\d{2,4}){2,4}|0\d{2,4}[-/]\d{5,8})"
    r"(?![\w.:/-]|[ .-]\d)"
)
_SSN = _ascii(r"(?<![\w.-])(\d{3})-(\d{2})-(\d{4})(?![\w.-]|-\d)")
_CARD = _ascii(r"(?<![\w.-])\d{4}(?:[ -]?\d{2,6}){2,4}(?![\w.-]|[ -]\d)")
_IBAN = _ascii(r"(?<![\w-])([A-Z]{2})(\d{2})((?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?)(?![\w-])")
_IPV4 = _ascii(r"(?<![\w.:/-])(?:\d{1,3}\.){3}\d{1,3}(?![\w.-]|\.\d)")
_IPV6 = _ascii(r"(?<![\w:.])(?:[0-9A-Fa-f]{1,4}:){2,7}:?[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{1,4}){0,6}(?![\w:.])")
_AT = _ascii("@")
_DIGIT_RUN = _ascii(r"\d[\d .()/+-]{5,}\d")
_COLONS = _ascii(r":[0-9A-Fa-f]{0,4}:")
_VERSION_CONTEXT = _ascii(
    r"(?i)(?:(?<![A-Za-z])(?:version|ver|v|release|build|section|sections|rev)|==|>=|<=|~=|@)[\s:=\"'_]*$"
)
_IP_CONTEXT = _ascii(
    r"(?i)\bip|addr|host|server|dns|route|gateway|connect|client|peer|remote|proxy|inet|nameserver|socket|upstream"
    r"|from\b|\bto\b|via\b|://"
)
# Addresses printed as examples in docs and docstrings, outside the reserved documentation ranges.
_EXAMPLE_IPS = frozenset(("123.45.67.89", "12.34.56.78", "1.2.3.4", "11.22.33.44"))

_IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29, "CH": 21, "CR": 22,
    "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24,
    "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25,
    "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "TN": 24, "TR": 26, "UA": 29,
    "VG": 24, "XK": 20,
}  # fmt: skip
# Numbers printed in payment and banking docs as examples: documented, so not personal data.
_DOCUMENTED = frozenset(
    (
        "4111111111111111", "4242424242424242", "5555555555554444", "378282246310005", "4000056655665556",
        "6011111111111117", "5105105105105100", "4012888888881881", "371449635398431",
        "GB82WEST12345698765432", "DE89370400440532013000", "GB29NWBK60161331926819", "FR1420041010050500013M02606",
    )
)  # fmt: skip
_ISSUERS = _ascii(r"^(?:4\d{12}(?:\d{3}){0,2}|5[1-5]\d{14}|2(?:2[2-9][1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720)\d{12}"
                      r"|3[47]\d{13}|3(?:0[0-5]|[68]\d)\d{11}|6(?:011|5\d\d|4[4-9]\d)\d{12,15}|35(?:2[89]|[3-8]\d)\d{12}"
                      r"|62\d{14,17})$")  # fmt: skip


def find_pii(text: str) -> Iterator[Hit]:
    # Each pattern runs only in small windows around a cheap seed (an "@", a run of digits, a colon pair),
    # which keeps PII scanning of code and prose near the speed of one regex pass (issue 3 throughput target).
    if "@" in text:
        yield from _emails(text, _dense_windows(text, _AT, 64, 256, 1))
    numbers = _windows(((m.start(), m.end()) for m in _DIGIT_RUN.finditer(text)), 12, 3)
    if numbers:
        yield from _checked(text, numbers, _SSN, "ssn", _valid_ssn)
        yield from _checked(text, numbers, _CARD, "card", _valid_card)
        yield from _checked(text, numbers, _IBAN, "iban", _valid_iban)
        yield from _checked(text, numbers, _IPV4, "ip", lambda m: _public_ip(m.group(), text, m.start()))
        yield from _checked(text, numbers, _PHONE, "phone", _valid_phone)
    if ":" in text:
        colons = _dense_windows(text, _COLONS, 40, 40, 6)
        yield from _checked(text, colons, _IPV6, "ip", lambda m: _public_ip(m.group(), text, m.start()))


def _dense_windows(text: str, seed: re.Pattern[str], before: int, after: int, longest: int) -> list[tuple[int, int]]:
    """`_windows` of a seed at most `longest` long, searched from where the next one could still widen the
    current window: a text of a million `@` costs one step per window, not per seed (issue 10)."""
    merged: list[tuple[int, int]] = []
    match = seed.search(text)
    while match:
        lo, hi = max(0, match.start() - before), match.end() + after
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
        match = seed.search(text, max(match.end(), merged[-1][1] - after - longest + 1))
    return merged


def _windows(spans: Iterable[tuple[int, int]], before: int, after: int) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        lo, hi = max(0, start - before), end + after
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def _emails(text: str, windows: list[tuple[int, int]]) -> Iterator[Hit]:
    for lo, hi in windows:
        for match in _EMAIL.finditer(text, lo, hi):
            value = match.group()
            if match.group(1).lower() in _NOT_TLDS or _RESERVED_DOMAINS.search(value):
                continue
            if text.startswith(":", match.end()):
                continue  # git@github.com:org/repo is an SSH remote, not an address
            yield Hit("pii", "email", match.start(), match.end(), value)


def _checked(
    text: str,
    windows: list[tuple[int, int]],
    pattern: re.Pattern[str],
    kind: str,
    valid: Callable[[re.Match[str]], bool],
) -> Iterator[Hit]:
    for lo, hi in windows:
        for match in pattern.finditer(text, lo, hi):
            if valid(match):
                yield Hit("pii", kind, match.start(), match.end(), match.group())


def _valid_ssn(match: re.Match[str]) -> bool:
    area, group, serial = match.groups()
    if area in ("000", "666") or area >= "900" or group == "00" or serial == "0000":
        return False
    return match.group() not in ("123-45-6789", "078-05-1120", "219-09-9999")  # published, never issued


def _digits(value: str) -> str:
    return "".join(c for c in value if c.isdigit())


def _luhn(number: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(number)):
        digit = int(char)
        if i % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def _valid_card(match: re.Match[str]) -> bool:
    value = match.group()
    separators = {c for c in value if not c.isdigit()}
    if len(separators) > 1:
        return False
    number = _digits(value)
    if not 13 <= len(number) <= 19 or number in _DOCUMENTED:
        return False
    if separators and not re.fullmatch(r"\d{4}([ -])\d{4}\1\d{4}\1\d{1,7}|\d{4}([ -])\d{6}\2\d{4,5}", value):
        return False  # grouped like a card: 4-4-4-4 or Amex/Diners 4-6-5
    return bool(_ISSUERS.match(number)) and _luhn(number)


def _valid_iban(match: re.Match[str]) -> bool:
    country, check, rest = match.groups()
    compact = f"{country}{check}{rest.replace(' ', '')}"
    if _IBAN_LENGTHS.get(country) != len(compact) or compact in _DOCUMENTED:
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def _public_ip(value: str, text: str, start: int) -> bool:
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    if not address.is_global or address.is_multicast:
        return False
    if address.version == 4:
        if value in _EXAMPLE_IPS:
            return False
        line_start = text.rfind("\n", 0, start) + 1
        if _VERSION_CONTEXT.search(text[max(line_start, start - 24) : start]):
            return False  # version 1.2.3.4, pkg==1.2.3.4, @1.2.3.4: version strings, not hosts
        if value.split(".", 1)[0].isdigit() and len(value.split(".", 1)[0]) == 1:
            # 2.7.2.2, 8.2.4.44: single-digit first parts are version and section numbers unless the line
            # speaks of hosts (a public resolver is named as one: "nameserver", "dns").
            line_end = text.find("\n", start)
            return bool(_IP_CONTEXT.search(text[line_start : len(text) if line_end == -1 else line_end]))
    return True


def _valid_phone(match: re.Match[str]) -> bool:
    value = match.group()
    digits = _digits(value)
    if value.startswith("+"):
        return 8 <= len(digits) <= 15
    if not 10 <= len(digits) <= 12:
        return False
    if len(digits) == 10 and not value.startswith("0"):
        area, exchange, line = digits[:3], digits[3:6], digits[6:]
        if area[0] in "01" or exchange[0] in "01":
            return False
        if exchange == "555" and line.startswith("01"):
            return False  # 555-0100 to 555-0199 are reserved for fiction
    return True
