"""`empathy report`: the figures match their sources; nothing secret or personal reaches the page (issue 17)."""

from __future__ import annotations

import json
import subprocess
import sys

from attune import cli
from tests.helpers import EMAIL, run_cli
from tests.report.conftest import SECRET


def figures(capsys, root, *args):
    code, out, err = run_cli(capsys, "report", "--json", "--days", "7", "--root", str(root), *args)
    assert code == 0, err
    return json.loads(out)


def test_the_figures_are_the_sources_counted_over_the_period(project, capsys):
    data = figures(capsys, project)
    assert (data["today"], data["since"], data["days"]) == ("2026-11-15", "2026-11-09", 7)
    lib = data["library"]
    assert lib["by_category"] == {"debugging": {"active": 2}, "security": {"deprecated": 1}}
    assert lib["staged"] == [{"id": "retry-storm", "title": "Retry storm on 503", "category": "debugging",
                              "age_days": 10}]  # fmt: skip
    assert lib["problem_count"] == 2
    assert lib["problems"] == [".empathy/patterns/debugging/broken.md:1: missing field 'category'",
                               ".empathy/patterns/debugging/broken.md:1: missing field 'title'"]  # fmt: skip
    rules = {r["name"]: r for r in data["rules"]["files"]}
    assert set(rules) == {"bug-patterns.md", "bug-patterns--api.md"}
    assert (rules["bug-patterns.md"]["loads"], rules["bug-patterns.md"]["scope"]) == (2, [])
    assert (rules["bug-patterns--api.md"]["loads"], rules["bug-patterns--api.md"]["scope"]) == (1, ["src/api/**"])
    assert (rules["bug-patterns--api.md"]["delivered"], rules["bug-patterns.md"]["delivered"]) == (1, 0)
    assert rules["bug-patterns--api.md"]["last_loaded"] == "2026-11-14T10:05:00Z"
    assert data["rules"]["always_tokens"] == rules["bug-patterns.md"]["tokens"] > 0
    assert data["rules"]["never_loaded"] == [] and data["rules"]["budget"] == 2000
    guards = data["guards"]
    assert guards["blocked"] == 3 and guards["by_tool"] == {"Write": 1, "Bash": 1, "prompt": 1}
    assert guards["by_type"] == {"GitHub Token": 2, "AWS Access Key": 1}
    assert guards["by_day"] == {"2026-11-13": 1, "2026-11-14": 2}
    assert guards["redactions"] == {"session.redacted": 1}
    assert guards["hook_errors"] == {"PreToolUse": 1, "Stop": 1} and guards["failed_open"] == 0
    costs = data["costs"]
    assert costs["calls"] == 2 and round(costs["total_usd"], 6) == 0.005
    assert costs["by_day"] == {"2026-11-14": 0.002, "2026-11-15": 0.003}
    assert round(costs["cache_saved_usd"], 6) == 0.003 and costs["daily_limit_usd"] == 2.0
    assert [s["id"] for s in data["sessions"]["recent"]] == ["s2", "s1"] and data["sessions"]["total"] == 2
    assert data["sessions"]["recent"][1]["decisions"] == ["use jitter"]


def test_a_longer_period_takes_in_the_older_entries(project, capsys):
    data = figures(capsys, project, "--days", "60")
    assert data["guards"]["by_tool"]["Read"] == 1 and data["guards"]["hook_errors"]["PreToolUse"] == 2
    assert data["costs"]["calls"] == 3 and data["sessions"]["total"] == 3


def test_failed_open_counts_guarded_errors_when_on_error_allows(project, capsys):
    (project / ".empathy/config.yaml").write_text("version: 1\nhooks:\n  on_error: allow\n")
    guards = figures(capsys, project)["guards"]
    assert (guards["failed_open"], guards["on_error"]) == (1, "allow")


