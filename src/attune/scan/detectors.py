"""Our own secret detectors: current credential formats, private keys, URL credentials and secret assignments."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

from attune.scan import noise
from attune.scan.findings import Hit

_B = r"(?<![\w-])"  # token boundaries: not glued to a longer identifier
_E = r"(?![\w-])"


class Detector(NamedTuple):
    type: str
    pattern: re.Pattern[str]
    prefix: int  # characters of fixed prefix: the body after it must not be a placeholder
    check: Callable[[str], bool] | None = None


def _jwt(value: str) -> bool:
    header = _b64json(value.split(".", 1)[0])
    payload = _b64json(value.split(".")[1])
    # The jwt.io sample token is in countless docs and tests: documented, not leaked.
    return (
        isinstance(header, dict)
        and "alg" in header
        and not (isinstance(payload, dict) and payload.get("name") == "John Doe")
    )


def _discord(value: str) -> bool:
    user_id = _b64(value.split(".", 1)[0])
    return user_id is not None and user_id.isdigit()


def _b64(part: str) -> str | None:
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def _b64json(part: str) -> object:
    decoded = _b64(part)
    if decoded is None:
        return None
    try:
        return json.loads(decoded)
    except ValueError:
        return None


def _url_password(value: str) -> bool:
    return not (noise.is_placeholder(value) or noise.is_reference(value) or value.startswith(("$", "%", "{")))


# A literal registry, most specific first: a later hit overlapping an earlier one on the same text is dropped.
DETECTORS = (
    Detector("anthropic-api-key", re.compile(_B + r"sk-ant-(?:api|admin|oat|sid)\d\d-[A-Za-z0-9_-]{32,}"), 13),
    Detector("openai-api-key", re.compile(_B + r"sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{32,}"), 8),
    Detector("openai-api-key", re.compile(_B + r"sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}" + _E), 3),
    Detector("github-token", re.compile(_B + r"gh[pousr]_[A-Za-z0-9]{36,251}" + _E), 4),
    Detector("github-token", re.compile(_B + r"github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}" + _E), 11),
    Detector("gitlab-token", re.compile(_B + r"gl(?:pat|dt|rt|ptt|soat|ft|cbt|imt)-[A-Za-z0-9_-]{20,}" + _E), 6),
    Detector("google-api-key", re.compile(_B + r"AIza[0-9A-Za-z_-]{35}" + _E), 4),
    Detector("aws-access-key", re.compile(r"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])"), 4),
    Detector("azure-storage-key", re.compile(r"(?<=AccountKey=)[A-Za-z0-9+/]{86}=="), 0),
    Detector(
        "slack-webhook", re.compile(r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/]{24,}"), 29
    ),
    Detector("slack-token", re.compile(_B + r"xox[abposr]-[0-9]{6,}-[0-9A-Za-z-]{10,}" + _E), 5),
    Detector("stripe-key", re.compile(r"(?<!\w)(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{24,99}(?!\w)"), 8),
    Detector("twilio-api-key", re.compile(r"(?<!\w)SK[0-9a-f]{32}(?!\w)"), 2),
    Detector("sendgrid-api-key", re.compile(_B + r"SG\.[\w-]{22}\.[\w-]{43}" + _E), 3),
    Detector("npm-token", re.compile(r"(?<!\w)npm_[A-Za-z0-9]{36}(?!\w)"), 4),
    Detector("pypi-token", re.compile(_B + r"pypi-AgE[A-Za-z0-9_-]{50,}"), 8),
    Detector("vault-token", re.compile(r"(?<![\w.-])hv[sbr]\.[A-Za-z0-9_-]{24,}" + _E), 4),
    Detector("shopify-token", re.compile(r"(?<!\w)shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}(?!\w)"), 6),
    Detector("telegram-bot-token", re.compile(r"(?<![\w:])\d{8,10}:AA[A-Za-z0-9_-]{33}" + _E), 0),
    Detector("databricks-token", re.compile(r"(?<!\w)dapi[a-f0-9]{32}(?:-\d)?" + _E), 4),
    Detector("huggingface-token", re.compile(r"(?<!\w)(?:hf_|api_org_)[A-Za-z]{34}(?!\w)"), 3),
    Detector("jwt", re.compile(_B + r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}" + _E), 0, _jwt),
    Detector(
        "discord-bot-token",
        re.compile(_B + r"[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38}" + _E),
        0,
        _discord,
    ),
    Detector(
        "url-credentials",
        re.compile(r"(?<=://)[^\s:/@'\"<>]{1,64}:[^\s@/'\"<>]{3,128}(?=@[\w.-])"),
        0,
        None,
    ),
)

_PEM = re.compile(r"-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----|PuTTY-User-Key-File-\d: ")
_PEM_END = re.compile(r"-----END [A-Z0-9 ]*-----|\nPrivate-MAC: [0-9a-f]+")
_PEM_BODY = re.compile(r"[A-Za-z0-9+/=]{40,}")
_BEARER = re.compile(r"(?<![\w-])[Bb]earer\s+([A-Za-z0-9._~+/-]{20,}=*)")


def find_tokens(text: str) -> Iterator[Hit]:
    for detector in DETECTORS:
        for match in detector.pattern.finditer(text):
            value = match.group()
            if detector.type == "url-credentials":
                value = value.split(":", 1)[1]
                if not _url_password(value):
                    continue
                yield Hit("secret", detector.type, match.end() - len(value), match.end(), value)
                continue
            if noise.is_token_body_fake(value[detector.prefix :]) or (detector.check and not detector.check(value)):
                continue
            yield Hit("secret", detector.type, match.start(), match.end(), value)
    for match in _BEARER.finditer(text):
        value = match.group(1)
        if noise.looks_random(value):
            yield Hit("secret", "bearer-token", match.start(1), match.end(1), value)


def find_private_keys(text: str) -> Iterator[Hit]:
    """Every PEM and OpenSSH kind, once, at the header line, and only when a key body follows it."""
    for match in _PEM.finditer(text):
        following = text[match.end() : match.end() + 400]
        if not _PEM_BODY.search(following):
            continue  # code that mentions the header, like a detector, is not a key
        line_start = text.rfind("\n", 0, match.start()) + 1
        kind = "gcp-service-account" if '"private_key"' in text[line_start : match.start()] else "private-key"
        # The span covers the whole block, so that scrub() removes the body too.
        end = _PEM_END.search(text, match.end(), match.end() + 20_000)
        stop = end.end() if end else match.end()
        yield Hit("secret", kind, match.start(), stop, text[match.start() : stop])
