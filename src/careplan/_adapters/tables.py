"""Results as pandas DataFrames, for notebooks and reports (the ``pandas`` extra)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from careplan._model.errors import MissingExtraError
from careplan._operations.billing import BillableDay

__all__ = ["billing_dataframe"]

_BILLING_COLUMNS = [
    "date", "level", "services", "minutes", "billable", "tier", "codes", "reasons", "forecast",
]  # fmt: skip


def billing_dataframe(days: Sequence[BillableDay]) -> Any:
    """The days :func:`careplan.billing` judged, one row each.

    Columns: ``date``, ``level``, ``services``, ``minutes``, ``billable``,
    ``tier``, ``codes`` (comma-separated), ``reasons`` (semicolon-separated)
    and ``forecast``.

    >>> import pendulum
    >>> from careplan import MEDICARE_2024, billing
    >>> from careplan.demo import sample_plan
    >>> days = billing(sample_plan(), MEDICARE_2024, today=pendulum.date(2027, 1, 3))
    >>> frame = billing_dataframe(days)
    >>> int(frame["billable"].sum()), len(frame)
    (16, 34)
    """
    try:
        import pandas
    except ImportError:
        raise MissingExtraError("billing_dataframe", "pandas", "pandas") from None
    rows = [
        {
            "date": day.day,
            "level": day.level,
            "services": day.services,
            "minutes": day.minutes,
            "billable": day.billable,
            "tier": day.tier,
            "codes": ", ".join(code.code for code in day.codes),
            "reasons": "; ".join(day.reasons),
            "forecast": day.forecast,
        }
        for day in days
    ]
    return pandas.DataFrame(rows, columns=_BILLING_COLUMNS)
