"""detect-secrets, the only module that imports it: its plugins and filters on candidate lines, baseline settings."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path, PurePath
from typing import NamedTuple


class RawHit(NamedTuple):
    line: int  # in the caller's text, 1-based
    type: str  # detect-secrets' own type name, e.g. "GitHub Token"
    value: str


Detect = Callable[[Sequence[tuple[int, str]], str], list[RawHit]]

# detect-secrets type -> ours. Generic kinds map to None: our stricter assignment detector decides those.
DS_TYPES: dict[str, str | None] = {
    "AWS Access Key": "aws-access-key",
    "Artifactory Credentials": "artifactory-token",
    "Azure Storage Account access key": "azure-storage-key",
    "Cloudant Credentials": "cloudant-credentials",
    "Discord Bot Token": "discord-bot-token",
    "GitHub Token": "github-token",
    "GitLab Token": "gitlab-token",
    "IBM COS HMAC Credentials": "ibm-cos-hmac",
    "IBM Cloud IAM Key": "ibm-cloud-iam-key",
    "JSON Web Token": "jwt",
    "Mailchimp Access Key": "mailchimp-key",
    "NPM tokens": "npm-token",
    "OpenAI Token": "openai-api-key",
    "Private Key": "private-key",
    "PyPI Token": "pypi-token",
    "SendGrid API Key": "sendgrid-api-key",
    "Slack Token": "slack-token",
    "SoftLayer Credentials": "softlayer-credentials",
    "Square OAuth Secret": "square-oauth-secret",
    "Stripe Access Key": "stripe-key",
    "Telegram Bot Token": "telegram-bot-token",
    "Twilio API Key": "twilio-api-key",
    "Base64 High Entropy String": None,
    "Hex High Entropy String": None,
    "Secret Keyword": None,
    "Basic Auth Credentials": None,
    "Public IP (ipv4)": None,
}
OUR_TO_DS = {ours: theirs for theirs, ours in DS_TYPES.items() if ours is not None}


@contextlib.contextmanager
def session() -> Iterator[Detect]:
    """One detect-secrets configuration (its defaults: every plugin, default filters) for many scans."""
    import tempfile  # with detect-secrets: it brings shutil, random, bz2 and lzma, which no other scan needs

    from detect_secrets.core.scan import scan_file
    from detect_secrets.settings import default_settings

    # Only candidate lines are written, to a private directory (mode 0700) that is removed on exit; the
    # file keeps the scanned file's name, since detect-secrets picks rules and filters by file name.
    with default_settings(), tempfile.TemporaryDirectory(prefix="empathy-scan-") as scratch:

        def detect(lines: Sequence[tuple[int, str]], filename: str) -> list[RawHit]:
            if not lines:
                return []
            path = Path(scratch) / (PurePath(filename).name or "text")
            path.write_text("".join(f"{line}\n" for _, line in lines), encoding="utf-8", errors="surrogatepass")
            try:
                return [
                    RawHit(number, secret.type, secret.secret_value or "")
                    for secret in scan_file(str(path))
                    if (number := _line_of(lines, secret.line_number, secret.secret_value or "")) is not None
                ]
            finally:
                path.unlink()

        yield detect


def _line_of(lines: Sequence[tuple[int, str]], number: int, value: str) -> int | None:
    """Our line number for its finding. Its YAML parser numbers a flow mapping past the file's end (issue 12):
    then the line that holds the value is the one, if any does."""
    if 0 < number <= len(lines):
        return lines[number - 1][0]
    return next((at for at, line in lines if value and value in line), None)


def baseline_header() -> dict[str, object]:
    """`version`, `plugins_used` and `filters_used` exactly as `detect-secrets scan` writes them."""
    from detect_secrets.__version__ import VERSION
    from detect_secrets.settings import default_settings, get_settings

    with default_settings():
        header: dict[str, object] = {"version": VERSION, **get_settings().json()}
    # `detect-secrets scan` adds this filter from its command-line defaults; so do we, to write the same header.
    policy = {"path": "detect_secrets.filters.common.is_ignored_due_to_verification_policies", "min_level": 2}
    filters = header.get("filters_used")
    if isinstance(filters, list) and policy["path"] not in {f.get("path") for f in filters}:
        header["filters_used"] = sorted([*filters, policy], key=lambda f: str(f["path"]))
    return header
