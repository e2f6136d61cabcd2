"""Reading our mark back: a Claude rule file's mark (source files only) takes a shorter road (issue 15)."""

from __future__ import annotations

from attune.sync.targets import marker


def test_a_mark_reads_back_its_source_files_notes_and_links_whichever_road_it_takes():
    files = [".empathy/patterns/debugging/a.md", ".empathy/patterns/x/also-note.md", ".empathy/patterns/y/z.md"]
    plain = marker.read_file(marker.assemble_file('---\npaths:\n  - "src/**"\n---\n', "# Body\n", "ab12", (), files))
    assert plain is not None and plain.intact and plain.sources == "ab12"
    assert plain.source_files == frozenset(files) and plain.notes == () and plain.also == () and plain.joined == 0
    assert plain.body == "# Body\n"

    noted = marker.read_file(marker.assemble_file("", "# Body\n", "ab12", ("over budget",), files))
    assert noted is not None and noted.notes == ("over budget",) and noted.source_files == frozenset(files)

    # A source file whose name holds `note: ` takes the long road, and is still a source file.
    odd = [*files, ".empathy/patterns/misc/see note: later.md"]
    found = marker.read_file(marker.assemble_file("", "# Body\n", "ab12", (), odd))
    assert found is not None and found.source_files == frozenset(odd) and found.notes == ()

    section = marker.split(
        "Mine.\n\n" + marker.assemble_section("# S\n", "cd34", (), ("sub/AGENTS.md",), files, joined=2)
    )
    assert section.section is not None and section.section.also == ("sub/AGENTS.md",)
    assert section.section.joined == 2 and section.section.source_files == frozenset(files)


def test_reading_without_the_check_gives_the_same_mark_and_calls_it_intact():
    """The rules index reads bodies unchecked (issue 15): everything but `intact` must be what a checked read gives."""
    files = [".empathy/patterns/debugging/a.md"]
    text = marker.assemble_file('---\npaths:\n  - "src/**"\n---\n', "# Body\n\nText.\n", "ab12", (), files)
    damaged = text.replace("Text.", "Changed by hand.")
    for sample in (text, damaged):
        checked, unchecked = marker.read_file(sample), marker.read_file(sample, check=False)
        assert checked is not None and unchecked is not None
        assert unchecked == checked._replace(intact=True)
    assert marker.read_file(text).intact and not marker.read_file(damaged).intact
    for foreign in ("# mine\n", "---\nunclosed\n", "---\npaths: []\n---\n<!-- attune-companion: other -->\n"):
        assert marker.read_file(foreign, check=False) is None and marker.read_file(foreign) is None


def test_the_hashes_line_reads_as_the_regular_expression_it_replaced_did():
    import re

    pattern = re.compile(r"sources=([0-9a-f]+) content=([0-9a-f]+)$")
    samples = [
        "sources=ab12 content=cd34", "sources=ab12 content=cd34\n", "sources=ab12 content=cd34\r", "sources= content=cd",
        "sources=ab content=", "sources=AB content=cd", "sources=ab content=cd ", " sources=ab content=cd",
        "sources=ab  content=cd", "sources=ab content=cd content=ef", "sources=ab content=c d", "sources=abcontent=cd",
        "sources=ab content=cd\nx", "sources=ab content=cd\n\n", "sources=0 content=f", "", "sources=", "sources=ab content=cdg", "content=ab",
    ]  # fmt: skip
    for line in samples:
        match = pattern.match(line)
        assert marker.hashes(line) == (match.groups() if match else None), line
