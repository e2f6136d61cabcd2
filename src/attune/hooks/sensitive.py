"""Files that hold secrets by nature, and the files a shell command would print."""

from __future__ import annotations

import os

from attune.hooks.policy import Policy

# A glob without "/" matches the file name anywhere; one with "/" matches the end of the path.
SENSITIVE = (
    ".env", ".env.*", "*.env", "*.pem", "*.key", "*.p12", "*.pfx", "*.jks", "*.keystore", "*.ppk",
    "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", ".netrc", "_netrc", ".pgpass", ".pypirc",
    ".git-credentials", ".htpasswd", "*.tfstate", "*.tfstate.backup", "secrets.yml", "secrets.yaml",
    ".aws/credentials", ".config/gcloud/application_default_credentials.json", ".config/gcloud/credentials.db",
    ".azure/accessTokens.json", ".docker/config.json", ".kube/config", "*service-account*.json",
)  # fmt: skip
ALLOWED = (
    ".env.example", ".env.sample", ".env.template", ".env.dist", ".env.defaults", "*.example.env",
    "*.pub", "*.pem.example", "*.key.example",
)  # fmt: skip
# Commands that print, page or source a file named among their arguments.
READERS = frozenset((
    "cat", "tac", "head", "tail", "less", "more", "most", "bat", "batcat", "nl", "source", ".", "strings",
    "xxd", "od", "hexdump", "base64", "grep", "egrep", "fgrep", "rg", "ag", "awk", "gawk", "sed", "cut",
    "sort", "uniq", "diff", "cmp", "jq", "yq", "view", "vi", "vim", "nvim", "nano", "emacs", "code", "open",
    "xdg-open", "cp", "scp", "rsync", "curl",
))  # fmt: skip
_SEPARATORS = frozenset({";", "&&", "||", "|", "&", "(", ")", "{", "}"})
_PREFIXES = frozenset({"sudo", "env", "command", "exec", "nohup", "time", "xargs"})


def matches(path: str, policy: Policy) -> str | None:
    """The glob that makes `path` sensitive, or None."""
    normal = path.replace("\\", "/")
    name = normal.rsplit("/", 1)[-1]
    if any(_match(normal, name, glob) for glob in (*ALLOWED, *policy.allowed_globs)):
        return None
    for glob in (*SENSITIVE, *policy.sensitive_globs):
        if _match(normal, name, glob):
            return glob
    return None


def _match(path: str, name: str, glob: str) -> bool:
    import fnmatch  # lazily, like shlex: a Write never needs either

    if "/" not in glob:
        return fnmatch.fnmatchcase(name, glob)
    glob = glob.removeprefix("**/")
    return fnmatch.fnmatchcase(path, glob) or fnmatch.fnmatchcase(path, "*/" + glob)


def files_read_by(command: str) -> list[str]:
    """Files a shell command would print or load: arguments of READERS and `<` redirections."""
    import shlex

    try:
        lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        words = list(lexer)
    except ValueError:  # an unbalanced quote: read it word by word
        words = command.split()
    found: list[str] = []
    reading = False
    expect_command = True
    previous = ""
    for word in words:
        if word in _SEPARATORS:
            reading, expect_command = False, True
        elif previous == "<" or (word.startswith("<") and len(word) > 1 and word[1] not in "<(&"):
            found.append(word.lstrip("<"))
        elif expect_command:
            if "=" in word.split("/")[0] or word in _PREFIXES:
                pass  # VAR=value and sudo-like prefixes come before the command
            else:
                reading = os.path.basename(word) in READERS
                expect_command = False
        elif reading and not word.startswith("-") and word not in ("<", ">", ">>"):
            found.append(word)
        previous = word
    return found
