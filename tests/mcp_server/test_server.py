"""The real server process (`empathy mcp`) driven by the MCP SDK's own client over stdio (issue 13)."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from attune import cli
from tests.helpers import write_pattern
from tests.memory.test_recall import record

TOKEN = "ghp_" + "A1b2" * 9  # a GitHub token's shape, built here so that the repo's own scan stays clean
EMAIL = "jane.doe" + "@" + "acme-corp.io"  # example.com is documentation: never scrubbed


@pytest.fixture
def project(repo):
    (repo / ".empathy").mkdir()
    write_pattern(repo, "argon2", "security", title="Hash passwords with argon2id", paths=["src/auth/**"],
                  body="Never bcrypt for new code; argon2id with the library defaults.")  # fmt: skip
    write_pattern(repo, "retry-storm", title="Retry storm", body="**Error:** 503 storm. **Fix:** backoff with jitter.")
    record(repo, "s-hash", "Moved password hashing to argon2id.", files=["src/auth/hash.py"])
    record(repo, "s-leak", f"Password hashing keys: {TOKEN}, ask {EMAIL}.")  # an older release's record (issue 10)
    assert cli.main(["sync", "--root", str(repo), "-q"]) == 0
    return repo


def server(root: Path) -> StdioServerParameters:
    # Only what the test needs: the client passes HOME and PATH; the cache must be the test's too.
    env = {"XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"], "HOME": os.environ["HOME"]}
    return StdioServerParameters(command=sys.executable, args=["-m", "attune", "mcp"], cwd=str(root), env=env)


def talk(root: Path, conversation):
    async def run():
        async with Client(server(root), read_timeout_seconds=60) as client:
            return await conversation(client)

    return asyncio.run(run())


def data(result):
    assert not result.is_error, result.content
    return json.loads(result.content[0].text)


def error(result):
    assert result.is_error
    (content,) = result.content
    assert "\n" not in content.text and "Traceback" not in content.text
    return content.text


def test_every_tool_answers_with_citations(project):
    async def conversation(client):
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        answers = {"tools": tools}
        answers["search"] = data(await client.call_tool("search", {"query": "argon2id password hashing"}))
        answers["search_filtered"] = data(await client.call_tool(
            "search", {"query": "argon2id", "kind": "pattern", "category": "security", "path": "src/auth/x.py"}))  # fmt: skip
        answers["nothing"] = data(await client.call_tool("search", {"query": "argon2id", "path": "web/app.ts"}))
        answers["get"] = data(await client.call_tool("get_pattern", {"pattern_id": "argon2"}))
        answers["list"] = data(await client.call_tool("list_patterns", {"category": "debugging"}))
        answers["rules"] = data(await client.call_tool("rules_for_path", {"path": "src/auth/hash.py"}))
        answers["remember"] = data(await client.call_tool("remember", {"key": "working:task", "value": {"step": 2}}))
        answers["recall"] = data(await client.call_tool("recall_working", {"key": "working:task"}))
        answers["keys"] = data(await client.call_tool("recall_working", {}))
        answers["scan"] = data(await client.call_tool("scan_text", {"text": f"token = '{TOKEN}'\n"}))
        resources = (await client.list_resources()).resources
        answers["resources"] = sorted(str(r.uri) for r in resources)
        answers["read"] = await client.read_resource("attune:///.empathy/patterns/security/argon2.md")
        return answers

    answers = talk(project, conversation)
    tools = answers["tools"]
    assert set(tools) == {"search", "get_pattern", "list_patterns", "rules_for_path", "propose_pattern", "remember",
                          "recall_working", "scan_text"}  # fmt: skip
    assert all(tools[name].annotations.read_only_hint for name in
               ("search", "get_pattern", "list_patterns", "rules_for_path", "recall_working", "scan_text"))  # fmt: skip
    assert tools["propose_pattern"].annotations.read_only_hint is False
    assert tools["remember"].annotations.read_only_hint is False
    results = {r["id"]: r for r in answers["search"]["results"]}
    assert {(r["kind"], key) for key, r in results.items()} == {
        ("pattern", "argon2"), ("session", "s-hash"), ("session", "s-leak")}  # fmt: skip
    assert TOKEN not in json.dumps(answers["search"]) and EMAIL not in json.dumps(answers["search"])
    assert "[SECRET:" in results["s-leak"]["snippet"]
    assert results["argon2"]["cite"] == ".empathy/patterns/security/argon2.md:1"
    assert results["s-hash"]["cite"] == ".empathy/sessions/s-hash.json:1"
    assert [r["id"] for r in answers["search_filtered"]["results"]] == ["argon2"]
    assert answers["nothing"]["results"] == []
    assert answers["get"]["body"].startswith("Never bcrypt") and answers["get"]["paths"] == ["src/auth/**"]
    assert [p["id"] for p in answers["list"]["patterns"]] == ["retry-storm"]
    rules = {r["glob"]: r for r in answers["rules"]["rules"]}
    assert rules["src/auth/**"]["cite"].startswith(".claude/rules/attune/security-decisions--") and rules[
        "src/auth/**"
    ]["cite"].endswith(":3")
    assert answers["remember"]["remembered"] == "working:task"
    assert answers["recall"] == {"key": "working:task", "found": True, "value": {"step": 2},
                                 "expires_in_seconds": answers["recall"]["expires_in_seconds"]}  # fmt: skip
    assert answers["keys"] == {"keys": ["working:task"]}
    (finding,) = answers["scan"]["findings"]
    assert (
        finding["type"] == "github-token" and finding["cite"] == "<text>:1" and TOKEN not in json.dumps(answers["scan"])
    )
    assert "attune:///.empathy/patterns/security/argon2.md" in answers["resources"]
    assert any(uri.startswith("attune:///.claude/rules/attune/") for uri in answers["resources"])
    assert "argon2id with the library defaults" in answers["read"].contents[0].text


def test_propose_pattern_stages_and_never_activates(project):
    async def conversation(client):
        body = f"Ask {EMAIL} before rotating keys. Rotate with `make rotate`."
        return data(await client.call_tool("propose_pattern", {
            "title": "Rotate keys with make", "category": "security", "body": body, "paths": ["ops/**"]}))  # fmt: skip

    staged = talk(project, conversation)
    assert staged["status"] == "staged" and staged["cite"] == f".empathy/staging/{staged['staged']}.md:1"
    text = (project / ".empathy" / "staging" / f"{staged['staged']}.md").read_text()
    assert "status: staged" in text and EMAIL not in text and "[EMAIL]" in text and "make rotate" in text
    assert not list((project / ".empathy" / "patterns").rglob(f"{staged['staged']}.md"))


def test_a_secret_is_refused_and_never_echoed(project):
    async def conversation(client):
        proposed = await client.call_tool("propose_pattern", {
            "title": "Deploy token", "category": "security", "body": f"Use {TOKEN} to deploy."})  # fmt: skip
        remembered = await client.call_tool("remember", {"key": "working:token", "value": f"it is {TOKEN}"})
        return error(proposed), error(remembered)

    proposed, remembered = talk(project, conversation)
    assert "secret" in proposed and "github-token" in proposed and TOKEN not in proposed
    assert "refused" in remembered and TOKEN not in remembered
    assert not (project / ".empathy" / "staging").exists() or not list((project / ".empathy" / "staging").iterdir())


def test_bad_arguments_are_one_line_errors(project):
    async def conversation(client):
        return [
            error(await client.call_tool("search", {"query": "x", "limit": "many"})),
            error(await client.call_tool("search", {"query": "   "})),
            error(await client.call_tool("search", {"query": "argon2", "since": "last week"})),
            error(await client.call_tool("get_pattern", {"pattern_id": "no-such"})),
            error(await client.call_tool("propose_pattern", {"title": "t", "category": "nope", "body": "b"})),
            error(await client.call_tool("get_pattern", {})),
        ]

    limit, empty, since, missing, category, absent = talk(project, conversation)
    assert limit.startswith("Error executing tool search: invalid arguments: limit: ")
    assert "query is empty" in empty
    assert "since must be an ISO date" in since
    assert "no pattern with id 'no-such'" in missing
    assert "unknown category 'nope'" in category
    assert absent.startswith("Error executing tool get_pattern: invalid arguments: pattern_id: ")


def test_the_server_refuses_to_start_outside_a_project(tmp_path):
    import subprocess

    done = subprocess.run([sys.executable, "-m", "attune", "mcp", "--root", str(tmp_path)], capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=60, check=False)  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.startswith("empathy: error: no .empathy/ in") and done.stderr.count("\n") == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_no_resource_is_a_link_or_a_pipe_a_pull_request_planted(project, tmp_path):
    """A linked pattern file is listed by the library (to report it); served, it would hand out a file from outside."""
    outside = tmp_path / "credentials"
    outside.write_text("aws_secret_access_key = outside the repository\n")
    planted = project / ".empathy" / "patterns" / "security"
    (planted / "creds.md").symlink_to(outside)
    os.mkfifo(planted / "pipe.md")
    (project / ".claude" / "rules" / "attune" / "linked.md").symlink_to(outside)

    async def conversation(client):
        return sorted(str(r.uri) for r in (await client.list_resources()).resources)

    listed = talk(project, conversation)
    assert "attune:///.empathy/patterns/security/argon2.md" in listed
    assert not [uri for uri in listed if uri.endswith(("creds.md", "pipe.md", "linked.md"))], listed
