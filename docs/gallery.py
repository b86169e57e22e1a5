"""Make the gallery's pictures: the docs build runs this (see conf.py).

Each picture is made from a demo plan by the same public calls the gallery
page shows, into ``docs/_generated/`` (not committed).
"""

from __future__ import annotations

from pathlib import Path

import pendulum

import careplan as cp
from careplan import plots
from careplan.demo import (
    sample_outpatient_schedule,
    sample_plan,
    sample_plan_of_care,
    working_parent,
    working_parent_plan,
)

OUT = Path(__file__).parent / "_generated"
TODAY = pendulum.date(2027, 3, 14)


def story() -> cp.CarePlan:
    """Twelve weeks of IOP stepped down to OP, with ten weeks of attendance."""
    plan = cp.step_down(
        sample_plan(),
        on=pendulum.date(2027, 3, 1),
        reason="goals_met",
        schedule=sample_outpatient_schedule(),
    )
    statuses = ("attended", "attended", "attended", "late", "attended", "absent_excused")
    records = []
    for index, occurrence in enumerate(o for o in plan.occurrences() if o.date <= TODAY):
        status = statuses[index % len(statuses)]
        minutes = 10 if status == "late" else 0
        records.append(
            cp.Attendance(occurrence.session.id, occurrence.scheduled_on, status, minutes)
        )
    return plan.with_attendance(*records)


def main() -> None:
    """Write every picture of the gallery."""
    OUT.mkdir(exist_ok=True)
    plan = story()
    plots.care_path(plan).save(str(OUT / "care-path.png"))
    plots.hours(plan, today=TODAY).save(str(OUT / "hours.png"))
    plots.attendance(plan, today=TODAY).save(str(OUT / "attendance.png"))
    plots.measures(sample_plan_of_care(), "PHQ-9").save(str(OUT / "measures.png"))
    grid = working_parent_plan().to_html(working_parent())
    (OUT / "grid.html").write_text(grid, encoding="utf-8")


if __name__ == "__main__":
    main()
