"""The syntax part of the labeled corpus: secrets without a prefix bound to a name in each syntax (issue 12).

Every syntax writes its own files: filler in its language, values bound to secret-sounding names (labelled
`secret`, label `syntax/<name>`), and hard negatives in the same syntax (labelled `negative`, same label):
placeholders, templated and environment references, hashes, UUIDs, code as values and fixtures named as such.
"""

from __future__ import annotations

import base64
import random
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

from benchmarks import fakes
from benchmarks.corpus_lines import LANGUAGES, WORDS


class Syntax(NamedTuple):
    filename: str  # `{i}` is the file's number
    filler: str  # a LANGUAGES key
    template: str  # `{n}` the name, `{v}` the value; the labelled line is the one that holds `{v}`
    names: str = "any"  # "any", "upper" (shell-style), "lower" (snake_case), "camel"


# fmt: off
SYNTAXES: dict[str, Syntax] = {
    "shell-export": Syntax("deploy_{i}.sh", "env", "export {n}='{v}'", "upper"),
    "dotenv": Syntax("svc_{i}/.env", "env", "{n}={v}", "upper"),
    "dotenv-quoted": Syntax("app_{i}.env", "env", '{n}="{v}"', "upper"),
    "dockerfile-env": Syntax("img_{i}/Dockerfile", "docker", "ENV {n} {v}", "upper"),
    "dockerfile-arg": Syntax("build_{i}/Dockerfile", "docker", "ARG {n}={v}", "upper"),
    "compose-environment": Syntax("compose_{i}.yml", "yaml", "      - {n}={v}", "upper"),
    "yaml-block": Syntax("values_{i}.yaml", "yaml", "  {n}: {v}", "lower"),
    "yaml-quoted": Syntax("conf_{i}.yml", "yaml", "    {n}: '{v}'", "camel"),
    "yaml-flow": Syntax("flow_{i}.yaml", "yaml", "  db: {{host: db.internal, {n}: {v}}}", "lower"),
    "yaml-next-line": Syntax("next_{i}.yaml", "yaml", "  {n}:\n    {v}", "lower"),
    "yaml-block-scalar": Syntax("block_{i}.yaml", "yaml", "  {n}: |\n    {v}", "lower"),
    "k8s-env": Syntax("deploy_{i}.yaml", "yaml", "        - name: {n}\n          value: \"{v}\"", "upper"),
    "json": Syntax("settings_{i}.json", "json", '    "{n}": "{v}",', "camel"),
    "toml": Syntax("config_{i}.toml", "env", '{n} = "{v}"', "lower"),
    "ini": Syntax("app_{i}.ini", "env", "{n} = {v}", "lower"),
    "properties": Syntax("application_{i}.properties", "env", "spring.datasource.{n}={v}", "lower"),
    "properties-colon": Syntax("app_{i}.properties", "env", "app.{n}: {v}", "camel"),
    "xml-element": Syntax("settings_{i}.xml", "conf", "    <{n}>{v}</{n}>", "camel"),
    "xml-element-next-line": Syntax("server_{i}.xml", "conf", "    <{n}>\n      {v}\n    </{n}>", "camel"),
    "xml-attribute": Syntax("context_{i}.xml", "conf", '  <Resource name="jdbc/app" {n}="{v}" />', "camel"),
    "xml-add-key": Syntax("web_{i}.config", "conf", '    <add key="{n}" value="{v}" />', "camel"),
    "xml-property": Syntax("beans_{i}.xml", "conf", '    <property name="{n}" value="{v}"/>', "camel"),
    "hcl": Syntax("main_{i}.tf", "go", '  {n} = "{v}"', "lower"),
    "python": Syntax("settings_{i}.py", "py", '{n} = "{v}"', "any"),
    "python-kwarg": Syntax("client_{i}.py", "py", '    client = Client(region="eu", {n}="{v}")', "lower"),
    "python-dict": Syntax("conf_{i}.py", "py", '    "{n}": "{v}",', "lower"),
    "javascript": Syntax("config_{i}.js", "js", "const {n} = '{v}';", "camel"),
    "js-object": Syntax("opts_{i}.js", "js", "  {n}: '{v}',", "camel"),
    "typescript": Syntax("env_{i}.ts", "js", 'export const {n}: string = "{v}";', "camel"),
    "go": Syntax("main_{i}.go", "go", '\t{n} := "{v}"', "camel"),
    "go-struct": Syntax("client_{i}.go", "go", '\t\t{N}: "{v}",', "camel"),
    "go-const": Syntax("consts_{i}.go", "go", 'const {n} = "{v}"', "camel"),
    "java": Syntax("Config{i}.java", "go", '    private static final String {n} = "{v}";', "upper"),
    "java-setter": Syntax("Boot{i}.java", "go", '        ds.set{N}("{v}");', "camel"),
    "kotlin": Syntax("Config{i}.kt", "go", 'val {n}: String = "{v}"', "camel"),
    "csharp": Syntax("Settings{i}.cs", "go", '        var {n} = "{v}";', "camel"),
    "csharp-property": Syntax("Options{i}.cs", "go", '    public string {N} {{ get; set; }} = "{v}";', "camel"),
    "ruby": Syntax("config_{i}.rb", "py", "  config.{n} = '{v}'", "lower"),
    "ruby-hash": Syntax("secrets_{i}.rb", "py", "  {n}: '{v}',", "lower"),
    "php": Syntax("config_{i}.php", "js", "${n} = '{v}';", "lower"),
    "php-append": Syntax("boot_{i}.php", "js", '${n} .= "{v}";', "lower"),
    "php-array": Syntax("database_{i}.php", "js", "    '{n}' => '{v}',", "lower"),
    "rust": Syntax("consts_{i}.rs", "go", 'const {n}: &str = "{v}";', "upper"),
    "swift": Syntax("Keys{i}.swift", "js", 'let {n} = "{v}"', "camel"),
    "scala": Syntax("Conf{i}.scala", "js", 'val {n} = "{v}"', "camel"),
    "lua": Syntax("conf_{i}.lua", "py", 'local {n} = "{v}"', "lower"),
    "powershell": Syntax("setup_{i}.ps1", "env", '$env:{n} = "{v}"', "upper"),
    "makefile": Syntax("mk_{i}/Makefile", "env", "{n} = {v}", "upper"),
    "makefile-conditional": Syntax("mkc_{i}/Makefile", "env", "{n} ?= {v}", "upper"),
    "makefile-simple": Syntax("mks_{i}/Makefile", "env", "{n} := {v}", "upper"),
    "makefile-posix": Syntax("mkp_{i}/Makefile", "env", "{n} ::= {v}", "upper"),
    "sql-identified-by": Syntax("grants_{i}.sql", "env", "CREATE USER 'app'@'%' IDENTIFIED BY '{v}';", "any"),
    "sql-password": Syntax("roles_{i}.sql", "env", "ALTER ROLE app WITH LOGIN PASSWORD '{v}';", "any"),
    "log-key-value": Syntax("app_{i}.log", "env", "2026-03-0{d} 10:1{d}:02 INFO auth ok user=svc {n}={v} ip=10.0.0.{d}", "lower"),
    "log-colon": Syntax("worker_{i}.log", "env", "[2026-03-0{d}T10:00:00Z] DEBUG request headers {n}: {v}", "lower"),
    "cli-flag": Syntax("run_{i}.sh", "env", "./bin/server --port 8080 --{f} {v} --verbose", "flag"),
    "cli-flag-equals": Syntax("start_{i}.sh", "env", "exec app --{f}={v}", "flag"),
    "mysql-p": Syntax("backup_{i}.sh", "env", "mysqldump -h db.internal -u backup -p'{v}' shop > dump.sql", "any"),
    "curl-u": Syntax("call_{i}.sh", "env", "curl -sf -u deploy:{v} https://ci.acme-corp.net/api/json", "any"),
    "http-basic": Syntax("req_{i}.http", "env", "Authorization: Basic {b}", "any"),
    "http-header": Syntax("api_{i}.sh", "env", 'curl -H "X-Api-Key: {v}" https://api.acme-corp.net/v1/{w}', "any"),
    "xml-cdata": Syntax("jboss_{i}.xml", "conf", "    <{n}><![CDATA[{v}]]></{n}>", "camel"),
    "single-dash-flag": Syntax("keys_{i}.sh", "env", "keytool -genkeypair -alias app -{s} {v} -keystore app.jks", "any"),
    "openssl-pass": Syntax("cert_{i}.sh", "env", "openssl pkcs12 -export -in app.crt -passout pass:{v} -out app.p12", "any"),
    "docker-login": Syntax("push_{i}.sh", "env", "docker login -u ci-bot -p {v} registry.acme-corp.net", "any"),
    "terraform-variable": Syntax("vars_{i}.tf", "go", 'variable "{n}" {{\n  type    = string\n  default = "{v}"\n}}', "lower"),
    "python-auth-tuple": Syntax("fetch_{i}.py", "py", '    r = requests.get(url, auth=("deploy", "{v}"))', "any"),
    "nginx-header": Syntax("site_{i}.conf", "env", '    proxy_set_header Authorization "Basic {b}";', "any"),
    "clojure-keyword": Syntax("config_{i}.edn", "env", ' {{:{k} "{v}"}}', "lower"),
    "base64-value": Syntax("blob_{i}.yaml", "yaml", "  payload: {e}", "upper"),
    "url-encoded": Syntax("trace_{i}.log", "env", "GET /callback?next=%2Fhome%3F{n}%3D{u} 302", "lower"),
}
# fmt: on

