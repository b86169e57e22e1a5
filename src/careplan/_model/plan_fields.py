"""The checks of a care plan's fields: each converts what a caller gives to
what a :class:`~careplan.CarePlan` holds, or refuses it naming the field."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import cast

import pendulum

from careplan._model.attendance import Attendance, Authorization
from careplan._model.calendar import Cancellation, Closure, Hold, Reschedule, closure
from careplan._model.care import CareRevision, Goal, Intervention, Problem, TreatmentObjective
from careplan._model.checks import (
    date,
    identifier,
    instance,
    optional_instance,
    optional_whole,
    text,
    tuple_converted,
    tuple_of,
)
from careplan._model.continua import DEFAULT
from careplan._model.errors import InvalidValueError
from careplan._model.kinds import TreatmentTrack, treatment_track
from careplan._model.levels import Continuum, LevelOfCare
from careplan._model.measures import Instrument, Measurement
from careplan._model.people import CareTeamMember, Client, RelapsePreventionPlan
from careplan._model.review import Review, Signature
from careplan._model.safety import NO_SAFETY_RECORD, SafetyRecord
from careplan._model.schedule import WeeklySchedule
from careplan._model.transition import Transition

__all__ = [
    "to_attendance",
    "to_authorizations",
    "to_cancellations",
    "to_care_team",
    "to_client",
    "to_closures",
    "to_continuum",
    "to_diagnoses",
    "to_end",
    "to_goals",
    "to_holds",
    "to_id",
    "to_instruments",
    "to_interventions",
    "to_length",
    "to_level",
    "to_measurements",
    "to_objectives",
    "to_part2",
    "to_principal",
    "to_problems",
    "to_readmission_of",
    "to_relapse",
    "to_reschedules",
    "to_reviews",
    "to_revisions",
    "to_safety",
    "to_schedule",
    "to_signatures",
    "to_start",
    "to_tracks",
    "to_transitions",
]


def to_client(value: Client) -> Client:
    return instance("CarePlan.client", value, Client)


def to_level(value: LevelOfCare | str) -> LevelOfCare:
    if isinstance(value, str):
        # A code is resolved on the plan's continuum, which attrs sets after
        # this field; __attrs_post_init__ does it. The cast only delays that.
        return cast(LevelOfCare, identifier("CarePlan.level", value))
    return instance("CarePlan.level", value, LevelOfCare, "use continuum['IOP'] or the code")


def to_schedule(value: WeeklySchedule) -> WeeklySchedule:
    return instance("CarePlan.schedule", value, WeeklySchedule)


def to_start(value: _dt.date) -> pendulum.Date:
    return date("CarePlan.start", value)


def to_end(value: _dt.date | None) -> pendulum.Date:
    if value is None:
        # The length was given instead (weeks=...); __attrs_post_init__ sets
        # the end from it. The cast only delays that.
        return cast(pendulum.Date, None)
    return date("CarePlan.end", value)


def to_length(value: int | None) -> int | None:
    return optional_whole("CarePlan.weeks", value, 1, 52 * 200, "give a whole number of weeks")


def to_continuum(value: Continuum | None) -> Continuum:
    return DEFAULT if value is None else instance("CarePlan.continuum", value, Continuum)


def to_tracks(value: Iterable[TreatmentTrack | str]) -> tuple[TreatmentTrack, ...]:
    return tuple_converted(
        "CarePlan.tracks", value, treatment_track, "TreatmentTrack values or codes"
    )


def to_goals(value: Iterable[Goal]) -> tuple[Goal, ...]:
    return tuple_of("CarePlan.goals", value, Goal)


def _diagnosis(field: str, value: object) -> str:
    return text(field, value, blank=False)


def to_diagnoses(value: Iterable[str]) -> tuple[str, ...]:
    return tuple_converted("CarePlan.diagnoses", value, _diagnosis, "diagnosis codes")


def to_principal(value: str | None) -> str | None:
    return None if value is None else _diagnosis("CarePlan.principal_diagnosis", value)


def to_part2(value: bool | None) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise InvalidValueError(
            "CarePlan.part2_program", value, "is not true, false or None", "say whether it is"
        )
    return value


def to_care_team(value: Iterable[CareTeamMember]) -> tuple[CareTeamMember, ...]:
    return tuple_of("CarePlan.care_team", value, CareTeamMember)


def to_relapse(value: RelapsePreventionPlan | None) -> RelapsePreventionPlan | None:
    return optional_instance("CarePlan.relapse_prevention", value, RelapsePreventionPlan)


def to_closures(value: Iterable[Closure | _dt.date]) -> tuple[Closure, ...]:
    return tuple_converted("CarePlan.closures", value, closure, "Closure values or dates")


def to_cancellations(value: Iterable[Cancellation]) -> tuple[Cancellation, ...]:
    return tuple_of("CarePlan.cancellations", value, Cancellation)


def to_reschedules(value: Iterable[Reschedule]) -> tuple[Reschedule, ...]:
    return tuple_of("CarePlan.reschedules", value, Reschedule)


def to_transitions(value: Iterable[Transition]) -> tuple[Transition, ...]:
    return tuple_of("CarePlan.transitions", value, Transition)


def to_attendance(value: Iterable[Attendance]) -> tuple[Attendance, ...]:
    return tuple_of("CarePlan.attendance", value, Attendance)


def to_authorizations(value: Iterable[Authorization]) -> tuple[Authorization, ...]:
    return tuple_of("CarePlan.authorizations", value, Authorization)


def to_id(value: str) -> str:
    return identifier("CarePlan.id", value)


def to_holds(value: Iterable[Hold]) -> tuple[Hold, ...]:
    return tuple_of("CarePlan.holds", value, Hold)


def to_readmission_of(value: str | None) -> str | None:
    return None if value is None else identifier("CarePlan.readmission_of", value)


def to_problems(value: Iterable[Problem]) -> tuple[Problem, ...]:
    return tuple_of("CarePlan.problems", value, Problem, "use careplan.Problem(...)")


def to_objectives(value: Iterable[TreatmentObjective]) -> tuple[TreatmentObjective, ...]:
    return tuple_of(
        "CarePlan.objectives", value, TreatmentObjective, "use careplan.TreatmentObjective(...)"
    )


def to_interventions(value: Iterable[Intervention]) -> tuple[Intervention, ...]:
    return tuple_of("CarePlan.interventions", value, Intervention, "use careplan.Intervention(...)")


def to_reviews(value: Iterable[Review]) -> tuple[Review, ...]:
    return tuple_of("CarePlan.reviews", value, Review, "use careplan.Review(...)")


def to_signatures(value: Iterable[Signature]) -> tuple[Signature, ...]:
    return tuple_of("CarePlan.signatures", value, Signature, "use careplan.Signature(...)")


def to_measurements(value: Iterable[Measurement]) -> tuple[Measurement, ...]:
    return tuple_of("CarePlan.measurements", value, Measurement, "use careplan.Measurement(...)")


def to_instruments(value: Iterable[Instrument]) -> tuple[Instrument, ...]:
    return tuple_of("CarePlan.instruments", value, Instrument, "use careplan.Instrument(...)")


def to_revisions(value: Iterable[CareRevision]) -> tuple[CareRevision, ...]:
    return tuple_of("CarePlan.revisions", value, CareRevision, "use careplan.CareRevision(...)")


def to_safety(value: SafetyRecord | None) -> SafetyRecord:
    if value is None:
        return NO_SAFETY_RECORD
    return instance("CarePlan.safety", value, SafetyRecord, "use careplan.safety.SafetyRecord(...)")
