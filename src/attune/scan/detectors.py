"""Our own secret detectors: current credential formats, private keys, URL credentials and secret assignments."""

from __future__ import annotations

import base64
import binascii
import json
import re
import string
from collections.abc import Callable, Iterator
from typing import NamedTuple

from attune.scan import noise
from attune.scan.findings import Hit

_GLUE = frozenset(string.ascii_letters + string.digits + "_-")


class Detector(NamedTuple):
    type: str
    hints: tuple[str, ...]  # the pattern runs only if one of these appears in the text (a C-speed `in`)
    pattern: re.Pattern[str]  # no leading look-behind, so the regex engine can skip ahead to its prefix
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
_E = r"(?![\w-])"  # not glued to a longer identifier; the start is checked in code (see _glued)
DETECTORS = (
    Detector("anthropic-api-key", ("sk-ant-",), re.compile(r"sk-ant-(?:api|admin|oat|sid)\d\d-[\w-]{32,}"), 13),
    Detector("openai-api-key", ("sk-",), re.compile(r"sk-(?:proj|svcacct|admin)-[\w-]{32,}"), 8),
    Detector("openai-api-key", ("T3BlbkFJ",), re.compile(r"sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}" + _E), 3),
    Detector(
        "github-token", ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"), re.compile(r"gh[pousr]_[A-Za-z0-9]{36,251}" + _E), 4
    ),
    Detector("github-token", ("github_pat_",), re.compile(r"github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}" + _E), 11),
    Detector(
        "gitlab-token",
        ("glpat-", "gldt-", "glrt-", "glptt-", "glsoat-", "glft-", "glcbt-", "glimt-"),
        re.compile(r"gl(?:pat|dt|rt|ptt|soat|ft|cbt|imt)-[\w-]{20,}" + _E),
        6,
    ),
    Detector("google-api-key", ("AIza",), re.compile(r"AIza[\w-]{35}" + _E), 4),
    Detector(
        "aws-access-key",
        ("AKIA", "ASIA", "ABIA", "ACCA"),
        re.compile(r"(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])"),
        4,
    ),
    Detector("azure-storage-key", ("AccountKey=",), re.compile(r"AccountKey=(?P<v>[A-Za-z0-9+/]{86}==)"), 0),
    Detector(
        "slack-webhook",
        ("hooks.slack.com",),
        re.compile(r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[\w/]{24,}"),
        29,
    ),
    Detector("slack-token", ("xox",), re.compile(r"xox[abposr]-[0-9]{6,}-[0-9A-Za-z-]{10,}" + _E), 5),
    Detector("stripe-key", ("_live_", "_test_"), re.compile(r"[sr]k_(?:live|test)_[0-9A-Za-z]{24,99}(?!\w)"), 8),
    Detector("twilio-api-key", ("SK",), re.compile(r"SK[0-9a-f]{32}(?!\w)"), 2),
    Detector("sendgrid-api-key", ("SG.",), re.compile(r"SG\.[\w-]{22}\.[\w-]{43}" + _E), 3),
    Detector("npm-token", ("npm_",), re.compile(r"npm_[A-Za-z0-9]{36}(?!\w)"), 4),
    Detector("pypi-token", ("pypi-AgE",), re.compile(r"pypi-AgE[\w-]{50,}"), 8),
    Detector("vault-token", ("hvs.", "hvb.", "hvr."), re.compile(r"hv[sbr]\.[\w-]{24,}" + _E), 4),
    Detector("shopify-token", ("shp",), re.compile(r"shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}(?!\w)"), 6),
    Detector("telegram-bot-token", (":AA",), re.compile(r"\d{8,10}:AA[\w-]{33}" + _E), 0),
    Detector("databricks-token", ("dapi",), re.compile(r"dapi[a-f0-9]{32}(?:-\d)?" + _E), 4),
    Detector("huggingface-token", ("hf_", "api_org_"), re.compile(r"(?:hf_|api_org_)[A-Za-z]{34}(?!\w)"), 3),
    Detector("jwt", ("eyJ",), re.compile(r"eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{16,}" + _E), 0, _jwt),
    Detector("discord-bot-token", (".",), re.compile(r"[MNO][\w-]{23,27}\.[\w-]{6}\.[\w-]{27,38}" + _E), 0, _discord),
    Detector("url-credentials", ("://",), re.compile(r"://[^\s:/@'\"<>]{0,64}:(?P<v>[^\s@/'\"<>]{3,128})@[\w.-]"), 0),
)
_UNGLUED = frozenset(("azure-storage-key", "url-credentials", "slack-webhook"))

_PEM = re.compile(r"-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----|PuTTY-User-Key-File-\d: [\w-]+")
_PEM_END = re.compile(r"-----END [A-Z0-9 ]*-----|\nPrivate-MAC: [0-9a-f]+")
# The key body must start right after the header: blank space, quotes or escaped newlines, optional PEM or
# PuTTY headers, then base64. A header quoted in code ("-----BEGIN ... KEY-----" in data) has none.
_PEM_BODY = re.compile(
    r"""(?:\s|\\[rn]|["'])*(?:(?:Proc-Type|DEK-Info|Encryption|Comment|Public-Lines):[^\n\\]*(?:\n|\\n)\s*)*"""
    r"""[A-Za-z0-9+/=]{40,}"""
)
_BEARER = re.compile(r"[Bb]earer\s+([A-Za-z0-9._~+/-]{20,}=*)")


def _glued(text: str, start: int) -> bool:
    return start > 0 and text[start - 1] in _GLUE


def find_tokens(text: str) -> Iterator[Hit]:
    for detector in DETECTORS:
        if not any(hint in text for hint in detector.hints):
            continue
        for match in detector.pattern.finditer(text):
            if detector.type not in _UNGLUED and _glued(text, match.start()):
                continue
            group = "v" if "v" in detector.pattern.groupindex else 0
            value = match.group(group)
            if detector.type == "url-credentials":
                if not _url_password(value):
                    continue
            elif noise.is_token_body_fake(value[detector.prefix :]) or (detector.check and not detector.check(value)):
                continue
            yield Hit("secret", detector.type, match.start(group), match.end(group), value)
    if "earer" in text:
        for match in _BEARER.finditer(text):
            value = match.group(1)
            if noise.looks_random(value):
                yield Hit("secret", "bearer-token", match.start(1), match.end(1), value)


def find_private_keys(text: str) -> Iterator[Hit]:
    """Every PEM and OpenSSH kind, once, at the header line, and only when a key body follows it."""
    for match in _PEM.finditer(text):
        if not _PEM_BODY.match(text, match.end(), match.end() + 600):
            continue  # code that mentions the header, like a detector, is not a key
        line_start = text.rfind("\n", 0, match.start()) + 1
        kind = "gcp-service-account" if '"private_key"' in text[line_start : match.start()] else "private-key"
        # The span covers the whole block, so that scrub() removes the body too.
        end = _PEM_END.search(text, match.end(), match.end() + 20_000)
        stop = end.end() if end else match.end()
        yield Hit("secret", kind, match.start(), stop, text[match.start() : stop])
