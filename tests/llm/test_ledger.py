from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from attune.cli import main
from attune.llm import ledger
from attune.llm.costs import report
from attune.llm.prices import Usage


def entry(wizard="security-review", tier="capable", model="claude-sonnet-5-5", usage=None, **kw):
    from attune.llm.prices import cost_of

    usage = Usage(1000, 200) if usage is None else usage
    cost, as_of = cost_of(model, usage, "2026-11-20")
    fields = {
        "time": "2026-11-20T10:00:00Z",
        "wizard": wizard,
        "task": "review_security",
        "tier": tier,
        "model": model,
        "usage": usage,
        "cost_usd": cost,
        "cache_hit": False,
        "saved_usd": 0.0,
        "outcome": "ok",
        "attempt": 1,
        "price_as_of": as_of,
    }
    fields.update(kw)
    return ledger.Entry(**fields)


def raw(entries):
    return ledger.Raw([ledger.as_record(e) for e in entries], range(1, len(entries) + 1), [])


@pytest.fixture
def project(repo):
    (repo / ".empathy").mkdir()
    return repo


def test_entries_round_trip_without_content(project):
    first = entry()
    ledger.append(project, first)
    ledger.append(project, entry(outcome="rate_limited", usage=Usage(), cost_usd=0.0))
    text = (project / ".empathy" / "ledger.jsonl").read_text()
    assert len(text.splitlines()) == 2
    assert set(json.loads(text.splitlines()[0])) == {
        "time",
        "wizard",
        "task",
        "tier",
        "model",
        "input_tokens",
        "output_tokens",
        "cache_creation_input_tokens",
        "cache_read_input_tokens",
        "cost_usd",
        "cache_hit",
        "saved_usd",
        "outcome",
        "attempt",
        "price_as_of",
    }
    reading = ledger.read(project)
    assert reading.entries[0] == first
    assert reading.bad_lines == []
    assert (project / ".empathy" / "ledger.jsonl").stat().st_mode & 0o777 == 0o600


def test_torn_lines_are_reported_and_skipped(project):
    ledger.append(project, entry())
    with (project / ".empathy" / "ledger.jsonl").open("a") as handle:
        handle.write('{"time": "2026-11-20T1\n\n{"wizard": "x"}\n')
    ledger.append(project, entry(wizard="code-review"))
    reading = ledger.read(project)
    assert [e.wizard for e in reading.entries] == ["security-review", "code-review"]
    assert reading.bad_lines == [2, 4]


def test_appends_from_several_processes_never_interleave(project):
    code = textwrap.dedent(f"""
        from pathlib import Path
        from attune.llm import ledger
        from attune.llm.prices import Usage
        e = ledger.Entry("2026-11-20T10:00:00Z", "w" * 300, "summarize", "cheap", "claude-haiku-5-5",
                         Usage(1, 1), 0.000001, False, 0.0, "ok", 1, "2026-11-01")
        for _ in range(200):
            ledger.append(Path({str(project)!r}), e)
    """)
    procs = [subprocess.Popen([sys.executable, "-c", code]) for _ in range(4)]
    assert [p.wait(timeout=60) for p in procs] == [0] * 4
    reading = ledger.read(project)
    assert len(reading.entries) == 800 and reading.bad_lines == []


def test_report_totals_by_wizard_tier_cache_and_premium():
    entries = [
        entry(),
        entry(wizard="session-summary", tier="cheap", model="claude-haiku-5-5", usage=Usage(10_000, 1000)),
        entry(outcome="invalid", tier="cheap", model="claude-haiku-5-5", usage=Usage(2000, 100), attempt=1),
        entry(cache_hit=True, outcome="cache_hit", usage=Usage(), cost_usd=0.0, saved_usd=0.004),
        entry(outcome="no_key", usage=Usage(), cost_usd=0.0),
        entry(model="claude-unknown", cost_usd=None, price_as_of=None),
    ]
    result = report(raw(entries), "claude-opus-5-5", None)
    sonnet = (1000 * 2 + 200 * 10) / 1e6
    haiku = (10_000 * 0.1 + 1000 * 0.5) / 1e6
    invalid = (2000 * 0.1 + 100 * 0.5) / 1e6
    assert result.calls == 4 and result.unpriced == 1
    assert result.total_usd == pytest.approx(sonnet + haiku + invalid)
    assert result.by_wizard["security-review"].calls == 2
    assert result.by_wizard["security-review"].usd == pytest.approx(sonnet + invalid)
    assert result.by_tier["cheap"].usd == pytest.approx(haiku + invalid)
    assert (result.cache_hits, result.cache_saved_usd) == (1, pytest.approx(0.004))
    premium = (13_000 * 4 + 1300 * 20) / 1e6
    assert result.premium_usd == pytest.approx(premium)
    assert result.routing_saved_usd == pytest.approx(premium - result.total_usd)
    assert not result.converted
    assert result.outcomes == {"ok": 3, "invalid": 1, "cache_hit": 1, "no_key": 1}


def test_report_skips_records_it_cannot_add_up_and_names_their_lines():
    good = ledger.as_record(entry())
    records = [good, {**good, "input_tokens": "many"}, {**good, "cost_usd": "free"}, {"time": "x"}, [1, 2], "text"]
    result = report(ledger.Raw(records, [1, 2, 3, 4, 5, 6], [7]), "claude-opus-5-5", None)
    assert result.calls == 1 and result.total_usd == pytest.approx(good["cost_usd"])
    assert result.bad_lines == [2, 3, 4, 5, 6, 7]


def test_premium_comparison_converts_tokens_across_tokenizers():
    result = report(
        raw([entry(model="claude-haiku-4-5", tier="cheap", usage=Usage(10_000, 1000))]), "claude-opus-5-5", None
    )
    assert result.converted
    assert result.premium_usd == pytest.approx((13_000 * 4 + 1300 * 20) / 1e6)


def test_costs_command_text_json_and_since(project, capsys):
    ledger.append(project, entry())
    ledger.append(project, entry(time="2026-11-22T09:00:00Z", wizard="code-review"))
    ledger.append(
        project,
        entry(
            time="2026-11-22T09:05:00Z",
            cache_hit=True,
            outcome="cache_hit",
            saved_usd=0.004,
            cost_usd=0.0,
            usage=Usage(),
        ),
    )
    assert main(["costs", "--root", str(project)]) == 0
    out = capsys.readouterr().out
    assert "LLM costs, all time (from .empathy/ledger.jsonl)" in out
    assert "total            $0.0080  2 call(s), 1 cache hit(s), 0 skipped or failed" in out
    assert "    code-review        $0.0040  1 call(s)" in out
    assert "cache saved      $0.0040  (1 hit(s) at the original cost)" in out
    assert (
        "always premium   $0.0160  on claude-opus-5-5 (estimate: the same recorded tokens); routing saved $0.0080 (50%)"
        in out
    )
    assert main(["costs", "--root", str(project), "--since", "2026-11-21", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["calls"] == 1 and data["by_wizard"] == {"code-review": [1, pytest.approx(0.004)]}
    assert data["since"] == "2026-11-21"


def test_costs_rejects_a_bad_date_and_needs_a_project(project, tmp_path, capsys):
    assert main(["costs", "--root", str(project), "--since", "yesterday"]) == 1
    assert "empathy: error: --since yesterday: not a date; use YYYY-MM-DD" in capsys.readouterr().err
    assert main(["costs", "--root", str(project)]) == 0
    assert "total            $0.0000  0 call(s)" in capsys.readouterr().out
