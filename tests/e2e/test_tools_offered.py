"""Which tools the pinned client offers the model: the hooks' matchers are built on these names."""

from __future__ import annotations

from tests.fakes import replies


def test_the_pinned_client_offers_the_tools_our_matchers_name(claude, fake_api):
    fake_api.script(replies.text("ok"))

    run = claude("say ok")

    assert run.returncode == 0, run.stderr
    (first,) = fake_api.messages(scripted_only=True)
    offered = {tool["name"] for tool in first.get("tools", [])}
    # hooks install matches Write|Edit|MultiEdit|NotebookEdit|Bash|Read: the first four it guards
    # must still be the client's own names, or a renamed tool would pass unguarded.
    assert {"Bash", "Edit", "Read", "Write"} <= offered, sorted(offered)
    assert "MultiEdit" not in offered  # still absent in 2.1.337 (OBSERVED.md, Tools)
