"""The lines of the labeled corpus: credentials and personal data by type, hard negatives by category, and
filler code in each language. Every value comes from benchmarks/fakes.py at run time.
"""

from __future__ import annotations

import base64
import random
import string
from collections.abc import Callable
from typing import NamedTuple
from urllib.parse import quote

from benchmarks import corpus_pii, fakes

# fmt: off
WORDS = [
    "user", "account", "order", "invoice", "payment", "session", "cache", "queue", "worker", "retry", "timeout",
    "config", "client", "server", "request", "response", "handler", "router", "model", "schema", "record", "batch",
    "export", "import", "report", "metric", "event", "stream", "buffer", "parser",
]
# fmt: on


class Line(NamedTuple):
    text: str
    kind: str = ""  # "secret", "pii", "negative", or "" for filler
    label: str = ""  # the type (positives) or the category (negatives)


# Secrets: (type, value maker, the names a developer would give it)
SECRETS: dict[str, tuple[Callable[[random.Random], str], tuple[str, ...]]] = {
    "anthropic-api-key": (fakes.anthropic, ("ANTHROPIC_API_KEY", "anthropic_key", "llm_api_key")),
    "openai-api-key": (fakes.openai, ("OPENAI_API_KEY", "openai_key")),
    "github-token": (fakes.github, ("GITHUB_TOKEN", "GH_TOKEN", "github_pat")),
    "gitlab-token": (fakes.gitlab, ("GITLAB_TOKEN", "CI_JOB_TOKEN_OVERRIDE")),
    "google-api-key": (fakes.google, ("GOOGLE_API_KEY", "maps_api_key", "firebaseApiKey")),
    "azure-storage-key": (fakes.azure, ("AZURE_STORAGE_CONNECTION_STRING", "storage_connection")),
    "slack-token": (fakes.slack, ("SLACK_BOT_TOKEN", "slack_token")),
    "slack-webhook": (fakes.slack_webhook, ("SLACK_WEBHOOK_URL", "alerts_webhook")),
    "stripe-key": (fakes.stripe, ("STRIPE_SECRET_KEY", "stripe_api_key")),
    "twilio-api-key": (fakes.twilio, ("TWILIO_API_KEY", "twilio_key_sid")),
    "sendgrid-api-key": (fakes.sendgrid, ("SENDGRID_API_KEY", "mail_api_key")),
    "npm-token": (fakes.npm, ("NPM_TOKEN", "npm_auth_token")),
    "pypi-token": (fakes.pypi, ("PYPI_TOKEN", "TWINE_PASSWORD")),
    "vault-token": (fakes.vault, ("VAULT_TOKEN", "vault_token")),
    "shopify-token": (fakes.shopify, ("SHOPIFY_ACCESS_TOKEN", "shop_token")),
    "discord-bot-token": (fakes.discord, ("DISCORD_BOT_TOKEN", "discord_token")),
    "telegram-bot-token": (fakes.telegram, ("TELEGRAM_BOT_TOKEN", "tg_token")),
    "databricks-token": (fakes.databricks, ("DATABRICKS_TOKEN", "dbx_token")),
    "huggingface-token": (fakes.huggingface, ("HF_TOKEN", "hf_api_token")),
    "jwt": (fakes.jwt, ("SERVICE_JWT", "auth_token")),
    "aws-access-key": (fakes.aws_key_id, ("AWS_ACCESS_KEY_ID", "aws_key_id")),
    "aws-secret-key": (fakes.aws_secret, ("AWS_SECRET_ACCESS_KEY", "aws_secret_access_key")),
    "generic-secret": (fakes.generic_secret, ("SECRET_KEY", "client_secret", "api_key", "signingSecret", "auth_token")),
    "password": (fakes.password, ("DB_PASSWORD", "password", "smtp_password", "adminPassword")),
    "twilio-auth-token": (lambda r: fakes.pick(r, fakes.HEX, 32), ("TWILIO_AUTH_TOKEN", "twilio_auth_token")),
}
PII: dict[str, Callable[[random.Random], str]] = {
    "email": fakes.email,
    "phone": fakes.phone,
    "ssn": fakes.ssn,
    "card": fakes.card,
    "iban": fakes.iban,
    "ip": lambda r: fakes.public_ipv4(r) if r.random() < 0.7 else fakes.public_ipv6(r),
    **{label: kind.make for label, kind in corpus_pii.KINDS.items()},  # issue 12
}


def _sha(r: random.Random, size: int) -> str:
    return fakes.pick(r, fakes.HEX, size)


