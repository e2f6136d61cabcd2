"""This repository uses its own product: its library is valid and its committed rules are current."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from attune import config
from attune.patterns import store
from attune.sync import render

ROOT = Path(__file__).resolve().parent.parent


def test_our_library_is_valid_and_covers_every_category():
    cfg = config.load(ROOT)
    library = store.load_library(ROOT, cfg)
    assert [str(p) for p in library.problems] == []
    active = [p for p in library.patterns if p.status == "active"]
    assert len(active) >= 8
    per_category = Counter(p.category for p in active)
    assert set(per_category) == {c.name for c in config.DEFAULT_CATEGORIES}


def test_committed_rules_match_a_render_from_scratch():
    """Fails when a pattern changed without a sync, or when rendering code changed without a
    RENDER_FORMAT bump (a forced render then differs from what a normal sync keeps)."""
    cfg = config.load(ROOT)
    plan = render.plan(ROOT, cfg, store.load_library(ROOT, cfg), force=True)
    stale = [f"{c.action} {c.name}" for c in plan.pending]
    assert stale == [], "run `empathy-sync-claude` (and bump RENDER_FORMAT if rendering code changed)"
    assert any(c.action == "unchanged" for c in plan.changes)
