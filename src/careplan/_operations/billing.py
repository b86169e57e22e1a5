"""Which days of care a payer will pay, and the service lines they are billed on.

:func:`billing` judges every day of a plan against a :class:`PayerRules`
pack: from attendance on and before ``today`` (what was delivered), from the
schedule after it (a forecast, marked as such). Each session becomes a
:class:`ServiceLine` (its codes, units and rendering role, and whether it
counts toward the day's per diem); the day's services are the lines that
qualify. :func:`claim_lines` lays the billable lines out as the weekly
institutional claims they go on (data, not EDI). What the days add up to,
each week against the hours the certification requires and each
authorization against its units, is in
:mod:`careplan._operations.billing_totals`; the records are in
:mod:`careplan._model.billing`.
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from collections.abc import Mapping
from typing import NamedTuple

import attrs
import pendulum

from careplan._model.attendance import Attendance
from careplan._model.billing import BillableDay, ClaimLine, ServiceLine
from careplan._model.expansion import occurrences as plan_occurrences
from careplan._model.occurrence import Occurrence
from careplan._model.payer import BillingCode, LevelRules, PayerRules, Tier, default_role
from careplan._model.plan import CarePlan
from careplan._model.review import ReviewPolicy
from careplan._model.session import Session
from careplan._model.substance_use import substance_use
from careplan._model.time import require_date, week_start
from careplan._operations.certification import CertificationLapse, certification_lapses

__all__ = [
    "billing",
    "billing_certification",
    "billing_lines",
    "claim_lines",
    "rendering_role",
]


def rendering_role(
    plan: CarePlan,
    session: Session,
    level: str,
    roles: Mapping[str, str] | None = None,
) -> str:
    """Who renders ``session`` at ``level``: the caller's word, the plan of care's, or the kind's.

    In order: ``roles`` (session id to role) when it names the session; the
    session's own :attr:`~careplan.Session.role`; the role of the plan-of-care
    interventions delivered through the session's kind at the level, when
    they agree on one; else the kind's default
    (:func:`careplan.default_role`: a psychiatric session is a
    psychiatrist's, others a therapist's).

    >>> from careplan.demo import sample_plan
    >>> plan = sample_plan()
    >>> [rendering_role(plan, s, "IOP") for s in plan.schedule.sessions][:2]
    ['therapist', 'therapist']
    """
    if roles is not None and session.id in roles:
        return roles[session.id]
    if session.role is not None:
        return session.role
    kind = session.kind
    found = {i.role for i in plan.interventions if kind in i.kinds and i.applies_at(level)}
    if len(found) == 1:
        return found.pop()
    return default_role(kind.code)


def billing_certification(
    plan: CarePlan, rules: PayerRules, today: _dt.date
) -> tuple[CertificationLapse, ...]:
    """The lapses of the certification ``rules`` ask for, as ``validate`` judges them.

    The pack's recertification cadences, judged by the same function as
    ``review.certification_lapsed`` (:func:`check_certification`); like the
    review rules, only a plan with a plan of care (and so its physician's
    signatures) is judged. Days in a lapse are not payable (42 CFR 424.24(e)).
    """
    if plan.plan_of_care.empty:
        return ()
    cadences = {
        code: level.recertification
        for level in rules.levels
        if level.recertification is not None
        for code in level.levels
    }
    if not cadences:
        return ()
    policy = ReviewPolicy(f"{rules.name} ({rules.version})", certifications=cadences)
    return certification_lapses(plan, require_date("today", today), policy)


def billing(
    plan: CarePlan,
    rules: PayerRules,
    *,
    today: _dt.date,
    occurrences: tuple[Occurrence, ...] | None = None,
    roles: Mapping[str, str] | None = None,
) -> tuple[BillableDay, ...]:
    """Every day of ``plan`` with care, as ``rules`` would bill it, first to last.

    On and before ``today`` a session is a service when the client was there
    (on time, late or leaving early) and counts the minutes they received;
    after ``today`` the schedule is the forecast. A session the program
    cancelled is not care at all. A service qualifies for the per diem when
    its kind is billable, its modality counts, its rendering role is not a
    separately billed professional's, and, where the pack codes the kind, one
    of its codes takes the minutes delivered (a kind the pack does not code
    counts on a line without codes). ``occurrences`` are the plan's own, when the
    caller has them already; ``roles`` names the rendering role of sessions
    by id (see :func:`rendering_role`).

    >>> import pendulum
    >>> from careplan import MEDICARE_2024
    >>> from careplan.demo import sample_plan
    >>> first = billing(sample_plan(), MEDICARE_2024, today=pendulum.date(2027, 1, 3))[0]
    >>> first.day, first.services, first.billable, first.tier, first.forecast
    (Date(2027, 1, 4), 3, True, '3 services', True)
    >>> [code.code for code in first.codes]
    ['92']
    >>> [(line.revenue, line.hcpcs, line.units) for line in first.lines][:2]
    [(None, None, 1), ('0915', 'G0410', 2)]
    """
    until = require_date("today", today)
    records = {record.key: record for record in plan.attendance}
    episodes = plan.episodes
    by_day: dict[pendulum.Date, list[Occurrence]] = defaultdict(list)
    for occurrence in plan_occurrences(plan) if occurrences is None else occurrences:
        record = records.get(occurrence.key)
        if record is not None and record.status == "cancelled_by_program":
            continue
        by_day[occurrence.date].append(occurrence)
    judge = _Judge(
        plan,
        rules,
        until,
        records,
        substance_use(plan).chemical_dependency,
        billing_certification(plan, rules, until),
        roles,
    )
    # Each episode's level and its rules, looked up once rather than per day.
    levels = [(e.level.code, rules.for_level(e.level.code)) for e in episodes]
    found = []
    for day in sorted(by_day):
        items = by_day[day]
        episode = items[0].episode
        level, level_rules = levels[episode]
        found.append(judge.day(day, level, level_rules, episode, items))
    return tuple(found)


class _Line(NamedTuple):
    """A service line without its day and the day's verdict: what judging the day reads.

    It depends on the session, the level and the minutes alone, so the
    occurrences of a session with the same minutes share one.
    """

    minutes: int
    why: str | None  # why it does not count toward the per diem; None when it does
    # The ServiceLine's fields from session_id to place_of_service.
    fields: tuple[str, str, str, int, str, str | None, str | None, tuple[str, ...], int, str | None]


class _Terms(NamedTuple):
    """What a day at a level with some number of qualifying services is judged by."""

    tier: Tier | None
    codes: tuple[BillingCode, ...]  # the codes the day carries when billable
    least: int  # fewest minutes of services, the level's or a code's
    needs: str  # the codes that ask for them, as said in a reason
    weekly: tuple[int, str] | None  # most days a week asked for, and who asks


@attrs.define
class _Judge:
    """Judges the days of one plan; what depends only on a session or a level is worked out once."""

    plan: CarePlan
    rules: PayerRules
    today: pendulum.Date
    records: dict[tuple[str, pendulum.Date], Attendance]
    substance_use: bool
    lapses: tuple[CertificationLapse, ...]
    roles: Mapping[str, str] | None
    name: str = attrs.field(init=False)
    virtual_reason: str = attrs.field(init=False)
    program_days: dict[tuple[int, str], int] = attrs.field(init=False, factory=dict)
    # Entries keep their session, so that its id is not reused while the judge lives.
    sessions: dict[tuple[int, str], tuple[Session, str, str | None]] = attrs.field(
        init=False, factory=dict
    )
    lines: dict[tuple[int, str, int], tuple[Session, _Line]] = attrs.field(init=False, factory=dict)
    terms: dict[tuple[str, int], _Terms] = attrs.field(init=False, factory=dict)

    def __attrs_post_init__(self) -> None:
        self.name = f"{self.rules.name} ({self.rules.version})"
        self.virtual_reason = f"virtual sessions do not count for {self.name}"

    def judged(self, rules: LevelRules, session: Session, level: str) -> tuple[str, str | None]:
        """Who renders a session, and why it cannot count toward the per diem (or ``None``).

        Kept per session object and level: the occurrences of a week share
        their schedule's sessions.
        """
        key = (id(session), level)
        found = self.sessions.get(key)
        if found is None:
            role = rendering_role(self.plan, session, level, self.roles)
            found = self.sessions[key] = (session, role, self._why(rules, session, role))
        return found[1], found[2]

    def _why(self, rules: LevelRules, session: Session, role: str) -> str | None:
        kind = session.kind.code
        if kind not in rules.billable_kinds:
            return f"{kind} is not a billable service for {self.name}"
        if session.modality.is_virtual and rules.virtual != "counts":
            return self.virtual_reason
        if not rules.counts_toward_per_diem(role):
            return (
                f"a {role}'s service is a professional service, billed separately "
                f"and not in {self.name}'s per diem"
            )
        return None

    def days_a_week(self, rules: LevelRules, episode: int, level: str) -> int:
        """Weekdays the episode's schedule holds services that can count."""
        key = (episode, level)
        if key not in self.program_days:
            schedule = self.plan.episodes[episode].schedule
            self.program_days[key] = len(
                {
                    s.weekday
                    for s in schedule.sessions
                    if self.judged(rules, s, level)[1] is None
                    and (
                        not rules.codes_kind(s.kind.code)
                        or rules.service_code(s.kind.code, s.minutes, self.substance_use)
                    )
                }
            )
        return self.program_days[key]

    def line(self, rules: LevelRules, level: str, session: Session, minutes: int) -> _Line:
        """The line of ``minutes`` of ``session`` at ``level``, before its day is judged.

        Its ``why`` is ``None`` for a qualifying service; :meth:`day` builds
        the ServiceLine once it knows the date, the tier, whether the day is
        billable, and the day's reason.
        """
        key = (id(session), level, minutes)
        found = self.lines.get(key)
        if found is not None:
            return found[1]
        virtual = session.modality.is_virtual
        role, why = self.judged(rules, session, level)
        if why is None and minutes <= 0:
            why = "no minutes of it were delivered"
        code = None
        if why is None and rules.codes_kind(session.kind.code):
            code = rules.service_code(session.kind.code, minutes, self.substance_use)
            if code is None:
                why = f"{minutes} minutes of {session.kind.code} fit no code of {self.name}"
        if code is not None:
            units = code.units(minutes)
            modifiers = code.modifiers
        else:
            units = 1 if minutes > 0 else 0
            modifiers = ()
        if virtual and rules.telehealth_modifiers:
            modifiers += tuple(m for m in rules.telehealth_modifiers if m not in modifiers)
        line = _Line(
            minutes,
            why,
            (
                session.id,
                session.kind.code,
                level,
                minutes,
                role,
                None if code is None else code.revenue,
                None if code is None else code.hcpcs,
                modifiers,
                units,
                rules.telehealth_place_of_service if virtual else rules.place_of_service,
            ),
        )
        self.lines[key] = (session, line)
        return line

    def day_terms(self, rules: LevelRules, level: str, services: int) -> _Terms:
        """The tier, codes and minimums of a day at ``level`` with ``services`` services."""
        key = (level, services)
        found = self.terms.get(key)
        if found is None:
            codes = tuple(c for c in rules.codes if c.applies(self.substance_use))
            tier = rules.tier(services)
            if tier is not None:
                codes += tuple(c for c in tier.codes if c.applies(self.substance_use))
            least = max([rules.min_minutes, *(c.min_minutes for c in codes)])
            needs = [c.code for c in codes if c.min_minutes == least]
            weekly = [
                (c.min_days_per_week, c.code) for c in codes if c.min_days_per_week is not None
            ]
            if rules.min_days_per_week is not None:
                weekly.append((rules.min_days_per_week, self.name))
            found = self.terms[key] = _Terms(
                tier,
                codes,
                least,
                f" for {', '.join(needs)}" if needs else "",
                max(weekly) if weekly else None,
            )
        return found

    def day(
        self,
        day: pendulum.Date,
        level: str,
        rules: LevelRules | None,
        episode: int,
        items: list[Occurrence],
    ) -> BillableDay:
        forecast = day > self.today
        if rules is None:
            return BillableDay(
                day,
                level,
                0,
                0,
                False,
                (f"{self.name} does not pay {level} care",),
                forecast=forecast,
            )
        lines: list[_Line] = []
        unrecorded = 0
        for occurrence in items:
            if forecast:
                lines.append(self.line(rules, level, occurrence.session, occurrence.minutes))
                continue
            record = self.records.get(occurrence.key)
            if record is None:
                # Sessions that could be services and are not recorded yet.
                unrecorded += self.judged(rules, occurrence.session, level)[1] is None
            elif record.present:
                minutes = record.delivered_minutes(occurrence)
                lines.append(self.line(rules, level, occurrence.session, minutes))
        qualifying = [line for line in lines if line.why is None]
        services = len(qualifying)
        minutes = sum(line.minutes for line in qualifying)
        terms = self.day_terms(rules, level, services)
        reasons = self.reasons(rules, day, level, episode, services, minutes, terms)
        if reasons:
            virtual = sum(line.why == self.virtual_reason for line in lines)
            if virtual:
                reasons.append(f"{virtual} virtual session(s) do not count for {self.name}")
            professional = sum(
                line.why is not None and "professional service" in line.why for line in lines
            )
            if professional:
                reasons.append(
                    f"{professional} professional service(s) are billed separately, "
                    "not in the per diem"
                )
        if reasons and unrecorded:
            reasons.append(f"{unrecorded} session(s) have no attendance record yet")
        lapse = next((lapse for lapse in self.lapses if lapse.covers(day)), None)
        if lapse is not None:
            reasons.append(
                f"the physician's recertification of {lapse.level} was due by {lapse.due} and "
                "the day is not certified (42 CFR 424.24(e))"
            )
        billable = not reasons
        why = None if billable else f"the day is not billable: {reasons[0]}"
        tier_name = None if terms.tier is None or not billable else terms.tier.name
        built = tuple(
            ServiceLine(
                day,
                *line.fields,
                per_diem=line.why is None,
                tier=tier_name if line.why is None else None,
                billable=billable and line.why is None,
                reason=line.why or why,
                forecast=forecast,
            )
            for line in lines
        )
        return BillableDay(
            day,
            level,
            services,
            minutes,
            billable,
            tuple(reasons),
            tier=tier_name,
            codes=terms.codes if billable else (),
            forecast=forecast,
            lines=built,
            certified=lapse is None,
        )

    def reasons(
        self,
        rules: LevelRules,
        day: pendulum.Date,
        level: str,
        episode: int,
        services: int,
        minutes: int,
        terms: _Terms,
    ) -> list[str]:
        name = self.name
        reasons = []
        if not self.rules.in_force(day, rules):
            reasons.append(f"{name} is not in force on {day}")
        if services < rules.min_services:
            reasons.append(
                f"{services} billable service(s), {name} needs {rules.min_services} a day"
            )
        if minutes < terms.least:
            reasons.append(
                f"{minutes} minutes of billable services, {name} needs {terms.least}{terms.needs}"
            )
        if terms.weekly is not None:
            most, who = terms.weekly
            held = self.days_a_week(rules, episode, level)
            if held < most:
                reasons.append(
                    f"the program is scheduled {held} day(s) a week; {who} needs at least {most}"
                )
        return reasons


