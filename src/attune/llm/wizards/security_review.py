"""security-review: a diff to findings with severity, file, line and fix; offline, static checks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from attune.llm.wizards import diff, static
from attune.llm.wizards.base import Inputs, integer, objects, text, wizard
from attune.llm.wizards.static import rule

SEVERITIES = ("critical", "high", "medium", "low")
_PY = (".py",)
RULES = (
    rule("high", r"\beval\s*\(", "eval() of data can run arbitrary code",
         "parse the data instead (json.loads, ast.literal_eval)"),
    rule("high", r"\bexec\s*\(", "exec() runs arbitrary code", "call the code you mean directly", _PY),
    rule("high", r"shell\s*=\s*True", "a shell command line: injection if any part comes from input",
         "pass an argument list with shell=False"),
    rule("high", r"\bos\.(system|popen)\s*\(", "a shell command line: injection if any part comes from input",
         "use subprocess.run with an argument list"),
    rule("high", r"\b(c?[Pp]ickle|dill|shelve|marshal)\.loads?\s*\(", "unpickling data runs code from it",
         "use JSON or another data-only format"),
    rule("high", r"\byaml\.load\s*\((?!.*Loader\s*=\s*(yaml\.)?C?SafeLoader)", "yaml.load can build arbitrary objects",
         "use yaml.safe_load"),
    rule("high", r"""\.(execute|executemany|raw)\s*\(\s*(f["']|["'][^"']*["']\s*(%|\.format\(|\+))""",
         "SQL built from strings: SQL injection", "pass the values as query parameters"),
    rule("medium", r"verify\s*=\s*False|InsecureRequestWarning|CERT_NONE|rejectUnauthorized:\s*false",
         "TLS certificate checks turned off", "keep verification on; point it at a CA bundle if needed"),
    rule("medium", r"\b(md5|sha1)\s*\(|hashlib\.new\(\s*['\"](md5|sha1)", "MD5/SHA-1 are broken for security uses",
         "use SHA-256 for integrity, argon2 or bcrypt for passwords"),
    rule("medium", r"\bchmod\b.*\b0?o?777\b", "world-writable permissions", "grant only what is needed (0o644, 0o600)"),
    rule("medium", r"\btempfile\.mktemp\s*\(", "tempfile.mktemp is racy", "use tempfile.mkstemp or NamedTemporaryFile"),
    rule("medium", r"\.innerHTML\s*=|dangerouslySetInnerHTML|\bv-html\b", "HTML inserted without escaping: XSS",
         "set textContent, or sanitize the HTML"),
    rule("medium", r"""\bhost\s*=\s*["']0\.0\.0\.0["']|--host[= ]0\.0\.0\.0""", "listens on every network interface",
         "bind to 127.0.0.1 unless it must be reachable from outside"),
    rule("medium", r"\brandom\.\w+\(.*\b(token|secret|password|nonce|salt)", "predictable randomness for a secret",
         "use the secrets module", _PY),
    rule("low", r"\bDEBUG\s*=\s*True\b", "debug mode switched on", "read it from the environment; off in production"),
    rule("low", r"\bassert\b.*\b(auth|permission|is_admin|logged_in)", "an access check made with assert",
         "assert disappears under python -O: raise an error instead", _PY),
)  # fmt: skip

SCHEMA = {
    "type": "object",
    "properties": {
        "summary": {"type": "string", "description": "one or two sentences on the overall risk"},
        "findings": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "severity": {"type": "string", "enum": list(SEVERITIES)},
                    "file": {"type": "string", "description": "a path from the diff"},
                    "line": {"type": "integer", "description": "the line in the new version of the file"},
                    "title": {"type": "string"},
                    "detail": {"type": "string", "description": "why it is a risk here; never repeat a secret"},
                    "fix": {"type": "string"},
                },
                "required": ["severity", "file", "line", "title", "detail", "fix"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["summary", "findings"],
    "additionalProperties": False,
}


class Finding(NamedTuple):
    severity: str  # one of SEVERITIES
    file: str
    line: int
    title: str
    detail: str
    fix: str


class SecurityReview(NamedTuple):
    summary: str
    findings: tuple[Finding, ...]


def parse(output: Mapping[str, object]) -> SecurityReview:
    findings = tuple(
        Finding(text(f["severity"]), text(f["file"]), integer(f["line"]), text(f["title"]), text(f["detail"]),
                text(f["fix"]))
        for f in objects(output["findings"])
    )  # fmt: skip
    return SecurityReview(text(output["summary"]), findings)


def check(review: SecurityReview, inputs: Inputs) -> list[str]:
    """Every finding must point into the diff: a file it changed, and a line of that file."""
    files = {c.path for c in diff.changes_of(inputs)}
    problems = []
    for index, finding in enumerate(review.findings):
        if finding.file not in files:
            problems.append(f"$.findings[{index}].file: {finding.file!r} is not in the diff")
        if finding.line < 1:
            problems.append(f"$.findings[{index}].line: {finding.line} is not a line number")
    return problems


def offline(inputs: Inputs) -> SecurityReview:
    findings = []
    for hit, masked in static.secret_hits(diff.changes_of(inputs)):
        findings.append(_finding(hit, f"found on an added line; value {masked}"))
    for hit in static.run_rules(diff.changes_of(inputs), RULES):
        findings.append(
            _finding(hit, "matched a static rule on an added line; confirm it is reachable with untrusted data")
        )
    findings.sort(key=lambda f: (SEVERITIES.index(f.severity), f.file, f.line))
    count = len(findings)
    summary = (
        f"static checks of {inputs.label}: {count} finding{'s' * (count != 1)}"
        if count
        else f"static checks of {inputs.label}: nothing found (they cover common patterns only)"
    )
    return SecurityReview(summary, tuple(findings))


def show(review: SecurityReview) -> str:
    lines = [review.summary]
    for f in review.findings:
        lines.append(f"{f.file}:{f.line}: {f.severity}: {f.title}")
        lines.append(f"    {f.detail}")
        lines.append(f"    fix: {f.fix}")
    return "\n".join(lines)


def _finding(hit: static.Hit, detail: str) -> Finding:
    return Finding(hit.severity, hit.file, hit.line, hit.title, detail, hit.fix)


WIZARD = wizard(
    SecurityReview,
    name="security-review",
    summary="review a diff for security problems: findings with severity, file, line and fix",
    task="review_security",
    start_low=False,  # a miss costs more than the capable tier
    schema=SCHEMA,
    prompt_version="1",
    argument=diff.BASE,
    gather=diff.gather,
    parse=parse,
    check=check,
    offline=offline,
    show=show,
    failing=lambda review: bool(review.findings),
)
