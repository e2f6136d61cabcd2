"""Lines from installed packages that nobody labelled, which the scanner once reported: not secrets (issue 12)."""

from __future__ import annotations

import pytest

from attune.scan import scan_text

NOT_SECRETS = [
    "redis://[[username]:[password]]@localhost:6379/0",  # redis-py's docstrings, a dozen times
    "rediss://[[username]:[password]]@localhost:6379/0",
    'url = httpx.URL("HTTPS://jo%40email.com:a%20secret@www.example.com:1234/pa%20th")',  # words, percent-encoded
    "postgres://app:[secret]@db:5432/x",
    "https://admin:bar@host.example/",
]
SECRETS = [  # assembled at run time, so that the repository's own scan stays clean
    "postgres://app:" + "Xk29vLqP7zR4" + "@db.internal:5432/x",
    "https://deploy:" + "p%21ssW0rd9xQ" + "@git.internal.io/repo.git",  # percent-encoded, and a real password
]


@pytest.mark.parametrize("line", NOT_SECRETS)
def test_documented_url_forms_are_not_secrets(line):
    assert [f.type for f in scan_text(line, "client.py") if f.kind == "secret"] == []


@pytest.mark.parametrize("line", SECRETS)
def test_real_url_passwords_still_are(line):
    assert [f.type for f in scan_text(line, "deploy.sh") if f.kind == "secret"] == ["url-credentials"]