def billing_lines(
    plan: CarePlan,
    rules: PayerRules,
    *,
    today: _dt.date,
    roles: Mapping[str, str] | None = None,
) -> tuple[ServiceLine, ...]:
    """Every service line of ``plan`` under ``rules``: one per delivered (or forecast) session.

    >>> import pendulum
    >>> from careplan import MEDICARE_2024
    >>> from careplan.demo import sample_plan
    >>> lines = billing_lines(sample_plan(), MEDICARE_2024, today=pendulum.date(2027, 1, 3))
    >>> line = lines[1]
    >>> line.kind, line.revenue, line.hcpcs, line.units, line.per_diem, line.tier
    ('group_therapy', '0915', 'G0410', 2, True, '3 services')
    """
    days = billing(plan, rules, today=today, roles=roles)
    return tuple(line for day in days for line in day.lines)


def claim_lines(
    plan: CarePlan,
    rules: PayerRules,
    *,
    today: _dt.date,
    roles: Mapping[str, str] | None = None,
) -> tuple[ClaimLine, ...]:
    """The billable days of ``plan`` as the weekly claims they go on, a line each.

    A claim is a week at one level: its type of bill and condition codes
    (from the pack), then for each billable day the day's per diem codes (a
    revenue code with the HCPCS code of its scope, such as 0905 with S9480)
    and every billable service line with a code (Medicare: each service on
    its own line with its revenue and HCPCS code; the tier is not coded).

    >>> import pendulum
    >>> from careplan import MEDICARE_2024
    >>> from careplan.demo import sample_plan
    >>> claim = claim_lines(sample_plan(), MEDICARE_2024, today=pendulum.date(2027, 1, 3))
    >>> first = claim[0]
    >>> first.condition_codes, first.day, first.revenue, first.hcpcs, first.units
    (('92',), Date(2027, 1, 4), '0915', 'G0410', 2)
    """
    found: list[ClaimLine] = []
    for day in billing(plan, rules, today=today, roles=roles):
        level = rules.for_level(day.level)
        if not day.billable or level is None:
            continue
        week = week_start(day.day)
        conditions = tuple(c.code for c in day.codes if c.system == "condition")
        revenues = [c for c in day.codes if c.system == "revenue"]
        hcpcs = [c for c in day.codes if c.system == "hcpcs"]
        for code in hcpcs or revenues:
            revenue = code if code.system == "revenue" else _paired(code, revenues)
            found.append(
                ClaimLine(
                    week,
                    day.level,
                    level.type_of_bill,
                    conditions,
                    day.day,
                    None if revenue is None else revenue.code,
                    code.code if code.system == "hcpcs" else None,
                    (),
                    1,
                    True,
                    None,
                    None,
                    day.forecast,
                )
            )
        for line in day.lines:
            if not line.billable or (line.revenue is None and line.hcpcs is None):
                continue
            found.append(
                ClaimLine(
                    week,
                    day.level,
                    level.type_of_bill,
                    conditions,
                    day.day,
                    line.revenue,
                    line.hcpcs,
                    line.modifiers,
                    line.units,
                    False,
                    line.session_id,
                    line.rendering_role,
                    day.forecast,
                )
            )
    return tuple(found)


def _paired(code: BillingCode, revenues: list[BillingCode]) -> BillingCode | None:
    """The revenue code that goes with an HCPCS day code: of its scope, else the only one."""
    same = [r for r in revenues if r.scope == code.scope]
    if same:
        return same[0]
    return revenues[0] if len(revenues) == 1 else None
