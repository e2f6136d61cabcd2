"""The text of each group for a target: the packaged template without Jinja, else Jinja in its sandbox (issue 16)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from attune import digest
from attune.config import Config
from attune.sync import confine, render
from attune.sync.rules import Rule

TEMPLATE_DIGEST = "fb0de5a0c62c6e5a478d9410"  # attune.digest.fingerprint of the packaged <target>.md.j2


def renderer(
    root: Path, config: Config, target: str, found: render.Templates, *, jinja: bool, cache: dict[tuple[str, str], str]
) -> Callable[[Rule], str]:
    """The packaged target template renders what the Claude rule file's body is: attune.sync.builtin does it."""
    override = confine.folder(root, config.templates_dir, "templates")
    overridden = override is not None and os.path.lexists(override / f"{target}.md.j2")
    packaged = (Path(__file__).resolve().parent.parent.parent / "templates" / f"{target}.md.j2").read_bytes()
    if found.builtin and not jinja and not overridden and digest.fingerprint(packaged) == TEMPLATE_DIGEST:
        from attune.sync import builtin

        def plain(rule: Rule) -> str:
            key = ("builtin", rule.name)
            if key not in cache:
                cache[key] = render.finish(builtin.render_body(rule))
            return cache[key]

        return plain
    from attune.sync import template

    env = template.environment(root, config.templates_dir)

    def with_jinja(rule: Rule) -> str:
        key = (target, rule.name)
        if key not in cache:
            context = {
                "category": rule.category,
                "paths": list(rule.paths),
                "patterns": list(rule.patterns),
                "target": target,
            }
            cache[key] = render.finish(template.render(env, [f"{target}.md.j2"], context, root))
        return cache[key]

    return with_jinja