def test_the_page_has_every_section_and_the_same_figures(project, capsys):
    code, out, err = run_cli(capsys, "report", "--days", "7", "--root", str(project))
    assert code == 0, err
    assert out == f"wrote {project}/.empathy/report.html (2026-11-09 to 2026-11-15)\n"
    page = (project / ".empathy/report.html").read_text()
    for anchor in ("library", "rules", "guards", "costs", "sessions"):
        assert f'<section id="{anchor}">' in page
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page
    assert page.count('<svg class="chart"') >= 6
    assert "<td>retry-storm</td><td>Retry storm on 503</td><td>debugging</td><td>10</td>" in page
    assert "<td>bug-patterns--api.md</td><td>src/api/**</td>" in page


def test_the_default_page_is_ignored_by_git(project, capsys):
    cli.main(["init", "--root", str(project)])
    cli.main(["report", "--root", str(project)])
    ignored = subprocess.run(["git", "check-ignore", "-q", ".empathy/report.html"], cwd=project, check=False)
    assert ignored.returncode == 0


def test_nothing_secret_or_personal_reaches_the_page_or_the_json(planted, capsys):
    code, out, err = run_cli(capsys, "report", "--days", "7", "--out", "-", "--root", str(planted))
    assert code == 0, err
    data = json.dumps(figures(capsys, planted))
    for text in (out, data, err):
        assert SECRET not in text and EMAIL not in text
        assert SECRET[4:20] not in text  # not a fragment either
    assert "[SECRET:" in out  # the planted values were seen and replaced, not lost by accident


def test_bad_days_and_unwritable_out_are_one_line_errors(project, capsys):
    assert run_cli(capsys, "report", "--days", "0", "--root", str(project))[:3:2] == (
        1,
        "empathy: error: --days 0: give a number of days from 1 to 3660\n",
    )
    (project / "ro").mkdir()
    (project / "ro" / "x.html").mkdir()
    code, _, err = run_cli(capsys, "report", "--out", str(project / "ro" / "x.html"), "--root", str(project))
    assert code == 1 and err.startswith("empathy: error: ") and err.count("\n") == 1


def test_damaged_sources_give_empty_figures_not_errors(repo, capsys):
    (repo / ".empathy/logs").mkdir(parents=True)
    (repo / ".empathy/audit.jsonl").write_text('{"time": "2026-11-15T0\n\x00\x00\n[1,2]\n')
    (repo / ".empathy/ledger.jsonl").write_text("not json\n")
    (repo / ".empathy/logs/instructions.jsonl").write_bytes(b"\xff\xfe\n")
    data = figures(capsys, repo)
    assert data["guards"]["blocked"] == 0 and data["costs"]["calls"] == 0 and data["rules"]["files"] == []


def test_report_runs_as_a_real_process(project):
    done = subprocess.run([sys.executable, "-m", "attune", "report", "--out", "-"], cwd=project,
                          capture_output=True, text=True, check=True)  # fmt: skip
    assert done.stdout.startswith("<!DOCTYPE html>") and done.stderr == ""


def test_active_sessions_and_their_leases_come_from_the_team_store(project, capsys):
    from attune.team import api as team
    from attune.team import leases, live

    store = team.open_store(str(project))
    live.touch(store, "s-live", str(project), doing="fixing the retry storm")
    leases.take(store, "src/api/a.py", "s-live", 600)
    active = figures(capsys, project)["sessions"]["active"]
    assert [(a["session"], a["files"], a["doing"]) for a in active] == [
        ("s-live", ["src/api/a.py"], "fixing the retry storm")
    ]
    code, out, _ = run_cli(capsys, "report", "--out", "-", "--root", str(project))
    assert code == 0
    assert "<h3>Active sessions and leases</h3>" in out and "<td>s-live</td><td>src/api/a.py</td>" in out


def test_a_link_or_a_pipe_in_place_of_a_log_reads_as_an_empty_log(project, capsys, tmp_path):
    import os

    private = tmp_path / "private.jsonl"
    private.write_text('{"time": "2026-11-15T01:00:00Z", "action": "hook.blocked", "tool": "Outside"}\n')
    (project / ".empathy/audit.jsonl").unlink()
    (project / ".empathy/audit.jsonl").symlink_to(private)
    (project / ".empathy/logs/hooks.log").unlink()
    os.mkfifo(project / ".empathy/logs/hooks.log")  # reading it would hang the report
    guards = figures(capsys, project)["guards"]
    assert guards["blocked"] == 0 and guards["hook_errors"] == {}
