"""Which names hold a secret: `DB_PASSWORD`, `apiKey`, `dd_app_key`, `heroku_auth`, but not `password_hash`."""

from __future__ import annotations

import functools
import itertools

from attune.scan import noise

_ascii = noise.ascii_regex  # ASCII \w, \d and \b (issue 10)

# A secret name holds one of these (any case); assign.py looks only at the names that do (issue 15).
HINTS = ("pass", "pwd", "secret", "token", "key", "credential", "bearer", "auth", "cred", "pat", "psk")
NAME_HINT = _ascii("(?i)" + "|".join(HINTS))
_WORDS = _ascii(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
# The last word of a name that holds something other than the secret itself.
_NOT_SECRET = frozenset((
    "hash", "hashed", "sha", "sha1", "sha256", "digest", "checksum", "id", "ids", "name", "names", "type", "types",
    "url", "uri", "urls", "path", "file", "filename", "arn", "length", "len", "field", "fields", "prompt", "label",
    "env", "var", "header", "endpoint", "ttl", "expiry", "expires", "expiration", "count", "max", "min", "version",
    "format", "regex", "pattern", "placeholder", "hint", "description", "policy", "scope", "scopes", "prefix",
    "suffix", "mode", "enabled", "required", "size", "timeout", "location", "provider", "store", "manager", "service",
    "class", "param", "ref", "refs", "tokens", "tokenizer", "tokenize", "file_path", "lifetime", "algorithm", "algo",
    "kind", "salt", "rounds", "strength", "reset", "question", "template", "key_id", "query", "column", "table",
    "user", "username", "login", "email", "method", "methods", "host", "hosts", "server", "domain", "realm",
    "dir", "directory", "enable", "disabled", "flag", "type_", "level", "status", "state", "mechanism", "plugin",
    "error", "errors", "message", "handler", "callback", "middleware", "module", "config", "options", "settings",
    "backend", "strategy", "schema", "scheme", "date", "time", "at", "on", "by", "index", "idx", "num", "number",
    "units", "unit", "validity", "spec", "specs", "signature", "sig", "duration", "interval", "seconds", "minutes",
    "hours", "days", "uri", "arns",
))  # fmt: skip
_HASHED = frozenset(("hash", "hashed", "digest", "checksum", "sha", "sha1", "sha256", "fingerprint", "public"))
# A fixture that says what it is is not a leak (issue 12); prefixed tokens are still found by their format.
_FIXTURE = frozenset(("test", "tests", "testing", "fake", "dummy", "mock", "mocked", "example", "sample", "stub",
                      "fixture", "fixtures", "placeholder", "invalid", "wrong", "bad", "expired"))  # fmt: skip
_SECRET_WORDS = ("password", "passwd", "passphrase", "pwd", "pass", "secret", "token", "apikey", "credential",
                 "credentials", "creds", "bearer")  # fmt: skip
# `<word> key` names a key that is a secret; `primary key`, `sort key` and `cache key` are not.
_KEY_PAIRS = frozenset((
    "api", "access", "private", "auth", "client", "signing", "encryption", "master", "account", "session", "secret",
    "app", "application", "license", "licence", "admin", "write", "read", "deploy", "consumer", "management",
    "ingest", "ingestion", "integration", "webhook", "shared", "sdk", "live", "prod", "production", "rest",
    "secure", "crypt", "encrypt", "hmac", "jwt", "aes", "cipher", "storage", "subscription", "partner", "merchant",
    "developer", "dev", "project", "personal", "mobile", "browser", "server", "service", "org", "team", "bot",
    "user", "sign", "decrypt", "decryption", "symmetric", "otp", "totp", "mfa", "ssh", "gpg", "pgp", "rsa",
))  # fmt: skip
# Providers whose keys and tokens carry no prefix: `<provider> key`, `<provider>_auth`, `<provider>_api` bound to
# a random value are secrets (issue 12: Heroku and Datadog keys under their usual names). The bare provider name
# is not: `aws:` in every ARN.
PROVIDERS = frozenset((
    "heroku", "datadog", "dd", "sendgrid", "mailgun", "mailchimp", "mandrill", "postmark", "sparkpost", "twilio",
    "nexmo", "vonage", "plivo", "messagebird", "algolia", "mapbox", "cloudflare", "cf", "digitalocean", "linode",
    "vultr", "okta", "auth0", "sentry", "newrelic", "nr", "pagerduty", "opsgenie", "segment", "mixpanel",
    "amplitude", "intercom", "zendesk", "freshdesk", "hubspot", "salesforce", "pipedrive", "airtable", "notion",
    "asana", "jira", "atlassian", "confluence", "trello", "linear", "clickup", "monday", "figma", "contentful",
    "netlify", "vercel", "fastly", "rollbar", "bugsnag", "honeycomb", "grafana", "splunk", "elastic", "logdna",
    "loggly", "papertrail", "launchdarkly", "snyk", "sonar", "circleci", "travis", "buildkite", "codecov",
    "coveralls", "pulumi", "doppler", "snowflake", "mongodb", "supabase", "firebase", "pusher", "ably", "stream",
    "agora", "zoom", "webex", "dropbox", "box", "cloudinary", "imgix", "shippo", "easypost", "plaid", "braintree",
    "paypal", "adyen", "mollie", "razorpay", "paystack", "flutterwave", "coinbase", "binance", "kraken", "etherscan",
    "infura", "alchemy", "moralis", "openai", "cohere", "mistral", "groq", "replicate", "pinecone", "weaviate",
    "huggingface", "hf", "deepl", "rapidapi", "twitter", "facebook", "fb", "linkedin", "instagram", "youtube",
    "spotify", "discord", "telegram", "slack", "teams", "github", "gitlab", "bitbucket", "gitea", "npm", "pypi",
    "rubygems", "nuget", "docker", "dockerhub", "quay", "jfrog", "artifactory", "nexus", "sonatype", "azure", "aws",
    "gcp", "google", "alibaba", "aliyun", "tencent", "yandex", "ovh", "scaleway", "hetzner", "backblaze", "b2",
    "wasabi", "minio", "rabbitmq", "kafka", "confluent", "redis", "postgres", "mysql", "mssql", "oracle", "ldap",
    "smtp", "imap", "ftp", "sftp", "vault", "consul", "nomad", "terraform", "tfe", "atlas", "stripe", "square",
    "shopify", "woocommerce", "magento", "bigcommerce", "klaviyo", "typeform", "surveymonkey", "calendly", "zapier",
    "ifttt", "sendinblue", "brevo", "mailjet", "resend", "loops", "posthog", "heap", "fullstory", "hotjar",
    "clerk", "stytch", "workos", "onelogin", "pingidentity", "keycloak", "jumpcloud", "duo", "lastpass", "onepassword",
))  # fmt: skip
_EXACT = frozenset(("auth", "oauth", "psk", "pw", "passwd", "pword"))  # not `pat`: mostly a pattern in code
_NOT_PASS = frozenset(("bypass", "compass", "encompass", "surpass", "passthrough", "passive"))
# `<word> token` that is handed out in the open: pagination cursors, CSRF form fields, idempotency keys.
_OPEN_TOKENS = frozenset(("next", "starting", "start", "page", "pagination", "paging", "continuation", "cursor",
                          "sync", "resume", "csrf", "xsrf", "idempotency", "request", "marker", "bookmark", "cancel",
                          "cancellation", "lexer", "parser", "syntax", "end", "eof", "change"))  # fmt: skip
_API_KEY = _ascii(r"api[_.-]?key$")  # many APIs issue UUIDs as keys: `X-Api-Key: <uuid>`, `apiKey`
_PROVIDER_ENDS = frozenset(("key", "keys", "api", "apikey", "token", "secret", "auth", "pat", "app", "license"))


@functools.lru_cache(maxsize=4096)
def secret_name(name: str) -> str | None:
    """The finding type for a secret-sounding name, or None. Cached: a text repeats its names (issue 10)."""
    if not NAME_HINT.search(name):
        return None  # no secret word and no `key`: the common case, decided without splitting the name
    words = [w.lower() for w in _WORDS.findall(name)]
    if not words or words[-1] in _NOT_SECRET or "_".join(words[-2:]) in _NOT_SECRET or _HASHED.intersection(words):
        return None
    if _FIXTURE.intersection(words) or _NOT_PASS.intersection(words):
        return None
    if words[-1] in ("token", "tokens") and _OPEN_TOKENS.intersection(words):
        return None
    joined = "".join(words)
    providers = PROVIDERS.intersection(words)
    if not (
        any(w.endswith(_SECRET_WORDS) or w.startswith(("password", "secret")) or w in _EXACT for w in words)
        or any((a in _KEY_PAIRS or a in providers) and b in ("key", "keys") for a, b in itertools.pairwise(words))
        or (providers and words[-1] in _PROVIDER_ENDS)
    ):
        return None
    if "aws" in words and "secret" in joined:
        return "aws-secret-key"
    if "twilio" in words and "auth" in words:
        return "twilio-auth-token"
    if any(w.startswith(("pass", "pwd")) or w.endswith(("password", "passwd", "pwd")) for w in words):
        return "password"
    return "generic-secret"


# What a syntax names by position rather than by word: SQL's IDENTIFIED BY, curl -u user:pass, mysql -p.
POSITIONAL = "positional_password"


def allows_uuid(name: str) -> bool:
    """Heroku API keys are UUIDs: under a Heroku name, or where only a password can stand, a UUID is the secret."""
    lower = name.lower()
    return "heroku" in lower or name == POSITIONAL or _API_KEY.search(lower) is not None
