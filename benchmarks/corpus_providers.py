"""Corpus lines for every provider format (issue 12): one true value per format, and its hard negatives.

Values are built at run time from each format's grammar (attune.scan.provider_spec.sample). The hard
negatives are what a repository really holds next to such names: the format written as a template
(`dop_v1_XXXX...`), a documented example (the body says EXAMPLE), and, for formats without
a prefix, the same shape under a name that identifies instead of unlocks (`heroku_app_id = <uuid>`).
"""

from __future__ import annotations

import random
from collections.abc import Callable

from attune.scan.provider_spec import Provider, Run, sample
from attune.scan.providers import PROVIDERS
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
