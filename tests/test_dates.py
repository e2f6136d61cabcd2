from __future__ import annotations

import datetime

import pytest

from attune import dates


@pytest.mark.parametrize(("value", "expected"), [("2026-11-29", "2026-11-29"), ("2027-01-05", "2027-01-05")])
def test_today_honours_the_variable(value, expected):
    assert dates.today({"EMPATHY_TODAY": value}) == expected


@pytest.mark.parametrize("value", ["", "tomorrow", "2026-13-01", "29/11/2026"])
def test_today_without_a_usable_variable_is_the_clock(value):
    assert dates.today({"EMPATHY_TODAY": value}) == datetime.date.today().isoformat()
