"""Secrets without a prefix, bound to a secret-sounding name in each syntax (issue 12), and what stays clean."""

from __future__ import annotations

import base64

import pytest

from attune.scan import scan_text

# Built at run time, so that this file's own lines hold no secret (the repository scans itself).
V = "q7Xv2LpR" + "9sKd4TbW8mZc"  # a generated key
P = "Tr0ub4" + "dor&3xY"  # a chosen password
UUID = "8f14e45f-" + "ceea-467a-9af7-4f1e3b2c9d0a"
HEX40 = "3f9a8c7d6e5b4a39" + "281706f5e4d3c2b1a0f9e8d7"
BASIC = base64.b64encode(f"admin:{P}".encode()).decode()

FOUND = {
    "shell-export": (".env", f"export API_TOKEN={V}"),
    "dotenv-heroku-uuid": (".env", f"HEROKU_API_KEY={UUID}"),
    "dotenv-datadog-app-key": (".env", f"DD_APP_KEY={HEX40}"),
    "dockerfile-env-space": ("Dockerfile", f"ENV DB_PASSWORD {P}"),
    "dockerfile-arg": ("Dockerfile", f"ARG NPM_TOKEN={V}"),
    "yaml-block": ("a.yaml", f"password: {P}"),
    "yaml-flow": ("a.yaml", f"db: {{user: app, password: {P}}}"),
    "yaml-next-line": ("a.yaml", f"  password:\n    {P}"),
    "yaml-folded": ("a.yaml", f"  password: >-\n    {P}"),
    "json": ("a.json", f'{{"apiKey": "{V}"}}'),
    "toml": ("a.toml", f'secret_key = "{V}"'),
    "ini": ("a.ini", f"password = {P}"),
    "properties": ("a.properties", f"db.password={P}"),
    "properties-colon": ("a.properties", f"spring.datasource.password: {P}"),
    "xml-element": ("a.xml", f"<password>{P}</password>"),
    "xml-element-next-line": ("a.xml", f"<apiKey>\n   {V}\n</apiKey>"),
    "xml-add-key-value": ("web.config", f'<add key="ApiKey" value="{V}" />'),
    "xml-property": ("pom.xml", f'<property name="password" value="{P}"/>'),
    "xml-attribute": ("a.xml", f'<connection password="{P}" user="x"/>'),
    "xml-entry-text": ("a.xml", f'<entry key="auth.token">{V}</entry>'),
    "hcl": ("main.tf", f'  password = "{P}"'),
    "python": ("a.py", f'API_KEY = "{V}"'),
    "python-keyword-argument": ("a.py", f'client = Client(api_key="{V}")'),
    "typescript-annotated": ("a.ts", f'const apiToken: string = "{V}";'),
    "go-struct-literal": ("a.go", f'cfg := Config{{Password: "{P}"}}'),
    "go-struct-field": ("a.go", f'\tAPIKey:   "{V}",'),
    "java": ("A.java", f'private static final String SECRET = "{V}";'),
    "kotlin": ("a.kt", f'val apiKey: String = "{V}"'),
    "csharp": ("a.cs", f'var password = "{P}";'),
    "csharp-indexer": ("a.cs", f'config["ApiKey"] = "{V}";'),
    "ruby": ("a.rb", f'config.api_key = "{V}"'),
    "ruby-hash-rocket": ("a.rb", f':password => "{P}",'),
    "php": ("a.php", f'$password = "{P}";'),
    "php-append": ("a.php", f'$auth .= "{V}";'),
    "php-array": ("a.php", f"'db_password' => '{P}',"),
    "makefile-conditional": ("Makefile", f"API_TOKEN ?= {V}"),
    "makefile-simple": ("Makefile", f"PASSWORD := {P}"),
    "makefile-posix": ("Makefile", f"SECRET ::= {V}"),
    "sql-identified-by": ("a.sql", f"CREATE USER app IDENTIFIED BY '{P}';"),
    "sql-with-password": ("a.sql", f"ALTER ROLE app WITH PASSWORD '{P}';"),
    "log-key-value": ("a.log", f"2024-05-01 12:00:01 INFO login user=bob password={P} ok"),
    "log-colon": ("a.log", f"[auth] token: {V}"),
    "mysql-p": ("a.sh", f"mysql -u root -p{P} db"),
    "curl-u": ("a.sh", f"curl -u admin:{P} https://x.io"),
    "flag-space": ("a.sh", f"app --password {P} --verbose"),
    "flag-equals": ("a.sh", f"app --api-key={V}"),
    "header-basic": ("a.sh", f'curl -H "Authorization: Basic {BASIC}" x'),
    "header-api-key": ("a.sh", f'curl -H "X-Api-Key: {V}" x'),
    "header-token-scheme": ("a.http", f"Authorization: Token {V}"),
    "rust-const": ("a.rs", f'const API_KEY: &str = "{V}";'),
    "powershell-env": ("a.ps1", f'$env:API_KEY = "{V}"'),
    "ini-auth": ("a.cfg", f"auth = {V}"),
    "swift": ("a.swift", f'let apiKey = "{V}"'),
    "camel-case-key": ("a.properties", f"app.signingKey: {V}"),
    "csharp-auto-property": ("A.cs", f'    public string ApiToken {{ get; set; }} = "{V}";'),
    "java-setter": ("A.java", f'        ds.setPassword("{P}");'),
    "builder-call": ("A.kt", f'    .apiKey("{V}")'),
    "hex-password": ("a.sql", f"ALTER ROLE app WITH PASSWORD '{HEX40}';"),
    "uuid-password": ("a.sh", f"curl -u deploy:{UUID} https://ci.example.net"),
    "makefile-bang-value": ("Makefile", f"PASSWORD := !{P}"),
    "httpie-user": ("a.sh", f"http --user admin:{P} https://x.io"),
    "redis-cli-a": ("a.sh", f"redis-cli -a {P} ping"),
    "sshpass-p": ("a.sh", f"sshpass -p {P} ssh deploy@host"),
    "sql-set-password": ("a.sql", f"SET PASSWORD = PASSWORD('{P}');"),
    "personal-access-token": (".env", f"GITLAB_PAT={V}"),
    "batch-set": ("a.bat", f"set API_KEY={V}"),
    "compose-environment": ("compose.yml", f"      - POSTGRES_PASSWORD={P}"),
    "markdown-prose": ("a.md", f"Set `API_TOKEN` to `{V}` in CI."),
    "xml-cdata": ("a.xml", f"<password><![CDATA[{P}]]></password>"),
    "single-dash-flag": ("a.sh", f"keytool -genkey -storepass {P} -alias app"),
    "openssl-passout": ("a.sh", f"openssl pkcs12 -export -passout pass:{P} -out x.p12"),
    "docker-login": ("a.sh", f"docker login -u bot -p {P} registry.example.net"),
    "htpasswd-batch": ("a.sh", f"htpasswd -b .htpasswd admin {P}"),
    "nginx-header": ("nginx.conf", f'proxy_set_header Authorization "Basic {BASIC}";'),
    "terraform-variable-default": ("main.tf", f'variable "db_password" {{\n  type    = string\n  default = "{P}"\n}}'),
    "python-auth-tuple": ("a.py", f'r = requests.get(url, auth=("admin", "{P}"))'),
    "smtp-login": ("a.py", f'server.login(user, "{P}")'),
    "clojure-keyword": ("a.clj", f'{{:api-key "{V}"}}'),
    "letters-and-slash-key": ("A.java", 'String SIGNING_KEY = "uBLCkLPFysqJtJpVWhQl' + 'guPyKmmtUXNyqsdhpN/I";'),
    "base64-starting-with-slash": (
        "a.json",
        '"AWS_SECRET_ACCESS_KEY": "/HJQTCOCnjAIXoU4djb4D' + 'qxOWXUM240MEA5/9fUf",',
    ),
    "basic-uuid-password": ("a.http", "Authorization: Basic " + base64.b64encode(f"deploy:{UUID}".encode()).decode()),
    "letters-only-key": (".env", "CLIENT_SECRET=" + "xSzyhYxOZh" + "VgDiSF"),
    "uuid-api-key-header": ("a.sh", f'curl -H "X-Api-Key: {UUID}" https://api.example.net'),
    "hex-key-low-entropy": ("a.py", '"mailgun_api_key": "0ad01a53037c' + 'faaf03350cb1acfbacc2",'),
    "yaml-hash-inside-value": ("a.yaml", f"  password:\n    {P}#x1"),
}

