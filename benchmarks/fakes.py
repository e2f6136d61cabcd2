"""Realistic-format fake credentials and personal data, generated at run time from a seeded RNG.

Nothing here is a real key: each value is random in the shape of its format, built from pieces, so no
committed file holds a token that push protection or a scanner would take for a leaked one.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import random
import string

B62 = string.ascii_letters + string.digits
B64URL = B62 + "-_"
HEX = "0123456789abcdef"
B32 = string.ascii_uppercase + "234567"


def pick(r: random.Random, alphabet: str, size: int) -> str:
    return "".join(r.choice(alphabet) for _ in range(size))


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


# Each maker returns the full value as it appears in a file. Prefixes are split so this file stays clean.
def anthropic(r: random.Random) -> str:
    return "sk-" + "ant-api03-" + pick(r, B64URL, 93) + "AA"


def openai(r: random.Random) -> str:
    return "sk-" + "proj-" + pick(r, B64URL, 74) + "T3Blbk" + "FJ" + pick(r, B64URL, 74)


def github(r: random.Random) -> str:
    kind = r.choice(["classic", "fine", "app", "oauth"])
    if kind == "fine":
        return "github" + "_pat_" + pick(r, B62, 22) + "_" + pick(r, B62, 59)
    return {"classic": "ghp", "app": "ghs", "oauth": "gho"}[kind] + "_" + pick(r, B62, 36)


def gitlab(r: random.Random) -> str:
    return "gl" + "pat-" + pick(r, B62 + "_-", 20)


def google(r: random.Random) -> str:
    return "AI" + "za" + pick(r, B64URL, 35)


def azure(r: random.Random) -> str:
    key = base64.b64encode(r.randbytes(64)).decode()
    account = pick(r, string.ascii_lowercase, 10)
    return f"DefaultEndpointsProtocol=https;AccountName={account};AccountKey={key};EndpointSuffix=core.windows.net"


def slack(r: random.Random) -> str:
    if r.random() < 0.5:
        return "xo" + "xb-" + pick(r, string.digits, 11) + "-" + pick(r, string.digits, 13) + "-" + pick(r, B62, 24)
    return "xo" + "xp-" + "-".join(pick(r, string.digits, n) for n in (11, 11, 12)) + "-" + pick(r, HEX, 32)


def slack_webhook(r: random.Random) -> str:
    upper = string.ascii_uppercase + string.digits
    return (
        "https://hooks."
        + "slack.com/services/T"
        + pick(r, upper, 8)
        + "/B"
        + pick(r, upper, 10)
        + "/"
        + pick(r, B62, 24)
    )


def stripe(r: random.Random) -> str:
    return r.choice(["sk", "rk"]) + "_" + r.choice(["live", "test"]) + "_" + pick(r, B62, r.choice([24, 99]))


def twilio(r: random.Random) -> str:
    return "S" + "K" + pick(r, HEX, 32)


def sendgrid(r: random.Random) -> str:
    return "S" + "G." + pick(r, B64URL, 22) + "." + pick(r, B64URL, 43)


def npm(r: random.Random) -> str:
    return "np" + "m_" + pick(r, B62, 36)


def pypi(r: random.Random) -> str:
    return "py" + "pi-AgEIcHlwaS5vcmc" + pick(r, B64URL, 140)


def vault(r: random.Random) -> str:
    return "hv" + "s." + pick(r, B64URL, 90)


def shopify(r: random.Random) -> str:
    return "sh" + r.choice(["pat", "pss", "pca"]) + "_" + pick(r, HEX, 32)


def discord(r: random.Random) -> str:
    user = str(r.randrange(10**17, 10**18))
    return _b64url(user.encode()) + "." + pick(r, B64URL, 6) + "." + pick(r, B64URL, 38)


def telegram(r: random.Random) -> str:
    return str(r.randrange(10**8, 8 * 10**9)) + ":A" + "A" + pick(r, B64URL, 33)


def databricks(r: random.Random) -> str:
    return "da" + "pi" + pick(r, HEX, 32)


def huggingface(r: random.Random) -> str:
    return "h" + "f_" + pick(r, string.ascii_letters, 34)


def jwt(r: random.Random) -> str:
    header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = {"sub": f"user-{r.randrange(10**6)}", "iat": r.randrange(1_600_000_000, 1_800_000_000), "role": "admin"}
    return f"{header}.{_b64url(json.dumps(claims).encode())}.{pick(r, B64URL, 43)}"


def aws_key_id(r: random.Random) -> str:
    return "AK" + "IA" + pick(r, B32, 16)


def aws_secret(r: random.Random) -> str:
    return pick(r, B62 + "+/", 40)


def generic_secret(r: random.Random) -> str:
    return pick(r, B62, r.choice([32, 40, 48]))


def password(r: random.Random) -> str:
    """A chosen-looking password: letters, digits and a symbol or two."""
    core = pick(r, string.ascii_lowercase, 4) + pick(r, string.ascii_uppercase, 3) + pick(r, string.digits, 3)
    chars = list(core + pick(r, "!#%&*+-?@^_", 2) + pick(r, B62, r.randrange(2, 7)))
    r.shuffle(chars)
    return "".join(chars)


def pem_body(r: random.Random, lines: int = 12) -> list[str]:
    return [base64.b64encode(r.randbytes(48)).decode() for _ in range(lines)]


PEM_KINDS = ("RSA ", "EC ", "DSA ", "OPENSSH ", "ENCRYPTED ", "")


def private_key(r: random.Random, kind: str | None = None) -> list[str]:
    label = f"{kind if kind is not None else r.choice(PEM_KINDS)}PRIVATE KEY"
    return ["-----BEGIN " + label + "-----", *pem_body(r), "-----END " + label + "-----"]


# Personal data
FIRST = ("maria", "james", "aiko", "lars", "fatima", "diego", "olga", "kwame", "priya", "sean", "lena", "tomas")
LAST = ("garcia", "smith", "tanaka", "berg", "haddad", "lopez", "ivanova", "mensah", "sharma", "obrien", "novak")
DOMAINS = ("acme-corp.com", "northwind.io", "contoso-mail.de", "fabrikam.co.uk", "globex.net", "initech.fr")


def email(r: random.Random) -> str:
    return f"{r.choice(FIRST)}.{r.choice(LAST)}{r.choice(['', str(r.randrange(99))])}@{r.choice(DOMAINS)}"


def phone(r: random.Random) -> str:
    area, exchange, line = r.randrange(201, 989), r.randrange(201, 989), r.randrange(1000, 9999)
    london = f"{r.randrange(7000, 8999)} {r.randrange(1000, 9999)}"
    forms = [
        f"+1 {area} {exchange} {line}", f"+1{area}{exchange}{line}", f"({area}) {exchange}-{line}",
        f"{area}-{exchange}-{line}", f"+44 20 {london}", f"020 {london}",
        f"+33 6 {r.randrange(10, 99)} {r.randrange(10, 99)} {r.randrange(10, 99)} {r.randrange(10, 99)}",
        f"06 {r.randrange(10, 99)} {r.randrange(10, 99)} {r.randrange(10, 99)} {r.randrange(10, 99)}",
        f"+49 30 {r.randrange(1000000, 99999999)}",
    ]  # fmt: skip
    return r.choice(forms)


def ssn(r: random.Random) -> str:
    area = r.choice([a for a in range(1, 900) if a != 666])
    return f"{area:03d}-{r.randrange(1, 100):02d}-{r.randrange(1, 10000):04d}"


def luhn_complete(partial: str) -> str:
    total = 0
    for i, char in enumerate(reversed(partial)):
        digit = int(char)
        if i % 2 == 0:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return partial + str((10 - total % 10) % 10)


def card_number(r: random.Random) -> str:
    prefix, size = r.choice([("4", 16), ("51", 16), ("55", 16), ("2221", 16), ("34", 15), ("37", 15), ("6011", 16)])
    return luhn_complete(prefix + pick(r, string.digits, size - len(prefix) - 1))


def card(r: random.Random) -> str:
    number = card_number(r)
    style = r.choice(["", " ", "-"])
    if len(number) == 15:
        return style.join((number[:4], number[4:10], number[10:]))
    return style.join(number[i : i + 4] for i in range(0, 16, 4))


def iban_check(country: str, bban: str) -> str:
    digits = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{98 - int(digits) % 97:02d}"


def iban(r: random.Random, *, spaced: bool | None = None) -> str:
    country, bban = r.choice(
        [
            ("DE", pick(r, string.digits, 18)),
            ("GB", pick(r, string.ascii_uppercase, 4) + pick(r, string.digits, 14)),
            ("FR", pick(r, string.digits, 23)),
            ("NL", pick(r, string.ascii_uppercase, 4) + pick(r, string.digits, 10)),
            ("ES", pick(r, string.digits, 20)),
        ]
    )
    compact = country + iban_check(country, bban) + bban
    if spaced if spaced is not None else r.random() < 0.5:
        return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
    return compact


def public_ipv4(r: random.Random) -> str:
    while True:
        address = ipaddress.IPv4Address(r.randrange(1 << 24, 224 << 24))
        if address.is_global:
            return str(address)


def public_ipv6(r: random.Random) -> str:
    while True:
        address = ipaddress.IPv6Address((0x2400 + r.randrange(0x300)) << 112 | r.getrandbits(112))
        if address.is_global and not str(address).startswith("2001:db8"):
            return str(address)
