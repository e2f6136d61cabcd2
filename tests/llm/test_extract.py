"""`empathy patterns extract`: draft debugging patterns from the fix commits of a real history."""

from __future__ import annotations

import json

import pytest

from attune import config
from attune.cli import main
from attune.patterns import store
from tests.fakes import replies
from tests.helpers import build_tree, commit_all, git, pattern

DB = "def connect(cfg):\n    return cfg['pool']\n\n\ndef close(pool):\n    pool.close()\n"
FIXED = DB.replace("cfg['pool']", "cfg.get('pool') or make_pool(cfg)")
GUARDED = FIXED.replace("    pool.close()", "    if pool is None:\n        return\n    pool.close()")


@pytest.fixture
def history(repo, monkeypatch):
    """Fix and non-fix commits after tag v1, one a day so that their order is certain, and a merged hotfix branch."""
    days = iter(range(2, 29))

    def next_day():
        day = next(days)
        for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
            monkeypatch.setenv(name, f"2026-01-{day:02d}T00:00:00+00:00")

    def commit(message, files):
        next_day()
        build_tree(repo, files)
        return commit_all(repo, message)

    build_tree(repo, {
        ".empathy/config.yaml": "version: 1\n", "src/db.py": DB, "src/cli.py": "def main(argv):\n    return argv[0]\n",
        "tests/test_db.py": "def test_connect():\n    pass\n",
    })  # fmt: skip
    commit_all(repo, "start")
    git(repo, "tag", "v1")
    shas = {
        "feature": commit("Add a --prefix option", {
            "src/cli.py": "def main(argv, prefix=''):\n    return prefix + argv[0]\n",
            "tests/test_cli.py": "def test_prefix():\n    pass\n",
        }),
        "keyerror": commit(
            "fix: KeyError on reconnect\n\nKeyError: 'pool' in connect()\nThe pool key is missing after a failover.",
            {"src/db.py": FIXED},
        ),
        "guard": commit("Guard against a missing pool in close()", {"src/db.py": GUARDED}),
        "refactor": commit("Refactor the fixture loader", {"tests/conftest.py": "import pytest\n"}),
        "typo": commit("fix: a typo in the README", {"README.md": "# The app\n", "docs/setup.md": "Set up.\n"}),
    }  # fmt: skip
    git(repo, "checkout", "-q", "-b", "hotfix")
    shas["hotfix"] = commit("Prevent a crash on empty argv", {
        "src/cli.py": "def main(argv, prefix=''):\n    return prefix + (argv[0] if argv else '')\n",
    })  # fmt: skip
    git(repo, "checkout", "-q", "main")
    next_day()
    git(repo, "merge", "-q", "--no-ff", "-m", "Merge branch 'hotfix'", "hotfix")
    shas["known"] = commit(
        "fix: close() shadowed the builtin name", {"src/db.py": GUARDED.replace("def close", "def shut")}
    )
    url = f"https://github.com/acme/app/commit/{shas['known']}"
    recorded = pattern("shadowed-close", extra=f"source: {url}")
    shas["record"] = commit(
        "Record the shadowed-close pattern", {".empathy/patterns/debugging/shadowed-close.md": recorded}
    )
    return repo, shas


