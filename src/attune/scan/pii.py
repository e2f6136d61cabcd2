"""Personal data: emails, phone numbers, US SSNs, payment cards, IBANs and public IP addresses, validated."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Iterator

from attune.scan import noise, pii_checks, pii_fiction, pii_iban
from attune.scan.findings import Hit

_ascii = noise.ascii_regex  # ASCII \w, \d and \b (issue 10)

_EMAIL = _ascii(
    r"(?<![\w.+%-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9-]{1,63}\.)+([A-Za-z]{2,24}|xn--[a-z0-9-]{2,59})"
    r"(?![\w-])"
)
# Internationalised addresses (RFC 6531): letters of any script in the local part and the domain (issue 12).
_EMAIL_INTL = re.compile(r"(?<![\w.+%-])[^\W_][\w.%+-]{0,63}@(?:[^\W_][\w-]{0,62}\.)+([^\W\d_]{2,24})(?![\w-])")
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
    r"(?<![\w+./-])(?<!(?<!tel):)(?<!\d[ .-])(?:\+[1-9]\d{0,2}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{2,4}){1,4}"
    r"|00[1-9]\d{0,2}[ .-]\d{1,4}(?:[ .-]?\d{2,4}){1,4}|\(\d{3}\)[ .-]?\d{3}[ .-]\d{4}|\d{3}[.-]\d{3}[.-]\d{4}"
    r"|0\d{1,4}(?:[ ]\d{2,4}){2,4}|0\d{2,4}[-/]\d{5,8})"
    r"(?: ?(?:x|ext\.?) ?\d{1,5})?(?![\w.:/-]|[ .-]\d)"
)
_SSN = _ascii(r"(?<![\w.-])(\d{3})-(\d{2})-(\d{4})(?![\w.-]|-\d)")
_CARD = _ascii(r"(?<![\w.-])\d{4}(?:[ -]?\d{2,6}){2,4}(?![\w.-]|[ -]\d)")
_IBAN = _ascii(r"(?<![\w-])([A-Z]{2})(\d{2})((?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?)(?![\w-])")
_IPV4 = _ascii(r"(?<![\w.:/-])(?:\d{1,3}\.){3}\d{1,3}(?![\w.-]|\.\d)")
# Full, compressed (2001::1) and IPv4-mapped (::ffff:192.0.2.1) forms; `ipaddress` decides (issue 12).
_IPV6 = _ascii(r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{1,4})?(?![\w:]|\.\d)")
# Tokens where identity numbers with letters start: a codice fiscale, a NINO, a PAN, a CURP, a DVLA licence.
_ID_SEED = _ascii(r"[A-Z]{1,6}\d\d")
_PLACEHOLDERS = {
    "email": "[EMAIL]", "phone": "[PHONE]", "ssn": "[SSN]", "card": "[CARD]", "iban": "[IBAN]", "ip": "[IP]",
    "dob": "[DOB]", "passport": "[PASSPORT]", "drivers-licence": "[DRIVERS-LICENCE]", "address": "[ADDRESS]",
}  # fmt: skip
_EXTENSION = _ascii(r" ?(?:x|ext\.?) ?\d{1,5}$")
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

# 2**31 - 1 and kin, printed with a sign in docs of integer types: limits, not phone numbers.
_LIMITS = frozenset((2**31 - 1, 2**31, 2**32 - 1, 2**32, 2**31 - 256, 2**15 - 1, 2**16 - 1, 2**63 - 1, 2**64 - 1))
_ISSUERS = _ascii(r"^(?:4\d{12}(?:\d{3}){0,2}|5[1-5]\d{14}|2(?:2[2-9][1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720)\d{12}"
                      r"|3[47]\d{13}|3(?:0[0-5]|[68]\d)\d{11}|6(?:011|5\d\d|4[4-9]\d)\d{12,15}|35(?:2[89]|[3-8]\d)\d{12}"
                      r"|62\d{14,17})$")  # fmt: skip


def find_pii(text: str) -> list[Hit]:
    """Hits most specific first: the engine keeps the first of two that overlap."""
    # Each pattern runs only in small windows around a cheap seed (an "@", a run of digits, a colon pair),
    # which keeps PII scanning of code and prose near the speed of one regex pass (issue 3 throughput target).
    hits: list[Hit] = []
    if "@" in text:
        hits += _emails(text, _dense_windows(text, _AT, 64, 256, 1))
    numbers = _windows(((m.start(), m.end()) for m in _DIGIT_RUN.finditer(text)), 12, 3)
    tokens = _windows(((m.start(), m.end()) for m in _ID_SEED.finditer(text)), 8, 16)
    # IBAN-shaped but invalid, and documented test IBANs and cards: reported as nothing else (issue 12)
    broken: list[tuple[int, int]] = []
    if numbers:
        hits += _ibans(text, numbers, broken)
        hits += _checked(text, numbers, _CARD, "card", lambda m: _valid_card(m, broken))
        hits += _checked(text, numbers, _SSN, "ssn", _valid_ssn)
    # The national formats and the context search compile about a hundred regexes: a hook whose text holds
    # no personal-data candidate never pays for them (issue 12, hook start-up).
    from attune.scan import pii_context, pii_ids

    if numbers or tokens:
        both = _union(numbers, tokens)  # once, not once per format: 20 merges of 1 MB of base64's windows (issue 15)
        both = [(lo, hi) for lo, hi in both if pii_ids.any_free().search(text, lo, hi)]
        for fmt in pii_ids.FREE:
            hits += _checked(text, both, fmt.pattern, fmt.type, _valid_id(fmt.valid))
    hits += pii_context.find(text, pii_context.lowered(text))
    if numbers:
        hits += _checked(text, numbers, _IPV4, "ip", lambda m: _public_ip(m.group(), text, m.start()))
        hits += _checked(text, numbers, _PHONE, "phone", _valid_phone)
    if ":" in text:
        colons = _dense_windows(text, _COLONS, 40, 40, 6)
        hits += _checked(text, colons, _IPV6, "ip", lambda m: _public_ip(m.group(), text, m.start()))
    if broken:
        hits = [h for h in hits if not any(lo < h.end and h.start < hi for lo, hi in broken)]
    return hits


def placeholder(kind: str) -> str:
    """What `scrub` puts in place of a value of this type: [EMAIL], [PHONE], [NATIONAL-ID]..."""
    return _PLACEHOLDERS.get(kind, "[NATIONAL-ID]")


def _union(first: list[tuple[int, int]], second: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return _windows(sorted(first + second), 0, 0) if first and second else first or second


def _valid_id(valid: Callable[[str], bool]) -> Callable[[re.Match[str]], bool]:
    from attune.scan import pii_ids

    def check(match: re.Match[str]) -> bool:
        compact = "".join(c for c in match.group() if c.isalnum())
        return compact not in pii_ids.DOCUMENTED and valid(compact)

    return check


def _ibans(text: str, windows: list[tuple[int, int]], broken: list[tuple[int, int]]) -> Iterator[Hit]:
    for lo, hi in windows:
        for match in _IBAN.finditer(text, lo, hi):
            country, check, rest = match.groups()
            if country not in pii_iban.LENGTHS:
                continue
            compact = f"{country}{check}{rest.replace(' ', '')}"
            valid = pii_iban.LENGTHS[country] == len(compact) and pii_iban.checksum(compact)
            if valid and not pii_iban.is_test_iban(compact):
                yield Hit("pii", "iban", match.start(), match.end(), match.group())
                continue
            broken.append((match.start(), match.end()))


def _dense_windows(text: str, seed: noise.Regex, before: int, after: int, longest: int) -> list[tuple[int, int]]:
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
        pattern = _EMAIL if text[lo:hi].isascii() else _EMAIL_INTL
        for match in pattern.finditer(text, lo, hi):
            value = match.group()
            if match.group(1).lower() in _NOT_TLDS or _RESERVED_DOMAINS.search(value):
                continue
            if text.startswith(":", match.end()):
                continue  # git@github.com:org/repo is an SSH remote, not an address
            yield Hit("pii", "email", match.start(), match.end(), value)


def _checked(
    text: str,
    windows: list[tuple[int, int]],
    pattern: noise.Regex,
    kind: str,
    valid: Callable[[re.Match[str]], bool],
) -> Iterator[Hit]:
    for lo, hi in windows:
        for match in pattern.finditer(text, lo, hi):
            if valid(match):
                yield Hit("pii", kind, match.start(), match.end(), match.group())


def _valid_ssn(match: re.Match[str]) -> bool:
    return pii_checks.ssn("".join(match.groups()))


def _digits(value: str) -> str:
    return "".join(c for c in value if c.isdigit())


def _valid_card(match: re.Match[str], reserved: list[tuple[int, int]]) -> bool:
    value = match.group()
    separators = {c for c in value if not c.isdigit()}
    if len(separators) > 1:
        return False
    number = _digits(value)
    if not 13 <= len(number) <= 19 or (len(number) == 13 and not separators):
        return False  # 13 bare digits: old Visa numbers are gone, millisecond timestamps and ids are not
    if number in pii_fiction.TEST_CARDS:
        reserved.append((match.start(), match.end()))
        return False
    if separators and not re.fullmatch(r"\d{4}([ -])\d{4}\1\d{4}\1\d{1,7}|\d{4}([ -])\d{6}\2\d{4,5}", value):
        return False  # grouped like a card: 4-4-4-4 or Amex/Diners 4-6-5
    if not _ISSUERS.match(number) or not pii_checks.luhn(number):
        return False
    if pii_fiction.is_test_card(number):
        reserved.append((match.start(), match.end()))
        return False
    if not separators:  # default_rng(348932549825235), [4220315081820346526, ...]: numeric literals in code
        before, after = match.string[match.start() - 1 : match.start()], match.string[match.end() : match.end() + 1]
        return before not in ("(", "[", ",", "*") and after not in (")", "]", "*", "L")
    return True


def _public_ip(value: str, text: str, start: int) -> bool:
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped  # ::ffff:192.0.2.1 is 192.0.2.1
    elif address.version == 6 and sum(1 for group in value.split(":") if group) < 3:
        return False  # x[1::2] and a[::2] are slices: an address written short still has three groups
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
    value = _EXTENSION.sub("", match.group())
    digits = _digits(value)
    if pii_fiction.fictional_phone(value) or len(set(digits)) <= 2 or int(digits) in _LIMITS:
        return False  # ranges reserved for drama and documentation, and runs of zeros (issue 12)
    if value.startswith(("+", "00")):  # 00 is the international prefix outside North America
        return (10 if value.startswith("00") else 8) <= len(digits) - (2 if value.startswith("00") else 0) <= 15
    if not 10 <= len(digits) <= 12:
        return False
    if len(digits) == 10 and not value.startswith("0"):
        area, exchange = digits[:3], digits[3:6]
        if area[0] in "01" or exchange[0] in "01":
            return False
    return True
