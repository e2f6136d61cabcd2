from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest
from benchmarks import fakes

from attune.cli import main
from tests.helpers import build_tree, commit_all, git

TOKEN = fakes.github(random.Random("command"))
MAIL = fakes.email(random.Random("command"))


@pytest.fixture
def project(repo, monkeypatch):
    build_tree(
        repo,
        {
            ".gitignore": "build/\n*.log\n",
            "src/app.py": f'GITHUB_TOKEN = "{TOKEN}"\n',
            "src/clean.py": "def add(a, b):\n    return a + b\n",
            "docs/team.md": f"# Team\n\nWrite to {MAIL}.\n",
            "build/out.py": f'leaked = "{TOKEN}"\n',
            "debug.log": f"token={TOKEN}\n",
        },
    )
    (repo / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0" + TOKEN.encode())
    monkeypatch.chdir(repo)
    return repo


def test_a_directory_is_walked_with_gitignore_respected_and_binaries_skipped(project, capsys):
    assert main(["scan"]) == 1
    out, err = capsys.readouterr()
    masked = f"{TOKEN[:7]}…{TOKEN[-3:]}"
    assert out.splitlines() == [
        f"docs/team.md:3: email: {MAIL[: len(MAIL) // 4 - min(3, len(MAIL) // 8)]}…{MAIL[-min(3, len(MAIL) // 8) :]}",
        f"src/app.py:1: github-token: {masked}",
    ]
    assert TOKEN not in out + err
    assert "2 findings in 2 files" in err


def test_named_paths_and_the_kind_switches(project, capsys):
    assert main(["scan", "src", "--secrets"]) == 1
    assert capsys.readouterr().out.startswith("src/app.py:1: github-token: ")
    assert main(["scan", "src", "--pii"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["scan", "src/clean.py"]) == 0


def test_usage_errors_exit_2(project, capsys):
    assert main(["scan", "missing.py"]) == 2
    assert "no such file or directory: missing.py" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["scan", "--secrets", "--pii"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["scan", "--format", "xml"])
    assert exc.value.code == 2


def test_outside_git_every_file_is_scanned(tmp_path, monkeypatch, capsys):
    build_tree(tmp_path, {"a/b.env": f"TOKEN={TOKEN}\n", "c.txt": "nothing\n"})
    monkeypatch.chdir(tmp_path)
    assert main(["scan", "."]) == 1
    assert capsys.readouterr().out.startswith("a/b.env:1: github-token: ")


def test_staged_scans_the_index_not_the_working_tree(project, capsys):
    git(project, "add", "src/clean.py")
    assert main(["scan", "--staged"]) == 0
    (project / "src/clean.py").write_text(f'x = "{TOKEN}"\n')  # unstaged edit: not what would be committed
    assert main(["scan", "--staged"]) == 0
    git(project, "add", "src/clean.py")
    (project / "src/clean.py").write_text("x = 1\n")  # staged secret, clean working tree
    assert main(["scan", "--staged"]) == 1
    assert capsys.readouterr().out.startswith("src/clean.py:1: github-token: ")


def test_json_output(project, capsys):
    assert main(["scan", "src", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data == {
        "findings": [
            {
                "kind": "secret",
                "type": "github-token",
                "file": "src/app.py",
                "line": 1,
                "masked": f"{TOKEN[:7]}…{TOKEN[-3:]}",
            }
        ],
        "not_scanned": [],
    }


def test_sarif_output_is_sarif_2_1_0(project, capsys):
    assert main(["scan", "--format", "sarif"]) == 1
    log = json.loads(capsys.readouterr().out)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = sorted(run["results"], key=lambda r: r["ruleId"])
    assert [
        (
            r["ruleId"],
            r["level"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in results
    ] == [
        ("email", "warning", "docs/team.md", 3),
        ("github-token", "error", "src/app.py", 1),
    ]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    assert TOKEN not in json.dumps(log)


def test_pragma_allowlist_secret(project, capsys):
    (project / "src/app.py").write_text(f'GITHUB_TOKEN = "{TOKEN}"  # pragma: allowlist secret\n')
    assert main(["scan", "src"]) == 0


def test_update_baseline_then_only_new_findings_are_reported(project, capsys):
    assert main(["scan", "--update-baseline"]) == 0
    baseline = json.loads((project / ".secrets.baseline").read_text())
    assert set(baseline["results"]) == {"src/app.py", "docs/team.md"}
    assert baseline["plugins_used"] and baseline["filters_used"] and baseline["version"]
    assert TOKEN not in (project / ".secrets.baseline").read_text()
    assert main(["scan"]) == 0
    other = fakes.github(random.Random("new"))
    (project / "src/new.py").write_text(f'T = "{other}"\n')
    assert main(["scan"]) == 1
    assert capsys.readouterr().out.splitlines() == [f"src/new.py:1: github-token: {other[:7]}…{other[-3:]}"]


def test_a_broken_baseline_is_a_clear_error(project, capsys):
    (project / ".secrets.baseline").write_text('{\n  "results": [\n')
    assert main(["scan"]) == 1
    err = capsys.readouterr().err
    assert ".secrets.baseline:3: not valid JSON" in err and "--update-baseline" in err


def _detect_secrets(*args, cwd):
    exe = __import__("pathlib").Path(sys.executable).with_name("detect-secrets")
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, check=False)


def test_a_baseline_written_by_detect_secrets_is_honoured(project, capsys):
    commit_all(project, "initial")
    result = _detect_secrets("scan", cwd=project)
    assert result.returncode == 0, result.stderr
    (project / ".secrets.baseline").write_text(result.stdout)
    assert "src/app.py" in json.loads(result.stdout)["results"]
    assert main(["scan", "--secrets"]) == 0


def test_detect_secrets_reads_and_accepts_our_baseline(project, capsys):
    commit_all(project, "initial")
    assert main(["scan", "src", "--secrets", "--update-baseline"]) == 0
    # detect-secrets' own hook finds nothing new against our baseline
    exe = __import__("pathlib").Path(sys.executable).with_name("detect-secrets-hook")
    hook = subprocess.run(
        [str(exe), "--baseline", ".secrets.baseline", "src/app.py"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert hook.returncode == 0, hook.stdout + hook.stderr
    # and its scan, updating our baseline in place, keeps the finding as known
    rescan = _detect_secrets("scan", "--baseline", ".secrets.baseline", cwd=project)
    assert rescan.returncode == 0, rescan.stderr
    kept = json.loads((project / ".secrets.baseline").read_text())["results"]["src/app.py"]
    assert {item["type"] for item in kept} >= {"GitHub Token"}


def test_detect_secrets_keeps_reading_a_baseline_with_types_it_does_not_know(project, capsys):
    key = fakes.anthropic(random.Random("ours"))
    (project / "src/llm.py").write_text(f'ANTHROPIC = "{key}"\n')
    commit_all(project, "initial")
    assert main(["scan", "--update-baseline"]) == 0
    types = {
        i["type"]
        for items in json.loads((project / ".secrets.baseline").read_text())["results"].values()
        for i in items
    }
    assert {"email", "GitHub Token"} <= types
    exe = __import__("pathlib").Path(sys.executable).with_name("detect-secrets-hook")
    hook = subprocess.run(
        [str(exe), "--baseline", ".secrets.baseline", "src/app.py", "src/llm.py"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    # 3: it rewrote the file without the entries it does not produce; 1 would mean it found new secrets
    assert hook.returncode in (0, 3) and "Potential secrets" not in hook.stdout, hook.stdout


def test_a_directory_git_ignores_is_scanned_when_named(project, capsys):
    assert main(["scan", "build"]) == 1
    assert capsys.readouterr().out.startswith("build/out.py:1: github-token: ")


def test_update_baseline_keeps_audit_marks_and_entries_of_files_not_rescanned(project, capsys):
    assert main(["scan", "--update-baseline"]) == 0
    path = project / ".secrets.baseline"
    data = json.loads(path.read_text())
    for item in data["results"]["src/app.py"]:
        item["is_secret"] = False  # audited as a false alarm with `detect-secrets audit`
    path.write_text(json.dumps(data))
    assert main(["scan", "src", "--update-baseline"]) == 0
    again = json.loads(path.read_text())["results"]
    assert all(item["is_secret"] is False for item in again["src/app.py"])
    assert "docs/team.md" in again  # not rescanned, still there
    (project / "docs/team.md").unlink()
    assert main(["scan", "src", "--update-baseline"]) == 0
    assert "docs/team.md" not in json.loads(path.read_text())["results"]  # its file is gone


def test_scanning_clean_files_never_loads_the_engine_and_a_candidate_does(tmp_path):
    """Issue 15: the engine's regexes and provider formats cost a small scan more than the scan itself."""
    import subprocess
    import sys

    clean = tmp_path / "app.py"
    clean.write_text("import os\n\n\ndef main():\n    return os.environ.get('HOME')\n")
    leaky = tmp_path / "settings.py"
    leaky.write_text('GITHUB_TOKEN = "' + "ghp_" + "A1b2C3d4" * 4 + 'Zz9x"\n')
    for path, code, loaded in ((clean, 0, False), (leaky, 1, True)):
        probe = (
            "import sys\nfrom attune import cli\n"
            f"code = cli.main(['scan', {str(path)!r}])\n"
            "print(code, 'attune.scan.engine' in sys.modules)"
        )
        out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
        assert out.splitlines()[-1] == f"{code} {loaded}"
