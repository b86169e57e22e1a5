"""A plan's period and dates against careplan's limits, checked before any expansion.

:func:`careplan.from_json` turns each problem into a
:class:`~careplan.DocumentError` at its path; :func:`careplan.validate`
reports them as ``limits.*`` violations and runs no rule that would expand
the plan.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator

import attrs

from careplan._model.limits import (
    EARLIEST_DATE,
    LATEST_DATE,
    MAX_PLAN_YEARS,
    add_years,
    require_max_years,
    supported,
)
from careplan._model.plan import CarePlan

__all__ = ["LimitProblem", "limit_problems"]


@attrs.frozen
class LimitProblem:
    """One date of a plan beyond careplan's limits.

    Attributes:
        code: ``"limits.period_too_long"`` or ``"limits.date_out_of_range"``.
        path: The field, as the JSON document names it (``closures[2].date``).
        day: The date.
        problem: What is wrong, for a person.
    """

    code: str
    path: str
    day: _dt.date
    problem: str


#: The dates a plan holds besides its period: each list of records, with the
#: records' date attributes and their names in the JSON document.
_DATED: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("closures", (("on", "date"),)),
    ("cancellations", (("on", "date"),)),
    ("reschedules", (("on", "date"), ("start", "start"))),
    ("goals", (("target_date", "target_date"),)),
    ("transitions", (("on", "on"),)),
    ("attendance", (("on", "date"),)),
    ("authorizations", (("start", "start"), ("end", "end"))),
)


def _dates(plan: CarePlan) -> Iterator[tuple[str, int, str, _dt.date]]:
    """Every date a plan holds besides its period: list, index, field and date.

    The document path (``closures[2].date``) is built only for a date out
    of bounds: a plan holds hundreds of dates, and nearly all are fine.
    """
    for collection, fields in _DATED:
        for i, record in enumerate(getattr(plan, collection)):
            for attribute, field in fields:
                day = getattr(record, attribute)
                if day is not None:  # a goal without a target date
                    # A reschedule's start is a time: its date is what counts.
                    yield collection, i, field, day.date() if isinstance(day, _dt.datetime) else day


def limit_problems(plan: CarePlan, max_years: int = MAX_PLAN_YEARS) -> Iterator[LimitProblem]:
    """The dates of ``plan`` beyond the limits, without expanding it.

    Every date must be inside the supported window (:data:`EARLIEST_DATE` to
    :data:`LATEST_DATE`); the period must be shorter than ``max_years``
    years; every other date must be within ``max_years`` years of the
    period. Work is linear in the number of dates the plan holds.

    Raises:
        InvalidValueError: ``max_years`` is not a whole number of at least 1.
    """
    years = require_max_years(max_years)
    window = f"the dates careplan works with ({EARLIEST_DATE} to {LATEST_DATE})"
    period_ok = True
    for path, bound in (("start", plan.start), ("end", plan.end)):
        if not supported(bound):
            period_ok = False
            yield LimitProblem(
                "limits.date_out_of_range", path, bound, f"{bound} is outside {window}"
            )
    if period_ok and plan.end >= add_years(plan.start, years):
        yield LimitProblem(
            "limits.period_too_long",
            "end",
            plan.end,
            f"the plan runs from {plan.start} to {plan.end}, {years} years or more; "
            f"a plan may last less than {years} years (raise the limit with max_years)",
        )
        period_ok = False
    earliest: _dt.date = add_years(plan.start, -years) if period_ok else EARLIEST_DATE
    latest: _dt.date = add_years(plan.end, years) if period_ok else LATEST_DATE
    for collection, index, field, day in _dates(plan):
        if not supported(day):
            problem = f"{day} is outside {window}"
        elif not earliest <= day <= latest:
            problem = (
                f"{day} is more than {years} years away from the plan's period "
                f"({plan.start} to {plan.end}); check the year"
            )
        else:
            continue
        path = f"{collection}[{index}].{field}"
        yield LimitProblem("limits.date_out_of_range", path, day, problem)
