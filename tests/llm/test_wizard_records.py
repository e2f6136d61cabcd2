"""Each wizard's output is its own record (issue 15); --json prints it exactly as the dicts did."""

from __future__ import annotations

import json

import pytest

from attune.cli import main
from attune.llm.wizards import WIZARDS
from attune.llm.wizards.base import OFFLINE, as_json
from attune.llm.wizards.code_review import CodeReview
from attune.llm.wizards.security_review import SecurityReview
from tests.fakes import replies
from tests.helpers import build_tree, commit_all

# Keys out of the schema's order and a whole-number confidence: what a model may send.
DRAFT = {"title": "KeyError on a missing user", "error": "KeyError: 'user'", "root_cause": "no default",
         "fix": "use .get", "paths": ["src/**"], "tags": ["python"], "confidence": 1}  # fmt: skip


@pytest.fixture
def project(repo):
    build_tree(
        repo, {".empathy/config.yaml": "version: 1\n", "src/app.py": "import os\n\n\ndef run():\n    return 1\n"}
    )
    commit_all(repo, "start")
    build_tree(repo, {"src/app.py": "import os\n\n\ndef run():\n    breakpoint()\n    eval(input())\n"})
    return repo


def run(root, capsys, *args):
    code = main(["wizard", "run", *args, "--json", "--root", str(root)])
    return code, capsys.readouterr().out


@pytest.mark.parametrize("name", ["security-review", "code-review"])
def test_offline_json_is_the_record_then_the_source_and_parses_back_to_the_same_record(project, capsys, name):
    _, out = run(project, capsys, name, "--offline")
    data = json.loads(out)
    assert list(data)[-4:] == ["offline", "model", "cached", "applied"]
    assert data[next(iter(data))]  # the record's first field leads
    wizard = WIZARDS[name]
    draft = wizard.parse(data)
    assert out == json.dumps({**as_json(draft, OFFLINE), "applied": []}, indent=2, ensure_ascii=False) + "\n"
    assert wizard.parse(as_json(draft, OFFLINE)) == draft


def test_a_model_draft_prints_as_the_model_sent_it_in_the_schemas_order(project, fake_api, monkeypatch, capsys):
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake_api.url)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "test-key-not-a-secret")
    commit_all(project, "fix: KeyError on a missing user")
    shuffled = dict(reversed(DRAFT.items()))
    fake_api.script(replies.Reply((replies.Text(json.dumps(shuffled)),), usage=replies.Usage(900, 120)))
    code, out = run(project, capsys, "bug-pattern")
    data = json.loads(out)
    assert code == 0 and list(data)[:7] == list(DRAFT) and '"confidence": 1,' in out
    assert (data["offline"], data["model"], data["cached"]) == (False, "claude-haiku-5-5", False)
    assert data["applied"][0].startswith("staged .empathy/staging/")


def test_a_record_of_another_wizard_is_refused_not_misread():
    with pytest.raises(TypeError, match="expected a CodeReview, got a SecurityReview"):
        WIZARDS["code-review"].show(SecurityReview("s", ()))
    assert WIZARDS["code-review"].show(CodeReview("all good", ())) == "all good"
