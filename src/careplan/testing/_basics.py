"""Text, time zones and dates: what the other strategies draw their fields from."""

from __future__ import annotations

import datetime as _dt

import pendulum
from hypothesis import strategies as st

# The zones timezones() draws from, with and without daylight saving time
# (documented where careplan.testing publishes them).
DST_ZONES = (
    "America/New_York",
    "America/Los_Angeles",
    "Europe/Berlin",
    "Europe/London",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Auckland",
    "America/Santiago",
)
NO_DST_ZONES = ("UTC", "Asia/Tokyo", "Asia/Kolkata", "America/Sao_Paulo", "Africa/Nairobi")

# What a text field holds: anything but control characters, lone surrogates
# and line separators; multi-line fields also tabs and line feeds.
_CHARACTERS = st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp"))
TEXT = st.text(_CHARACTERS, min_size=1, max_size=30).filter(lambda s: s.strip() != "")
MULTILINE = st.text(_CHARACTERS | st.sampled_from("\t\n"), min_size=1, max_size=30).filter(
    lambda s: s.strip() != ""
)


def texts(*, multiline: bool = False, blank: bool = False) -> st.SearchStrategy[str]:
    """Text every text field accepts: any character but control characters, lone
    surrogates and line separators (``multiline``: also tabs and line feeds).

    ``blank`` also draws empty and all-space text, which only some fields take.
    """
    found = MULTILINE if multiline else TEXT
    return found | st.sampled_from(("", " ")) if blank else found


def timezones(*, dst: bool | None = None) -> st.SearchStrategy[str]:
    """IANA zone names; ``dst=True`` only zones with DST, ``False`` only without."""
    if dst is True:
        return st.sampled_from(DST_ZONES)
    if dst is False:
        return st.sampled_from(NO_DST_ZONES)
    return st.sampled_from(DST_ZONES + NO_DST_ZONES)


EARLIEST = pendulum.date(2024, 1, 1)
_LATEST = pendulum.date(2030, 12, 31)


def dates(
    min_value: _dt.date = EARLIEST,
    max_value: _dt.date = _LATEST,
) -> st.SearchStrategy[pendulum.Date]:
    """Calendar dates as pendulum Dates."""
    return st.dates(min_value, max_value).map(lambda d: pendulum.Date(d.year, d.month, d.day))
