from __future__ import annotations

import pytest


@pytest.fixture
def project(repo):
    """A repository with a library, where working memory is kept."""
    (repo / ".empathy").mkdir()
    return repo