CLEAN = {
    "env-reference": (".env", "export API_TOKEN=${API_TOKEN}"),
    "placeholder": (".env", "API_TOKEN=<your-token>"),
    "helm-template": ("a.yaml", "password: {{ .Values.db.password }}"),
    "yaml-nested-mapping": ("a.yaml", "password:\n  valueFrom:\n    secretKeyRef: x"),
    "yaml-list": ("a.yaml", "token:\n  - read\n  - write"),
    "os-environ": ("a.py", 'password = os.environ["DB_PASSWORD"]'),
    "call": ("a.py", "password = get_password()"),
    "percent-format": ("a.py", 'conn = "%(password)s" % cfg'),
    "process-env": ("a.js", "const token = process.env.API_TOKEN;"),
    "test-fixture": ("a.py", f'test_password = "{P}"'),
    "fake-fixture": ("a.py", f'FAKE_API_KEY = "{V}"'),
    "hash": ("a.py", 'password_hash = "5f4dcc3b5aa765d61d8327deb882cf99"'),
    "uuid": ("a.py", f'session_token = "{UUID}"'),
    "xml-property-reference": ("a.xml", '<property name="password" value="${jdbc.password}"/>'),
    "xml-url": ("a.xml", "<tokenEndpoint>https://x.io/token</tokenEndpoint>"),
    "sql-placeholder": ("a.sql", "ALTER USER app IDENTIFIED BY '<password>';"),
    "sql-bind": ("a.sql", "CREATE USER app IDENTIFIED BY :password;"),
    "mysql-env": ("a.sh", "mysql -u root -p$MYSQL_PWD db"),
    "mysql-prompt": ("a.sh", "mysql -u root -p db"),
    "curl-variables": ("a.sh", "curl -u $USER:$PASS https://x.io"),
    "flag-file": ("a.sh", "app --password-file /run/secrets/db"),
    "header-variable": ("a.sh", 'curl -H "Authorization: Bearer $TOKEN" x'),
    "header-basic-weak": ("a.sh", 'curl -H "Authorization: Basic dXNlcjpwYXNzd29yZA==" x'),
    "go-field-reference": ("a.go", "Password: cfg.Password,"),
    "makefile-shell": ("Makefile", "TOKEN ?= $(shell cat token.txt)"),
    "php-variable": ("a.php", "$password .= $suffix;"),
    "hcl-variable": ("main.tf", "password = var.db_password"),
    "kotlin-build-config": ("a.kt", "val apiKey: String = BuildConfig.API_KEY"),
    "csharp-environment": ("a.cs", 'var password = Environment.GetEnvironmentVariable("DB_PASSWORD");'),
    "log-without-secret": ("a.log", "2024-05-01 INFO token refreshed for user=bob expires=3600"),
    "primary-key": ("a.py", "primary_key = 'a8f5f167f44f4964e6c998dee827110c'"),
    "cache-key": ("a.py", "cache_key = 'a8f5f167f44f4964e6c998dee827110c'"),
    "auth-method": ("a.py", "auth_method = 'oauth2_client_credentials'"),
    "regex-value": ("a.py", r'_URL_CREDENTIALS = r"^[A-Za-z][A-Za-z0-9+.\-]*://[^:/@\s]*:([^@\s/]+)@"'),
    "heroku-app-name": (".env", "HEROKU_APP=my-shop-staging"),
    "setter-with-call": ("A.java", '        ds.setPassword(System.getenv("DB_PASSWORD"));'),
    "setter-placeholder": ("A.java", '        ds.setPassword("changeme");'),
    "hash-call": ("a.py", f'    digest = hasher.hashPassword("{P}")'),
    "log-call": ("a.py", '    logger.info("token refreshed for %s", user)'),
    "csharp-property-reference": (
        "A.cs",
        '    public string ApiToken { get; set; } = Environment.GetEnvironmentVariable("T");',
    ),
    "yaml-anchor": ("a.yaml", f"  password: &{P}"),
    "path-not-pat": ("a.env", f"PATH_PATTERN={V}"),
    "redis-cli-variable": ("a.sh", "redis-cli -a $REDIS_PASSWORD ping"),
    "compiler-flags": ("a.sh", "gcc -O2 -o app main.c -lpthread"),
    "docker-login-variable": ("a.sh", "docker login -u bot -p $TOKEN registry.example.net"),
    "terraform-variable-without-default": (
        "main.tf",
        'variable "db_password" {\n  type      = string\n  sensitive = true\n}',
    ),
    "terraform-other-variable": ("main.tf", 'variable "region" {\n  default = "eu-west-1b2c3d4Xyz"\n}'),
    "auth-tuple-variables": ("a.py", "r = requests.get(url, auth=(user, password))"),
    "login-environment": ("a.py", 'server.login(user, os.environ["SMTP_PASSWORD"])'),
    "connect-host": ("a.py", 'db.connect(host, "localhost")'),
    "clojure-env": ("a.clj", "{:api-key (env :api-key)}"),
    "cdata-reference": ("a.xml", "<password><![CDATA[${db.password}]]></password>"),
    "argparse-flag": ("a.py", 'parser.add_argument("-p", "--password", help="the password")'),
    "clojure-fixture": ("a.edn", f'{{:test-password "{P}"}}'),
    "identifier-letters": ("a.py", 'token_kind = "ProcessRecordsCountHandler"'),
    "camel-identifier-under-secret-name": ("a.py", 'secret_key = "getUserAccountSettings"'),
    "uuid-under-session-token": ("a.py", f'session_token = "{UUID}"'),
    # From real code that nobody labeled (the standard library and site-packages, issue 12).
    "list-of-names": ("a.py", '__all__ = ["OAuth2Auth", "OAuth2ClientAuth", "AsyncOAuth2Client"]'),
    "arn-path": (
        "a.rst",
        "--connector arn:aws:secretsmanager:us-west-2:123456789012:secret:app-TwilioAuthToken-ntSlp6",
    ),
    "cloudformation-type": ("a.py", '    "AWS::ApiGateway::ApiKey": "48205d4ffd7feba3",'),
    "pagination-token": ("a.rst", "  --starting-token abCDeFGhiJKlmnOPqrSTuvwxYZ1aBCdEFghijK7LM51nOpqRSTuv3WxY3ZabC5d"),
    "key-spec-constant": ("a.json", '  "CustomerMasterKeySpec": "ECC_NIST_P521",'),
    "pattern-constant": (
        "a.py",
        'UNRESERVED_PAT = r"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-~"',
    ),
    "colon-identifier": ("a.py", '_SAR_APP_KEY = "serverlessrepo:applicationId"'),
    "bypass-call": ("a.py", "proxy_bypass_environment('anotherdomain.com:8888')"),
    "setting-as-value": ("a.sh", "  --software-token-mfa-configuration Enabled=true"),
    "constant-as-value": ("a.sh", '  --explicit-auth-flows "ALLOW_ADMIN_USER_PASSWORD_AUTH" "ALLOW_CUSTOM_AUTH"'),
    "words-as-value": ("a.sh", "  --auth-type BASIC_AUTH --token my-Bitbucket-password --username me"),
    "path-under-secret-name": ("a.env", "SECRET_FILE_DIR=/var/lib/app/secrets2/current"),
    "token-path": ("a.yaml", "token: /run/secrets/kubernetes.io/serviceaccount/token"),
    "self-describing-value": ("a.py", "waited = [('password', 'yh^%#rest-of-my-password'), ('realm', 'pypi')]"),
    "starred-words": ("a.cfg", ";*passwd:*all*authentication*tokens*updated*successfully*"),
    "change-token": ("a.sh", "aws waf update-rule --change-token 12cs345-67cd-890b-1cd2-c3a4567d89f1"),
    "signature-flag": ("a.sh", '  --token-signature "mE0GvaHqy9nER/FdgtJX5lXYEJ3b3vE7t1gEszc0TKGgL"'),
    "url-with-encoded-parentheses": ("a.py", "    https://en.wikipedia.org/wiki/Fermat_%28number%29_test"),
    "uuid-under-an-id": ("a.sh", f"curl -H 'X-Request-Id: {UUID}' https://ci.example.net"),
}


