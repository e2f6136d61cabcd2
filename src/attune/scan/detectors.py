"""Our own secret detectors: current credential formats, private keys, URL credentials and secret assignments."""

from __future__ import annotations

import base64
import binascii
import bisect
import string
from collections.abc import Callable, Iterator
from typing import NamedTuple

from attune.scan import noise, prefilter, provider_checks
from attune.scan.findings import Hit

_ascii = noise.ascii_regex  # ASCII \w, \d and \b (issue 10)

_GLUE = frozenset(string.ascii_letters + string.digits + "_-")


class Detector(NamedTuple):
    type: str
    hints: tuple[str, ...]  # the pattern runs only if one of these appears in the text (a C-speed `in`)
    pattern: noise.Regex  # no leading look-behind, so the regex engine can skip ahead to its prefix
    prefix: int  # characters of fixed prefix: the body after it must not be a placeholder
    check: Callable[[str], bool] | None = None
    confirm: Callable[[str], bool] | None = None  # the provider's checksum: a value that passes is real (issue 12)


def _jwt(value: str) -> bool:
    header = _b64json(value.split(".", 1)[0])
    payload = _b64json(value.split(".")[1])
    # A token whose payload does not decode to claims is not a JWT (issue 12); the jwt.io sample token is in
    # countless docs and tests: documented, not leaked.
    return (
        isinstance(header, dict) and "alg" in header and isinstance(payload, dict) and payload.get("name") != "John Doe"
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
    import json  # here: a JWT-shaped text is rare, and json costs every scan's imports 1.3 ms (issue 15)

    try:
        return json.loads(decoded)
    except ValueError:
        return None


_PERCENT_ENCODED = _ascii(r"%[0-9A-Fa-f]{2}")


def _url_password(value: str) -> bool:
    # A password starting with a percent-encoded character (%21 for "!") is no %s or %(name)s template.
    template = value.startswith(("$", "{")) or (value.startswith("%") and not _PERCENT_ENCODED.match(value))
    if template or noise.is_placeholder(value) or noise.is_reference(value):
        return False
    from urllib.parse import unquote

    plain = unquote(value)  # `a%20secret` is the words "a secret" in a docstring's URL, not a password
    return not (" " in plain.strip() or (plain != value and noise.is_placeholder(plain)))


# A literal registry, most specific first: a later hit overlapping an earlier one on the same text is dropped.
_E = r"(?![\w-])"  # not glued to a longer identifier; the start is checked in code (see _glued)
DETECTORS = (
    Detector("anthropic-api-key", ("sk-ant-",), _ascii(r"sk-ant-(?:api|admin|oat|sid)\d\d-[\w-]{32,}"), 13),
    Detector("openai-api-key", ("sk-",), _ascii(r"sk-(?:proj|svcacct|admin)-[\w-]{32,}"), 8),
    Detector("openai-api-key", ("T3BlbkFJ",), _ascii(r"sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}" + _E), 3),
    Detector(
        "github-token",
        ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
        _ascii(r"gh[pousr]_[A-Za-z0-9]{36,251}" + _E),
        4,
        confirm=lambda value: provider_checks.crc32_base62(value, 4),
    ),
    Detector("github-token", ("github_pat_",), _ascii(r"github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}" + _E), 11),
    Detector(
        "gitlab-token",
        ("glpat-", "gldt-", "glrt-", "glptt-", "glsoat-", "glft-", "glcbt-", "glimt-"),
        _ascii(r"gl(?:pat|dt|rt|ptt|soat|ft|cbt|imt)-[\w-]{20,}" + _E),
        6,
    ),
    Detector("google-api-key", ("AIza",), _ascii(r"AIza[\w-]{35}" + _E), 4),
    Detector(
        "aws-access-key",
        ("AKIA", "ASIA", "ABIA", "ACCA"),
        _ascii(r"(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])"),
        4,
    ),
    Detector("azure-storage-key", ("AccountKey=",), _ascii(r"AccountKey=(?P<v>[A-Za-z0-9+/]{86}==)"), 0),
    Detector(
        "slack-webhook",
        ("hooks.slack.com",),
        _ascii(r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[\w/]{24,}"),
        29,
    ),
    Detector("slack-token", ("xox",), _ascii(r"xox[abposr]-[0-9]{6,}-[0-9A-Za-z-]{10,}" + _E), 5),
    Detector("stripe-key", ("_live_", "_test_"), _ascii(r"[sr]k_(?:live|test)_[0-9A-Za-z]{24,99}(?!\w)"), 8),
    Detector("twilio-api-key", ("SK",), _ascii(r"SK[0-9a-f]{32}(?!\w)"), 2),
    Detector("sendgrid-api-key", ("SG.",), _ascii(r"SG\.[\w-]{22}\.[\w-]{43}" + _E), 3),
    Detector(
        "npm-token",
        ("npm_",),
        _ascii(r"npm_[A-Za-z0-9]{36}(?!\w)"),
        4,
        confirm=lambda v: provider_checks.crc32_base62(v, 4),
    ),
    Detector("pypi-token", ("pypi-AgE",), _ascii(r"pypi-AgE[\w-]{50,}"), 8),
    Detector("vault-token", ("hvs.", "hvb.", "hvr."), _ascii(r"hv[sbr]\.[\w-]{24,}" + _E), 4),
    Detector("shopify-token", ("shp",), _ascii(r"shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}(?!\w)"), 6),
    Detector("telegram-bot-token", (":AA",), _ascii(r"\d{8,10}:AA[\w-]{33}" + _E), 0),
    Detector("databricks-token", ("dapi",), _ascii(r"dapi[a-f0-9]{32}(?:-\d)?" + _E), 4),
    Detector("huggingface-token", ("hf_", "api_org_"), _ascii(r"(?:hf_|api_org_)[A-Za-z]{34}(?!\w)"), 3),
    Detector("jwt", ("eyJ",), _ascii(r"eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{16,}" + _E), 0, _jwt),
    Detector("discord-bot-token", (".",), _ascii(r"[MNO][\w-]{23,27}\.[\w-]{6}\.[\w-]{27,38}" + _E), 0, _discord),
    Detector("url-credentials", ("://",), _ascii(r"://[^\s:/@'\"<>]{0,64}:(?P<v>[^\s@/'\"<>]{3,128})@[\w.-]"), 0),
)
_UNGLUED = frozenset(("azure-storage-key", "url-credentials", "slack-webhook"))

_PEM = _ascii(r"-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----|PuTTY-User-Key-File-\d: [\w-]+")
_PEM_END = _ascii(r"-----END [A-Z0-9 ]*-----|\nPrivate-MAC: [0-9a-f]+")
# The key body must start right after the header: blank space, quotes or escaped newlines, optional PEM or
# PuTTY headers, then base64. A header quoted in code ("-----BEGIN ... KEY-----" in data) has none.
_PEM_BODY = _ascii(
    r"""(?:\s|\\[rn]|["'])*(?:(?:Proc-Type|DEK-Info|Encryption|Comment|Public-Lines):[^\n\\]*(?:\n|\\n)\s*)*"""
    r"""[A-Za-z0-9+/=]{40,}"""
)
_BEARER = _ascii(r"[Bb]earer\s+([A-Za-z0-9._~+/-]{20,}=*)")


_HINTS = tuple(dict.fromkeys(hint for detector in DETECTORS for hint in detector.hints))
_GATED_HINTS = prefilter.gated(_HINTS)


def _glued(text: str, start: int) -> bool:
    return start > 0 and text[start - 1] in _GLUE


def find_tokens(text: str) -> Iterator[Hit]:
    # Each hint looked for once, not once per detector, and only where its rarest character is (issue 15).
    present = {hint for gate, hint in _GATED_HINTS if gate in text and hint in text}
    for detector in DETECTORS:
        if present.isdisjoint(detector.hints):
            continue
        for match in detector.pattern.finditer(text):
            if detector.type not in _UNGLUED and _glued(text, match.start()):
                continue
            group = "v" if "v" in detector.pattern.groupindex else 0
            value = match.group(group)
            if detector.type == "url-credentials":
                if not _url_password(value):
                    continue
            elif detector.confirm is not None and detector.confirm(value):
                pass  # its checksum holds: real, whatever words its body happens to spell
            elif noise.is_token_body_fake(value[detector.prefix :]) or (detector.check and not detector.check(value)):
                continue
            yield Hit("secret", detector.type, match.start(group), match.end(group), value)
    if "earer" in text:
        for match in _BEARER.finditer(text):
            value = match.group(1)
            if noise.looks_random(value):
                yield Hit("secret", "bearer-token", match.start(1), match.end(1), value)


def find_private_keys(text: str) -> Iterator[Hit]:
    """Every PEM and PuTTY kind, once, at the header line, and only when a key body follows it.

    The span runs to the END line, or, when that was cut off (a message truncated at 300 characters),
    to the next header or the end of the text: scrub() must remove the whole body (issue 10).
    """
    headers = list(_PEM.finditer(text))
    if not headers:
        return
    ends = [m.end() for m in _PEM_END.finditer(text, headers[0].end())]  # one pass: no search per header
    for position, match in enumerate(headers):
        if not _PEM_BODY.match(text, match.end(), match.end() + 600):
            continue  # code that mentions the header, like a detector, is not a key
        line_start = text.rfind("\n", 0, match.start()) + 1
        kind = "gcp-service-account" if '"private_key"' in text[line_start : match.start()] else "private-key"
        following = headers[position + 1].start() if position + 1 < len(headers) else len(text)
        while following > match.end() and text[following - 1] in " \t\r\n":
            following -= 1  # the blank space before the next header or the end stays, as around a whole key
        at = bisect.bisect_right(ends, match.end())
        stop = ends[at] if at < len(ends) and ends[at] <= following else following
        yield Hit("secret", kind, match.start(), stop, text[match.start() : stop])
