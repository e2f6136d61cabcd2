"""`empathy patterns review` across real commits: what a branch does to the library and its rule files."""

from __future__ import annotations

import json

import pytest

from attune import config
from attune.cli import main
from attune.sync import render, rules
from tests.helpers import build_tree, commit_all, git, pattern, write_pattern

YAML_ERROR = (
    "**Error:** `ConstructorError` while loading settings.yaml\n\n**Root cause:** yaml.load builds objects.\n\n"
)
SAFE_LOAD = YAML_ERROR + "**Fix:** Use yaml.safe_load instead of yaml.load when reading config files."
SAFE_LOAD_AGAIN = YAML_ERROR + (
    "**Fix:** Never call yaml.load on config: parse it with yaml.safe_load, which cannot build arbitrary objects."
)
SCHEMA_CHECK = (
    YAML_ERROR + "**Fix:** Validate config files against the JSON schema in schema.json before reading any key."
)
COSMETIC = """\
---
# Frontmatter comments, key order and quoting do not reach a rule file.
id: keep-me
category: debugging
title: Keep me
status: active
confidence: 0.90
created: 2026-01-01
updated: 2026-01-02
---

{body}
"""


@pytest.fixture
def branch(repo):
    """A base commit on main and a feature branch that adds, changes, removes, promotes, rescopes and breaks."""
    build_tree(repo, {".empathy/config.yaml": "version: 1\n", "src/app.py": "x = 1\n"})
    write_pattern(repo, "keep-me", body=SAFE_LOAD)
    write_pattern(repo, "edit-me", "security", body="Hash passwords with argon2id.")
    write_pattern(repo, "remove-me", paths=["src/api/**"])
    write_pattern(repo, "rescope-me", "inspection", paths=["src/**/*.py"], body="Name modules as nouns.")
    write_pattern(repo, "promote-me", status="staged")
    write_pattern(repo, "break-me", "tech_debt", body="The billing module has no tests; change it in small steps.")
    build_tree(repo, {".empathy/staging/from-staging.md": pattern("from-staging", status="staged")})
    base = commit_all(repo, "base library")
    git(repo, "checkout", "-q", "-b", "feature")
    (repo / ".empathy/patterns/debugging/keep-me.md").write_text(COSMETIC.format(body=SAFE_LOAD))
    write_pattern(repo, "edit-me", "security", body="Hash passwords with argon2id; never with bcrypt or sha256.")
    (repo / ".empathy/patterns/debugging/remove-me.md").unlink()
    write_pattern(repo, "rescope-me", "inspection", paths=["tests/**"], body="Name modules as nouns.")
    write_pattern(repo, "promote-me")
    (repo / ".empathy/staging/from-staging.md").unlink()
    write_pattern(repo, "from-staging")
    (repo / ".empathy/patterns/tech_debt/break-me.md").write_text("---\nid: break-me\nstatus: [unclosed\n---\nbody\n")
    write_pattern(repo, "new-one", paths=["src/db/**"], body=SAFE_LOAD_AGAIN)
    write_pattern(repo, "not-dup", paths=["src/db/**"], body=SCHEMA_CHECK)
    head = commit_all(repo, "feature: rework the library")
    return repo, base, head


