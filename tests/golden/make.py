"""Write the golden outputs of the demo plans: JSON, iCalendar, FHIR, text views.

``tests/test_exports_byte_identical.py`` compares today's outputs with these files, so a
refactoring that changes any byte of an export fails. Regenerate only for a
deliberate change of output (and say so in the CHANGELOG):
``.venv/bin/python tests/golden/make.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pendulum

import careplan as cp
from careplan.demo import sample_plan, sample_schedule, working_parent, working_parent_plan
from careplan.fhir import to_fhir
from careplan.programs import sample_iop

HERE = Path(__file__).parent


def plans() -> dict[str, cp.CarePlan]:
    """The demo plans, and one with a step down, a move and a cancellation."""
    stepped = cp.step_down(
        sample_plan(),
        on=pendulum.date(2027, 3, 1),
        reason="goals_met",
        note="doing well",
        schedule=sample_schedule(),  # the IOP week kept on purpose: the report shows its errors
    )
    stepped = stepped.cancel("mon-0930-group_therapy", pendulum.date(2027, 1, 11), "snow day")
    stepped = stepped.reschedule(
        "mon-1200-individual_therapy",
        pendulum.date(2027, 1, 25),
        pendulum.datetime(2027, 1, 26, 15, tz="America/New_York"),
    )
    stepped = stepped.record_attendance("mon-0900-check_in", pendulum.date(2027, 1, 4))
    replanned = cp.step_down(
        working_parent_plan(),
        on=pendulum.date(2027, 2, 1),
        reason="stabilised",
        program=sample_iop(),
        constraints=working_parent(),
    )
    return {
        "sample": sample_plan(),
        "working-parent": working_parent_plan(),
        "stepped": stepped,
        "replanned": replanned,
    }


def outputs() -> dict[str, bytes]:
    """Every golden file's expected content, by file name."""
    found: dict[str, bytes] = {}
    stamp = pendulum.datetime(2027, 1, 1, tz="UTC")
    for name, plan in plans().items():
        found[f"{name}.json"] = cp.to_json(plan).encode()
        found[f"{name}.ics"] = cp.to_ical(plan, stamp=stamp)
        found[f"{name}-full.ics"] = cp.to_ical(plan, detail="full", stamp=stamp)
        found[f"{name}.fhir.json"] = json.dumps(
            to_fhir(plan, diagnoses=True), indent=1, sort_keys=True
        ).encode()
        found[f"{name}.grid.txt"] = plan.schedule.grid().encode()
        found[f"{name}.html"] = plan._repr_html_().encode()
        found[f"{name}.report.txt"] = str(
            cp.validate(plan, today=pendulum.date(2027, 2, 20))
        ).encode()
    return found


if __name__ == "__main__":
    for file_name, content in outputs().items():
        (HERE / file_name).write_bytes(content)