# Names a developer gives such values, and what kind of value each holds.
_NAMES: tuple[tuple[str, str], ...] = (
    ("api_key", "key"), ("api_token", "key"), ("client_secret", "key"), ("db_password", "password"),
    ("auth_token", "key"), ("secret_key", "key"), ("access_token", "key"), ("password", "password"),
    ("passwd", "password"), ("admin_password", "password"), ("webhook_secret", "key"), ("signing_key", "key"),
    ("encryption_key", "key"), ("heroku_api_key", "uuid"), ("dd_app_key", "hex40"), ("datadog_api_key", "hex32"),
    ("sendgrid_api_key", "key"), ("mailgun_api_key", "hex32"), ("private_key_passphrase", "password"),
    ("smtp_password", "password"), ("service_credentials", "key"), ("app_secret", "key"), ("master_key", "key"),
)  # fmt: skip
_FLAGS = ("password", "api-key", "token", "client-secret", "auth-token", "db-password")
# Hard negatives: (name, value); the value is written where a secret would be.
_NEGATIVE_VALUES: tuple[Callable[[random.Random], tuple[str, str]], ...] = (
    lambda r: ("password", r.choice(["${DB_PASSWORD}", "${DB_PASSWORD:?missing}", "$(DB_PASSWORD)"])),
    lambda r: ("api_key", r.choice(["{{ api_key }}", "{{ .Values.apiKey }}", "%(api_key)s", "<your-api-key>"])),
    lambda r: ("client_secret", r.choice(["YOUR_CLIENT_SECRET", "changeme", "REPLACE_ME", "xxxxxxxxxxxxxxxxxxxx"])),
    lambda r: ("password_hash", fakes.pick(r, fakes.HEX, 64)),
    lambda r: ("request_id", _uuid(r)),
    lambda r: ("checksum", "sha256:" + fakes.pick(r, fakes.HEX, 64)),
    lambda r: ("test_password", fakes.password(r)),
    lambda r: ("fake_api_key", fakes.generic_secret(r)),
    lambda r: ("token_url", f"https://auth.acme-corp.net/oauth/{r.choice(WORDS)}/token"),
    lambda r: ("password", r.choice(["get_password()", "os.environ['DB_PASSWORD']", "process.env.DB_PASSWORD"])),
    lambda r: ("secret_name", f"{r.choice(WORDS)}-db-credentials"),
    lambda r: ("auth_method", r.choice(["client_secret_basic", "private_key_jwt", "oauth2"])),
)