def review(root, capsys, *args):
    code = main(["patterns", "review", "--root", str(root), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_names_every_kind_of_change_and_ignores_a_cosmetic_edit(branch, capsys):
    root, base, head = branch
    code, out, err = review(root, capsys, "--base", "main", "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert (data["base"], data["head"]) == ({"ref": "main", "commit": base}, {"ref": "HEAD", "commit": head})
    assert data["summary"] == {"added": 2, "changed": 2, "removed": 1, "promoted": 2, "unreadable": 1}
    kinds = {p["id"]: (p["kind"], p["fields"]) for p in data["patterns"]}
    assert kinds == {
        "break-me": ("unreadable", []),
        "edit-me": ("changed", ["body"]),
        "from-staging": ("promoted", []),  # a new active pattern whose draft was in .empathy/staging/ at the base
        "new-one": ("added", []),
        "not-dup": ("added", []),
        "promote-me": ("promoted", ["status"]),
        "remove-me": ("removed", []),
        "rescope-me": ("changed", ["paths"]),
    }  # keep-me's frontmatter was rewritten, but nothing that reaches a rule file changed
    rescoped = next(p for p in data["patterns"] if p["id"] == "rescope-me")
    assert (rescoped["paths"], rescoped["before"]) == (["tests/**"], {"paths": ["src/**/*.py"]})


def test_json_rule_files_gain_and_lose_patterns_and_globs(branch, capsys):
    root, _, _ = branch
    data = json.loads(review(root, capsys, "--base", "main", "--format", "json")[1])
    summary = {
        r["file"].removeprefix(".claude/rules/attune/"): (
            r["state"], r["every_session"], r["patterns_added"], r["patterns_removed"], r["patterns_changed"],
            r["globs_added"], r["globs_removed"],
        )
        for r in data["rules"]
    }  # fmt: skip
    assert summary == {
        "bug-patterns.md": ("changed", True, ["from-staging", "promote-me"], [], [], [], []),
        "bug-patterns--api.md": ("removed", False, [], ["remove-me"], [], [], ["src/api/**"]),
        "bug-patterns--db.md": ("new", False, ["new-one", "not-dup"], [], [], ["src/db/**"], []),
        "coding-patterns--src-py.md": ("removed", False, [], ["rescope-me"], [], [], ["src/**/*.py"]),
        "coding-patterns--tests.md": ("new", False, ["rescope-me"], [], [], ["tests/**"], []),
        "security-decisions.md": ("changed", True, [], [], ["edit-me"], [], []),
        "tech-debt-hotspots.md": ("kept", True, [], [], [], [], []),  # the sync keeps it while break-me is broken
    }
    assert [p["path"] for p in data["problems"]] == [".empathy/patterns/tech_debt/break-me.md"]
    assert data["problems"][0]["severity"] == "error"
    assert [(d["pattern"], d["repeats"]) for d in data["duplicates"]] == [("new-one", "keep-me")]


def test_token_figures_match_what_the_real_sync_writes_at_each_commit(branch, capsys):
    root, base, head = branch
    data = json.loads(review(root, capsys, "--base", "main", "--format", "json")[1])
    synced = {}
    for sha in (base, head):  # the same working tree, as a developer who syncs after each checkout
        git(root, "checkout", "-q", sha)
        assert main(["sync", "--root", str(root), "--quiet"]) == 0
        capsys.readouterr()
        found, _ = render.read_generated(root / config.DEFAULT.output_dir)
        synced[sha] = {name: rules.tokens(g.body) for name, g in found.items()}
    every = data["every_session_tokens"]
    unscoped = ("bug-patterns.md", "security-decisions.md", "tech-debt-hotspots.md", "coding-patterns.md")
    assert every["method"] == "rendered"
    assert every["before"] == sum(synced[base].get(n, 0) for n in unscoped)
    assert every["after"] == sum(synced[head].get(n, 0) for n in unscoped)
    assert every["change"] == every["after"] - every["before"] > 0
    for rule in data["rules"]:
        name = rule["file"].rsplit("/", 1)[1]
        assert (rule["tokens_before"], rule["tokens_after"]) == (synced[base].get(name, 0), synced[head].get(name, 0))


def test_markdown_is_a_pull_request_comment(branch, capsys):
    root, base, head = branch
    code, out, _ = review(root, capsys, "--base", "main")
    assert code == 0
    lines = out.splitlines()
    assert lines[:3] == ["<!-- attune-companion: pattern review -->", "### Pattern library review", ""]
    assert lines[3].startswith(
        f"`main` → `HEAD` (`{base[:7]}`..`{head[:7]}`): **2 added, 2 changed, 1 removed, 2 promoted, 1 unreadable**. "
        "Rules loaded in every session: ≈"
    )
    assert "| promoted | `promote-me` Promote me | debugging | everywhere | status: staged → active |" in lines
    assert (
        "| promoted | `from-staging` From staging | debugging | everywhere | promoted from `.empathy/staging/` |"
        in lines
    )
    assert (
        "| changed | `rescope-me` Rescope me | inspection | `tests/**` | paths: `src/**/*.py` → `tests/**` |" in lines
    )
    assert "| removed | `remove-me` Remove me | debugging | `src/api/**` | removed from the library |" in lines
    assert not any("keep-me" in line for line in lines if line.startswith("| "))
    assert any(
        line.startswith("| `bug-patterns--db.md` (new) | `src/db/**` | +`new-one` +`not-dup` | +`src/db/**` | 0 → ")
        for line in lines
    )
    assert "**Problems at head** in the files this change touches:" in lines
    problems = lines[lines.index("```text") + 1]
    assert problems.startswith(".empathy/patterns/tech_debt/break-me.md:")
    assert lines[-1].startswith("- `new-one` and `keep-me` (`.empathy/patterns/debugging/keep-me.md`): ")
    assert lines[-1].endswith("% of their fix words in common")


def test_nothing_changed_is_one_short_line(branch, capsys):
    root, _, head = branch
    build_tree(root, {"src/app.py": "x = 2\n"})
    commit_all(root, "code only")
    code, out, _ = review(root, capsys, "--base", head)
    short = git(root, "rev-parse", "--short=7", "HEAD").strip()
    assert code == 0
    assert out.splitlines()[-1] == f"`{head}` → `HEAD` (`{head[:7]}`..`{short}`): no change to the pattern library."
    data = json.loads(review(root, capsys, "--base", head, "--format", "json")[1])
    assert (data["patterns"], data["rules"], data["problems"], data["duplicates"]) == ([], [], [], [])
    assert data["every_session_tokens"]["change"] == 0


def test_the_review_reads_commits_and_never_touches_the_working_tree(branch, capsys):
    root, _, _ = branch
    committed = review(root, capsys, "--base", "main", "--format", "json")[1]
    write_pattern(root, "uncommitted", body=SAFE_LOAD)  # work in progress is not part of the review
    (root / ".empathy/patterns/security/edit-me.md").unlink()
    status = git(root, "status", "--porcelain")
    assert review(root, capsys, "--base", "main", "--format", "json")[1] == committed
    assert git(root, "status", "--porcelain") == status
    assert not (root / ".claude").exists()


def test_a_branch_reviewed_against_a_base_that_moved_on(branch, capsys):
    root, _, _ = branch
    git(root, "checkout", "-q", "main")
    write_pattern(root, "on-main-later", body=SCHEMA_CHECK)
    commit_all(root, "main moves on")
    git(root, "checkout", "-q", "feature")
    data = json.loads(review(root, capsys, "--base", "main", "--format", "json")[1])
    assert "on-main-later" not in {p["id"] for p in data["patterns"]}  # the merge base, not main's tip


def test_the_head_can_be_any_ref(branch, capsys):
    root, base, _ = branch
    git(root, "checkout", "-q", "main")
    data = json.loads(review(root, capsys, "--base", base, "--head", "feature", "--format", "json")[1])
    assert data["head"]["ref"] == "feature" and data["summary"]["added"] == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--base", "nope"], "empathy: error: --base nope: unknown revision; use a branch, tag or commit"),
        (["--base", "main", "--head", "gone"], "empathy: error: --head gone: unknown revision"),
        (["--base", "main~5"], "empathy: error: --base main~5: unknown revision"),
    ],
)
def test_bad_refs_are_one_line_errors(branch, capsys, args, message):
    root, _, _ = branch
    code, out, err = review(root, capsys, *args)
    assert (code, out) == (1, "")
    assert err.startswith(message) and err.count("\n") == 1


def test_unrelated_histories_say_how_to_fix_it(branch, capsys):
    root, _, _ = branch
    git(root, "checkout", "-q", "--orphan", "other")
    commit_all(root, "unrelated")
    code, _, err = review(root, capsys, "--base", "main")
    assert code == 1
    assert "--base main: no common ancestor with HEAD; in CI, check out the whole history (fetch-depth: 0)" in err


def test_outside_a_git_repository(tmp_path, capsys):
    code, _, err = review(tmp_path, capsys, "--base", "main")
    assert code == 1 and "is not a git repository" in err


def test_titles_cannot_inject_markdown_or_mentions(repo, capsys):
    build_tree(repo, {".empathy/config.yaml": "version: 1\n"})
    commit_all(repo, "start")
    write_pattern(repo, "odd-title", title="Use `x` | see [here](http://evil.invalid) @team <b>", paths=["a|b/**"])
    commit_all(repo, "add")
    out = review(repo, capsys, "--base", "HEAD~1")[1]
    row = next(line for line in out.splitlines() if "odd-title" in line)
    assert row == (
        "| added | `odd-title` Use \\`x\\` \\| see \\[here\\]\\(http://evil.invalid\\) \\@team \\<b\\> | debugging "
        "| `a\\|b/**` | new, active |"
    )


def test_template_overrides_at_each_commit_are_rendered_without_touching_the_tree(repo, capsys):
    build_tree(repo, {".empathy/config.yaml": "version: 1\ntoken_budget: 3\n"})
    write_pattern(repo, "one", body=SAFE_LOAD)
    base = commit_all(repo, "start")
    terse = "# {{ category.title }}\n{% for p in patterns %}- {{ p.title }}\n{% endfor %}"
    build_tree(repo, {".empathy/templates/rules.md.j2": terse})
    commit_all(repo, "a terse template")
    data = json.loads(review(repo, capsys, "--base", base, "--format", "json")[1])
    every = data["every_session_tokens"]
    assert main(["sync", "--root", str(repo), "--quiet"]) == 0
    capsys.readouterr()
    found, _ = render.read_generated(repo / config.DEFAULT.output_dir)
    assert every["after"] == rules.tokens(found["bug-patterns.md"].body) < every["before"]
    # No pattern changed, but the rule file did.
    assert [r["file"] for r in data["rules"]] == [".claude/rules/attune/bug-patterns.md"]
    assert ", over the token_budget of 3)." in review(repo, capsys, "--base", base)[1]


def test_a_config_that_moves_the_templates_is_read_with_every_pattern_at_head(repo, capsys):
    # One git listing reads the config and the folders it names (issue 15): a head that names another
    # templates folder is listed again, and a changed config rereads the files the base had.
    build_tree(repo, {".empathy/config.yaml": "version: 1\n"})
    write_pattern(repo, "one", body=SAFE_LOAD)
    write_pattern(repo, "two", "security", body="Hash passwords with argon2id.")
    base = commit_all(repo, "start")
    terse = "# {{ category.title }}\n{% for p in patterns %}- {{ p.title }}\n{% endfor %}"
    build_tree(repo, {".empathy/config.yaml": "version: 1\ntemplates_dir: tmpl\n", "tmpl/rules.md.j2": terse})
    commit_all(repo, "terse templates in their own folder")
    data = json.loads(review(repo, capsys, "--base", base, "--format", "json")[1])
    assert main(["sync", "--root", str(repo), "--quiet"]) == 0
    capsys.readouterr()
    found, _ = render.read_generated(repo / config.DEFAULT.output_dir)
    every = data["every_session_tokens"]
    assert every["method"] == "rendered"
    assert every["after"] == sum(rules.tokens(g.body) for g in found.values()) < every["before"]
    assert data["patterns"] == []


def test_a_template_that_does_not_render_gives_an_estimate_labelled_approx(repo, capsys):
    build_tree(repo, {".empathy/config.yaml": "version: 1\n"})
    write_pattern(repo, "one", body=SAFE_LOAD)
    base = commit_all(repo, "start")
    build_tree(repo, {".empathy/templates/rules.md.j2": "{% for p in patterns %}\n"})
    commit_all(repo, "a broken template")
    data = json.loads(review(repo, capsys, "--base", base, "--format", "json")[1])
    every = data["every_session_tokens"]
    assert every["method"] == "estimated"
    assert every["note"].startswith("at HEAD: .empathy/templates/rules.md.j2:")
    assert every["before"] == every["after"] > 0
    out = review(repo, capsys, "--base", base)[1]
    assert "(approx.: estimated from titles and bodies, because at HEAD: .empathy/templates/rules.md.j2:" in out
