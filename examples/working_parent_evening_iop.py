"""A working parent's evening IOP plan, validated and saved as JSON.

Run: python examples/working_parent_evening_iop.py [OUT_DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

import pendulum

import careplan as cp


def build_plan() -> cp.CarePlan:
    """Evenings once the children are in bed: Monday, Tuesday, Thursday, virtual.

    The individual and psychiatric slots sit on group evenings, as in the
    article's sample day, so each treatment day stays within IOP's 3–4 hours.
    """
    video = cp.Modality.virtual("https://telehealth.example.org/evening-iop")
    sessions = [
        session
        for day in ("monday", "tuesday", "thursday")
        for session in (
            cp.Session(day, "18:30", 120, cp.SessionKind.GROUP_THERAPY, modality=video),
            cp.Session(day, "20:30", 60, cp.SessionKind.PSYCHOEDUCATION, modality=video),
        )
    ]
    sessions += [
        cp.Session("monday", "21:30", 50, cp.SessionKind.INDIVIDUAL_THERAPY, modality=video),
        cp.Session(
            "thursday", "21:30", 30, cp.SessionKind.PSYCHIATRIC, modality=video, every_weeks=2
        ),
    ]
    return cp.CarePlan(
        client=cp.Client("client-7781"),
        level=cp.DEFAULT["IOP"],
        schedule=cp.WeeklySchedule("America/Chicago", sessions),
        start=pendulum.date(2027, 2, 1),
        end=pendulum.date(2027, 4, 25),
        tracks=[cp.TreatmentTrack.DEPRESSION],
    )


def main(out: Path) -> int:
    plan = build_plan()
    report = cp.validate(plan)
    print(report)
    out.mkdir(parents=True, exist_ok=True)
    (out / "evening-plan.json").write_text(cp.to_json(plan), encoding="utf-8")
    print(f"{len(plan.occurrences())} sessions; wrote {out / 'evening-plan.json'}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("build/examples")))
