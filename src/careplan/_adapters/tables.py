"""Results as pandas DataFrames, for notebooks and reports (the ``pandas`` extra)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from careplan._model.billing import BillableDay, ClaimLine, ServiceLine
from careplan._model.errors import MissingExtraError

__all__ = ["billing_dataframe", "billing_lines_dataframe", "claims_dataframe"]

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
    (10, 34)
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


# Column name to pandas dtype: typed, so an empty table has the same columns and types.
_LINE_COLUMNS = {
    "date": "object",
    "session_id": "string",
    "kind": "string",
    "level": "string",
    "minutes": "int64",
    "rendering_role": "string",
    "revenue": "string",
    "hcpcs": "string",
    "modifiers": "string",
    "units": "int64",
    "place_of_service": "string",
    "per_diem": "bool",
    "tier": "string",
    "billable": "bool",
    "reason": "string",
    "forecast": "bool",
}

_CLAIM_COLUMNS = {
    "week": "object",
    "level": "string",
    "type_of_bill": "string",
    "condition_codes": "string",
    "date": "object",
    "revenue": "string",
    "hcpcs": "string",
    "modifiers": "string",
    "units": "int64",
    "per_diem": "bool",
    "session_id": "string",
    "rendering_role": "string",
    "forecast": "bool",
}


def _rows(
    lines: Sequence[ServiceLine | ClaimLine], columns: dict[str, str]
) -> list[dict[str, Any]]:
    """One row per line: each column's attribute (``date`` is the line's day), tuples joined."""
    rows = []
    for line in lines:
        row = {}
        for column in columns:
            value = getattr(line, "day" if column == "date" else column)
            row[column] = ", ".join(value) if isinstance(value, tuple) else value
        rows.append(row)
    return rows


def _typed_frame(function: str, rows: list[dict[str, Any]], columns: dict[str, str]) -> Any:
    try:
        import pandas
    except ImportError:
        raise MissingExtraError(function, "pandas", "pandas") from None
    frame = pandas.DataFrame(rows, columns=list(columns))
    return frame.astype(columns)


def billing_lines_dataframe(lines: Sequence[ServiceLine]) -> Any:
    """The service lines :func:`careplan.billing_lines` made, one row each, with typed columns.

    Columns: ``date``, ``session_id``, ``kind``, ``level``, ``minutes``,
    ``rendering_role``, ``revenue``, ``hcpcs``, ``modifiers``
    (comma-separated), ``units``, ``place_of_service``, ``per_diem``,
    ``tier``, ``billable``, ``reason`` and ``forecast``; codes are pandas
    strings (missing: ``<NA>``), counts ``int64``, flags ``bool``.

    >>> import pendulum
    >>> from careplan import MEDICARE_2024, billing_lines
    >>> from careplan.demo import sample_plan
    >>> lines = billing_lines(sample_plan(), MEDICARE_2024, today=pendulum.date(2027, 1, 3))
    >>> frame = billing_lines_dataframe(lines)
    >>> str(frame["units"].dtype), str(frame["hcpcs"].dtype)
    ('int64', 'string')
    >>> frame.loc[frame["billable"], "hcpcs"].value_counts().to_dict()
    {'G0410': 10, 'G0177': 10, '90834': 10}
    """
    return _typed_frame("billing_lines_dataframe", _rows(lines, _LINE_COLUMNS), _LINE_COLUMNS)


def claims_dataframe(lines: Sequence[ClaimLine]) -> Any:
    """The weekly claims :func:`careplan.claim_lines` laid out, one row per claim line.

    Columns: ``week`` (the claim's Monday), ``level``, ``type_of_bill``,
    ``condition_codes`` (comma-separated), ``date``, ``revenue``, ``hcpcs``,
    ``modifiers``, ``units``, ``per_diem`` (a per diem day line), ``session_id``,
    ``rendering_role`` and ``forecast``. Data for a biller to check, not EDI.

    >>> import pendulum
    >>> from careplan import COMMERCIAL, claim_lines
    >>> from careplan.demo import sample_plan
    >>> lines = claim_lines(sample_plan(), COMMERCIAL, today=pendulum.date(2027, 1, 3))
    >>> frame = claims_dataframe(lines)
    >>> [tuple(row) for row in frame[["revenue", "hcpcs", "units", "per_diem"]].head(2).values]
    [('0906', 'H0015', 1, True), ('0906', 'H0015', 1, True)]
    """
    return _typed_frame("claims_dataframe", _rows(lines, _CLAIM_COLUMNS), _CLAIM_COLUMNS)
