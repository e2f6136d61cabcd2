from __future__ import annotations

import pytest

from attune import config
from attune.errors import UserError
from tests.helpers import build_tree


def test_missing_config_means_defaults(tmp_path):
    assert config.read(tmp_path) == (config.DEFAULT, [])


def test_packaged_config_reads_as_the_defaults(tmp_path):
    from attune.sync.template import PACKAGED

    parsed, problems = config.parse((PACKAGED / "config.yaml").read_text())
    assert problems == []
    assert parsed == config.DEFAULT


def test_unknown_key_names_file_line_and_fix():
    _, problems = config.parse("version: 1\n\nouput_dir: rules\n")
    assert [str(p) for p in problems] == [
        ".empathy/config.yaml:3: unknown key 'ouput_dir' (did you mean 'output_dir'?)"
    ]


def test_load_raises_the_first_problem(tmp_path):
    build_tree(tmp_path, {".empathy/config.yaml": "token_budget: lots\nfoo: 1\n"})
    with pytest.raises(UserError, match=r"^\.empathy/config\.yaml:1: token_budget must be .* \(and 1 more\)$"):
        config.load(tmp_path)


def test_invalid_yaml_reports_its_line():
    _, problems = config.parse("categories:\n  debugging: [a\n")
    assert problems[0].line == 2
    assert "invalid YAML" in problems[0].message


def test_project_declares_more_categories_in_both_forms():
    parsed, problems = config.parse(
        "categories:\n  debugging: bug-patterns\n  incidents:\n    output: incident-lessons\n"
        "    title: Incident lessons\n    description: What outages taught us.\n"
    )
    assert problems == []
    assert [c.name for c in parsed.categories] == ["debugging", "incidents"]
    assert parsed.category("incidents") == config.Category(
        "incidents", "incident-lessons", "Incident lessons", "What outages taught us."
    )
    assert parsed.category("debugging").title == "Bug patterns"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("categories:\n  Debugging: bugs\n", "must be lowercase"),
        ("categories:\n  debugging: Bug Patterns\n", "needs an output file name"),
        ("categories:\n  a: same\n  b: same\n", "both write same.md"),
        ("categories:\n  a:\n    output: x\n    colour: red\n", "unknown key in category 'a' 'colour'"),
        ("output_dir: /etc/rules\n", "must stay inside the repository"),
        ("output_dir: ../rules\n", "must stay inside the repository"),
        ("output_dir: .empathy/rules\n", "must be outside .empathy/"),
        ("token_budget: -5\n", "whole number"),
        ("version: 2\n", "unsupported config version 2"),
        ("- a\n- b\n", "must be a mapping"),
    ],
)
def test_bad_values_are_reported(text, message):
    _, problems = config.parse(text)
    assert any(message in p.message for p in problems), problems


def test_output_dir_is_normalised():
    parsed, problems = config.parse("output_dir: ./.claude/rules/team/\n")
    assert problems == []
    assert parsed.output_dir == ".claude/rules/team"
