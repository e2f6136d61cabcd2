"""The wizards through `empathy wizard ...`, without an API key: the offline paths."""

from __future__ import annotations

import ast
import json

import pytest

from attune import config
from attune.cli import main
from attune.llm import ledger
from attune.llm.wizards import WIZARDS
from attune.llm.wizards.bug_pattern import fix_reasons, is_fix_commit
from attune.patterns import store
from tests.helpers import EMAIL, build_tree, commit_all, fake_secret

TOKEN = fake_secret("github")


@pytest.fixture
def project(repo):
    build_tree(
        repo, {".empathy/config.yaml": "version: 1\n", "src/app.py": "import os\n\n\ndef run():\n    return 1\n"}
    )
    commit_all(repo, "start")
    return repo


def run(project, capsys, *args):
    code = main(["wizard", "run", *args, "--root", str(project)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_registry_has_at_least_five_wizards_and_list_shows_their_routes(project, capsys):
    assert set(WIZARDS) >= {"security-review", "bug-pattern", "session-summary", "code-review", "test-gen"}
    assert main(["wizard", "list", "--root", str(project)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:4] == ["security-review", "review_security", "capable", "claude-sonnet-5-5"]
    assert lines[3].split()[:4] == ["code-review", "review_code", "cheap", "claude-haiku-5-5"]  # starts one tier low


def test_unknown_wizard(project, capsys):
    assert main(["wizard", "run", "secruity-review"]) == 1
    assert "unknown wizard 'secruity-review'; known: security-review, bug-pattern" in capsys.readouterr().err


def test_security_review_offline_finds_what_the_static_checks_cover(project, capsys):
    build_tree(project, {
        "src/app.py": "import os\nimport subprocess\n\n\ndef run(cmd):\n    return subprocess.run(cmd, shell=True)\n",
        "src/settings.py": f'GITHUB_TOKEN = "{TOKEN}"\nOWNER = "{EMAIL}"\n',
    })  # fmt: skip
    code, out, err = run(project, capsys, "security-review")
    assert code == 1  # findings
    assert out.splitlines()[0] == "security-review of 2 changed files (offline)"
    assert "src/settings.py:1: critical: hard-coded secret (github-token)" in out
    assert "src/app.py:6: high: a shell command line: injection if any part comes from input" in out
    assert "src/settings.py:2: medium: personal data in the code (email)" in out
    assert TOKEN not in out + err and "jane.doe" not in out + err
    # the secret keeps the diff on this machine, before the missing key is even noticed
    assert err.strip() == (
        "empathy: security-review: refusing to send the security-review prompt: it holds a secret (github-token at "
        "line 35); remove it from the input, or run with --offline; ran the offline fallback instead"
    )
    assert [e.outcome for e in ledger.read(project).entries] == ["refused_secret"]


def test_without_a_key_the_wizard_says_so_in_one_line_and_works_offline(project, capsys):
    build_tree(project, {"src/app.py": "import os\n\n\ndef run():\n    breakpoint()\n"})
    code, out, err = run(project, capsys, "code-review")
    assert code == 0
    assert err == (
        "empathy: code-review: no API key: set ANTHROPIC_API_KEY (Claude Code may scrub it from hook environments); "
        "ran the offline fallback instead\n"
    )
    assert out.splitlines()[0] == "code-review of 1 changed file (offline)"
    assert "src/app.py:5: issue: a debugger call left in" in out
    assert [e.outcome for e in ledger.read(project).entries] == ["no_key"]


def test_security_review_offline_flag_and_json(project, capsys):
    build_tree(project, {"src/load.py": "import yaml\n\n\ndef load(p):\n    return yaml.load(open(p))\n"})
    code, out, err = run(project, capsys, "security-review", "--offline", "--json")
    data = json.loads(out)
    assert code == 1 and err == ""
    assert data["offline"] is True and data["model"] is None
    assert data["findings"] == [{
        "severity": "high", "file": "src/load.py", "line": 5, "title": "yaml.load can build arbitrary objects",
        "detail": "matched a static rule on an added line; confirm it is reachable with untrusted data",
        "fix": "use yaml.safe_load",
    }]  # fmt: skip
    assert ledger.read(project).entries == []  # --offline calls nothing, so records nothing


def test_security_review_clean_change_and_no_change(project, capsys):
    build_tree(project, {"src/app.py": "import os\n\n\ndef run():\n    return 2\n"})
    code, out, _ = run(project, capsys, "security-review", "--offline")
    assert code == 0 and "nothing found (they cover common patterns only)" in out
    commit_all(project, "two")
    code, _, err = run(project, capsys, "security-review", "--offline")
    assert code == 1 and "no changes against HEAD" in err


def test_security_review_of_a_branch(project, capsys):
    from tests.helpers import git

    git(project, "checkout", "-q", "-b", "feature")
    build_tree(
        project, {"src/crypto.py": "import hashlib\n\n\ndef digest(p):\n    return hashlib.md5(p).hexdigest()\n"}
    )
    commit_all(project, "weak hash")
    code, out, _ = run(project, capsys, "security-review", "--base", "main", "--offline")
    assert code == 1
    assert "src/crypto.py:5: medium: MD5/SHA-1 are broken for security uses" in out
    assert out.splitlines()[0] == "security-review of 1 changed file since main (offline)"


def test_dry_run_prints_the_scrubbed_prompt_route_and_estimate_and_sends_nothing(project, capsys, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "test-key-not-a-secret")
    build_tree(project, {"src/app.py": f"import os\n\n\ndef run():\n    # owner: {EMAIL}\n    return 1\n"})
    code, out, _ = run(project, capsys, "code-review", "--dry-run")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == (
        "route     review_code -> cheap, claude-haiku-5-5 (effort medium); "
        "escalates once to capable (claude-sonnet-5-5) if the output fails validation"
    )
    assert lines[1].startswith("estimate  $0.") and "nothing was sent" in lines[1]
    assert "+    # owner: [EMAIL]" in out and "jane.doe" not in out
    assert "Changed files: src/app.py" in out
    assert not (project / ".empathy" / "ledger.jsonl").exists()


def test_dry_run_with_a_secret_says_it_would_be_refused(project, capsys):
    build_tree(project, {"src/app.py": f'TOKEN = "{TOKEN}"\n'})
    code, out, _ = run(project, capsys, "security-review", "--dry-run", "--tier", "premium")
    assert code == 0
    assert "route     review_security -> premium, claude-opus-5-5" in out
    assert "(not shown: refusing to send the security-review prompt: it holds a secret (github-token at line" in out
    assert TOKEN not in out


def test_code_review_offline(project, capsys):
    build_tree(
        project,
        {
            "src/app.py": "import os\n\n\ndef run(items=[]):\n    breakpoint()\n    try:\n        return 1\n    except:\n        pass\n"
        },
    )
    code, out, _ = run(project, capsys, "code-review", "--offline")
    assert code == 0
    assert "src/app.py:4: issue: a mutable default is shared by calls" in out
    assert "src/app.py:5: issue: a debugger call left in" in out
    assert "src/app.py:8: issue: a bare except also catches KeyboardInterrupt and SystemExit" in out


def test_bug_pattern_offline_stages_a_valid_draft(project, capsys):
    build_tree(project, {"src/db.py": "def connect(cfg):\n    return cfg['pool']\n"})
    commit_all(project, "db")
    build_tree(project, {"src/db.py": "def connect(cfg):\n    return cfg.get('pool') or make_pool(cfg)\n"})
    sha = commit_all(
        project,
        "fix: KeyError on reconnect\n\nKeyError: 'pool' in connect()\nThe pool key is missing after a failover.",
    )
    code, out, err = run(project, capsys, "bug-pattern")
    assert code == 0, err
    assert "staged .empathy/staging/keyerror-on-reconnect.md: review it before it joins the library" in out
    text = (project / ".empathy" / "staging" / "keyerror-on-reconnect.md").read_text()
    parsed = store.parse(".empathy/staging/keyerror-on-reconnect.md", text, config.DEFAULT)
    assert parsed.problems == ()
    (pattern,) = parsed.patterns
    assert (pattern.title, pattern.status, pattern.source, pattern.paths) == (
        "KeyError on reconnect",
        "staged",
        sha,
        ("src/db.py",),
    )
    assert "drafted offline from commit" in pattern.body
    assert "**Error:** KeyError: 'pool' in connect()" in pattern.body
    assert "**Root cause:** The pool key is missing after a failover." in pattern.body
    assert "+    return cfg.get('pool') or make_pool(cfg)" in pattern.body
    # a second run stages nothing twice, and says where the first draft is
    code, out, err = run(project, capsys, "bug-pattern")
    assert code == 1 and out == ""
    assert err == (
        f"empathy: error: bug-pattern: commit {sha[:12]} is already the source of "
        ".empathy/staging/keyerror-on-reconnect.md; review that draft (or reject it) instead of drafting it again\n"
    )
    assert sorted(p.name for p in (project / ".empathy" / "staging").iterdir()) == ["keyerror-on-reconnect.md"]


def test_bug_pattern_skips_a_commit_that_patterns_extract_staged(project, capsys):
    build_tree(project, {"src/db.py": "def connect(cfg):\n    return cfg.get('pool')\n"})
    sha = commit_all(project, "fix: KeyError on reconnect")
    assert main(["patterns", "extract", "--since", "HEAD~1", "--offline", "--root", str(project)]) == 0
    capsys.readouterr()
    code, _, err = run(project, capsys, "bug-pattern", "--offline")
    assert code == 1 and f"commit {sha[:12]} is already the source of .empathy/staging/" in err


def test_the_offline_error_is_the_one_seen_never_the_raise_the_fix_adds(project, capsys):
    build_tree(project, {"src/db.py": "def connect(cfg):\n    return cfg['pool']\n"})
    commit_all(project, "db")
    build_tree(project, {"src/db.py": "def connect(cfg):\n    raise ValueError('no pool configured')\n"})
    commit_all(
        project,
        "Fix the crash in connect() on a missing pool\n\nThe fix adds `raise ValueError(...)` with a clear message."
        "\n\nBefore it, users saw: TypeError: 'NoneType' object is not subscriptable",
    )
    code, out, err = run(project, capsys, "bug-pattern", "--offline")
    assert code == 0, err
    assert "error: TypeError: 'NoneType' object is not subscriptable" in out.splitlines()
    assert "title: The crash in connect() on a missing pool" in out.splitlines()


def test_without_a_quoted_error_the_subject_names_it_and_a_long_title_ends_at_a_word(project, capsys):
    build_tree(project, {"src/db.py": "def connect(cfg):\n    raise ValueError('no pool')\n"})
    subject = "fix: IndexError when the retry queue is empty " + "and the scheduler wakes up early " * 3
    commit_all(project, subject)
    code, out, err = run(project, capsys, "bug-pattern", "--offline")
    assert code == 0, err
    lines = out.splitlines()
    assert f"error: {subject.removeprefix('fix: ').strip()}" in lines
    (title,) = [line.removeprefix("title: ") for line in lines if line.startswith("title: ")]
    assert title.startswith("IndexError when") and len(title) <= 100 and subject.removeprefix("fix: ").startswith(title)
    assert subject.removeprefix("fix: ")[len(title)] == " "  # cut between words


def test_fix_commits_are_recognised():
    assert is_fix_commit("fix(db): reconnect after failover")
    assert is_fix_commit("Fixes #12: crash on empty input\n\nbody")
    assert is_fix_commit("hotfix for the login regression")
    assert not is_fix_commit("Add a prefix option\n\nThis fixes nothing")
    assert not is_fix_commit("Refactor the fixture loader")
    assert is_fix_commit("Update the parser\n\nFixes acme/app#31")
    assert is_fix_commit("Tidy the loader\n\nTraceback (most recent call last):\n  ...\nKeyError: 'pool'")


GUARD_PATCH = """\
diff --git a/src/db.py b/src/db.py
--- a/src/db.py
+++ b/src/db.py
@@ -4,2 +4,4 @@ def close(pool):
+    if pool is None:
+        return
     pool.close()
"""
TEST_PATCH = """\
diff --git a/src/cli.py b/src/cli.py
--- a/src/cli.py
+++ b/src/cli.py
@@ -1,2 +1,2 @@
-    return argv[0]
+    return argv[0] if argv else ""
diff --git a/tests/test_cli.py b/tests/test_cli.py
--- a/tests/test_cli.py
+++ b/tests/test_cli.py
@@ -1,0 +1,2 @@
+def test_empty_argv():
+    assert main([]) == ""
"""


def test_a_symptom_in_the_subject_counts_only_with_a_guard_or_a_test_in_the_diff():
    assert fix_reasons("Guard against a missing pool", GUARD_PATCH) == [
        "its subject names a symptom and the diff adds a guard"
    ]
    assert fix_reasons("IndexError on empty argv", TEST_PATCH) == [
        "its subject names a symptom and the diff adds a test next to the code change"
    ]
    assert fix_reasons("Guard against a missing pool") == []  # no diff to confirm it
    assert fix_reasons("Close the pool on shutdown", GUARD_PATCH) == []  # a guard, but no symptom
    assert fix_reasons("Add a --prefix option", TEST_PATCH) == []  # a feature with its test
    only_tests = TEST_PATCH[TEST_PATCH.index("diff --git a/tests") :]
    assert fix_reasons("Missing test for empty argv", only_tests) == []  # a test alone fixes nothing


def session(project, name="s1", **fields):
    record = {
        "version": 1, "session_id": name, "started": "2026-11-22T09:00:00Z", "updated": "2026-11-22T10:00:00Z",
        "cwd": str(project), "last_assistant_message": "", "compact_summaries": [], "files_touched": [],
        "timeline": [], "summary": None, **fields,
    }  # fmt: skip
    path = project / ".empathy" / "sessions" / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record))
    return path


def test_session_summary_offline_writes_the_summary_back(project, capsys):
    session(project, "older", last_assistant_message="Nothing.", updated="2026-11-21T08:00:00Z")
    newest = session(
        project, "newest",
        compact_summaries=["We decided to keep the parse cache per user. Whether to cache rule output is unclear. Unclear."],
        last_assistant_message="Done: the cache works.\n\nNext steps:\n- add a benchmark for 10,000 patterns\n- update the README",
        files_touched=["src/attune/patterns/cache.py", "tests/patterns/test_cache.py"],
        timeline=[{"time": "2026-11-22T09:10:00Z", "event": "PostToolUse", "detail": "Edit cache.py"}],
    )  # fmt: skip
    code, out, _ = run(project, capsys, "session-summary")
    assert code == 0
    summary = json.loads(newest.read_text())["summary"]
    assert summary["decisions"] == ["We decided to keep the parse cache per user."]
    assert summary["open_questions"] == ["Whether to cache rule output is unclear."]
    assert summary["next_steps"] == ["add a benchmark for 10,000 patterns", "update the README"]
    assert summary["topics"][:2] == ["cache", "test_cache"]
    assert (summary["offline"], summary["model"]) == (True, None)
    assert json.loads(newest.read_text())["timeline"][0]["detail"] == "Edit cache.py"  # the rest is kept
    assert "summary written to .empathy/sessions/newest.json" in out
    assert json.loads((project / ".empathy" / "sessions" / "older.json").read_text())["summary"] is None


def test_session_summary_errors_name_the_file(project, capsys):
    code, _, err = run(project, capsys, "session-summary")
    assert code == 1 and "no session records in .empathy/sessions/" in err
    bad = project / ".empathy" / "sessions" / "bad.json"
    bad.parent.mkdir()
    bad.write_text('{"version": 1,\n "session_id": }')
    code, _, err = run(project, capsys, "session-summary", str(bad))
    assert code == 1 and "empathy: error: .empathy/sessions/bad.json:2: not valid JSON" in err


def test_test_gen_offline_writes_skeletons_that_parse(project, capsys):
    build_tree(project, {"src/pkg/text.py": (
        "from pathlib import Path\n\n\ndef slug(title: str, limit: int = 60) -> str:\n    return title\n\n\n"
        "def load(path: Path, names: list[str] | None) -> dict:\n    return {}\n\n\n"
        "class Store:\n    def __init__(self, root: Path):\n        self.root = root\n\n\ndef _private():\n    pass\n"
    )})  # fmt: skip
    code, out, _ = run(project, capsys, "test-gen", str(project / "src/pkg/text.py"), "--json")
    data = json.loads(out)
    assert code == 0 and data["offline"] and data["test_file"] == "tests/test_text.py"
    assert [t["target"] for t in data["tests"]] == ["slug", "load", "Store"]
    for test in data["tests"]:
        tree = ast.parse(test["code"])
        assert test["name"] in {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    assert 'result = slug("")' in data["tests"][0]["code"]
    assert "def test_load_with_edge_case_arguments(tmp_path):" in data["tests"][1]["code"]
    assert 'result = load(tmp_path / "missing", None)' in data["tests"][1]["code"]
    assert "from pkg.text import Store" in data["tests"][2]["code"]


@pytest.mark.parametrize(
    ("files", "target", "module"),
    [
        (["src/pkg/__init__.py", "src/pkg/text.py"], "src/pkg/text.py", "pkg.text"),
        (["backend/src/app/__init__.py", "backend/src/app/models/__init__.py", "backend/src/app/models/user.py"],
         "backend/src/app/models/user.py", "app.models.user"),
        (["lib/pkg/__init__.py", "lib/pkg/a.py"], "lib/pkg/a.py", "pkg.a"),
        (["src/pkg/__init__.py"], "src/pkg/__init__.py", "pkg"),
        (["services/api/src/handler.py"], "services/api/src/handler.py", "handler"),
        (["tool.py"], "tool.py", "tool"),
    ],
)  # fmt: skip
def test_test_gen_imports_the_module_as_python_would_find_it(project, capsys, files, target, module):
    build_tree(project, {name: "def f(x):\n    return x\n" if name == target else "" for name in files})
    code, out, _ = run(project, capsys, "test-gen", str(project / target), "--offline", "--json")
    assert code == 0
    assert f"from {module} import f" in json.loads(out)["tests"][0]["code"]


def test_wizard_help_lists_its_own_and_the_common_flags(project, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["wizard", "run", "security-review", "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "--base REF" in out and "--dry-run" in out and "--offline" in out and "--tier" in out


def test_an_unusable_cache_directory_still_gets_the_offline_work_done(project, capsys, monkeypatch, tmp_path):
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("EMPATHY_CACHE_DIR", str(tmp_path / "a-file" / "cache"))
    build_tree(project, {"src/app.py": "import os\n\n\ndef run():\n    breakpoint()\n"})
    code, out, err = run(project, capsys, "code-review")
    assert code == 0 and "src/app.py:5: issue: a debugger call left in" in out
    assert err == (
        f"empathy: code-review: cannot use {tmp_path / 'a-file' / 'cache'} as the cache directory (Not a directory); "
        "set EMPATHY_CACHE_DIR; ran the offline fallback instead\n"
    )


def test_each_wizard_gets_its_argument_as_a_string_never_a_namespace():
    """A wizard declares its one argument as a record; the runner hands gather its value (issue 15)."""
    from attune.llm.wizards import WIZARDS
    from attune.llm.wizards.base import Argument
    from attune.llm.wizards.run import parser_for

    for name, wizard in WIZARDS.items():
        assert isinstance(wizard.argument, Argument), name
        value = ["--base", "main"] if wizard.argument.flag.startswith("-") else ["main"]
        assert parser_for(wizard).parse_args(value).target == "main", name
        if not wizard.argument.required:
            assert parser_for(wizard).parse_args([]).target == wizard.argument.default, name


@pytest.mark.parametrize("argv", [["wizard", "run", "--help"], ["wizard", "run", "-h"]])
def test_wizard_run_help_without_a_name_lists_the_wizards(project, capsys, argv):
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: empathy wizard run NAME [ARGS]") and "  test-gen " in out


def test_wizard_run_without_a_name_says_so_and_exits_2(project, capsys):
    assert main(["wizard", "run"]) == 2
    captured = capsys.readouterr()
    assert captured.err == "empathy wizard run: name a wizard (see below)\n" and "  bug-pattern " in captured.out


def test_help_before_the_name_is_the_wizards_own_help(project, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["wizard", "run", "--help", "test-gen"])
    assert exited.value.code == 0 and capsys.readouterr().out.startswith("usage: empathy wizard run test-gen")


@pytest.mark.parametrize("argv", [["wizard", "list"], ["costs"], ["route", "summarize"]])
def test_a_reader_that_goes_away_gets_no_traceback(project, argv):
    import os
    import subprocess
    import sys

    read, write = os.pipe()
    os.close(read)  # the reader (`| head -0`) is gone before the first line is written
    try:
        done = subprocess.run([sys.executable, "-m", "attune", *argv, "--root", str(project)], stdout=write,
                              stderr=subprocess.PIPE, text=True, cwd=project, timeout=60, check=False)  # fmt: skip
    finally:
        os.close(write)
    assert done.stderr == "" and done.returncode == 141
