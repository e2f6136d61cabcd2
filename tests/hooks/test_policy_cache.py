"""The per-user hook policy cache (issue 11): a value it does not understand never turns a check off."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from attune import configcache
from tests.helpers import fake_secret
from tests.hooks.real import run_hook

KEY = fake_secret("github")
OLD = 1_600_000_000  # an mtime old enough for the config to be cached


def secret_write(project):
    return {"tool_name": "Write", "tool_input": {"file_path": str(project / "a.py"), "content": f'K = "{KEY}"\n'}}


def cached(project, text="hooks:\n  secrets: block\n"):
    """A config and the cache entry the real hook writes for it."""
    config = project / ".empathy/config.yaml"
    config.write_text(text)
    os.utime(config, (OLD, OLD))
    assert run_hook("PreToolUse", secret_write(project), project=project).decision == "deny"
    files = list(Path(os.environ["XDG_CACHE_HOME"]).glob("attune-companion/hooks/*.json"))
    assert len(files) == 1
    return files[0]


def test_the_cache_is_used_while_the_config_is_unchanged(project):
    """Same size, same mtime, same inode: the hook believes the cache, so its content matters."""
    cache = cached(project)
    config = project / ".empathy/config.yaml"
    with open(config, "r+") as handle:
        handle.write("hooks:\n  secrets: warn \n")  # as long as the old text
    os.utime(config, (OLD, OLD))
    assert run_hook("PreToolUse", secret_write(project), project=project).decision == "deny"
    os.utime(config, (OLD + 1, OLD + 1))  # a real edit changes the key: read afresh
    run = run_hook("PreToolUse", secret_write(project), project=project)
    assert run.decision is None and "holds a secret" in run.output["systemMessage"]
    assert json.loads(cache.read_text())["value"]["secrets"] == "warn"


@pytest.mark.parametrize("value", ["Block", None, 1, "off", ["block"], True])
def test_an_edited_cache_is_rebuilt_from_the_config(project, value):
    cache = cached(project)
    entry = json.loads(cache.read_text())
    entry["value"]["secrets"] = value
    cache.write_text(json.dumps(entry))
    run = run_hook("PreToolUse", secret_write(project), project=project)
    assert run.decision == "deny"
    rebuilt = json.loads(cache.read_text())
    assert rebuilt["value"]["secrets"] == "block" and rebuilt["check"] == entry["check"]


@pytest.mark.parametrize("value", ["Block", None, 1, ""])
def test_a_value_not_understood_is_never_off_even_with_a_matching_check(project, value):
    cache = cached(project)
    entry = json.loads(cache.read_text())
    entry["value"]["secrets"] = value
    entry["check"] = configcache._check(entry["key"], entry["value"])  # forged with our own function
    cache.write_text(json.dumps(entry))
    assert run_hook("PreToolUse", secret_write(project), project=project).decision == "deny"


@pytest.mark.parametrize(
    "damage",
    [
        lambda e: e.pop("check"),
        lambda e: e["value"].pop("secrets"),
        lambda e: e["value"].update(sensitive_globs="*.env"),
        lambda e: e["value"].update(deadline_seconds=1e9),
        lambda e: e.update(policy=["block"]),
    ],
)
def test_other_damage_is_rebuilt_too(project, damage):
    cache = cached(project)
    entry = json.loads(cache.read_text())
    damage(entry)
    cache.write_text(json.dumps(entry))
    assert run_hook("PreToolUse", secret_write(project), project=project).decision == "deny"
    assert json.loads(cache.read_text())["value"]["secrets"] == "block"


def test_a_cache_that_is_not_json_is_rebuilt(project):
    cache = cached(project)
    cache.write_text('{"key": ')
    assert run_hook("PreToolUse", secret_write(project), project=project).decision == "deny"
    assert json.loads(cache.read_text())["value"]["secrets"] == "block"
