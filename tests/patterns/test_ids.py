"""attune.patterns.ids: ids from titles, and the first free one (issue 15)."""

from __future__ import annotations

from attune.patterns import ids


def test_a_title_becomes_a_lowercase_file_name():
    assert ids.slugify("Null user in Checkout!") == "null-user-in-checkout"
    assert ids.ID.fullmatch(ids.slugify("Null user in Checkout!"))


def test_a_taken_id_gets_the_next_number():
    assert ids.unused("crash", set()) == "crash"
    assert ids.unused("crash", {"crash", "crash-2"}) == "crash-3"