_UNNAMED_NEGATIVES = tuple(_NEGATIVE_VALUES[i] for i in (0, 1, 2, 9))
_VALUE_FIELDS = ("{v}", "{b}", "{e}", "{u}")


def _uuid(r: random.Random) -> str:
    h = fakes.pick(r, fakes.HEX, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


def _value(r: random.Random, shape: str) -> str:
    if shape == "uuid":
        return _uuid(r)
    if shape.startswith("hex"):
        return fakes.pick(r, fakes.HEX, int(shape[3:]))
    if shape == "password":
        return fakes.password(r)
    return r.choice([fakes.generic_secret, fakes.aws_secret, lambda q: fakes.pick(q, fakes.B62, q.randrange(16, 28))])(
        r
    )


def _styled(name: str, style: str) -> str:
    words = name.split("_")
    if style == "upper":
        return name.upper()
    if style == "camel":
        return words[0] + "".join(w.title() for w in words[1:])
    return name


def _line(r: random.Random, syntax: Syntax, name: str, value: str) -> str:
    styled = _styled(name, syntax.names if syntax.names != "flag" else "lower")
    encoded = base64.b64encode(f"{styled.upper()}={value}".encode()).decode()
    return syntax.template.format(
        n=styled, N=styled[:1].upper() + styled[1:], v=value, f=name.replace("_", "-"), d=r.randrange(1, 9),
        k=name.replace("_", "-"), s=r.choice(["storepass", "keypass", "srcstorepass"]),
        b=base64.b64encode(f"deploy:{value}".encode()).decode(), e=encoded, u=quote(value, safe=""),
        w=r.choice(WORDS),
    )  # fmt: skip


def generate(root: Path, r: random.Random, per_syntax: int) -> list[dict[str, object]]:
    """Write `per_syntax` files for each syntax under root/syntax/; return their labels."""
    labels: list[dict[str, object]] = []
    for key, syntax in SYNTAXES.items():
        filler = LANGUAGES[syntax.filler].filler if syntax.filler in LANGUAGES else LANGUAGES["env"].filler
        for number in range(per_syntax):
            blocks: list[tuple[str, str]] = [(filler(r), "") for _ in range(r.randrange(20, 60))]
            for _ in range(r.randrange(2, 5)):
                name, shape = r.choice(_NAMES)
                if syntax.names == "flag":
                    name, shape = r.choice(_FLAGS).replace("-", "_"), "key"
                blocks.insert(r.randrange(len(blocks) + 1), (_line(r, syntax, name, _value(r, shape)), "secret"))
            named = any(field in syntax.template for field in ("{n}", "{N}", "{f}", "{e}", "{k}"))
            for _ in range(r.randrange(2, 5)):
                # a syntax that names nothing (SQL, curl -u) has only value negatives: any value there is a password
                name, value = r.choice(_NEGATIVE_VALUES if named else _UNNAMED_NEGATIVES)(r)
                blocks.insert(r.randrange(len(blocks) + 1), (_line(r, syntax, name, value), "negative"))
            rel = f"syntax/{key}/{syntax.filename.format(i=number)}"
            lines: list[str] = []
            value_line = next(
                i for i, p in enumerate(syntax.template.split("\n")) if any(f in p for f in _VALUE_FIELDS)
            )
            for text, kind in blocks:
                if kind:  # the labelled line is the one that holds the value
                    labels.append(
                        {"file": rel, "line": len(lines) + 1 + value_line, "kind": kind, "label": f"syntax/{key}"}
                    )
                lines += text.split("\n")
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("\n".join(lines) + "\n")
    return labels
