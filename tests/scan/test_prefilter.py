"""The prefilter: cheap enough for every hook, and woken by what could be a secret, not by paths (issue 12)."""

from __future__ import annotations

import pytest

from attune.scan import prefilter


@pytest.mark.parametrize(
    "text",
    [
        "/tmp/pytest-of-root/pytest-3/test_the_hook_path_imports_nothing_heavy0/src/app.py",
        "def test_a_token_in_any_recorded_field_never_reaches_the_disk_path(): return None".replace("token", "tkn"),
        "load the module_path and the import_path first",
    ],
)
def test_paths_and_long_snake_case_names_do_not_wake_the_scanner(text):
    # Every hook payload carries file paths: were they candidates, every call would load the whole engine.
    assert not prefilter.has_secret_candidate(text)


@pytest.mark.parametrize("text", ["GITHUB_PAT=abc", "gitlab_pat: x", "akab-" + "a1" * 8, "A3-ABCDEF"])
def test_one_case_formats_and_pat_names_still_do(text):
    assert prefilter.has_secret_candidate(text)
