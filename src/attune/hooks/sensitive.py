"""Files that hold secrets by nature, and the files a shell command would print."""

from __future__ import annotations

import functools
import re

from attune.hooks.policy import Policy
from attune.scan.known import ALLOWED

# A glob without "/" matches the file name anywhere; one with "/" matches the end of the path.
SENSITIVE = (
    ".env", ".env.*", "*.env", "*.pem", "*.key", "*.p12", "*.pfx", "*.jks", "*.keystore", "*.ppk",
    "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", ".netrc", "_netrc", ".pgpass", ".pypirc",
    ".git-credentials", ".htpasswd", "*.tfstate", "*.tfstate.backup", "secrets.yml", "secrets.yaml",
    ".aws/credentials", ".config/gcloud/application_default_credentials.json", ".config/gcloud/credentials.db",
    ".azure/accessTokens.json", ".docker/config.json", ".kube/config", "*service-account*.json",
)  # fmt: skip


def matches(path: str, policy: Policy) -> str | None:
    """The glob that makes `path` sensitive, or None: one regex match in the common case (issue 10)."""
    normal = path.replace("\\", "/")
    name = normal.rsplit("/", 1)[-1]
    sensitive, allowed = _compiled(policy.sensitive_globs, policy.allowed_globs)
    if not _any(sensitive, normal, name) or _any(allowed, normal, name):
        return None
    for glob in (*SENSITIVE, *policy.sensitive_globs):
        if _match(normal, name, glob):
            return glob
    return None  # pragma: no cover - the combined patterns and the globs agree


_Union = tuple["re.Pattern[str]", "re.Pattern[str]"]  # (on the file name, on the whole path)


@functools.lru_cache(maxsize=8)
def _compiled(extra: tuple[str, ...], allowed: tuple[str, ...]) -> tuple[_Union, _Union]:
    """One pattern for every sensitive glob and one for the exceptions: one match per word, however many globs."""
    return _union((*SENSITIVE, *extra)), _union((*ALLOWED, *allowed))


def _union(globs: tuple[str, ...]) -> _Union:
    import fnmatch

    names = [fnmatch.translate(g) for g in globs if "/" not in g]
    tails = [g.removeprefix("**/") for g in globs if "/" in g]
    paths = [fnmatch.translate(t) for t in tails] + [fnmatch.translate("*/" + t) for t in tails]
    return re.compile("|".join(names) or "(?!)"), re.compile("|".join(paths) or "(?!)")


def _any(union: _Union, path: str, name: str) -> bool:
    return bool(union[0].match(name) or union[1].match(path))


def _match(path: str, name: str, glob: str) -> bool:
    import fnmatch

    if "/" not in glob:
        return fnmatch.fnmatchcase(name, glob)
    glob = glob.removeprefix("**/")
    return fnmatch.fnmatchcase(path, glob) or fnmatch.fnmatchcase(path, "*/" + glob)
