from __future__ import annotations

import pytest

from attune import config
from attune.llm import settings


def test_defaults_without_sections():
    parsed, problems = config.parse("version: 1\n")
    assert problems == []
    assert parsed.llm == settings.DEFAULT
    assert parsed.triggers == settings.Triggers((), False, False)  # nothing starts by itself until asked


def test_full_sections_parse():
    text = (
        "llm:\n"
        "  models:\n"
        "    cheap: claude-haiku-4-5\n"
        "    premium: claude-opus-5\n"
        "  daily_limit_usd: 0.5\n"
        "  deadline_seconds: 20\n"
        "  cache_ttl_hours: 0\n"
        "triggers:\n"
        "  session-summary: [Stop, PreCompact]\n"
        "  security-review: true\n"
        "  bug-pattern: true\n"
    )
    parsed, problems = config.parse(text)
    assert problems == []
    assert parsed.llm == settings.LlmSettings({"cheap": "claude-haiku-4-5", "premium": "claude-opus-5"}, 0.5, 20.0, 0.0)
    assert parsed.triggers == settings.Triggers(("Stop", "PreCompact"), True, True)


@pytest.mark.parametrize(
    ("today", "sonnet_4_5"),
    [
        ("2026-11-29", "deprecated and retires on 2026-11-30"),
        ("2026-11-30", "is retired and calls to it fail"),
        ("2027-06-01", "is retired and calls to it fail"),
    ],
)
def test_deprecated_and_retired_models_in_config_warn_with_their_line(today, sonnet_4_5):
    text = "version: 1\nllm:\n  models:\n    capable: claude-sonnet-4-5\n    premium: claude-opus-4-1\n"
    parsed, problems = config.parse(text, today=today)
    assert [(p.line, p.warning) for p in problems] == [(4, True), (5, True)]
    assert sonnet_4_5 in problems[0].message
    assert "is retired" in problems[1].message
    assert parsed.llm.models["capable"] == "claude-sonnet-4-5"  # a warning, not a crash: the user decides


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("llm:\n  modles: {}\n", 2, "unknown key 'modles' under llm (did you mean 'models'?)"),
        (
            "llm:\n  models:\n    fast: claude-haiku-5-5\n",
            3,
            "unknown tier 'fast' under llm.models; known: cheap, capable, premium",
        ),
        ("llm:\n  daily_limit_usd: lots\n", 2, "llm.daily_limit_usd must be a number of at least 0, such as 2"),
        ("llm:\n  deadline_seconds: 0\n", 2, "llm.deadline_seconds must be a number of at least 1, such as 60"),
        ("llm: [a]\n", 1, "llm must be a mapping"),
        ("triggers:\n  session-summary: [SessionEnd]\n", 2, "nothing runs from SessionEnd"),
        ("triggers:\n  session-summary: [stop]\n", 2, "unknown event 'stop' for session-summary"),
        ("triggers:\n  security-review: yes please\n", 2, "triggers.security-review must be true or false"),
        ("triggers:\n  bugpattern: true\n", 2, "unknown key 'bugpattern' under triggers (did you mean 'bug-pattern'?)"),
    ],
)
def test_bad_values_name_their_line(text, line, message):
    _, problems = config.parse(text)
    assert problems, text
    assert problems[0].line == line
    assert message in problems[0].message
    assert not problems[0].warning


def test_session_summary_can_be_turned_off():
    assert config.parse("triggers:\n  session-summary: []\n")[0].triggers.session_summary == ()
    assert config.parse("triggers:\n  session-summary: false\n")[0].triggers.session_summary == ()
    assert config.parse("triggers:\n  session-summary: Stop\n")[0].triggers.session_summary == ("Stop",)


def test_packaged_config_documents_both_sections():
    from attune.sync.template import PACKAGED

    text = (PACKAGED / "config.yaml").read_text()
    assert "#   llm:" in text and "#   triggers:" in text
    # the commented examples parse to the defaults once uncommented
    ours = text[text.index("# LLM helpers") :].splitlines()
    block = "\n".join(line[4:] for line in ours if line.startswith("#   "))
    parsed, problems = config.parse(block)
    assert problems == []
    assert parsed.llm == settings.LlmSettings(dict(parsed.llm.models), 2.0, 60.0, 168.0)
    assert set(parsed.llm.models) == {"cheap", "capable", "premium"}
    assert parsed.triggers == settings.DEFAULT_TRIGGERS