def _uuid(r: random.Random) -> str:
    h = _sha(r, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


# Hard negatives: category -> maker of (name, value-or-line). `None` name means a whole line, kept as is.
# fmt: off
NEGATIVES: dict[str, Callable[[random.Random], tuple[str | None, str]]] = {
    "aws-example": lambda r: r.choice(
        [("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"), ("aws_secret_access_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]
    ),
    "placeholder": lambda r: (
        r.choice(["api_key", "GITHUB_TOKEN", "password", "client_secret", "SECRET_KEY"]),
        r.choice(["YOUR_API_KEY", "<token>", "${API_TOKEN}", "xxxxxxxxxxxxxxxxxxxxxxxx", "changeme", "your-secret-here",
                  "<your-password>", "REPLACE_ME", "{{ vault_api_key }}", "ghp_" + "x" * 36, "sk-ant-api03-" + "X" * 93]),
    ),
    "env-reference": lambda r: (None, r.choice([
        'password = os.environ["DB_PASSWORD"]', "const token = process.env.GITHUB_TOKEN;",
        'token := os.Getenv("API_TOKEN")', "  password = var.db_password", 'api_key = os.getenv("API_KEY", "")',
        "export AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY", "SECRET_KEY=${SECRET_KEY:?missing}",
        "      password: ${{ secrets.DB_PASSWORD }}", "client_secret = settings.OAUTH_CLIENT_SECRET",
    ])),
    "function-value": lambda r: (None, r.choice([
        'password = get_password("db")', "secret = vault.read_secret(path)", "token = await fetchToken(session);",
        "api_key = load_api_key(config_path)", 'apiKey := mustGetSecret("stripe")', "  password = random_password.db.result",
    ])),
    "hash": lambda r: r.choice([
        ("sha256", _sha(r, 64)), ("password_hash", "$2b$12$" + fakes.pick(r, fakes.B62 + "./", 53)),
        ("checksum", "sha256:" + _sha(r, 64)), ("md5", _sha(r, 32)), ("content_digest", _sha(r, 64)),
    ]),
    "git-sha": lambda r: r.choice([("commit", _sha(r, 40)), ("rev", _sha(r, 40)), ("base_sha", _sha(r, 40))]),
    "uuid": lambda r: (r.choice(["request_id", "tenant_id", "session_token", "api_key_id", "client_id"]), _uuid(r)),
    "lockfile-integrity": lambda r: (None, r.choice([
        f'      "integrity": "sha512-{base64.b64encode(r.randbytes(64)).decode()}",',
        f"--hash=sha256:{_sha(r, 64)}",
        f'checksum = "{_sha(r, 64)}"',
        f"github.com/acme/{r.choice(WORDS)} v1.{r.randrange(9)}.0 h1:{base64.b64encode(r.randbytes(32)).decode()}",
    ])),
    "image-data": lambda r: (
        None, f'<img alt="logo" src="data:image/png;base64,iVBORw0KGgo{base64.b64encode(r.randbytes(300)).decode()}">'
    ),
    "minified-code": lambda r: (None, _minified(r)),
    "test-identifier": lambda r: (None, r.choice([
        "def test_rotates_expired_api_token_after_password_reset():",
        'it("rejects a stale session token and asks for the password again", async () => {',
        "func TestSecretStoreRejectsEmptyPassword(t *testing.T) {",
        "class TestPrivateKeyLoaderWithPassphrase(unittest.TestCase):",
    ])),
    "jwt-sample": lambda r: (
        "sample_token",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5"
        "MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    ),
    "key-header-mention": lambda r: (None, 'if b"-----BEGIN RSA PRIVATE KEY-----" in blob: raise ValueError("no keys")'),
    "public-key": lambda r: (None, f"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{fakes.pick(r, fakes.B62, 43)} deploy@ci"),
    # personal-data look-alikes
    "example-email": lambda r: (None, f"Contact {r.choice(['alice', 'bob', 'ops'])}@example.{r.choice(['com', 'org'])}"),
    "version-string": lambda r: (None, f"__version__ = '{r.randrange(1, 9)}.{r.randrange(20)}.{r.randrange(20)}.{r.randrange(99)}'"),
    "order-number": lambda r: (None, f"Order #{r.randrange(10**8, 10**9)} (invoice INV-2026-{r.randrange(10**5, 10**6)})"),
    "timestamp": lambda r: (None, f"2026-0{r.randrange(1, 9)}-1{r.randrange(9)}T10:3{r.randrange(9)}:00Z epoch {r.randrange(1_700_000_000, 1_800_000_000)}"),
    "build-id": lambda r: (None, f"build {r.randrange(2024, 2027)}{r.randrange(1, 13):02d}{r.randrange(1, 28):02d}.{r.randrange(9)} run_id={r.randrange(10**9, 10**10)}"),
    "invalid-checksum": lambda r: (None, _invalid(r)),
    "private-ip": lambda r: (None, f"upstream {r.choice(['10.0.3.17', '192.168.1.20', '172.16.8.4', '127.0.0.1', '169.254.169.254', '100.64.2.9'])}:8080"),
    "documentation-ip": lambda r: (None, f"example host {r.choice(['192.0.2.15', '198.51.100.7', '203.0.113.99', '2001:db8::8a2e:370:7334'])}"),
    **corpus_pii.NEGATIVES,  # issue 12
}
# fmt: on


def _minified(r: random.Random) -> str:
    parts = [
        f"function {fakes.pick(r, string.ascii_lowercase, 1)}({fakes.pick(r, 'abcdefn', 1)}){{return "
        f"{fakes.pick(r, 'abcdefn', 1)}.token||{fakes.pick(r, 'abcdefn', 1)}.apiKey}}"
        if i % 7 == 0
        else f"var {fakes.pick(r, string.ascii_letters, 2)}={fakes.pick(r, string.ascii_letters, 1)}"
        f"({fakes.pick(r, string.ascii_letters, 1)},{r.randrange(999)});"
        for i in range(60)
    ]
    return "".join(parts) + 'headers:{"Authorization":"Bearer "+t,"X-Password-Policy":n.policy}'


def _invalid(r: random.Random) -> str:
    number = fakes.card_number(r)
    bad_card = number[:-1] + str((int(number[-1]) + 1) % 10)
    good_iban = fakes.iban(r, spaced=False)
    bad_iban = good_iban[:2] + f"{(int(good_iban[2:4]) + 1) % 100:02d}" + good_iban[4:]
    return r.choice([f"card {bad_card}", f"iban {bad_iban}", f"ssn {r.choice(['000', '666', '912'])}-12-3456"])


# How each language writes `name = value`, a comment, and a filler line.
def _filler_py(r: random.Random) -> str:
    w = r.choice(WORDS)
    return r.choice([
        f"def load_{w}(path, retries={r.randrange(5)}):", f"    return [{w} for {w} in items if {w}.ready]",
        f"    logger.info('processed %d {w}s', count)", f"from app.{w} import {w.title()}Service", "",
        f"    if not {w}:\n        raise ValueError('missing {w}')", f"{w.upper()}_LIMIT = {r.randrange(10, 5000)}",
        f"# {w} handling: keep this in sync with the {r.choice(WORDS)} module", f"class {w.title()}Repository(Base):",
    ])  # fmt: skip


def _filler_js(r: random.Random) -> str:
    w = r.choice(WORDS)
    return r.choice([
        f"export async function fetch{w.title()}(id) {{", f"  const {w} = await api.get(`/v1/{w}s/${{id}}`);",
        f"  return {w}.items.map((x) => x.id);", "}", "", f"import {{ {w}Schema }} from './{w}';",
        f"// {w}: retried {r.randrange(2, 6)} times before giving up", f"const MAX_{w.upper()} = {r.randrange(10, 900)};",
    ])  # fmt: skip


def _filler_go(r: random.Random) -> str:
    w = r.choice(WORDS)
    return r.choice([
        f"func ({w[0]} *{w.title()}) Close() error {{", f"\tif err := {w[0]}.conn.Close(); err != nil {{",
        "\t\treturn err", "\t}", "}", "", f"// {w.title()} keeps the state of one {w}.", f'\t"{r.choice(WORDS)}"',
    ])  # fmt: skip


def _filler_yaml(r: random.Random) -> str:
    w = r.choice(WORDS)
    return r.choice([
        f"{w}:", f"  replicas: {r.randrange(1, 9)}", f"  image: ghcr.io/acme/{w}:1.{r.randrange(30)}.{r.randrange(9)}",
        f"  timeout: {r.randrange(5, 120)}s", f"# {w} settings", f"  - name: {w}", f"    port: {r.randrange(3000, 9000)}",
    ])  # fmt: skip


def _filler_conf(r: random.Random) -> str:
    w = r.choice(WORDS)
    return r.choice([f"{w.upper()}_HOST=localhost", f"{w.upper()}_PORT={r.randrange(3000, 9000)}", f"# {w}", "",
                     f"LOG_LEVEL={r.choice(['info', 'debug', 'warn'])}", f"{w.upper()}_ENABLED=true"])  # fmt: skip


def _filler_md(r: random.Random) -> str:
    w = r.choice(WORDS)
    return r.choice([
        f"## {w.title()}", f"The {w} module retries each {r.choice(WORDS)} up to {r.randrange(2, 6)} times.", "",
        f"- `{w}`: see the {r.choice(WORDS)} guide", f"Run `make {w}` before opening a pull request.",
    ])  # fmt: skip


def _filler_json(r: random.Random) -> str:
    w = r.choice(WORDS)
    return r.choice([f'  "{w}": {{', f'    "{r.choice(WORDS)}_count": {r.randrange(1000)},', '    "enabled": true,',
                     f'    "{w}_url": "https://api.acme-corp.net/v2/{w}s",', "  },"])  # fmt: skip


def _filler_docker(r: random.Random) -> str:
    w = r.choice(WORDS)
    return r.choice([f"RUN pip install --no-cache-dir {w}-client==2.{r.randrange(9)}.{r.randrange(9)}", f"COPY {w}/ /app/{w}/",
                     f"ENV {w.upper()}_PORT={r.randrange(3000, 9000)}", f"EXPOSE {r.randrange(3000, 9000)}", "WORKDIR /app"])  # fmt: skip


class Language(NamedTuple):
    suffixes: tuple[str, ...]
    filler: Callable[[random.Random], str]
    assign: Callable[[str, str], str]  # name, value -> line
    comment: str


LANGUAGES = {
    "py": Language((".py",), _filler_py, lambda n, v: f'{n} = "{v}"', "#"),
    "js": Language((".js", ".ts"), _filler_js, lambda n, v: f'const {n} = "{v}";', "//"),
    "go": Language((".go",), _filler_go, lambda n, v: f'\t{n} := "{v}"', "//"),
    "yaml": Language((".yaml", ".yml"), _filler_yaml, lambda n, v: f'  {n}: "{v}"', "#"),
    "env": Language((".env",), _filler_conf, lambda n, v: f"{n}={v}", "#"),
    "ini": Language((".ini", ".cfg"), _filler_conf, lambda n, v: f"{n} = {v}", ";"),
    "toml": Language((".toml",), _filler_conf, lambda n, v: f'{n} = "{v}"', "#"),
    "tf": Language((".tf",), _filler_go, lambda n, v: f'  {n} = "{v}"', "#"),
    "json": Language((".json",), _filler_json, lambda n, v: f'  "{n}": "{v}",', ""),
    "sh": Language((".sh",), _filler_conf, lambda n, v: f"export {n}='{v}'", "#"),
    "docker": Language(("Dockerfile",), _filler_docker, lambda n, v: f"ENV {n}={v}", "#"),
    "md": Language((".md",), _filler_md, lambda n, v: f"Set `{n}` to `{v}` in CI.", ""),
}


def secret_lines(r: random.Random, lang: Language, kind: str) -> list[Line]:
    if kind in ("private-key", "gcp-service-account"):
        key = fakes.private_key(r, None if kind == "private-key" else "")
        if kind == "gcp-service-account":
            body = "\\n".join(key)
            return [Line(f'  "private_key": "{body}\\n",', "secret", kind)]
        return [Line(key[0], "secret", kind), *(Line(k) for k in key[1:])]
    if kind == "url-credentials":
        url = f"postgres://app:{quote(fakes.password(r), safe='')}@db-{r.randrange(9)}.acme-corp.net:5432/{r.choice(WORDS)}"
        return [Line(lang.assign("DATABASE_URL", url), "secret", kind)]
    maker, names = SECRETS[kind]
    return [Line(lang.assign(r.choice(names), maker(r)), "secret", kind)]


def pii_line(r: random.Random, lang: Language, kind: str) -> Line:
    if kind in corpus_pii.KINDS:
        return Line(corpus_pii.line(r, lang.comment, lang.assign, kind), "pii", kind)
    value = PII[kind](r)
    forms = [
        f"{lang.comment} contact: {value}" if lang.comment else f"Contact: {value}",
        lang.assign(f"customer_{kind}", value),
    ]
    return Line(r.choice(forms), "pii", kind)


def negative_line(r: random.Random, lang: Language, category: str) -> Line:
    name, value = NEGATIVES[category](r)
    return Line(value if name is None else lang.assign(name, value), "negative", category)


SECRET_KINDS = (*SECRETS, "private-key", "gcp-service-account", "url-credentials")
