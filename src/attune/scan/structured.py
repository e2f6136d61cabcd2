"""Credential files with a structure of their own (issue 12): Kubernetes Secrets and kubeconfigs, Docker
config.json auths, .npmrc, .pypirc, .netrc, Jenkins credentials XML, gcloud and Azure CLI token caches.

Each reader runs only when its file name or a fixed marker is in the text (C-speed `in` checks). Values
that the format encodes (base64 in a Secret's `data:`, `user:password` in a Docker auth) are decoded and
shown to the other detectors through `rescan`, so a GitHub token inside a Secret is reported as one.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Callable, Iterator

from attune.scan import noise
from attune.scan.findings import Hit

Rescan = Callable[[str], list[Hit]]
CLEARED = "cleared"  # the kind of a hit that only keeps later detectors off a value this module judged clean

_ascii = noise.ascii_regex
# `  name: value` under a Secret's data: or stringData: block, or a kubeconfig's *-data: keys.
_YAML_PAIR = _ascii(r"^([ \t]*)([\w.-]+):[ \t]*[\"']?(\S*?)[\"']?[ \t]*$")
_KUBE_SECRET = _ascii(r"(?m)^kind:[ \t]*[\"']?Secret\b|\"kind\"[ \t]*:[ \t]*\"Secret\"")
_JSON_DATA = _ascii(r"\"([\w.-]+)\"[ \t]*:[ \t]*\"([A-Za-z0-9+/=]{4,})\"")
_KUBECONFIG = _ascii(r"(?m)^[ \t]*(client-key-data|token):[ \t]*[\"']?([A-Za-z0-9+/=._-]{16,})")
# Names in a Secret that hold something public or structural: their values are not reported on entropy alone.
_PUBLIC_NAMES = _ascii(
    r"(?i)(?:^|[_.-])(?:user|username|login|host|hostname|port|url|uri|endpoint|database|db|name|region|namespace"
    r"|email|ca\.crt|tls\.crt|crt|cert|certificate|pub|public)$"
)
_DOCKER_AUTH = _ascii(r"\"(auth|identitytoken|registrytoken)\"[ \t]*:[ \t]*\"([^\"\s]{8,})\"")
_NPMRC = _ascii(r"(?m)^[ \t]*(?:(?://[^\s=]*?:)?(_authToken|_auth|_password))[ \t]*=[ \t]*[\"']?([^\s\"']+)")
_PYPIRC = _ascii(r"(?m)^[ \t]*password[ \t]*[:=][ \t]*(\S+)")
_NETRC = _ascii(r"(?:^|\s)password[ \t]+(\S+)")
_JENKINS = _ascii(r"<(password|secret|privateKey|apiToken|passphrase|secretBytes|token)>\s*([^<\s][^<]*?)\s*</\1>")
_GCLOUD = _ascii(r"\"(client_secret|refresh_token)\"[ \t]*:[ \t]*\"([^\"\s]{16,})\"")
_AZURE = _ascii(r"\"(secret|refreshToken|accessToken|refresh_token|access_token)\"[ \t]*:[ \t]*\"([^\"\s]{20,})\"")


def find_structured(text: str, filename: str, rescan: Rescan) -> Iterator[Hit]:
    base = os.path.basename(filename).lower()
    if "Secret" in text and _KUBE_SECRET.search(text):  # its regex crawls 1 MB in 10 ms; `in` is a memchr (issue 15)
        yield from _kube_secret(text, rescan)
    if "client-key-data" in text or ("users:" in text and "clusters:" in text):
        yield from _kubeconfig(text, rescan)
    if '"auths"' in text:
        yield from _pairs(_DOCKER_AUTH, text, "docker-registry-auth", _docker_value)
    if base == ".npmrc" or "_authToken" in text or ("_auth" in text and base.endswith("npmrc")):
        yield from _pairs(_NPMRC, text, "npmrc-auth", _npm_value)
    if base in (".pypirc", "pypirc"):
        yield from _pairs(_PYPIRC, text, "pypirc-password", _plain_value)
    if base in (".netrc", "_netrc", "netrc"):
        yield from _pairs(_NETRC, text, "netrc-password", _plain_value)
    if "com.cloudbees.plugins.credentials" in text or base == "credentials.xml":
        yield from _pairs(_JENKINS, text, "jenkins-credential", _jenkins_value)
    if "authorized_user" in text or base == "application_default_credentials.json":
        yield from _pairs(_GCLOUD, text, "gcloud-credential", _random_value)
    if "credential_type" in text or base in ("accesstokens.json", "msal_token_cache.json"):
        yield from _pairs(_AZURE, text, "azure-cli-token", _random_value)


def _pairs(pattern: noise.Regex, text: str, kind: str, judge: Callable[[str, str], bool]) -> Iterator[Hit]:
    for match in pattern.finditer(text):
        group = pattern.groups
        name = match.group(1) if group > 1 else ""
        if judge(name, match.group(group)):
            yield Hit("secret", kind, match.start(group), match.end(group), match.group(group))
        else:  # this file's own reader judged the value (a placeholder behind base64, say): others keep off it
            yield Hit(CLEARED, "", match.start(group), match.end(group), match.group(group))


def _plain_value(name: str, value: str) -> bool:
    del name
    return len(value) >= 6 and not (noise.is_placeholder(value) or noise.is_reference(value))


_JENKINS_SECRET = _ascii(r"\{[A-Za-z0-9+/]{20,}={0,2}\}")  # Jenkins' own encryption of a stored secret
_CODE = _ascii(r"[\s\"'\\{}]")


def _jenkins_value(name: str, value: str) -> bool:
    if value.startswith("{"):
        return bool(_JENKINS_SECRET.fullmatch(value))
    return not _CODE.search(value) and _plain_value(name, value)  # not code that builds such a file


def _random_value(name: str, value: str) -> bool:
    del name
    return noise.looks_random(value) or (len(value) >= 40 and not noise.is_placeholder(value))


def _docker_value(name: str, value: str) -> bool:
    if name != "auth":
        return _random_value(name, value)
    decoded = _b64(value)
    if decoded is None or ":" not in decoded:
        return False
    return _plain_value("", decoded.split(":", 1)[1])


def _npm_value(name: str, value: str) -> bool:
    if name == "_authToken":
        return _plain_value(name, value)
    decoded = _b64(value)  # _auth is base64 of user:password, _password base64 of the password
    return decoded is not None and _plain_value(name, decoded.split(":", 1)[-1])


def _b64(value: str) -> str | None:
    try:
        return base64.b64decode(value + "=" * (-len(value) % 4), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def _kube_secret(text: str, rescan: Rescan) -> Iterator[Hit]:
    """The values under `data:` (base64) and `stringData:` (plain) of every Secret in the text."""
    block: tuple[str, int] | None = None  # ("data" or "stringData", its indent)
    offset = 0
    for line in text.split("\n"):
        match = _YAML_PAIR.match(line)
        if match:
            indent, name, value = len(match.group(1)), match.group(2), match.group(3)
            if name in ("data", "stringData") and not value:
                block = (name, indent)
            elif block is not None and indent <= block[1]:
                block = None
            elif block is not None and value:
                start = offset + match.start(3)
                hit = _secret_value(name, value, block[0] == "data", rescan)
                if hit is not None:
                    yield Hit("secret", hit, start, start + len(value), value)
                elif block[0] == "data":  # decoded and judged: its base64 form is no secret of its own
                    yield Hit(CLEARED, "", start, start + len(value), value)
        elif block is not None and line.strip() and len(line) - len(line.lstrip()) <= block[1]:
            block = None
        offset += len(line) + 1
    if text.lstrip().startswith("{"):  # the JSON form: "data": {"name": "base64", ...}
        for match in _JSON_DATA.finditer(text):
            hit = _secret_value(match.group(1), match.group(2), True, rescan)
            if hit is not None and match.group(1) not in ("kind", "apiVersion", "type"):
                yield Hit("secret", hit, match.start(2), match.end(2), match.group(2))


def _secret_value(name: str, value: str, encoded: bool, rescan: Rescan) -> str | None:
    decoded = _b64(value) if encoded else value
    if not decoded:
        return None
    found = rescan(decoded)
    if found:
        return found[0].type  # what the value is: a GitHub token, a private key...
    if _PUBLIC_NAMES.search(name) or noise.is_placeholder(decoded) or noise.is_reference(decoded):
        return None
    return "kubernetes-secret" if noise.looks_random(decoded, password=True) else None


def _kubeconfig(text: str, rescan: Rescan) -> Iterator[Hit]:
    for match in _KUBECONFIG.finditer(text):
        name, value = match.group(1), match.group(2)
        if name == "client-key-data":
            decoded = _b64(value)
            if decoded is not None and "PRIVATE KEY" in decoded:
                yield Hit("secret", "kubeconfig-client-key", match.start(2), match.end(2), value)
        elif not rescan(value) and noise.looks_random(value):
            yield Hit("secret", "kubeconfig-token", match.start(2), match.end(2), value)
