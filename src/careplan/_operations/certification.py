"""Physicians' certification and recertification, judged by a ReviewPolicy's cadences.

One judgement serves validation (``review.certification_lapsed``, through
:func:`check_certification`) and billing (a day in a lapse is not payable,
through :func:`certification_lapses`), so the two never disagree: Medicare
pays partial hospitalization and intensive outpatient days only while a
physician's certification is kept up (42 CFR 424.24(e)).
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs
import pendulum

from careplan._model.plan import CarePlan
from careplan._model.report import Violation
from careplan._model.review import Cadence, ReviewPolicy

__all__ = ["CertificationLapse", "certification_lapses", "check_certification"]


@attrs.frozen
class CertificationLapse:
    """Days at a level after a recertification fell due, until the physician recertified.

    Attributes:
        level: The level code of the episode.
        due: The day the recertification was due by; care from the next
            day is not certified.
        cadence: The cadence it fell due by.
        recertified: The day it was recertified, or ``None`` (not yet).
        episode_end: The last day of the episode at the level.
    """

    level: str
    due: pendulum.Date
    cadence: Cadence
    recertified: pendulum.Date | None
    episode_end: pendulum.Date

    def covers(self, day: pendulum.Date) -> bool:
        """True when care on ``day`` is not certified (the recertification day is)."""
        if day <= self.due or day > self.episode_end:
            return False
        return self.recertified is None or day < self.recertified


@attrs.frozen
class _DueSoon:
    level: str
    due: pendulum.Date


def _findings(
    plan: CarePlan, today: pendulum.Date, policy: ReviewPolicy
) -> Iterator[CertificationLapse | _DueSoon]:
    certified = sorted(s.on for s in plan.signatures if s.certifies)
    for episode in plan.episodes:
        cadence = policy.certification_cadence(episode.level.code)
        if cadence is None or not episode.days:
            continue
        horizon = min(today, episode.end)
        last, first = episode.start, True
        while True:
            due = cadence.due(last, first=first)
            if due >= episode.end:
                break  # the stay ends before a recertification falls due
            done = next((day for day in certified if last < day <= due), None)
            if done is not None:
                last, first = done, False
                continue
            if due < horizon:
                resumed = next((day for day in certified if day > due), None)
                until = episode.end if resumed is None else min(resumed, episode.end)
                yield CertificationLapse(episode.level.code, due, cadence, resumed, episode.end)
                if resumed is None or resumed >= until:
                    break
                last, first = resumed, False
                continue
            if today <= due and (due - today).days <= policy.due_soon_days:
                yield _DueSoon(episode.level.code, due)
            break


def certification_lapses(
    plan: CarePlan, today: pendulum.Date, policy: ReviewPolicy
) -> tuple[CertificationLapse, ...]:
    """Every lapse of certification that :func:`check_certification` reports, as values."""
    return tuple(f for f in _findings(plan, today, policy) if isinstance(f, CertificationLapse))


def check_certification(
    plan: CarePlan, today: pendulum.Date, policy: ReviewPolicy
) -> Iterator[Violation]:
    """Days at a level after its recertification fell due and before the next
    (``review.certification_lapsed``), and recertifications due soon."""
    for found in _findings(plan, today, policy):
        if isinstance(found, _DueSoon):
            yield Violation(
                "review.due_soon",
                "warning",
                f"The physician's recertification of {found.level} is due by "
                f"{found.due} ({policy.name}); schedule it",
                dates=(found.due,),
            )
            continue
        yield Violation(
            "review.certification_lapsed",
            "error",
            f"The physician's recertification of {found.level} was due by {found.due} "
            f"({policy.name}: {found.cadence}); care from {found.due.add(days=1)} "
            + ("until it was recertified" if found.recertified is not None else "on")
            + " is not certified; have the physician recertify the need",
            dates=(found.due.add(days=1),),
        )
