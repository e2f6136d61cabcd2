from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest
from benchmarks import fakes

from attune.scan import Finding, has_candidate, scan_text, scrub

TOKENS = {
    "anthropic-api-key": fakes.anthropic,
    "openai-api-key": fakes.openai,
    "github-token": fakes.github,
    "gitlab-token": fakes.gitlab,
    "google-api-key": fakes.google,
    "azure-storage-key": fakes.azure,
    "slack-token": fakes.slack,
    "slack-webhook": fakes.slack_webhook,
    "stripe-key": fakes.stripe,
    "twilio-api-key": fakes.twilio,
    "sendgrid-api-key": fakes.sendgrid,
    "npm-token": fakes.npm,
    "pypi-token": fakes.pypi,
    "vault-token": fakes.vault,
    "shopify-token": fakes.shopify,
    "discord-bot-token": fakes.discord,
    "telegram-bot-token": fakes.telegram,
    "databricks-token": fakes.databricks,
    "huggingface-token": fakes.huggingface,
    "jwt": fakes.jwt,
    "aws-access-key": fakes.aws_key_id,
}


@pytest.mark.parametrize("kind", sorted(TOKENS))
@pytest.mark.parametrize("seed", range(5))
def test_every_credential_format_is_found_with_a_masked_value(kind, seed):
    value = TOKENS[kind](random.Random(f"{kind}{seed}"))
    text = f"import os\n\nclient = Client(\n    credential={json.dumps(value)},\n)\n"
    findings = scan_text(text, "app.py")
    assert [(f.kind, f.type, f.line) for f in findings] == [("secret", kind, 4)]
    masked = findings[0].masked
    secret_part = value.split("AccountKey=")[-1]
    assert secret_part not in masked and len(masked.replace("…", "")) <= len(secret_part) // 4


@pytest.mark.parametrize(
    ("filename", "line", "kind"),
    [
        (".env", "STRIPE_SECRET=%s", "generic-secret"),
        ("settings.py", 'SECRET_KEY = "%s"', "generic-secret"),
        ("config.yaml", "  client_secret: %s", "generic-secret"),
        ("config.json", '  "apiToken": "%s",', "generic-secret"),
        ("Cargo.toml", 'auth_token = "%s"', "generic-secret"),
        ("app.ini", "db_password = %p", "password"),
        ("main.tf", '  password = "%p"', "password"),
        ("Dockerfile", "ENV API_KEY %s", "generic-secret"),
        ("deploy.sh", "export ACCESS_KEY='%s'", "generic-secret"),
        ("client.ts", 'const apiKey: string = "%s";', "generic-secret"),
        ("main.go", 'dbPassword := "%p"', "password"),
        ("settings.py", 'aws_secret_access_key = "%s"', "aws-secret-key"),
        ("twilio.env", "TWILIO_AUTH_TOKEN=%h", "twilio-auth-token"),
    ],
)
def test_high_entropy_values_assigned_to_secret_names_in_each_language(filename, line, kind):
    r = random.Random(filename + line)
    value = {"%s": fakes.generic_secret(r), "%p": fakes.password(r), "%h": fakes.pick(r, fakes.HEX, 32)}
    text = line
    for mark, fake in value.items():
        text = text.replace(mark, fake)
    assert [(f.type, f.line) for f in scan_text(f"# settings\n{text}\n", filename)] == [(kind, 2)]


