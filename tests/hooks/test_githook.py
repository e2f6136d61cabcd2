from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time

from attune import cli
from tests.helpers import build_tree, commit_all, git

WORKING = f"{shlex.quote(sys.executable)} -m attune"


def hook_file(repo):
    return repo / ".git/hooks/post-commit"


def test_install_writes_an_executable_post_commit_hook(repo, capsys):
    assert cli.main(["hooks", "install", "--git", "--root", str(repo), "--command", WORKING]) == 0
    text = hook_file(repo).read_text()
    assert text.startswith("#!/bin/sh\n# >>> attune-companion")
    assert f"{WORKING} wizard trigger post-commit >/dev/null 2>&1 || true" in text
    assert os.access(hook_file(repo), os.X_OK)
    assert "installed the post-commit trigger" in capsys.readouterr().out


def test_install_is_idempotent(repo, capsys):
    for _ in range(2):
        cli.main(["hooks", "install", "--git", "--root", str(repo), "--command", WORKING])
    assert hook_file(repo).read_text().count("# >>> attune-companion") == 1
    assert capsys.readouterr().out.endswith("nothing to change\n")


def test_an_existing_hook_keeps_its_lines_and_ours_runs_before_an_exec(repo):
    theirs = '#!/usr/bin/env bash\necho "their hook"\nexec python -m pre_commit hook-impl --hook-type=post-commit\n'
    hook_file(repo).write_text(theirs)
    cli.main(["hooks", "install", "--git", "--root", str(repo), "--command", WORKING])
    lines = hook_file(repo).read_text().splitlines()
    assert lines[0] == "#!/usr/bin/env bash"
    assert lines[1].startswith("# >>> attune-companion")
    assert lines[-2:] == ['echo "their hook"', "exec python -m pre_commit hook-impl --hook-type=post-commit"]
    cli.main(["hooks", "uninstall", "--git", "--root", str(repo)])
    assert hook_file(repo).read_text() == theirs


def test_uninstall_removes_a_hook_that_held_only_ours(repo):
    cli.main(["hooks", "install", "--git", "--root", str(repo), "--command", WORKING])
    cli.main(["hooks", "uninstall", "--git", "--root", str(repo)])
    assert not hook_file(repo).exists()


def test_a_hook_that_is_not_a_shell_script_is_refused(repo, capsys):
    hook_file(repo).write_text("#!/usr/bin/env python3\nprint('mine')\n")
    assert cli.main(["hooks", "install", "--git", "--root", str(repo), "--command", WORKING]) == 1
    assert "is not a shell script" in capsys.readouterr().err
    assert hook_file(repo).read_text() == "#!/usr/bin/env python3\nprint('mine')\n"


def test_core_hooks_path_is_respected(repo):
    git(repo, "config", "core.hooksPath", "githooks")
    cli.main(["hooks", "install", "--git", "--root", str(repo), "--command", WORKING])
    assert (repo / "githooks/post-commit").is_file()
    assert not hook_file(repo).exists()


def test_outside_a_git_repository(tmp_path, capsys):
    assert cli.main(["hooks", "install", "--git", "--root", str(tmp_path)]) == 1
    assert "not a git repository" in capsys.readouterr().err


def test_a_real_commit_runs_the_trigger_and_never_waits(repo):
    """With the security-review trigger on and no API key, the commit returns and a wizard starts detached."""
    cli.main(["init", "--root", str(repo)])
    build_tree(repo, {".empathy/config.yaml": "triggers:\n  security-review: true\n", "app.py": "print(1)\n"})
    commit_all(repo, "first")
    cli.main(["hooks", "install", "--git", "--root", str(repo), "--command", WORKING])
    build_tree(repo, {"app.py": "print(2)\n"})
    git(repo, "add", "-A")
    env = {**os.environ, "ANTHROPIC_API_KEY": ""}
    done = subprocess.run(
        ["git", "-C", str(repo), "commit", "-q", "-m", "second"], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    log = repo / ".empathy/logs/wizards.log"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and "security-review" not in (log.read_text() if log.exists() else ""):
        time.sleep(0.05)
    assert "empathy wizard run security-review --base" in log.read_text()
