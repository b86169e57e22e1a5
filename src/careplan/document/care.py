"""Reading the plan of care and its records: problems to interventions, reviews, measures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from careplan._model.care import Coding, Intervention, Problem, Target, TreatmentObjective
from careplan._model.kinds import SessionKind
from careplan._model.measures import Band, Instrument, Measurement
from careplan._model.plan import CareRevision, Goal, PlanOfCare
from careplan._model.review import Review, Signature
from careplan.document.fields import date, kind, optional_date
from careplan.document.paths import ON_IS_DATE, at, each, join
from careplan.document.shape import (
    GoalDoc,
    InstrumentDoc,
    InterventionDoc,
    MeasurementDoc,
    ObjectiveDoc,
    PlanOfCareDoc,
    ProblemDoc,
    ReviewDoc,
    RevisionDoc,
    SignatureDoc,
    TargetDoc,
)

__all__ = [
    "care_records",
    "instruments",
    "measurements",
    "plan_of_care",
    "reviews",
    "revisions",
    "signatures",
]

#: A record's day is ``on`` in the model and ``date`` in the document.


def _progress(doc: GoalDoc | ObjectiveDoc, path: str) -> dict[str, Any]:
    """What a goal and an objective share: their dates, status and achievement."""
    return {
        "target_date": optional_date(f"{path}.target_date", doc.target_date),
        "start": optional_date(f"{path}.start", doc.start),
        "status": doc.status,
        "achievement": doc.achievement,
    }


def _goal(doc: GoalDoc, path: str) -> Goal:
    """The goal at ``path``."""
    progress = _progress(doc, path)
    with at(path):
        return Goal(doc.id, doc.description, doc.measure, problems=tuple(doc.problems), **progress)


def _problem(doc: ProblemDoc, path: str) -> Problem:
    condition = None
    if doc.condition is not None:
        c = doc.condition
        with at(f"{path}.condition"):
            condition = Coding(c.system, c.code, c.display)
    with at(path):
        return Problem(doc.id, doc.description, doc.client_words, condition)


def _kinds(codes: list[str], path: str, labels: Mapping[str, str]) -> tuple[SessionKind, ...]:
    found = []
    for i, code in enumerate(codes):
        with at(f"{path}.kinds[{i}]", whole=True):
            found.append(kind(code, labels))
    return tuple(found)


def _target(doc: TargetDoc, path: str, labels: Mapping[str, str]) -> Target:
    kinds = _kinds(doc.kinds, path, labels)
    with at(path):
        return Target(doc.measure, doc.comparison, doc.value, kinds)  # type: ignore[arg-type]


def _objective(doc: ObjectiveDoc, path: str, labels: Mapping[str, str]) -> TreatmentObjective:
    target = None if doc.target is None else _target(doc.target, f"{path}.target", labels)
    progress = _progress(doc, path)
    with at(path):
        return TreatmentObjective(doc.id, doc.goal, doc.description, target=target, **progress)


def _intervention(doc: InterventionDoc, path: str, labels: Mapping[str, str]) -> Intervention:
    kinds = _kinds(doc.kinds, path, labels)
    with at(path):
        return Intervention(
            doc.id,
            doc.description,
            tuple(doc.objectives),
            kinds,
            doc.times,
            doc.every_weeks,
            doc.role,  # type: ignore[arg-type]
            tuple(doc.levels),
        )


def care_records(
    doc: PlanOfCareDoc, path: str, labels: Mapping[str, str]
) -> tuple[list[Problem], list[Goal], list[TreatmentObjective], list[Intervention]]:
    """The records of a plan of care, each checked on its own, errors at their paths.

    Their references to each other are checked where they are put together:
    :func:`plan_of_care`, or the plan, which builds its plan of care once.
    ``labels`` are the document's kind labels.
    """
    return (
        [_problem(p, join(path, f"problems[{i}]")) for i, p in enumerate(doc.problems)],
        [_goal(g, join(path, f"goals[{i}]")) for i, g in enumerate(doc.goals)],
        [
            _objective(o, join(path, f"objectives[{i}]"), labels)
            for i, o in enumerate(doc.objectives)
        ],
        [
            _intervention(v, join(path, f"interventions[{i}]"), labels)
            for i, v in enumerate(doc.interventions)
        ],
    )


def plan_of_care(doc: PlanOfCareDoc, path: str, labels: Mapping[str, str]) -> PlanOfCare:
    """The plan of care at ``path``, with references checked and errors at their paths."""
    records = care_records(doc, path, labels)
    with at(path):
        return PlanOfCare(*records)


def revisions(docs: list[RevisionDoc], labels: Mapping[str, str]) -> list[CareRevision]:
    """The plan of care's earlier versions."""
    found = []
    for i, r in enumerate(docs):
        where = f"revisions[{i}]"
        previous = plan_of_care(r.previous, f"{where}.previous", labels)
        with at(where, ON_IS_DATE):
            found.append(CareRevision(date(f"{where}.date", r.date), previous, r.note))
    return found


def _review(r: ReviewDoc, where: str) -> Review:
    return Review(date(f"{where}.date", r.date), r.role, r.outcome, r.reviewer, r.note)  # type: ignore[arg-type]


def reviews(docs: list[ReviewDoc]) -> list[Review]:
    """The plan's reviews."""
    return each("reviews", docs, _review, ON_IS_DATE)


def _signature(g: SignatureDoc, where: str) -> Signature:
    return Signature(date(f"{where}.date", g.date), g.role, g.name, g.purpose)  # type: ignore[arg-type]


def signatures(docs: list[SignatureDoc]) -> list[Signature]:
    """The plan's signatures."""
    return each("signatures", docs, _signature, ON_IS_DATE)


def _measurement(m: MeasurementDoc, where: str) -> Measurement:
    return Measurement(m.instrument, m.score, date(f"{where}.date", m.date))


def measurements(docs: list[MeasurementDoc]) -> list[Measurement]:
    """The plan's measurements."""
    return each("measurements", docs, _measurement, ON_IS_DATE)


def instruments(docs: list[InstrumentDoc]) -> list[Instrument]:
    """The plan's own instruments."""
    found = []
    for i, d in enumerate(docs):
        where = f"instruments[{i}]"
        bands = []
        for j, b in enumerate(d.bands):
            with at(f"{where}.bands[{j}]"):
                bands.append(Band(b.low, b.high, b.label))
        with at(where):
            found.append(
                Instrument(
                    d.code,
                    d.name,
                    d.minimum,
                    d.maximum,
                    d.loinc,
                    tuple(bands),
                    d.lower_is_better,
                    d.response_drop,
                    d.remission_below,
                    d.worsening,
                )
            )
    return found
