"""How a provider's credential format is written down: fixed parts, choices and runs of an alphabet (issue 12).

A format is data. The regex that finds it and the fake values that test it are both built from that data,
so the table reads like the provider's documentation: prefix, alphabet, length, and a checksum where one
is defined.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import random

# Alphabets, as regex character-class bodies.
HEX = "0-9a-f"
HEXU = "0-9A-F"
HEXM = "0-9a-fA-F"
AN = "A-Za-z0-9"  # base62
UP = "A-Z0-9"
LO = "a-z0-9"
W = "A-Za-z0-9_-"  # base64url
B64 = "A-Za-z0-9+/"
DIG = "0-9"
B32L = "a-z2-7"
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7lQPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"


class Run(NamedTuple):
    alphabet: str
    low: int
    high: int | None  # None: no upper bound


Part = str | tuple[str, ...] | Run  # a fixed text, a choice of fixed texts, or a run of an alphabet


def run(alphabet: str, low: int, high: int | None = -1) -> Run:
    return Run(alphabet, low, low if high == -1 else high)


UUID = (run(HEX, 8), "-", run(HEX, 4), "-", run(HEX, 4), "-", run(HEX, 4), "-", run(HEX, 12))


class Provider(NamedTuple):
    id: str
    name: str
    keywords: tuple[str, ...]  # lowercase; the detector runs only on lines that hold one of them
    parts: tuple[Part, ...]  # the value's grammar
    context: bool  # True: the keywords are names that must come before the value on its line
    check: Callable[[str], bool] | None  # a checksum or a decoding that confirms a value
    false: tuple[str, ...]  # lines that look close and are not this credential


def _class(alphabet: str) -> str:
    return "[" + "".join(re.escape(c) for c in _chars(alphabet)) + "]"


def _quantity(low: int, high: int | None) -> str:
    if high is None:
        return f"{{{low},}}"
    return f"{{{low}}}" if low == high else f"{{{low},{high}}}"


def regex_source(parts: tuple[Part, ...]) -> str:
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(re.escape(part))
        elif isinstance(part, Run):
            out.append(_class(part.alphabet) + _quantity(part.low, part.high))
        else:
            out.append("(?:" + "|".join(re.escape(p) for p in part) + ")")
    return "".join(out)


_END = r"(?![A-Za-z0-9_-])"


def token(
    id_: str,
    name: str,
    *parts: Part,
    keywords: tuple[str, ...] = (),
    check: Callable[[str], bool] | None = None,
    false: tuple[str, ...] = (),
) -> Provider:
    """A format with a fixed part: by default the keywords are its leading fixed texts, lowered."""
    if not keywords:
        first = parts[0]
        keywords = (first,) if isinstance(first, str) else tuple(first)  # type: ignore[arg-type]
    return Provider(id_, name, tuple(k.lower() for k in keywords), parts, False, check, false)


def named(
    id_: str,
    name: str,
    names: tuple[str, ...],
    *parts: Part,
    check: Callable[[str], bool] | None = None,
    false: tuple[str, ...] = (),
) -> Provider:
    """A format without a prefix of its own: it counts only after one of the provider's names on the line."""
    return Provider(id_, name, tuple(n.lower() for n in names), parts, True, check, false)


def compile_provider(provider: Provider) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The format's regex, and the regex of the fixed texts its value starts with (what follows is its body).

    Built on first use, not at import: a hook that meets one format pays for one (issue 12).
    """
    source = regex_source(provider.parts) + _END
    if provider.context:
        words = "|".join(re.escape(k) for k in provider.keywords)
        source = rf"(?i:{words})[^\n]{{0,40}}?(?<![A-Za-z0-9_-])(?P<v>{source[: -len(_END)]}){_END}"
    fixed: list[Part] = []
    for part in provider.parts:
        if isinstance(part, Run):
            break
        fixed.append(part)
    return re.compile(source, re.ASCII), re.compile(regex_source(tuple(fixed)), re.ASCII)


def _chars(alphabet: str) -> str:
    out: list[str] = []
    at = 0
    while at < len(alphabet):
        if at + 2 < len(alphabet) and alphabet[at + 1] == "-" and (alphabet[at] + alphabet[at + 2]).isalnum():
            out.extend(chr(c) for c in range(ord(alphabet[at]), ord(alphabet[at + 2]) + 1))
            at += 3
        else:
            out.append(alphabet[at])
            at += 1
    return "".join(out)


def sample(provider: Provider, r: random.Random) -> str:
    """A fake value in the provider's format, built at run time (tests and the benchmark corpus).

    After a mere name the engine wants a digit in the value (a word is not a key): a value drawn without one,
    which a real random key of 20 base62 characters is about 3% of the time, is drawn again.
    """
    for _ in range(50):
        value = _draw(provider, r)
        if not provider.context or any(c.isdigit() for c in value):
            break
    return value


def _draw(provider: Provider, r: random.Random) -> str:
    out: list[str] = []
    for part in provider.parts:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, Run):
            high = part.high if part.high is not None else part.low + 24
            chars = _chars(part.alphabet)
            out.append("".join(r.choice(chars) for _ in range(r.randint(part.low, high))))
        else:
            out.append(r.choice(part))
    return "".join(out)
