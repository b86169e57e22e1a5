"""A document's dates and a session's wall times accept exactly their written forms.

The readers parse without regular expressions; the patterns here are the
forms as the format documents them (``YYYY-MM-DD`` in ASCII digits; one or
two decimal digits, a colon and two, surrounding spaces ignored), an
independent statement of what must be accepted.
"""

from __future__ import annotations

import datetime as dt
import re

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import careplan as cp
from careplan.document.fields import date

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", flags=re.ASCII)
_WALL_TIME = re.compile(r"(\d{1,2}):(\d{2})")

# Digits (ASCII and others), separators and what ISO 8601 allows besides.
_PIECES = st.sampled_from([*"0123456789-:+ WTZ.", "\u0663", "\u00b2", "\u00a0", "\t"])


def _expected_date(text: str) -> pendulum.Date | None:
    match = _DATE.fullmatch(text)
    if match is None:
        return None
    try:
        return pendulum.Date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


@settings(max_examples=200)
@given(st.text(_PIECES, min_size=8, max_size=11) | st.dates().map(dt.date.isoformat))
def test_a_date_is_read_exactly_when_it_is_yyyy_mm_dd(text):
    expected = _expected_date(text)
    if expected is not None and cp.EARLIEST_DATE <= expected <= cp.LATEST_DATE:
        assert date("start", text) == expected
        return
    problem = "is not a date" if expected is None else "is outside the dates"
    with pytest.raises(cp.DocumentError, match=problem) as info:
        date("start", text)
    assert info.value.path == "start"


@pytest.mark.parametrize("text", ["20270104", "2027-W01-1", "2027-004", "+027-01-04"])
def test_other_iso_forms_of_a_date_are_refused(text):
    with pytest.raises(cp.DocumentError, match="is not a date"):
        date("start", text)


def _expected_time(text: str) -> pendulum.Time | None:
    match = _WALL_TIME.fullmatch(text.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        return None
    return pendulum.Time(int(match[1]), int(match[2]))


@settings(max_examples=200)
@given(st.text(_PIECES, max_size=8))
def test_a_wall_time_is_read_exactly_when_it_is_h_mm_or_hh_mm(text):
    expected = _expected_time(text)
    if expected is not None:
        assert cp.Session("monday", text, 1, "check_in").start == expected
        return
    with pytest.raises(cp.InvalidValueError, match="is not a time of day") as info:
        cp.Session("monday", text, 1, "check_in")
    assert info.value.field == "Session.start"


def test_a_wall_time_in_other_decimal_digits_reads_as_its_value():
    session = cp.Session("monday", " \u0660\u0669:\u0663\u0660 ", 30, "check_in")
    assert session.start == pendulum.Time(9, 30)
