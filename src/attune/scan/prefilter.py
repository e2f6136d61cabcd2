"""The cheap first look: could this text hold a secret or personal data at all? Standard library only.

Every check is a C-speed primitive (`in`, `bytes.translate`, `str.lower`) rather than a regex over the
whole text, so a clean 10 KB string costs a fraction of a millisecond (issue 3: hooks run on every call).
"""

from __future__ import annotations

import re

# Formats whose body may break into short runs (base64url, dotted, dashed): their fixed parts decide.
_LITERALS = (
    "sk-", "xox", "SG.", "pypi-", "hv", ":AA", "eyJ", "PRIVATE KEY", "PuTTY", "AccountKey", "AIza", "sq0", "hooks.",
    # provider formats too short for the token-run check below (issue 12); tests/scan/test_providers.py keeps this whole
    "LTAI", "NRJS-", "md-", "sm_", "glffct-", "FLWSECK", '"auths"',
    # all in one case, so the token-run check (mixed case and digits) does not see them
    "akab-", "A3-",
)  # fmt: skip
# Names and commands that bind a password without a long run (issue 12: SQL, mysql -p, curl -u).
_KEYWORDS = ("pass", "pwd", "secret", "token", "key", "credential", "bearer", "auth", "identified", "mysql", "curl",
             "sshpass", "redis-cli", "wget", "--user", "login", "pass:")  # fmt: skip
# `GITHUB_PAT=`, `gitlab_pat:`: the word ends there, so `_path` (in every payload's file names) is not one.
_PAT = re.compile(r"_pat\b")
_GITLAB = re.compile(r"gl(?:pat|dt|rt|ptt|soat|ft|cbt|imt)-")
_IPV6_HINT = re.compile(r"[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:")
# The same in an image where a hex digit is `h` and a colon stays: a hex run before a colon is `h:` (issue 15).
_HEX_COLONS = bytes(ord("h") if chr(i) in "0123456789ABCDEFabcdef" else ord(":") if i == 58 else 32 for i in range(256))
_IPV6_IMAGE = re.compile(rb"h:h{1,4}:h{1,4}:")


def _table(runs: str, gaps: str = "") -> bytes:
    table = bytearray(b" " * 256)
    for char in runs:
        table[ord(char)] = ord("a")
    for char in gaps:
        table[ord(char)] = ord("s")
    return bytes(table)


# Every other format has 20 or more letters and digits in a row (ghp_, AKIA, hex and base62 bodies).
_DIGITS = "0123456789"
_ALNUM = _table("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" + _DIGITS)
_LONG_RUN = b"a" * 20
_UUID_SHAPE = b" aaaaaaaa aaaa aaaa aaaa aaaaaaaaaaaa"  # a UUID after a prefix: sdk-, api-, pat-na1- (issue 12)
_UUID_RUN = b"a" * 12  # its last group: rarer, and far quicker to find than a needle that starts with a space
# Provider tokens whose base64url or dotted body breaks the runs above (GOCSPX-, dckr_pat_, ya29.): 28 characters
# in a row of letters, digits and the punctuation such bodies use (issue 12).
_TOKEN = _table("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" + _DIGITS + "_-.~+/=")
_TOKEN_RUN = b"a" * 28
# Card, phone, SSN, IBAN and IPv4 numbers: seven digits and punctuation in a row, or digit groups split by spaces.
_NUMBERS = _table(_DIGITS + ".-()/+:", " ")
_NUMBER_SHAPES = (b"a" * 7, b"aasaa", b"aaaasaaaa")
# Identity numbers with letters (a codice fiscale, a NINO) and postcodes: an upper-case letter and two digits,
# a space, a digit and two upper-case letters (NW1 6XE), a state and ZIP code (WA 98101). Dates and addresses:
# four digits, or a number and a capitalised word (742 Evergreen), and a word that names them (issue 12).
_CAPS = _table("")
_CAPS = bytes(ord("A") if 65 <= i <= 90 else ord("d") if 48 <= i <= 57 else byte for i, byte in enumerate(_CAPS))
_CAPS_SHAPES = (b"Add", b"dAA", b"AA ddddd")  # `dAA` after a space: see _capital_shapes
_PII_WORDS = (
    "birth", "born", "dob", "address", "street", "avenue", "road", "lane", "drive", "passport", "licen", "straße",
    "strasse", "rue ", "calle", "via ", "box", " st", " ave", " rd", "contact", "patient", "applicant", "employee",
    "member", "home", "ship", "billing", "mailing", "lives", "terrace", "court", "place", "close",
)  # fmt: skip


