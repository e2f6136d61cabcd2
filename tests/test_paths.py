"""attune.paths: the one place that says where the project root and the user cache are (issue 15)."""

from __future__ import annotations

import pytest

from attune import paths
from attune.errors import UserError


def test_the_cache_follows_xdg_cache_home_else_the_home_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert paths.cache_dir("llm") == str(tmp_path / "xdg" / "attune-companion" / "llm")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert paths.cache_dir("hooks", "x.json") == str(
        tmp_path / "home" / ".cache" / "attune-companion" / "hooks" / "x.json"
    )


def test_project_root_needs_the_pattern_library(tmp_path):
    (tmp_path / "lib" / ".empathy").mkdir(parents=True)
    assert paths.project_root(str(tmp_path / "lib")) == (tmp_path / "lib").resolve()
    with pytest.raises(UserError, match=r"no \.empathy/ in .*run `empathy init`"):
        paths.project_root(str(tmp_path))
    with pytest.raises(UserError, match=r"--root .*missing: no such directory"):
        paths.project_root(str(tmp_path / "missing"))
