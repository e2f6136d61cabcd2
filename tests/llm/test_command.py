from __future__ import annotations

import json

import pytest

from attune.cli import main
from tests.helpers import build_tree


def test_route_prints_tier_model_estimate_comparison_and_savings(repo, capsys):
    assert main(["route", "summarize", "--root", str(repo)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:3] == [
        "task      summarize",
        "tier      cheap",
        "model     claude-haiku-5-5 (effort low, max_tokens 1500)",
    ]
    assert out[3].startswith(
        "estimate  $0.000450 for 2,000 input and 500 output tokens (an estimate at the rates of 2026-11-01"
    )
    assert out[4:7] == [
        "compare   cheap    claude-haiku-5-5     $0.000450",
        "          capable  claude-sonnet-5-5    $0.009000",
        "          premium  claude-opus-5-5      $0.018000",
    ]
    assert out[7] == "savings   $0.017550 (97.5%) against always using claude-opus-5-5"


def test_route_json_with_token_counts(repo, capsys):
    assert (
        main(
            [
                "route",
                "review_security",
                "--input-tokens",
                "10000",
                "--output-tokens",
                "2000",
                "--json",
                "--root",
                str(repo),
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["route"]["model"] == "claude-sonnet-5-5"
    assert data["estimate"]["usd"] == 0.04
    assert [c["usd"] for c in data["comparison"]] == [0.002, 0.04, 0.08]
    assert data["savings"]["saved_usd"] == 0.04


@pytest.mark.parametrize(
    ("today", "sonnet_4_5"),
    [
        ("2026-11-29", "is deprecated and retires on 2026-11-30; switch to 'claude-sonnet-5-5'"),
        ("2026-12-07", "is retired and calls to it fail; use 'claude-sonnet-5-5' instead"),
    ],
)
def test_route_follows_config_and_environment_and_warns(repo, capsys, monkeypatch, today, sonnet_4_5):
    build_tree(repo, {".empathy/config.yaml": "llm:\n  models:\n    capable: claude-opus-4-1\n"})
    monkeypatch.setenv("EMPATHY_MODEL_CHEAP", "claude-sonnet-4-5")
    monkeypatch.setenv("EMPATHY_TODAY", today)
    assert main(["route", "fix_bug", "--root", str(repo)]) == 0
    captured = capsys.readouterr()
    assert "model     claude-opus-4-1" in captured.out
    assert captured.err.splitlines() == [
        ".empathy/config.yaml:3: warning: model 'claude-opus-4-1' is retired and calls to it fail; use 'claude-opus-5-5' instead",
        f"empathy: warning: EMPATHY_MODEL_CHEAP=claude-sonnet-4-5: model 'claude-sonnet-4-5' {sonnet_4_5}",
    ]


def test_route_errors(repo, capsys):
    assert main(["route", "summarise", "--root", str(repo)]) == 1
    assert capsys.readouterr().err.startswith("empathy: error: unknown task type 'summarise'; known: summarize,")
    build_tree(repo, {".empathy/config.yaml": "llm:\n  daily_limit_usd: lots\n"})
    assert main(["route", "summarize", "--root", str(repo)]) == 1
    assert "empathy: error: .empathy/config.yaml:2: llm.daily_limit_usd must be a number" in capsys.readouterr().err


def test_route_list_and_costs_import_nothing_heavy(repo):
    import subprocess
    import sys

    (repo / ".empathy").mkdir()
    heavy = ("anthropic", "git", "jinja2", "yaml", "detect_secrets", "diskcache", "httpx2", "watchdog")
    code = (
        "import sys, json\nfrom attune.cli import main\n"
        f"for argv in (['route', 'summarize'], ['wizard', 'list'], ['costs']):\n"
        f"    assert main([*argv, '--root', {str(repo)!r}]) == 0\n"
        f"print(json.dumps([m for m in {heavy!r} if m in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out.splitlines()[-1]) == []