@pytest.mark.parametrize(
    ("filename", "text"),
    [
        ("aws.py", 'AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"'),
        ("aws.py", 'aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"'),
        ("a.py", 'api_key = "YOUR_API_KEY"'),
        ("a.yaml", "token: <token>"),
        ("a.env", "DB_PASSWORD=${DB_PASSWORD}"),
        ("a.env", "SECRET_KEY=xxxxxxxxxxxxxxxxxxxxxxxx"),
        ("a.yaml", "password: changeme"),
        ("a.py", 'password = os.environ["DB_PASSWORD"]'),
        ("a.js", "const token = process.env.GITHUB_TOKEN;"),
        ("a.go", 'token := os.Getenv("API_TOKEN")'),
        ("a.tf", "  password = var.db_password"),
        ("a.py", "secret = vault.read_secret(path)"),
        ("a.py", 'password = get_password("db")'),
        ("a.py", 'password_hash = "$2b$12$KIXQJ1n1y5N5q5Yk3o9ZPeVb0Q1e4s7r8T9u0v1w2x3y4z5A6B7C8"'),
        ("a.py", 'sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"'),
        ("a.yaml", "    rev: 9fceb02d0ae598e95dc970b74767f19372d61af8"),
        ("a.py", 'session_token = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"'),
        (
            "package-lock.json",
            '"integrity": "sha512-Xo7z2tP3vMgBvNMA0G8dTeYb9D6kMFdA0xqAS2gg8mBb0TmPgWzUqyqBMQyUvqpmkZh7vDQQpFjyIu0oTsY1zQ=="',
        ),
        ("a.html", '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk">'),
        ("test_auth.py", "def test_rotates_expired_api_token_after_password_reset():"),
        ("a.py", 'if "-----BEGIN RSA PRIVATE KEY-----" in text:'),
        ("a.md", "ghp_" + "x" * 36),
        ("a.md", "Authorization: Bearer <your-token-here>"),
    ],
)
def test_documented_examples_placeholders_references_and_hashes_are_not_secrets(filename, text):
    assert scan_text(text + "\n", filename, pii=False) == []