@pytest.mark.parametrize("case", sorted(FOUND))
def test_a_secret_bound_to_a_name_is_found_in_each_syntax(case):
    filename, text = FOUND[case]
    findings = scan_text(text, filename, pii=False)
    assert findings, case
    assert all(f.kind == "secret" and V not in f.masked and P not in f.masked for f in findings)


@pytest.mark.parametrize("case", sorted(CLEAN))
def test_what_only_looks_like_a_bound_secret_stays_clean(case):
    filename, text = CLEAN[case]
    assert scan_text(text, filename, pii=False) == [], case


def test_the_finding_points_at_the_line_of_the_value():
    text = f"<settings>\n  <apiKey>\n    {V}\n  </apiKey>\n</settings>\n"
    assert [f.line for f in scan_text(text, "app.xml")] == [3]
    assert [f.line for f in scan_text(f"db:\n  password:\n    {P}\n", "values.yaml")] == [3]


def _b64(text):
    return base64.b64encode(text.encode()).decode()


def test_a_base64_value_is_decoded_and_scanned_again_pointing_at_its_line():
    token = "ghp_" + "A1b2C3d4" * 4 + "E5f6"
    text = f"# config\nblob: {_b64('GITHUB_TOKEN=' + token)}\n"
    assert [(f.type, f.line) for f in scan_text(text, "notes.txt")] == [("github-token", 2)]
    assert [f.line for f in scan_text(f"x\n\ndata = '{_b64(f'password = {P}')}'\n", "a.py")] == [3]
    assert [f.type for f in scan_text(f"data: {_b64('deploy:' + P)}", "c.yaml")] == ["password"]


