"""Corpus lines for every provider format (issue 12): one true value per format, and its hard negatives.

Values are built at run time from each format's grammar (attune.scan.provider_spec.sample). The hard
negatives are what a repository really holds next to such names: the format written as a template
(`dop_v1_XXXX...`), a documented example (the body says EXAMPLE), and, for formats without
a prefix, the same shape under a name that identifies instead of unlocks (`heroku_app_id = <uuid>`).
"""

from __future__ import annotations

import base64
import random
from collections.abc import Callable

from attune.scan.provider_spec import Provider, Run, sample
from attune.scan.providers import PROVIDERS
from benchmarks import fakes
from benchmarks.corpus_lines import Language, Line

_NAMES = ("API_TOKEN", "access_token", "secretKey", "AUTH_TOKEN", "credential", "service_key")


def provider_line(r: random.Random, lang: Language) -> Line:
    provider = r.choice(PROVIDERS)
    value = sample(provider, r)
    if provider.context:
        keyword = provider.keywords[0]
        name = r.choice([f"{keyword}_api_key", f"{keyword.upper()}_TOKEN", f"{keyword}Secret"])
    else:
        name = r.choice(_NAMES)
    return Line(lang.assign(name, value), "secret", provider.id)


def _template(provider: Provider, r: random.Random) -> str:
    mark = r.choice(["X", "x", "0", "*"])
    return "".join(
        mark * part.low if isinstance(part, Run) else part[0] if isinstance(part, tuple) else part
        for part in provider.parts
    )


def _example(provider: Provider, r: random.Random) -> str:
    value = sample(provider, r)
    middle = len(value) // 2
    return value[: middle - 3] + r.choice(["EXAMPLE", "example", "SAMPLE", "Your-Key"]) + value[middle + 4 :]


def _identifier(provider: Provider, r: random.Random) -> str:
    """A prefix-less format's shape under the provider's name and a word that says it identifies."""
    return sample(provider, r)


NEGATIVES: dict[str, Callable[[Provider, random.Random], str]] = {
    "provider-template": _template,
    "provider-example": _example,
}


def provider_negative(r: random.Random, lang: Language) -> Line:
    provider = r.choice(PROVIDERS)
    plain = [k for k in provider.keywords if not any(w in k for w in ("key", "token", "secret", "pass", "auth"))]
    if provider.context and plain and r.random() < 0.5:
        name = f"{plain[0]}_{r.choice(['app_id', 'org_id', 'project', 'account_name', 'checksum'])}"
        return Line(lang.assign(name, _identifier(provider, r)), "negative", "provider-identifier")
    category = r.choice(list(NEGATIVES))
    name = f"{provider.keywords[0]}_key" if provider.context else r.choice(_NAMES)
    return Line(lang.assign(name, NEGATIVES[category](provider, r)), "negative", category)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def structured_file(r: random.Random, index: int) -> tuple[str, list[Line]]:
    """A credential file with a structure of its own, its secret lines labelled, and a clean twin of each value."""
    secret = fakes.password(r)
    kind = r.choice(["k8s", "npmrc", "netrc", "docker", "jenkins"])
    if kind == "k8s":
        return f"deploy/secret_{index}.yaml", [
            Line("apiVersion: v1"), Line("kind: Secret"), Line("metadata:"), Line(f"  name: app-{index}"),
            Line("type: Opaque"), Line("data:"), Line(f"  username: {_b64('app')}"),
            Line(f"  password: {_b64(secret)}", "secret", "kubernetes-secret"),
            Line(f"  placeholder: {_b64('changeme')}", "negative", "structured-placeholder"),
        ]  # fmt: skip
    if kind == "npmrc":
        token = fakes.pick(r, fakes.B62, 40)
        return f"pkg_{index}/.npmrc", [
            Line("registry=https://registry.npmjs.org/"),
            Line(f"//npm.pkg.acme-corp.net/:_authToken={token}", "secret", "npmrc-auth"),
            Line("//registry.npmjs.org/:_authToken=${NPM_TOKEN}", "negative", "structured-reference"),
        ]
    if kind == "netrc":
        return f"home_{index}/.netrc", [
            Line(f"machine api.acme-corp.net login deploy password {secret}", "secret", "netrc-password"),
            Line("machine example.com login anonymous password changeme", "negative", "structured-placeholder"),
        ]
    if kind == "docker":
        auth = _b64("deploy:" + secret)
        return f"docker_{index}/config.json", [
            Line("{"), Line('  "auths": {'), Line(f'    "ghcr.io": {{"auth": "{auth}"}},', "secret", "docker-registry-auth"),
            Line(f'    "quay.io": {{"auth": "{_b64("user:<password>")}"}}', "negative", "structured-placeholder"),
            Line("  }"), Line("}"),
        ]  # fmt: skip
    return f"jenkins_{index}/credentials.xml", [
        Line("<com.cloudbees.plugins.credentials.SystemCredentialsProvider>"),
        Line(f"  <password>{{AQAAABAAAAAQ{fakes.pick(r, fakes.B62, 40)}=}}</password>", "secret", "jenkins-credential"),
        Line("  <password>${JENKINS_PASSWORD}</password>", "negative", "structured-reference"),
        Line("</com.cloudbees.plugins.credentials.SystemCredentialsProvider>"),
    ]
