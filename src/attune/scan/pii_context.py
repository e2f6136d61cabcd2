"""Personal data that only its name makes personal: birth dates, passports, driving licences, addresses, bare
national numbers and phone numbers written without a country code (issue 12).

The search starts from the words, not the values: a cheap `str.find` of a few stems over the lowered text
finds the lines that name such data, and only those lines are read by the value patterns (with the next line
when the named line holds no digit: YAML and XML put the value there). A date or a nine-digit number on a line
that names nothing is not reported.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator
from typing import Any

from attune import dates
from attune.scan import pii_address, pii_fiction, pii_ids, pii_stems
from attune.scan.findings import Hit
from attune.scan.noise import Regex, ascii_regex

# Stems whose presence makes a line worth reading, lowered. Short ones must stand as words.
_STEMS = (
    "birth", "dob", "born", "geburt", "naissance", "nacimiento", "nascita", "geboorte", "d.o.b", "bday",
    "passport", "passeport", "reisepass", "pasaporte", "passaporto", "paspoort",
    "licen", "driv", "dl", "führerschein", "fuhrerschein", "permis", "rijbewijs",
    "address", "addr", "street", "ship", "billing", "mailing", "residen", "lives", "home", "adresse", "anschrift",
    "direcci", "indirizzo", "postal",
    "phone", "tel", "mobile", "cell", "fax", "call", "contact", "sms", "whatsapp", "telefon", "téléphone", "handy",
    "ssn", "social", "sin", "nas", "insurance", "itin", "taxpayer", "tax", "tin", "steuer", "idnr", "insee", "nir",
    "sécu", "secu", "bsn", "burgerservice", "sofi", "aadha", "uid", "cpf", "tfn", "medicare", "nhs", "pesel",
    "fødsels", "fodsels", "fnr", "cpr", "personnummer", "nif", "contribuinte", "pps", "teudat", "zehut", "kimlik",
    "tckn", "kojin", "マイナンバー", "個人番号", "svnr", "versicherung", "cnp", "ahv", "avs", "identi",
    "national", "id", "nino", "citizen", "personal", "rrn", "resident", "주민등록번호", "routing", "aba", "rtn",
    "npi", "bank", "accountn", "account_n", "account n", "account-n", "account #", "acct", "patient", "applicant",
    "employee", "person", "member", "holder", "beneficiary", "subscriber",
    *pii_address.STREET_WORDS,
)  # fmt: skip

_DOB = re.compile(
    r"date ?of ?birth|birth ?(?:date|day)|\bdob\b|\bd ?o ?b\b|\bborn\b|geburt|naissance|nacimiento|nascita|geboorte"
    r"|\bbday\b"
)
_PASSPORT = re.compile(r"passport|passeport|reisepass|pasaporte|passaporto|paspoort")
_LICENCE = re.compile(
    r"driv\w*( \w+)? licen|licen[cs]e ?(?:number|no|num|#|id)\b|(?:customer|user|client|patient|applicant) licen"
    r"|\bdl\b(?! (?:acm|doi|org|com|net)\b)|f[üu]hrerschein|permis de conduire|rijbewijs|driver ?id"
)
_PHONE_WORDS = re.compile(
    r"phone|\btel\b|telephone|mobile|\bcell\b|\bcell ?(?:no|number|num)|\bfax\b|\bcall (?:me|us|at|on)\b"
    r"|\bcontact(?: ?(?:no|number|num|info|details))?\b|\bsms\b|whatsapp|telefon|t[ée]l[ée]phone"
    r"|\bhandy\b|\bmob\b"
)
_ADDRESS = re.compile(
    r"address|\baddr\b|ship(?:ping)? ?to|shipping|billing|mailing|residen|lives at|\bhome\b|adresse"
    r"|anschrift|direcci[oó]n|indirizzo|postal"
)
# A value worth naming: three digits, digits split by a separator, a house number before a capitalised word,
# a capital and two digits (a passport, a codice fiscale). One branch per start character keeps it one pass.


def _trie(words: Iterable[str]) -> str:
    """One alternation factored by prefix: the regex engine takes one branch per character, not one per word."""
    tree: dict[str, dict[str, Any]] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _pattern(tree)


def _pattern(node: dict[str, Any]) -> str:
    parts = [re.escape(char) + _pattern(child) for char, child in sorted(node.items()) if char]
    if "" in node:
        parts.append("")  # a stem ends here; a longer one is tried first
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


_STEM = re.compile(_trie(_STEMS))
_DIGIT = re.compile(r"\d")
_LONG, _BEFORE, _AFTER = 240, 120, 60
# A state before a ZIP code ("WA 98101": "A ddddd") or a postcode's inward part ("NW1 6XE": "d dAA").
_SHAPES = bytes(ord("A") if 65 <= i <= 90 else ord("d") if 48 <= i <= 57 else ord(" ") for i in range(256))
_ANY_ID = re.compile("|".join(fmt.words for fmt in pii_ids.NAMED))
_VALUE_HINT = re.compile(r"[\dA-Z](?:\d\d|\d[ ./-]\d|\d [A-Z][a-z]| [A-Z][a-z])")
_PHONE_ONLY = re.compile(r"phone|\btel\b|mobile|\bcell\b|\bfax\b")
_PERSON = re.compile(r"\b(?:contact|patient|applicant|employee|beneficiary)\b")
_TOKEN = re.compile(  # 24 or more characters with three digits and both cases: a key, not a name
    r"(?<![\w+/=-])(?=(?:[\w+/=-]*?\d){3})(?=[\w+/=-]*?[a-z])(?=[\w+/=-]*?[A-Z])[A-Za-z0-9_+/=-]{24,}"
)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NOT_WORD = re.compile(r"[\W_]+")

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_MONTH_NUMBER = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
                                             "oct", "nov", "dec"), start=1)}  # fmt: skip
_DATE = re.compile(
    rf"(?<![\w.-])(?:(?P<y1>(?:19|20)\d\d)(?P<s1>[-/.]?)(?P<m1>0?[1-9]|1[0-2])(?P=s1)(?P<d1>0?[1-9]|[12]\d|3[01])"
    rf"|(?P<a2>\d{{1,2}})(?P<s2>[-/.])(?P<b2>\d{{1,2}})(?P=s2)(?P<y2>(?:19|20)?\d\d)"
    rf"|(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?\.? (?:of )?(?P<n3>{_MONTHS})\.?,? (?P<y3>(?:19|20)\d\d)"
    rf"|(?P<n4>{_MONTHS})\.? (?P<d4>\d{{1,2}})(?:st|nd|rd|th)?,? (?P<y4>(?:19|20)\d\d)"
    rf"|(?P<d5>\d{{1,2}})-(?P<n5>{_MONTHS})-(?P<y5>(?:19|20)?\d\d))(?![\w-]|[./]\d)",
    re.IGNORECASE | re.ASCII,
)
_PASSPORT_VALUE = ascii_regex(r"(?<![A-Za-z0-9.-])[A-Z0-9]{1,3}[ -]?[A-Z0-9]{4,9}(?![A-Za-z0-9]|[.-]\w)")
_LICENCE_VALUE = ascii_regex(r"(?<![A-Za-z0-9.-])[A-Z0-9](?:[A-Z0-9]|[ -](?=[A-Z0-9])){4,19}(?![A-Za-z0-9]|[.-]\w)")
_PHONE_VALUE = ascii_regex(
    r"(?<![\w+./(-])(?<!(?<!tel):)(?:\+?\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d{2,5}(?:[ .-]?\d{2,5}){1,4}"
    r"(?:(?: ?x| ?ext\.? ?)\d{1,5})?(?![\w/-]|\.\d)"
)


def lowered(text: str) -> str:
    lower = text.lower()
    if len(lower) == len(text):
        return lower
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)  # keep offsets: İ lowers to two


def find(text: str, lower: str) -> Iterator[Hit]:
    for lo, hi in _named_lines(text, lower):
        yield from _line(text, lower, lo, hi)


def _named_lines(text: str, lower: str) -> list[tuple[int, int]]:
    """Lines that hold a value (four digits, a house number and a street, an ID-like token) and name it.

    The value is found first, in one regex pass: few lines of code hold one, and only those are searched for
    the stems. A line that names a value but holds no digit (`ssn:` in YAML) passes to the line below it.
    On a long line (minified code, a JSON record) the window is the value and the words just before it.
    """
    spans: list[tuple[int, int]] = []
    match = _VALUE_HINT.search(text)
    line_start, line_end = 0, -1  # the line of the last value: a long line's bounds are found once (issue 15)
    stems: pii_stems.LineStems | None = None  # and its stems, once

    def valid(at: int, end: int) -> bool:
        return end - at >= 5 or (_edge(text, lower, at) and _edge(text, lower, end))

    while match:
        if match.start() > line_end:
            line_start = text.rfind("\n", 0, match.start()) + 1
            line_end = text.find("\n", match.end())
            line_end = len(text) if line_end == -1 else line_end
            stems = None
        start, end = line_start, line_end
        if end - start > _LONG:
            start, end = max(start, match.start() - _BEFORE), min(end, match.end() + _AFTER)
            stems = stems or pii_stems.LineStems(_STEMS, lower, line_start, line_end)
            named = stems.any_valid(start, end, valid)
        else:
            named = _has_stem(text, lower, start, end)
        if named:
            spans.append((start, end))
        elif start > 1 and text[start - 1] == "\n":
            above = text.rfind("\n", 0, start - 1) + 1
            if (
                start - above < _LONG
                and not _DIGIT.search(text, above, start - 1)
                and _has_stem(text, lower, above, start)
            ):
                spans.append((above, end))
        match = _VALUE_HINT.search(text, end + 1)
    shapes = text.encode("ascii", "replace").translate(_SHAPES)
    if b"A ddddd" in shapes or b"d dAA" in shapes:
        for tail in pii_address.POSTAL.finditer(text):  # a street above its town and postcode
            start = text.rfind("\n", 0, tail.start()) + 1
            above = text.rfind("\n", 0, max(0, start - 1)) + 1
            if above < start and start - above < _LONG:
                spans.append((above, start - 1))
    return spans


def _has_stem(text: str, lower: str, lo: int, hi: int) -> bool:
    """Short stems must stand as words or start a camelCase part (customerSsn, idNumber)."""
    match = _STEM.search(lower, lo, hi)
    while match:
        at, end = match.span()
        if end - at >= 5 or (_edge(text, lower, at) and _edge(text, lower, end)):
            return True
        match = _STEM.search(lower, at + 1, hi)  # " st" in " street": the longer stem starts one later
    return False


def _edge(text: str, lower: str, at: int) -> bool:
    if at == 0 or at >= len(text):
        return True
    return not (lower[at - 1].isalpha() and lower[at].isalpha()) or (text[at].isupper() and text[at - 1].islower())


def _line(text: str, lower: str, lo: int, hi: int) -> Iterator[Hit]:
    line = _TOKEN.sub(" ", text[lo:hi])  # a token's random letters would spell words (HOoDlTO: "dl")
    words = " " + _NOT_WORD.sub(" ", _CAMEL.sub(" ", line).lower()) + " "
    lower = lower[lo:hi]
    # A person's record (contact, patient, applicant): a date in it of an adult's birth year is a birth date,
    # and a number that passes some country's check digits is that country's number (issue 12).
    person = _PERSON.search(words) is not None
    if _DOB.search(words) or person:
        adult = not _DOB.search(words)  # on a person's line: an adult's birth year, written in full
        for m in _DATE.finditer(text, lo, hi):
            if _birth_date(m, adult=adult) and not (adult and len(m.group("y2") or "0000") == 2):
                yield Hit("pii", "dob", m.start(), m.end(), m.group())
    named = [fmt for fmt in pii_ids.NAMED if re.search(fmt.words, words)] if _ANY_ID.search(words) else []
    if not named and pii_ids.GENERIC.search(words):
        named = list(pii_ids.CHECKED)  # "national id": whichever country's format the number passes
    elif not named and person and not _PHONE_ONLY.search(words):
        named = list(pii_ids.CHECKED)
    for fmt in named:
        for m in fmt.pattern.finditer(text, lo, hi):
            compact = _compact(m.group())
            if compact not in pii_ids.DOCUMENTED and not _placeholder(compact) and fmt.valid(compact):
                yield Hit("pii", fmt.type, m.start(), m.end(), m.group())
    if _PASSPORT.search(words):
        yield from _documents(text, lo, hi, _PASSPORT_VALUE, kind="passport", least=5)
    if _LICENCE.search(words):
        yield from _documents(text, lo, hi, _LICENCE_VALUE, kind="drivers-licence", least=4)
    if person:  # a person's document number of letters and digits: which document, the line does not say
        for hit in _documents(text, lo, hi, _LICENCE_VALUE, kind="id-number", least=5):
            if not _compact(hit.value).isdigit():
                yield hit
    addressed = person or _ADDRESS.search(words) is not None
    postal = pii_address.POSTAL.search(text, lo, min(len(text), hi + 80))
    if addressed or postal or any(word in lower for word in pii_address.STREET_WORDS):
        yield from pii_address.find(text, lo, hi, named=addressed)
    if _PHONE_WORDS.search(words):
        for m in _PHONE_VALUE.finditer(text, lo, hi):
            number = re.sub(r" ?(?:x|ext\.?) ?\d{1,5}$", "", m.group())
            if _national_phone(number, text[max(lo, m.start() - 12) : m.start()]):
                yield Hit("pii", "phone", m.start(), m.end(), m.group())


_RUNS = re.compile(r"(.)\1*")
_YEARS = re.compile(r"(?:19|20)\d\d(?:[ -](?:19|20)\d\d)?")
_GROUPS = re.compile(r"[ .()-]+")
_VERSION_BEFORE = re.compile(r"(?i)(?:build|version|ver|v|release|rev)[\s:=\"'_]*$")


def _national_phone(value: str, before: str) -> bool:
    digits = _compact(value)
    if not 8 <= len(digits) <= 13 or _sequence(digits) or _DATE.fullmatch(value) or _VERSION_BEFORE.search(before):
        return False
    if not value.startswith("+") and _placeholder(digits):
        return False
    if "." in value:  # groups of 3.3.4 or 2.2.2.2.2 digits are phones, 2024.98.245 is a build
        groups = [g for g in _GROUPS.split(value) if g]
        if len(groups) < 3 or len(groups[0].lstrip("+")) > 3 or not all(2 <= len(g) <= 4 for g in groups[1:]):
            return False
    return not pii_fiction.fictional_phone(value)


def _compact(value: str) -> str:
    return "".join(c for c in value if c.isalnum()).upper()


def _placeholder(number: str) -> bool:
    """111122223333, 123456789012, 2155550100: account ids in AWS docs, counting runs, fictional phones."""
    runs = [len(m.group()) for m in _RUNS.finditer(number)]
    if len(runs) <= 4 and min(runs) >= 3:
        return True
    return "1234567" in number or "9876543" in number or pii_fiction.fictional_phone(number)


def _sequence(digits: str) -> bool:
    """Runs and repeats (1234567890, 0000000000) are placeholders, not numbers anyone was given."""
    return len(set(digits)) <= 2 or digits in "01234567890123456789" or digits in "98765432109876543210"


def _documents(text: str, lo: int, hi: int, pattern: Regex, *, kind: str, least: int) -> Iterator[Hit]:
    for m in pattern.finditer(text, lo, hi):
        value = _compact(m.group())
        digits = sum(c.isdigit() for c in value)
        if _YEARS.fullmatch(m.group()) or _DATE.fullmatch(m.group()):
            continue  # Copyright 2001-2024, a date: not a document number
        if digits >= least and not _sequence(value) and len(value) >= 6:
            yield Hit("pii", kind, m.start(), m.end(), m.group())


def _birth_date(m: re.Match[str], *, adult: bool = False) -> bool:
    g = m.groupdict()
    if g["y1"]:
        if not g["s1"] and len(m.group()) != 8:
            return False
        candidates = [(g["y1"], g["m1"], g["d1"])]
    elif g["y2"]:
        candidates = [(g["y2"], g["b2"], g["a2"]), (g["y2"], g["a2"], g["b2"])]
    else:
        day, name, year = (g["d3"], g["n3"], g["y3"]) if g["y3"] else (g["d4"], g["n4"], g["y4"])
        if g["y5"]:
            day, name, year = g["d5"], g["n5"], g["y5"]
        candidates = [(year, str(_MONTH_NUMBER[name[:3].lower()]), day)]
    today = datetime.date.fromisoformat(dates.today())  # EMPATHY_TODAY in tests: no outcome hangs on the day
    if adult:
        today = today.replace(year=today.year - 16, day=min(today.day, 28))
    for year, month, day in candidates:
        full = int(year) if len(year) == 4 else 1900 + int(year)
        try:
            if datetime.date(1900, 1, 1) <= datetime.date(full, int(month), int(day)) <= today:
                return True
        except ValueError:
            continue
    return False
