"""Where a repository's shared live state lives, and the identity its Redis keys carry (issue 14).

Plain string and file work, no git process: the hooks call this on every write. Every worktree
of a repository shares one git common directory, so the file store lives there, not in one
worktree's `.empathy/`.
"""

from __future__ import annotations

import os


def git_dir(root: str) -> str | None:
    """The worktree's git directory: `.git` itself, or where a `.git` file points."""
    dot_git = os.path.join(root, ".git")
    if os.path.isdir(dot_git):
        return dot_git
    try:
        with open(dot_git, encoding="utf-8") as handle:
            line = handle.readline().strip()
    except OSError:
        return None
    if not line.startswith("gitdir:"):
        return None
    return os.path.normpath(os.path.join(root, line.removeprefix("gitdir:").strip()))


def common_dir(root: str) -> str | None:
    """The git common directory shared by every worktree, or None outside a repository."""
    found = git_dir(root)
    if found is None:
        return None
    try:
        with open(os.path.join(found, "commondir"), encoding="utf-8") as handle:
            return os.path.normpath(os.path.join(found, handle.readline().strip()))
    except OSError:
        return found


def state_dir(root: str) -> str:
    """The file store's folder: `<git common dir>/attune/state`, else `.empathy/state` outside git."""
    common = common_dir(root)
    if common is None:
        return os.path.join(root, ".empathy", "state")
    return os.path.join(common, "attune", "state")


def identity(root: str) -> str:
    """The repository as every clone names it: its origin URL without credentials, else its common dir.

    Teammates on two machines share Redis keys only through the origin: a clone's path differs.
    """
    common = common_dir(root)
    if common is not None:
        url = _origin(os.path.join(common, "config"))
        if url:
            return _without_user(url).removesuffix(".git").rstrip("/")
    return os.path.realpath(common or root)


def _origin(config: str) -> str:
    try:
        with open(config, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return ""
    inside = False
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped.replace(" ", "").lower() == '[remote"origin"]'
        elif inside and stripped.split("=", 1)[0].strip().lower() == "url" and "=" in stripped:
            return stripped.split("=", 1)[1].strip()
    return ""


def _without_user(url: str) -> str:
    """`scheme://user:password@host/path` without `user:password@`; string work, no regex to compile
    on a hook's path (issue 14). Only what precedes the first `/` after the scheme is authority."""
    scheme, separator, rest = url.partition("://")
    if not separator or not _scheme(scheme):
        return url
    authority = rest.split("/", 1)[0]
    if "@" not in authority:
        return url
    return f"{scheme}://{rest.partition('@')[2]}"


def _scheme(text: str) -> bool:
    """`[a-z][a-z0-9+.-]*`, any case: a URL scheme."""
    return text[:1].isascii() and text[:1].isalpha() and all(c.isascii() and (c.isalnum() or c in "+.-") for c in text)
