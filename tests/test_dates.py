from __future__ import annotations

import datetime

import pytest

from attune import dates


@pytest.mark.parametrize(("value", "expected"), [("2026-11-29", "2026-11-29"), ("2027-01-05", "2027-01-05")])
def test_today_honours_the_variable(value, expected):
    assert dates.today({dates.TODAY_VARIABLE: value}, lambda: datetime.date(2000, 1, 1)) == expected


@pytest.mark.parametrize("value", ["", "tomorrow", "2026-13-01", "29/11/2026"])
def test_today_without_a_usable_variable_is_the_clock(value):
    clock = lambda: datetime.date(2027, 2, 28)  # noqa: E731 - the injected clock, not the real one
    assert dates.today({dates.TODAY_VARIABLE: value}, clock) == "2027-02-28"