def extract(root, capsys, *args):
    code = main(["patterns", "extract", "--since", "v1", "--root", str(root), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_offline_extract_stages_one_draft_per_fix_commit_with_the_commit_as_source(history, capsys):
    root, shas = history
    code, out, err = extract(root, capsys, "--offline")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"{shas['feature'][:12]} Add a --prefix option: skipped, not a bug fix",
        f"{shas['keyerror'][:12]} fix: KeyError on reconnect: staged keyerror-on-reconnect "
        "(offline draft; its subject says it fixes a bug)",
        f"{shas['guard'][:12]} Guard against a missing pool in close(): staged guard-against-a-missing-pool-in-close "
        "(offline draft; its subject names a symptom and the diff adds a guard)",
        f"{shas['refactor'][:12]} Refactor the fixture loader: skipped, not a bug fix",
        f"{shas['typo'][:12]} fix: a typo in the README: skipped, it changes no code "
        "(documentation or the pattern library only)",
        f"{shas['hotfix'][:12]} Prevent a crash on empty argv: staged prevent-a-crash-on-empty-argv "
        "(offline draft; its subject says it fixes a bug)",
        f"{shas['known'][:12]} fix: close() shadowed the builtin name: skipped, already in "
        ".empathy/patterns/debugging/shadowed-close.md",
        f"{shas['record'][:12]} Record the shadowed-close pattern: skipped, not a bug fix",
    ]  # the merge commit is not listed: its branch's commits are
    staging = root / ".empathy" / "staging"
    drafts = {}
    for path in sorted(staging.iterdir()):
        parsed = store.parse(f".empathy/staging/{path.name}", path.read_text(), config.DEFAULT)
        assert parsed.problems == ()
        (draft,) = parsed.patterns
        drafts[draft.id] = draft
    assert {d: (p.status, p.category, p.source) for d, p in drafts.items()} == {
        "keyerror-on-reconnect": ("staged", "debugging", shas["keyerror"]),
        "guard-against-a-missing-pool-in-close": ("staged", "debugging", shas["guard"]),
        "prevent-a-crash-on-empty-argv": ("staged", "debugging", shas["hotfix"]),
    }
    assert "**Error:** KeyError: 'pool' in connect()" in drafts["keyerror-on-reconnect"].body
    assert drafts["guard-against-a-missing-pool-in-close"].paths == ("src/db.py",)
    # staged drafts never reach the synced rules
    assert main(["sync", "--root", str(root), "--quiet"]) == 0
    rules = "".join(p.read_text() for p in (root / ".claude" / "rules" / "attune").iterdir())
    assert "shadowed-close" in rules and "keyerror" not in rules.lower()


def test_a_second_run_stages_nothing_new(history, capsys):
    root, shas = history
    extract(root, capsys, "--offline")
    before = {p.name: p.read_text() for p in (root / ".empathy" / "staging").iterdir()}
    code, out, _ = extract(root, capsys, "--offline")
    assert code == 0
    assert (
        f"{shas['keyerror'][:12]} fix: KeyError on reconnect: skipped, already in "
        ".empathy/staging/keyerror-on-reconnect.md" in out.splitlines()
    )
    assert sum("staged " in line for line in out.splitlines()) == 0
    assert {p.name: p.read_text() for p in (root / ".empathy" / "staging").iterdir()} == before


def test_without_an_api_key_the_wizard_falls_back_offline_and_says_so_once(history, capsys):
    root, _ = history
    code, out, err = extract(root, capsys)
    assert code == 0
    assert err == (
        "empathy: bug-pattern: no API key: set ANTHROPIC_API_KEY (Claude Code may scrub it from hook environments); "
        "ran the offline fallback instead\n"
    )
    assert sum("(offline draft; " in line for line in out.splitlines()) == 3


def test_with_an_api_key_the_model_drafts(history, capsys, fake_api, monkeypatch):
    root, shas = history
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake_api.url)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "test-key-not-a-secret")
    draft = {
        "title": "Missing pool key after a failover", "error": "KeyError: 'pool'", "root_cause": "No pool key.",
        "fix": "Create the pool with make_pool(cfg) when the key is missing.", "paths": ["src/db.py"],
        "tags": ["db"], "confidence": 0.8,
    }  # fmt: skip
    fake_api.script(
        *(replies.Reply((replies.Text(json.dumps({**draft, "title": t})),)) for t in ("One", "Two", "Three"))
    )
    code, out, err = extract(root, capsys)
    assert (code, err) == (0, "")
    assert (
        f"{shas['keyerror'][:12]} fix: KeyError on reconnect: staged one "
        "(drafted by claude-haiku-5-5; its subject says it fixes a bug)" in out.splitlines()
    )
    assert len(fake_api.messages()) == 3
    assert sorted(p.name for p in (root / ".empathy" / "staging").iterdir()) == ["one.md", "three.md", "two.md"]


def test_a_bad_ref_and_an_empty_range(history, capsys):
    root, _ = history
    assert main(["patterns", "extract", "--since", "v9", "--root", str(root)]) == 1
    assert capsys.readouterr().err.startswith("empathy: error: --since v9: unknown revision")
    assert main(["patterns", "extract", "--since", "HEAD", "--root", str(root)]) == 0
    assert capsys.readouterr().err == "no commits in HEAD..HEAD: nothing to extract\n"


def test_a_rejected_draft_does_not_come_back(history, capsys):
    root, shas = history
    extract(root, capsys, "--offline")
    assert main(["patterns", "reject", "keyerror-on-reconnect", "--reason", "not worth it", "--root", str(root)]) == 0
    capsys.readouterr()
    code, out, _ = extract(root, capsys, "--offline")
    assert code == 0
    assert (
        f"{shas['keyerror'][:12]} fix: KeyError on reconnect: skipped, already in "
        ".empathy/private/rejected/keyerror-on-reconnect.md" in out.splitlines()
    )
    assert not (root / ".empathy/staging/keyerror-on-reconnect.md").exists()


def test_a_fix_commit_that_adds_a_secret_stages_a_draft_without_it(history, capsys):
    from tests.helpers import fake_secret

    root, _ = history
    key = fake_secret("github")
    build_tree(root, {"src/db.py": GUARDED + f"\n\nTOKEN = '{key}'  # the crash: a missing token\n"})
    sha = commit_all(root, "fix: crash when the token is missing\n\nKeyError: 'token' in connect()")
    code, out, err = extract(root, capsys, "--offline")
    line = next(line for line in out.splitlines() if line.startswith(sha[:12]))
    assert "staged crash-when-the-token-is-missing" in line
    draft = (root / ".empathy/staging/crash-when-the-token-is-missing.md").read_text()
    assert key not in draft + out + err
    assert code == 0
