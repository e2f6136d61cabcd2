from __future__ import annotations

import pytest

from tests.helpers import write_pattern


@pytest.fixture
def project(repo):
    """A repository with two patterns, one of them scoped to src/api/."""
    write_pattern(repo, "tz-naive")
    write_pattern(repo, "null-user", paths=["src/api/**"])
    return repo
