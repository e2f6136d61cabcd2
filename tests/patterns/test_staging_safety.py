"""Ids become file names, and every field of a draft reaches the library: both are checked (issues 10, 11)."""

from __future__ import annotations

import pytest

from attune import audit, cli
from attune.patterns.staging import StagingRefused, stage_pattern
from tests.helpers import EMAIL, pattern

# Lower case, so that it is also a well-formed pattern id; built at run time.
STRIPE = "sk_" + "live_" + "4ec39hqlyjwdarjtt1zdp7dc"
SLACK = "xo" + "xb-" + "123456789012-123456789012-" + "abcdefghijklmnopqrstuvwx"


def run(capsys, *argv):
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def library(repo, capsys):
    cli.main(["init", "--root", str(repo)])
    capsys.readouterr()
    return repo


def library_files(library):
    return sorted((library / ".empathy/patterns").rglob("*.md"))


def draft(library, name, text):
    target = library / ".empathy/staging" / f"{name}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    return target


def test_an_id_never_reaches_outside_the_staging_folder(library, capsys):
    outside = library.parent / "outside"
    outside.mkdir()
    victim = outside / "victim.md"
    victim.write_text(pattern("victim", status="staged"))
    draft(library, "link", "").unlink()
    (library / ".empathy/staging/link.md").symlink_to(victim)
    before = library_files(library)
    bad_ids = (
        "../../../outside/victim",
        "../../outside/victim",
        str(outside / "victim"),
        "..",
        "a/b",
        "Victim",
        "link",
    )
    for action in ("reject", "promote"):
        for bad in bad_ids:
            code, out, err = run(capsys, "patterns", action, bad, "--root", str(library))
            assert (code, out, err.count("\n")) == (1, "", 1), (action, bad, err)
            assert err.startswith("empathy: error: ") and ("pattern id" in err or "outside" in err), err
    assert victim.read_text() == pattern("victim", status="staged")
    assert not (library / ".empathy/private").exists()
    assert library_files(library) == before


def test_a_well_formed_id_is_still_rejected_and_promoted(library, capsys):
    draft(library, "keep-me", pattern("keep-me", status="staged"))
    draft(library, "drop-me", pattern("drop-me", status="staged"))
    assert run(capsys, "patterns", "reject", "drop-me", "--root", str(library))[0] == 0
    assert run(capsys, "patterns", "promote", "keep-me", "--root", str(library))[0] == 0
    assert (library / ".empathy/private/rejected/drop-me.md").is_file()
    assert (library / ".empathy/patterns/debugging/keep-me.md").is_file()


@pytest.mark.parametrize(
    ("name", "extra", "field"),
    [
        ("tagged", f"tags: [python, {STRIPE}]", "tags"),
        (STRIPE, "", "id"),
        ("sourced", f"source: {SLACK}", "source"),
        ("scoped", f'paths:\n  - "src/{SLACK}/**"', "paths"),
    ],
)
def test_a_secret_in_any_field_of_a_draft_refuses_its_promotion(library, capsys, name, extra, field):
    draft(library, name, pattern(name, status="staged", extra=extra))
    before = library_files(library)
    code, out, err = run(capsys, "patterns", "promote", name, "--root", str(library))
    assert (code, out, err.count("\n")) == (1, "", 1), err
    assert f"{field} holds a secret" in err and STRIPE not in err and SLACK not in err
    assert "…" in err  # the masked value
    assert library_files(library) == before
    cli.main(["sync", "--root", str(library), "-q"])
    for path in library.rglob("*"):
        if path.is_file() and ".git" not in path.parts and path.parent.name != "staging":
            text = path.read_text(errors="replace")
            assert STRIPE not in text and SLACK not in text and STRIPE not in path.name, path
    assert [e["action"] for e in audit.entries(library)][-1] == "staging.refused"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"pattern_id": STRIPE}, "id"),
        ({"tags": ["python", STRIPE]}, "tags"),
        ({"globs": [f"src/{SLACK}/**"]}, "paths"),
        ({"category": SLACK}, "category"),
    ],
)
def test_a_secret_in_any_field_refuses_staging(library, fields, field):
    arguments = {"pattern_id": "fine", "title": "t", "category": "debugging", "body": "b", "source": "s", **fields}
    with pytest.raises(StagingRefused, match=f"{field} holds a secret") as caught:
        stage_pattern(library, **arguments)
    assert STRIPE not in str(caught.value) and SLACK not in str(caught.value)
    assert not list((library / ".empathy/staging").glob("*.md"))


def test_personal_data_in_a_title_never_becomes_a_file_name(library, capsys):
    title = f"Write to {EMAIL} about the outage"
    code, out, err = run(capsys, "patterns", "stage", "--category", "debugging", "--title", title, "--body", "b",
                         "--root", str(library))  # fmt: skip
    assert code == 0, err
    (path,) = (library / ".empathy/staging").glob("*.md")
    assert out.strip() == path.stem == "write-to-email-about-the-outage"
    assert "jane" not in path.read_text()
    code, out, err = run(capsys, "patterns", "new", "debugging", title, "--root", str(library))
    assert code == 0, err
    assert "jane" not in out and not [p for p in library.rglob("*") if "jane" in p.name]


def test_an_id_holding_personal_data_is_refused(library):
    with pytest.raises(StagingRefused, match="id holds personal data"):
        stage_pattern(library, pattern_id="card-4539148803436467", title="t", category="debugging", body="b", source="")


def test_a_draft_edited_by_hand_is_never_echoed_with_its_secret(library, capsys):
    draft(library, "leaky", pattern("leaky", category=SLACK, status="staged", title=f"Rotate {STRIPE}"))
    draft(library, STRIPE, pattern(STRIPE, status="staged"))
    for argv in (["patterns", "promote", "leaky"], ["patterns", "promote", "missing"], ["patterns", "reject", "nope"],
                 ["patterns", "staged"], ["patterns", "staged", "--json"]):  # fmt: skip
        code, out, err = run(capsys, *argv, "--root", str(library))
        assert STRIPE not in out + err and SLACK not in out + err, (argv, out, err)
        assert code == (0 if argv[1] == "staged" else 1), (argv, err)