def test_the_jwt_io_sample_is_documentation_but_a_minted_token_is_found():
    sample = ".".join(
        (
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
            "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ",
            "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        )
    )
    assert scan_text(f"curl -H 'X-Session: {sample}'\n") == []
    minted = fakes.jwt(random.Random(7))
    assert [f.type for f in scan_text(f"curl -H 'X-Session: {minted}'\n")] == ["jwt"]


@pytest.mark.parametrize("kind", fakes.PEM_KINDS)
def test_a_private_key_is_reported_once_at_its_first_line(kind):
    key = fakes.private_key(random.Random(kind), kind)
    text = "\n".join(["# deploy key", *key, "done = True"]) + "\n"
    assert [(f.type, f.line) for f in scan_text(text, "key.pem")] == [("private-key", 2)]


def test_a_key_inside_a_json_string_is_a_gcp_service_account():
    body = "\\n".join(fakes.private_key(random.Random(3), ""))
    account = '{\n  "type": "service_account",\n  "private_key_id": "%s",\n  "private_key": "%s\\n",\n  "client_email": "ci@proj.iam.gserviceaccount.com"\n}\n'
    text = account % (fakes.pick(random.Random(1), fakes.HEX, 40), body)
    assert [(f.type, f.line) for f in scan_text(text, "sa.json")] == [("gcp-service-account", 4)]


def test_credentials_inside_urls():
    pw = fakes.password(random.Random(2))
    text = f"DATABASE_URL=postgres://app:{pw}@db.acme-corp.net:5432/app\nREDIS=redis://user:${{REDIS_PASSWORD}}@cache:6379\n"
    assert [(f.type, f.line) for f in scan_text(text, ".env")] == [("url-credentials", 1)]


def test_pragma_allowlist_secret_on_the_line_or_the_line_before():
    token = fakes.github(random.Random(1))
    text = (
        f'a = "{token}"  # pragma: allowlist secret\n'
        f"# pragma: allowlist nextline secret\n"
        f'b = "{token}"\n'
        f'c = "{token}"\n'
    )
    assert [f.line for f in scan_text(text, "a.py")] == [4]


def test_findings_never_hold_the_value():
    r = random.Random(11)
    values = [fakes.anthropic(r), fakes.email(r), fakes.card(r), fakes.iban(r), fakes.password(r)]
    text = "\n".join(f"password = '{v}'" if i == 4 else f"x = '{v}'" for i, v in enumerate(values)) + "\n"
    findings = scan_text(text, "a.py")
    assert len(findings) == 5
    rendered = repr(findings)
    for value in values:
        assert value not in rendered
        assert value.replace(" ", "") not in rendered.replace(" ", "")


def test_scrub_replaces_pii_and_secrets_and_leaves_look_alikes_alone():
    r = random.Random(5)
    token, mail, card, iban = fakes.anthropic(r), fakes.email(r), fakes.card(r), fakes.iban(r, spaced=False)
    ssn, ip, phone = "-".join(("219", "45", "1234")), ".".join("8844"), " ".join(("+1", "415", "867", "5309"))
    text = (
        f"key {token}\nmail {mail}, ssn {ssn}, ip {ip}, phone {phone}\n"
        f"card {card} iban {iban}\n"
        "look-alikes: version 1.2.3.4, build 20260115.3, ssn 000-12-3456, card 4539 1488 0343 6468, "
        "iban DE00370400440532013000, host 192.168.1.20, doc 203.0.113.9, alice@example.com\n"
    )
    result = scrub(text)
    assert result.text == (
        "key [SECRET:anthropic-api-key]\nmail [EMAIL], ssn [SSN], ip [IP], phone [PHONE]\n"
        "card [CARD] iban [IBAN]\n" + text.splitlines(keepends=True)[-1]
    )
    assert [f.type for f in result.findings] == ["anthropic-api-key", "email", "ssn", "ip", "phone", "card", "iban"]
    assert all(isinstance(f, Finding) and f.file == "" for f in result.findings)


def test_scrub_of_clean_text_returns_it_unchanged():
    text = "Nothing personal here: refactor the parser and rerun the tests.\n"
    assert scrub(text) == (text, [])


def test_selecting_only_secrets_or_only_pii():
    text = f"token = '{fakes.github(random.Random(2))}'\nmail: {fakes.email(random.Random(2))}\n"
    assert [f.kind for f in scan_text(text, "a.py", pii=False)] == ["secret"]
    assert [f.kind for f in scan_text(text, "a.py", secrets=False)] == ["pii"]


def _modules_after(code: str) -> list[str]:
    probe = f"{code}\nimport sys, json\nprint(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'detect_secrets')))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.splitlines()[-1])


def test_clean_text_is_decided_by_the_prefilter_without_detect_secrets():
    clean = "Refactor the parser so that each rule reports its file and line.\n" * 160
    assert not has_candidate(clean)
    assert _modules_after(f"from attune.scan import scan_text\nassert scan_text({clean!r}, 'notes.md') == []") == []


def test_a_candidate_line_is_shown_to_detect_secrets_plugins():
    # A short Artifactory token has no detector of ours (issue 12 added the 73-character API key): only
    # detect-secrets' plugin knows it.
    value = "AK" + "C" + fakes.pick(random.Random(4), fakes.B62, 40)
    line = f'ARTIFACTORY = "{value}"\n'
    code = f"from attune.scan import scan_text\nprint([f.type for f in scan_text({line!r}, 'a.py')])"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "['artifactory-token']"
    assert _modules_after(code) != []


def test_a_five_megabyte_write_gets_a_verdict():
    r = random.Random(9)
    filler = "".join(f"def handler_{i}(event):\n    return event.get('payload', {{}})\n\n" for i in range(2000))
    blob = filler * 42
    assert len(blob) > 5_000_000
    token = fakes.stripe(r)
    findings = scan_text(blob + f"STRIPE = '{token}'\n", "big.py")
    assert [(f.type, f.line) for f in findings] == [("stripe-key", blob.count("\n") + 1)]


def test_scrubbed_text_scans_clean_again():
    """Drafts, memories and session records are scrubbed, then scanned again before they are written."""
    from tests.helpers import EMAIL, fake_secret

    text = f'API_KEY = "{fake_secret("anthropic")}"\nTOKEN = "{fake_secret("github")}"\nOWNER = "{EMAIL}"\n'
    once = scrub(text, "settings.py")
    assert len(once.findings) == 3
    assert scan_text(once.text, "settings.py") == []
    assert scrub(once.text).text == once.text


@pytest.mark.parametrize("kind", sorted(TOKENS))
@pytest.mark.parametrize(("before", "after"), [("我的密钥是", "请检查"), ("clé:", "é"), ("Schlüssel ü", "ü.")])
def test_a_token_glued_to_cjk_or_accented_letters_is_found(kind, before, after):
    # Token boundaries are ASCII: a CJK or accented letter right after a token ends it (issue 10).
    value = TOKENS[kind](random.Random(kind))
    findings = scan_text(f"{before}{value}{after}\n", pii=False)
    assert [(f.type, f.line) for f in findings] == [(kind, 1)]
    scrubbed = scrub(f"{before}{value}{after}", pii=False).text
    assert scrubbed.startswith(before) and scrubbed.endswith(after) and f"[SECRET:{kind}]" in scrubbed
    assert value.split("AccountKey=")[-1] not in scrubbed


def test_assignments_and_emails_glued_to_non_ascii_letters_are_found():
    secret, mail = fakes.generic_secret(random.Random(1)), fakes.email(random.Random(1))
    assert [f.type for f in scan_text(f"配置 api_key={secret}\n", "notes.txt")] == ["generic-secret"]
    assert [f.type for f in scan_text(f"联系{mail}谢谢\n", "notes.txt")] == ["email"]


def test_a_prompt_with_a_token_glued_to_chinese_text_is_blocked(repo, monkeypatch, capsys):
    import io

    from attune.cli import main

    token = fakes.github(random.Random("prompt"))
    monkeypatch.setenv("CLAUDE_PROJECT_DIR", str(repo))
    payload = {"session_id": "s", "cwd": str(repo), "hook_event_name": "UserPromptSubmit"}
    payload["prompt"] = f"我的密钥是{token}请检查"
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(payload)))
    assert main(["hook", "UserPromptSubmit"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out)["decision"] == "block" and token not in out


@pytest.mark.parametrize("cut", [100, 200, 262])
def test_a_private_key_cut_short_is_scrubbed_from_its_header_to_the_end(cut):
    # A message truncated at 300 characters loses the END line; the body must not survive scrub (issue 10).
    key = "\n".join(fakes.private_key(random.Random("cut"), "RSA "))
    text = ("error: could not load the deploy key:\n" + key)[: cut + 38]
    result = scrub(text, pii=False)
    assert result.text == "error: could not load the deploy key:\n[SECRET:private-key]"
    assert [(f.type, f.line) for f in result.findings] == [("private-key", 2)]


def test_a_key_cut_short_ends_where_the_next_key_begins():
    first = fakes.private_key(random.Random(1), "RSA ")
    second = fakes.private_key(random.Random(2), "EC ")
    text = "\n".join([*first[:3], *second, "after"]) + "\n"
    result = scrub(text, pii=False)
    assert result.text == "[SECRET:private-key]\n[SECRET:private-key]\nafter\n"
    assert [f.line for f in result.findings] == [1, 4]


def test_detect_secrets_sees_a_bounded_number_of_distinct_bounded_lines():
    # Every line used to go to detect-secrets: a 1 MB command took 19 s to judge (issue 10).
    from attune.scan.engine import scan_hits

    seen = []

    def detect(lines, filename):
        seen.append(list(lines))
        return []

    distinct = "".join(f"password reset code {i:030d}\n" for i in range(5000))
    repeated = "password reset code 123456789012345678901234567890\n" * 5000
    long_line = "password " + "x1" * 5000 + "\n"
    for text in (distinct, repeated, long_line):
        seen.clear()
        assert scan_hits(text, "notes.txt", detect=detect) == []
        lines = [line for call in seen for _, line in call]
        assert len(lines) <= 1000 and all(len(line) <= 1000 for line in lines) and sum(map(len, lines)) <= 50_000
        assert len(set(lines)) == len(lines)
    assert len(lines) == 0  # the long line is minified data: only our bounded detectors read it


@pytest.mark.parametrize(
    "text", ["--password=%s", "2FA_TOKEN=%s", "self.api_token = '%s'", "x-api-key: %s", "  db_password: %s"]
)
def test_assignment_names_start_where_a_name_can_start(text):
    value = fakes.generic_secret(random.Random(text))
    assert [f.kind for f in scan_text(text.replace("%s", value) + "\n", "settings.yaml")] == ["secret"]


def test_a_quoted_option_list_is_not_an_assignment():
    assert scan_text('main(["scan", "src", "--secrets", "--update-baseline"])\n', "test_cli.py") == []


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (lambda r: fakes.pick(r, fakes.HEX, 32) + "-us" + "12", "mailchimp-key"),
        (lambda r: "AK" + "C" + fakes.pick(r, fakes.B62, 40), "artifactory-token"),
        (lambda r: "sq0" + "csp-" + fakes.pick(r, fakes.B64URL, 43), "square-oauth-secret"),
    ],
)
def test_formats_only_detect_secrets_knows_still_reach_it(make, kind):
    value = make(random.Random(kind))
    assert [f.type for f in scan_text(f'VALUE = "{value}"\n', "a.py")] == [kind]