# Each needle waits behind its rarest character (issue 15): a one-character `in` is a memchr, so a text
# without that character (prose has no capitals, digits or `-`) skips the needle's whole scan. Since
# issue 12 doubled the needles, this is what keeps a clean 10 KB string near its old cost.
_RARITY = '"JQZXKVYWUFBGHPMCDLNORIASTE0123456789_-jqzxkvywfbgupmcdlhnroisate:. '


def gated(needles: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(rarest character, needle) pairs: `gate in text and needle in text` (assign and detectors use it too)."""
    return tuple((min(needle, key=_RARITY.find), needle) for needle in needles)


# A needle that holds another needle adds nothing: `sshpass` is found by `pass`, and `PRIVATE KEY`, lowered,
# by `key` (the keywords are looked for in the lowered text).
_GATED_KEYWORDS = gated(tuple(k for k in _KEYWORDS if not any(o != k and o in k for o in _KEYWORDS)))
_GATED_LITERALS = gated(tuple(x for x in _LITERALS if not any(k in x.lower() for k in _KEYWORDS)))
_GATED_PII_WORDS = gated(_PII_WORDS)


def has_secret_candidate(text: str) -> bool:
    encoded = text.encode("utf-8", "surrogatepass")
    runs = encoded.translate(_ALNUM)
    if _LONG_RUN in runs or (_UUID_RUN in runs and _UUID_SHAPE in runs) or _token_run(encoded):
        return True
    if any(gate in text and literal in text for gate, literal in _GATED_LITERALS):
        return True
    if "://" in text and "@" in text:
        return True
    if "gl" in text and _GITLAB.search(text):
        return True
    lower = text.lower()
    if "_pat" in lower and _PAT.search(lower):
        return True
    return any(gate in lower and keyword in lower for gate, keyword in _GATED_KEYWORDS)


def _token_run(encoded: bytes) -> bool:
    """A 28-character run of token characters that mixes upper case, lower case and digits, as generated
    bodies do. A file path or a snake_case name is such a run too, but all in one case: every hook payload
    carries paths, and a path must not wake the scanner (issue 12)."""
    tokens = encoded.translate(_TOKEN)
    at = tokens.find(_TOKEN_RUN)
    while at != -1:
        end = tokens.find(b" ", at)
        run = encoded[at : len(encoded) if end == -1 else end]
        if run != run.lower() and run != run.upper() and len(run.translate(None, b"0123456789")) < len(run):
            return True
        if end == -1:
            return False
        at = tokens.find(_TOKEN_RUN, end)
    return False


def has_pii_candidate(text: str) -> bool:
    if "@" in text or "::" in text:
        return True
    data = text.encode("utf-8", "surrogatepass")
    shapes = data.translate(_NUMBERS)
    if any(shape in shapes for shape in _NUMBER_SHAPES):
        return True
    caps = data.translate(_CAPS)
    # Every shape here has a digit, and all but `dddd` a capital: a text without them skips them (issue 15:
    # `x=1; ` over and over makes the image spaces and digits, where `dAA` and ` A` crawl, 5 ms a MB).
    capital = b"A" in caps
    if b"d" in caps and ((capital and _capital_shapes(caps)) or _named_number(text, caps, capital)):
        return True
    # An IPv6 address without "::" has seven colons between hex groups; code has colons everywhere
    # (every `def f():`), so a colon count alone would send all of it to the detectors.
    # Looked for in an image of hex digits and colons, where it starts with a literal the regex engine skips to:
    # the hint's own regex, tried at every offset of code, cost 9 ms a MB (issue 15).
    return text.count(":") >= 5 and _IPV6_IMAGE.search(data.translate(_HEX_COLONS)) is not None


def _capital_shapes(caps: bytes) -> bool:
    # A needle with a space in it crawls through this image, which is mostly spaces (250 us for 100 KB of
    # code, issue 15): ` dAA` is looked for only where `dAA` is.
    return b"Add" in caps or b"AA ddddd" in caps or (b"dAA" in caps and b" dAA" in caps)


def _named_number(text: str, caps: bytes, capital: bool) -> bool:
    if b"dddd" in caps or (capital and _digit_before_capital(caps)):
        lower = text.lower()
        return any(gate in lower and word in lower for gate, word in _GATED_PII_WORDS)
    return False


def _digit_before_capital(caps: bytes) -> bool:
    """`d A` in the image: looked for from each ` A` (a capital after a space is rare in code), up to 256 of them."""
    at = caps.find(b" A")
    for _ in range(256):
        if at == -1:
            return False
        if at > 0 and caps[at - 1] == ord("d"):
            return True
        at = caps.find(b" A", at + 1)
    return b"d A" in caps


def has_candidate(text: str) -> bool:
    """False means no detector can fire on this text, so nothing else needs to run or be imported."""
    return has_secret_candidate(text) or has_pii_candidate(text)
