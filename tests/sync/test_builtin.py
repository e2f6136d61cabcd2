"""The Jinja-free renderer of the packaged template against Jinja itself, byte for byte."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys

import pytest

from attune import config as config_mod
from attune import digest
from attune.config import Category
from attune.patterns.model import Pattern
from attune.sync import builtin, render, template
from attune.sync.rules import Rule
from tests.helpers import build_tree, write_pattern

# Text on the edges of what a template could treat differently: Jinja syntax and Markdown in
# values, blank lines and trailing whitespace, non-ASCII, confidences either side of 0.7.
TEXTS = [
    "plain words",
    "{{ not a variable }} {% raw %}",
    "`code` and **bold**",
    "line one\nline two",
    "ends with a blank line\n\n",
    "  leading spaces",
    "trailing spaces   ",
    "ünïcödé — “quotes” ✓",
    "percent % and %s and %.1f",
    "",
    "# a heading inside\n\n- a list",
    "<!-- a comment -->",
]
CONFIDENCES = [None, 0.0, 0.05, 0.25, 0.649, 0.65, 0.66, 0.699, 0.7, 0.71, 0.95, 1.0]
GLOBS = ["src/api/**", "**/*.{ts,tsx}", "docs/*.md", "a b/c", "src/[ab]/x.py"]


def random_rule(rng: random.Random) -> Rule:
    description = rng.choice([*TEXTS, "Conventions this codebase follows."])
    category = Category("debugging", "bug-patterns", rng.choice(TEXTS) or "Bug patterns", description)
    patterns = tuple(
        Pattern(
            f"p{index}", rng.choice(TEXTS) or "A title", "debugging", (), (), "active",
            rng.choice(CONFIDENCES), None, None, None, None, rng.choice(TEXTS), f"p{index}.md", 1, "d",
        )
        for index in range(rng.randint(1, 4))
    )  # fmt: skip
    scope = tuple(rng.sample(GLOBS, rng.randint(0, 3)))
    return Rule("bug-patterns.md", category, scope, patterns, "sources")


def test_builtin_renders_what_jinja_renders(tmp_path):
    environment = template.environment(tmp_path, None)
    rng = random.Random(20261122)
    for _ in range(500):
        rule = random_rule(rng)
        assert render.finish(builtin.render_body(rule)) == render.render_body(environment, rule, tmp_path), rule


def test_digest_names_the_packaged_template():
    """Editing rules.md.j2 must come with the same edit to builtin.py (and a new digest here)."""
    packaged = (template.PACKAGED / builtin.TEMPLATE).read_bytes()
    assert digest.fingerprint(packaged) == builtin.TEMPLATE_DIGEST


@pytest.fixture
def library(repo):
    write_pattern(repo, "null-user", paths=["src/api/**"])
    tentative = write_pattern(repo, "tz-naive")
    tentative.write_text(tentative.read_text().replace("confidence: 0.9", "confidence: 0.5"))
    write_pattern(repo, "no-secrets", "security", body="Read keys from the environment.")
    return repo


def test_a_sync_renders_the_same_files_with_or_without_jinja(library):
    cfg = config_mod.load(library)
    library_ = render_library(library, cfg)
    fast = render.plan(library, cfg, library_)
    slow = render.plan(library, cfg, library_, jinja=True)
    assert render.templates(library, cfg).builtin
    assert [(c.name, c.new) for c in fast.changes] == [(c.name, c.new) for c in slow.changes]
    assert len(fast.changes) == 3


def render_library(root, cfg):
    from attune.patterns import store

    return store.load_library(root, cfg, use_cache=False)


@pytest.mark.parametrize("name", ["rules.md.j2", "bug-patterns.md.j2"])
def test_an_override_goes_through_jinja(library, name):
    build_tree(library, {f".empathy/templates/{name}": "OVERRIDE {{ patterns | length }}\n"})
    cfg = config_mod.load(library)
    assert not render.templates(library, cfg).builtin
    changes = {c.name: c.new for c in render.plan(library, cfg, render_library(library, cfg)).changes}
    assert changes["bug-patterns.md"].endswith("OVERRIDE 1\n")
    assert changes["security-decisions.md"].endswith("OVERRIDE 1\n" if name == "rules.md.j2" else "environment.\n")


def test_an_unrelated_override_keeps_the_builtin_renderer(library):
    build_tree(library, {".empathy/templates/pattern.md.j2": "---\nid: {{ id }}\n---\n"})
    assert render.templates(library, config_mod.load(library)).builtin


def test_an_edited_packaged_template_goes_through_jinja(library, tmp_path):
    """A package whose rules.md.j2 was changed in place must not render the old format."""
    package = tmp_path / "site" / "attune"
    shutil.copytree(template.PACKAGED.parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    rules_template = package / "templates" / builtin.TEMPLATE
    rules_template.write_text(rules_template.read_text().replace("## {{ p.title }}", "### {{ p.title }}"))
    code = "import sys; from attune import cli; sys.exit(cli.main(['sync', '--root', sys.argv[1], '-q']))"
    env = {**os.environ, "PYTHONPATH": str(package.parent)}
    subprocess.run([sys.executable, "-c", code, str(library)], check=True, env=env)
    text = (library / ".claude/rules/attune/bug-patterns.md").read_text()
    assert "### Tz naive" in text and "## Tz naive" not in text.replace("### Tz naive", "")