def test_a_url_encoded_value_is_decoded_and_scanned_again():
    text = f"next=https%3A%2F%2Fapi.example.net%2Fcb%3Fapi_key%3D{V}\n"
    assert [f.line for f in scan_text(text, "a.log")] == [1]


@pytest.mark.parametrize(
    "text",
    [
        f'"integrity": "sha512-{_b64("x" * 8)}{base64.b64encode(bytes(range(64))).decode()}"',
        f"logo: data:image/png;base64,iVBORw0KGgo{base64.b64encode(bytes(range(200))).decode()}",
        f"readme: {_b64('This module reads the settings and retries each request.')}",
        "path: /api/v1/users%2Fprofile?q=caf%C3%A9",
        "SomeVeryLongCamelCaseIdentifierName = AnotherLongIdentifierName",
    ],
)
def test_encoded_values_without_a_secret_inside_stay_clean(text):
    assert scan_text(text, "a.yaml", pii=False) == []


def test_a_yaml_flow_mapping_that_detect_secrets_numbers_past_the_end_is_still_scanned():
    # Its YAML transformer reports line 3 of a two-line candidate file here (issue 12: it crashed the scan).
    text = f"  db: {{host: a, fake_master_key: {V}x}}\n  db: {{host: b, fake_api_key: {V}Zq1}}\n"
    assert scan_text(text, "flow.yaml") == []  # fixtures by name: neither tool's finding is ours to report
