"""The packaged `rules.md.j2`, rendered without loading Jinja.

Importing Jinja costs about 40 ms (it pulls in pickle, tempfile, hashlib and inspect), more
than everything a first sync of 1,000 patterns does once they are parsed. Most projects never
override the packaged template, so a sync renders it with this hand-written equivalent, the
way `attune.yamlsubset` reads simple YAML without PyYAML. Jinja stays the renderer of record:
a project that overrides a rules template, or a package whose `rules.md.j2` no longer hashes
to TEMPLATE_DIGEST, is rendered by Jinja (`attune.sync.render.renderer` decides).

`tests/sync/test_builtin.py` renders random rules both ways and holds them to byte-identical
output, and checks TEMPLATE_DIGEST against the packaged file, so that editing the template
without editing this file fails the tests rather than changing what users get.
"""

from __future__ import annotations

from attune.sync.rules import Rule

TEMPLATE = "rules.md.j2"
TEMPLATE_DIGEST = "f85e759a9feb724bb39a8f01"  # attune.digest.fingerprint of the packaged rules.md.j2


def render_body(rule: Rule) -> str:
    """What Jinja renders from the packaged rules.md.j2 for `rule`, before render.finish."""
    category = rule.category
    parts = [f"# {category.title}"]
    if rule.paths:
        parts.append(": `" + "`, `".join(rule.paths) + "`")
    parts.append("\n\n")
    if category.description:
        parts.append(f"{category.description}\n\n")
    last = len(rule.patterns) - 1
    for index, pattern in enumerate(rule.patterns):
        parts.append(f"## {pattern.title}\n\n")
        if pattern.confidence is not None and pattern.confidence < 0.7:
            parts.append(f"_Tentative (confidence {pattern.confidence:.1f}): check before relying on it._\n\n")
        parts.append(f"{pattern.body}\n")
        if index != last:
            parts.append("\n")
    return "".join(parts)
