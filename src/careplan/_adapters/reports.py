"""The command line's reports as text: a week, progress, safety, billing and claims.

Pure functions of a plan (and a day): the command line prints them, a
service can log or serve them. They show dates, codes, figures and levels,
never what a client or clinician wrote.
"""

from __future__ import annotations

import pendulum

from careplan._model.payer import PayerRules
from careplan._model.plan import CarePlan
from careplan._operations.billing import billing, claim_lines
from careplan._operations.billing_totals import billing_weeks
from careplan._operations.delivery import delivered
from careplan._operations.progress import progress, series, suicide_items
from careplan._operations.safety import check_safety, current_risk

__all__ = [
    "billing_report_lines",
    "claim_report_lines",
    "progress_report",
    "safety_report",
    "week_report",
]


def billing_report_lines(
    plan: CarePlan, rules: PayerRules, monday: pendulum.Date, today: pendulum.Date
) -> list[str]:
    """The week's billable days and hours against the certified minimum, a line each."""
    sunday = monday.add(days=6)
    lines = [f"  billing:    {rules.name} ({rules.version})"]
    for day in billing(plan, rules, today=today):
        if not monday <= day.day <= sunday:
            continue
        when = f"{day.day} {'forecast' if day.forecast else 'delivered'}"
        if day.billable:
            codes = ", ".join(code.code for code in day.codes)
            tier = "" if day.tier is None else f", tier {day.tier!r}"
            lines.append(f"    {when}: billable ({day.services} services{tier}; codes {codes})")
        else:
            lines.append(f"    {when}: not billable ({'; '.join(day.reasons)})")
    for week in billing_weeks(plan, rules, today=today):
        if week.monday == monday and week.certified_minimum is not None:
            verdict = "meets it" if week.meets_minimum else "is below it"
            lines.append(
                f"    week: {week.hours:.1f} h of billable services; the certification asks "
                f"{week.certified_minimum:g} h/week; this {verdict}"
            )
    return lines


def safety_report(plan: CarePlan, today: pendulum.Date) -> str:
    """The safety rules' findings and the current risk, by dates and instruments only.

    Nothing a client or clinician wrote (notes, safety plan entries) and no
    item answer is printed.
    """
    record = plan.safety
    lines = [f"Safety on {today}"]
    if not record:
        lines.append("  no suicide-risk screens, assessments or safety plans on file")
    risk = current_risk(record, today)
    lines.append(f"  current risk: {'not graded' if risk is None else risk}")
    screens = [s for s in record.screens if s.on <= today]
    if screens:
        latest = screens[-1]
        verdict = "positive" if latest.positive else "negative"
        lines.append(
            f"  screens: {len(screens)}; latest {latest.instrument} on {latest.on} ({verdict})"
        )
    assessments = [a for a in record.assessments if a.on <= today]
    if assessments:
        a = assessments[-1]
        lines.append(
            f"  risk assessments: {len(assessments)}; latest on {a.on} ({a.level}, by {a.role})"
        )
    plans = [p for p in record.plans if p.on <= today]
    if plans:
        reviewed = [d for d in plans[-1].reviewed if d <= today]
        last = f", last reviewed {reviewed[-1]}" if reviewed else ""
        lines.append(f"  safety plans: {len(plans)}; latest written {plans[-1].on}{last}")
    # Without records too: the admission screen falls due (check_safety).
    findings = check_safety(plan, today=today).violations
    if findings:
        lines.append("Findings")
        lines.extend(f"  {v.severity} {v.code}: {v.message}" for v in findings)
    else:
        lines.append("  no findings")
    return "\n".join(lines)


