"""The example GitHub Actions workflow (docs/examples/pattern-review.yml): its shape, and its review step run as CI runs it, on a merge commit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from attune.patterns.review_text import MARKER
from tests.helpers import build_tree, commit_all, git, write_pattern

WORKFLOW = Path(__file__).resolve().parents[2] / "docs" / "examples" / "pattern-review.yml"


def workflow():
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_the_workflow_has_what_the_review_needs():
    flow = workflow()
    assert flow[True]["pull_request"]["paths"] == [".empathy/**"]  # YAML 1.1 reads the key `on` as true
    assert flow["permissions"] == {"contents": "read", "pull-requests": "write"}
    steps = flow["jobs"]["review"]["steps"]
    assert steps[0] == {"uses": "actions/checkout@v4", "with": {"fetch-depth": 0}}
    review = next(s for s in steps if "empathy patterns review" in s.get("run", ""))
    assert review["env"] == {"BASE_REF": "${{ github.base_ref }}"}
    script = steps[-1]["with"]["script"]
    assert steps[-1]["uses"] == "actions/github-script@v7"
    assert f"const marker = '{MARKER}';" in script
    assert "fs.readFileSync('pattern-review.md', 'utf8')" in script and "> pattern-review.md" in review["run"]


def test_the_review_step_on_a_pull_request_merge_commit(tmp_path, repo):
    build_tree(repo, {".empathy/config.yaml": "version: 1\n"})
    write_pattern(repo, "first")
    commit_all(repo, "base")
    git(repo, "checkout", "-q", "-b", "feature")
    write_pattern(repo, "second", paths=["src/**"])
    commit_all(repo, "add a pattern")
    git(repo, "checkout", "-q", "main")
    write_pattern(repo, "meanwhile-on-main")
    commit_all(repo, "main moves on")
    # actions/checkout with fetch-depth 0: every branch as origin/*, HEAD the merge GitHub prepared
    checkout = tmp_path / "checkout"
    subprocess.run(["git", "clone", "-q", str(repo), str(checkout)], check=True)
    git(checkout, "checkout", "-q", "--detach", "origin/main")
    git(checkout, "merge", "-q", "--no-ff", "-m", "Merge feature into main", "origin/feature")
    step = next(s for s in workflow()["jobs"]["review"]["steps"] if "empathy patterns review" in s.get("run", ""))
    command = step["run"].replace("empathy ", f"{sys.executable} -m attune ", 1)
    env = {**os.environ, "BASE_REF": "main"}
    subprocess.run(["bash", "-c", command], cwd=checkout, env=env, check=True)
    comment = (checkout / "pattern-review.md").read_text(encoding="utf-8")
    assert comment.startswith(MARKER + "\n")
    assert "**1 added**" in comment and "`second`" in comment and "meanwhile-on-main" not in comment
