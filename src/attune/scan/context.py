"""Secrets bound to a name outside `name = value`: XML, YAML values on the next line, SQL, command lines, headers.

Each form yields the name (or what the syntax implies, such as `password` for SQL's IDENTIFIED BY) and the
value; assign.judge decides, with the same rules as for assignments (issue 12).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from typing import NamedTuple

from attune.scan import noise
from attune.scan.secret_names import POSITIONAL

_ascii = noise.ascii_regex  # ASCII \w, \d and \b (issue 10)


class Bound(NamedTuple):
    name: str
    value: str
    start: int  # offset of the value in the chunk


_UUID = _ascii(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _re(pattern: str) -> noise.Regex:
    """`\\h` is blank space on one line, as in PCRE: the patterns stay readable on one line each."""
    return _ascii(pattern.replace(r"\h", r"[^\S\n]"))


# <password>value</password>, the value on the same line or the next one.
_XML_ELEMENT = _re(
    r"<(?P<name>[A-Za-z_][\w:.-]{0,80})(?:\h[^<>\n]{0,200})?>\s{0,200}?(?:<!\[CDATA\[)?(?P<v>[^<>\s]{1,400}?)(?:\]\]>)?"
    r"\s{0,200}</(?P=name)\h*>"
)
# <add key="ApiKey" value="..."/>, <property name="password" value="..."/>, <entry key="token">...</entry>
_XML_KEYED = _re(
    r"""<(?P<tag>[A-Za-z_][\w:.-]{0,80})\h[^<>]{0,200}?\b(?:key|name|id)\h*=\h*(?P<nq>["'])(?P<name>[^"'<>\n]{1,80})"""
    r"""(?P=nq)[^<>]{0,200}?(?:\bvalue\h*=\h*(?P<q>["'])(?P<v>[^"'<>\n]{1,400})(?P=q)"""
    r"""|>\s{0,200}?(?P<t>[^<>\s]{1,400})\s{0,200}</(?P=tag)>)"""
)
# YAML `password:` (or `password: |`) with the value alone on the next, deeper-indented line.
_YAML_NEXT = _re(
    r"""(?m)^(?P<ind>\h*)(?:-\h+)?["']?(?P<name>[\w.-]{1,80})["']?\h*:\h*(?:[|>][-+]?[0-9]?)?\h*\n"""
    r"""(?P=ind)\h+(?:-\h+)?["']?(?P<v>[^\s#"'&*!{\[|>][^\s"']{0,399}(?<!:))["']?\h*$"""
)
# SQL: CREATE USER ... IDENTIFIED BY 'x', ALTER ROLE ... WITH PASSWORD 'x', SET PASSWORD = PASSWORD('x').
_SQL = _re(
    r"""(?i)\b(?:identified(?:\h+with\h+\w+)?\h+by(?:\h+password)?|(?<![\w.:-])password)\h*=?\h*(?:password\h*\(\h*)?"""
    r"""(?P<q>['"])(?P<v>[^'"\n]{1,200})(?P=q)"""
)
# --password VALUE, --api-key 'VALUE' (the `--name=value` form is an assignment already).
# `-` first, then what stands before it: a literal first lets the regex engine skip to each `-` (1 MB of base64
# with one ` -d` in it: 15.8 -> 1 ms); the lookbehind sees the two characters `(?<![\w-])` saw one of (issue 15).
_FLAG = _re(r"""-(?<![\w-]-)-?(?P<name>[A-Za-z][\w-]{0,60})\h+(?P<q>['"]?)(?P<v>[^\s'"-][^\s'"]{0,399})(?P=q)(?!\S)""")
# mysql -pSECRET, sshpass -p SECRET, redis-cli -a SECRET, docker login -p SECRET, openssl -passin pass:SECRET,
# htpasswd -b FILE USER SECRET: flags that mean a password for one tool.
_TOOL_FLAG = _re(
    r"""\b(?:(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump)\b[^\n]{0,200}?\h-p|sshpass\b[^\n]{0,200}?\h-p\h*"""
    r"""|redis-cli\b[^\n]{0,200}?\h-a\h+|docker\h+login\b[^\n]{0,200}?\h-p\h+|-pass(?:in|out)\h+pass:"""
    r"""|htpasswd\h+-b\w*\h+\S+\h+\S+\h+)(?P<q>['"]?)(?P<v>[^\s'"-][^\s'"]{0,199})(?P=q)(?!\S)"""
)
# curl -u user:pass, curl --user 'user:pass', wget/http the same.
_USER_PASS = _re(
    r"""\b(?:curl|wget|http|https|httpie|xh)\b[^\n]{0,300}?\h(?:-u|--user)(?:\h+|=)?['"]?[^\s:'"]{1,100}:"""
    r"""(?P<v>[^\s'"]{1,200})"""
)
# C# `public string ApiKey { get; set; } = "..."`
_PROPERTY = _re(
    r"""\b(?P<name>[A-Za-z_]\w{0,80})\h*\{\h*get;[^}\n]{0,40}\}\h*=\h*@?(?P<q>")(?P<v>[^"\n]{1,400})(?P=q)"""
)
# Setters and builders: ds.setPassword("..."), .apiKey("..."), .WithToken("...").
_SETTER = _re(
    r"""\.(?:set|with|Set|With)?(?P<name>[A-Za-z_]\w{0,80})\(\h*@?(?P<q>["'])(?P<v>[^"'\n]{1,400})(?P=q)\h*\)"""
)
# Terraform `variable "db_password" { default = "..." }`: the name is the block's.
_TF_DEFAULT = _re(
    r"""\bvariable\h+"(?P<name>[\w-]{1,80})"\h*\{[^}]{0,400}?\bdefault\h*=\h*(?P<q>")(?P<v>[^"\n]{1,400})(?P=q)"""
)
# A user and a password as a pair: auth=("user", "pw"), HTTPBasicAuth("user", "pw"), smtp.login(user, "pw").
_PAIR = _re(
    r"""\b(?:auth|basic_auth|http_auth|HTTPBasicAuth|HTTPDigestAuth|BasicAuth|DigestAuth|login|authenticate|connect)"""
    r"""\h*(?:=\h*\(?|\()\h*[^,()\n]{1,100},\h*(?P<q>["'])(?P<v>[^"'\n]{1,200})(?P=q)\h*\)"""
)
# Clojure and EDN keywords: `:api-key "..."`.
_KEYWORD = _re(r"""(?<![\w:]):(?P<name>[A-Za-z][\w-]{0,80})\h+(?P<q>")(?P<v>[^"\n]{1,400})(?P=q)""")
# Authorization: Basic <base64 user:pass>, Bearer/Token/ApiKey/SSWS <value>.
_AUTHORIZATION = _re(
    r"""(?i)\b(?:proxy-)?authorization["']?(?:\h*[:=,]\h*|\h+)["']?(?P<scheme>basic|bearer|token|apikey|api-key"""
    r"""|key|ssws|genie-?key|sso-key|klaviyo-api-key|dsn)\h+(?:token=)?(?P<v>[\w.~+/=:-]{8,400})"""
)


def find_bound(chunk: str, quoted_only: bool) -> Iterator[Bound]:
    """Name and value pairs in the forms `name = value` does not cover; `quoted_only` for code files."""
    if "<" in chunk:
        for match in _XML_ELEMENT.finditer(chunk):
            yield Bound(match.group("name").rpartition(":")[2], match.group("v"), match.start("v"))
        for match in _XML_KEYED.finditer(chunk):
            group = "v" if match.group("v") is not None else "t"
            yield Bound(match.group("name"), match.group(group), match.start(group))
    if "get;" in chunk:
        for match in _PROPERTY.finditer(chunk):
            yield Bound(match.group("name"), match.group("v"), match.start("v"))
    if "(" in chunk:
        for match in _SETTER.finditer(chunk):
            yield Bound(match.group("name"), match.group("v"), match.start("v"))
    if not quoted_only and "\n" in chunk:  # its value is on the next line; `(?m)^` is tried at every offset
        for match in _YAML_NEXT.finditer(chunk):
            yield Bound(match.group("name"), match.group("v"), match.start("v"))
    lower = chunk.lower()
    if "identified" in lower or "password" in lower:
        for match in _SQL.finditer(chunk):
            yield Bound(POSITIONAL, match.group("v"), match.start("v"))
    if " -" in chunk:
        for match in _FLAG.finditer(chunk):
            yield Bound(match.group("name"), match.group("v"), match.start("v"))
    if "-p" in chunk or "-a" in chunk or "htpasswd" in chunk:
        for match in _TOOL_FLAG.finditer(chunk):
            yield Bound(POSITIONAL, match.group("v"), match.start("v"))
    if "-u" in chunk:
        for match in _USER_PASS.finditer(chunk):
            yield Bound(POSITIONAL, match.group("v"), match.start("v"))
    if "variable" in chunk:
        for match in _TF_DEFAULT.finditer(chunk):
            yield Bound(match.group("name"), match.group("v"), match.start("v"))
    if "," in chunk and "(" in chunk:
        for match in _PAIR.finditer(chunk):
            yield Bound(POSITIONAL, match.group("v"), match.start("v"))
    if ' "' in chunk:
        for match in _KEYWORD.finditer(chunk):
            yield Bound(match.group("name"), match.group("v"), match.start("v"))
    if "authorization" in lower:
        yield from _authorization(chunk)


def _authorization(chunk: str) -> Iterator[Bound]:
    for match in _AUTHORIZATION.finditer(chunk):
        value = match.group("v")
        if match.group("scheme").lower() != "basic":
            yield Bound("auth_token", value, match.start("v"))
            continue
        password = basic_password(value)
        if password is not None and (
            noise.looks_random(password) or noise.looks_random(password, password=True) or _UUID.fullmatch(password)
        ):
            yield Bound("basic_auth_password", value, match.start("v"))


def basic_password(value: str) -> str | None:
    """The password inside a Basic credential (base64 of `user:password`), or None."""
    try:
        decoded = base64.b64decode(value + "=" * (-len(value) % 4), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    user, colon, password = decoded.partition(":")
    return password if colon and user.isprintable() and password.isprintable() else None