def progress_report(plan: CarePlan, today: pendulum.Date) -> str:
    """The objectives, what their measures say as of ``today``, and the measures themselves."""
    lines = [f"Progress on {today}"]
    found = progress(plan, today=today)
    if not found:
        lines.append("  the plan of care has no objectives")
    for item, objective in zip(found, plan.objectives, strict=True):
        lines.append(f"  {item.objective} (goal {item.goal}): {objective.description}")
        if item.target is None:
            lines.append("    judged by the team (no measured target)")
            continue
        if item.latest is None:
            lines.append(f"    target {item.target}: nothing measured or recorded yet")
            continue
        value = f"{item.latest:.0f}%" if item.target.is_attendance else f"{item.latest:g}"
        facts = [f"latest {value} on {item.latest_on}"]
        if item.band is not None:
            facts.append(item.band)
        if item.baseline is not None:
            facts.append(f"baseline {item.baseline:g}")
        if item.trend is not None:
            facts.append(item.trend)
        if item.responded:
            facts.append("response")
        if item.remitted:
            facts.append("remission")
        facts += [f"item {n}: {answer}" for n, answer in item.suicide_items]
        verdict = "met" if item.met else "not met"
        lines.append(f"    target {item.target}: {verdict} ({', '.join(facts)})")
    codes = list(dict.fromkeys(m.instrument for m in plan.measurements))
    if codes:
        lines.append("Measures")
        for code in codes:
            scores = ", ".join(
                f"{m.score:g} ({m.on}{_items(plan, code, m.on)})" for m in series(plan, code, today)
            )
            lines.append(f"  {code}: {scores or 'none by then'}")
    return "\n".join(lines)


def _items(plan: CarePlan, instrument: str, on: pendulum.Date) -> str:
    """``"; item 9: 1"`` when the score's questionnaire was answered item by item that day."""
    return "".join(f"; item {n}: {a}" for n, a in suicide_items(plan, instrument, on))


def week_report(
    plan: CarePlan,
    monday: pendulum.Date,
    rules: PayerRules | None = None,
    today: pendulum.Date | None = None,
    *,
    claims: bool = False,
) -> str:
    """Scheduled against delivered care in the week from ``monday``, with billing if asked.

    ``today`` (default the week's Sunday) judges later days as scheduled, a
    forecast, when ``rules`` are given; ``claims`` adds the week's claim lines.
    """
    sunday = monday.add(days=6)
    found = [w for w in delivered(plan, today=sunday) if w.monday == monday]
    lines = [f"Week of {monday} to {sunday}"]
    if not found:
        return "\n".join([*lines, "  no sessions scheduled this week"])
    (figures,) = found
    minimum = figures.level.intensity.hours_per_week.min
    rate = figures.attendance_rate
    lines += [
        f"  level:      {figures.level.name} ({figures.level.code})",
        f"  scheduled:  {figures.scheduled_minutes / 60:.1f} h in {figures.sessions} sessions",
        f"  delivered:  {figures.delivered_minutes / 60:.1f} h, "
        f"{figures.attended} sessions attended",
        f"  attendance: {'n/a' if rate is None else f'{rate:.0%}'}"
        f" ({figures.unexcused} unexcused absence(s), {figures.unrecorded} not recorded)",
    ]
    if minimum is not None:
        if figures.delivered_minutes >= minimum * 60 - 1e-9:
            verdict = "delivered care meets it"
        elif figures.unrecorded:
            verdict = (
                f"not judged: {figures.unrecorded} session(s) not recorded yet "
                "(record attendance to tell whether the week is below the minimum)"
            )
        else:
            verdict = "delivered care is below it"
        lines.append(f"  minimum:    {minimum:g} h/week; {verdict}")
    if rules is not None:
        lines += billing_report_lines(plan, rules, monday, sunday if today is None else today)
    if rules is not None and claims:
        lines += claim_report_lines(plan, rules, monday, sunday if today is None else today)
    return "\n".join(lines)


def claim_report_lines(
    plan: CarePlan, rules: PayerRules, monday: pendulum.Date, today: pendulum.Date
) -> list[str]:
    """The week's claim lines, one a line: date, revenue code, HCPCS code, modifiers, units."""
    found = [c for c in claim_lines(plan, rules, today=today) if c.week == monday]
    if not found:
        return ["  claims:     no billable lines this week"]
    first = found[0]
    lines = [
        f"  claims:     type of bill {first.type_of_bill or '-'}, "
        f"condition codes {', '.join(first.condition_codes) or '-'}"
    ]
    for c in found:
        modifiers = f" {'/'.join(c.modifiers)}" if c.modifiers else ""
        what = "per diem" if c.per_diem else (c.rendering_role or "")
        lines.append(
            f"    {c.day} {c.revenue or '-'} {c.hcpcs or '-'}{modifiers} x{c.units} ({what})"
            + (" forecast" if c.forecast else "")
        )
    return lines
