"""Taking a period's snapshot: the one place that reads the records for an archive, all
as of one day worked out once, from the desk's clock (Beijing time)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import func, select

from qzdesk.models import Unit
from qzdesk.services.admission import applicants, ledger, publicity, quotas
from qzdesk.services.admission.stages import Stage, Step
from qzdesk.services.archive import register
from qzdesk.services.archive.snapshot import Organisation, PointsAccount, Rating, Snapshot
from qzdesk.services.committee import appraisal
from qzdesk.services.committee.cadres import analysis as cadre_analysis
from qzdesk.services.committee.coverage import coverage
from qzdesk.services.context import Context
from qzdesk.services.dues import book as dues_book
from qzdesk.services.dues import money as dues_money
from qzdesk.services.meetings import evaluation, minutes, plan, terms
from qzdesk.services.meetings.compliance import compliance
from qzdesk.services.meetings.evaluation import EvaluationView, RegistrationRow
from qzdesk.services.meetings.rating import ratings
from qzdesk.services.members import records
from qzdesk.services.organisation.orgs import orgs_on
from qzdesk.services.organisation.overview import overview
from qzdesk.services.party import recommend
from qzdesk.services.periods import Period
from qzdesk.services.receiving import registry
from qzdesk.services.receiving.receipts import received_in
from qzdesk.services.receiving.summary import summary
from qzdesk.services.security import branch_key
from qzdesk.services.transfer import book as transfer_book

ADMISSION_STEPS = (Step.APPLICATION, Step.ACTIVIST, Step.CANDIDATE, Step.VOTE, Step.APPROVAL)


def _known(day: date | None, as_of: date) -> date | None:
    return day if day and day <= as_of else None


def take_snapshot(ctx: Context, period: Period) -> Snapshot:
    """The period's records as they stood at the end of `period.as_of(today)`: nothing
    recorded, held, signed or approved later is in it."""

    as_of = period.as_of(ctx.today)
    start_at, end_at = period.bounds(ctx.now)
    year = period.end.year
    general = overview(ctx, as_of)
    info = branch_key.key_info(ctx.store)
    elections = terms.archive_section(ctx, as_of)
    section = applicants.archive_section(ctx, as_of)
    stages = {a["id"]: Stage(a["stage"]) for a in section}
    views, names, _ = minutes.minutes_between(ctx, period.start, as_of)
    received = received_in(ctx, period.code)
    roster = tuple(records.roster_on(ctx, as_of))
    scheme, rated = ratings(ctx, year, as_of=as_of) if period.end.month == 12 else (None, [])
    return Snapshot(
        period=period,
        as_of=as_of,
        taken_at=ctx.now,
        organisation=Organisation(
            root=general.root,
            parent=general.parent_org,
            secretary_setting=general.secretary,
            elected_secretary=terms.organisation_secretary(elections, general.root.id),
            profile=general.profile,
            fingerprint=info.fingerprint if info else "",
        ),
        previous_archive_id=register.previous_archive(ctx, period),
        branches=tuple(orgs_on(ctx, as_of)),
        roster=roster,
        applicants=tuple(section),
        points=tuple(
            PointsAccount(
                person.id,
                person.name,
                f"{person.grade or ''}{person.class_name or ''}",
                stages.get(person.id, person.stage),
                ledger.balance_of(ctx, person.id, as_of=as_of),
                tuple(ledger.entries_of(ctx, person.id, as_of)),
            )
            for person in applicants.applicants(ctx)
            if person.id in stages
        ),
        ledger=ledger.recorded_between(ctx, start_at, end_at),
        anchors={"start": ledger.anchors(ctx, start_at), "end": ledger.anchors(ctx, end_at)},
        steps=tuple(applicants.steps_between(ctx, ADMISSION_STEPS, period.start, as_of)),
        quota=quotas.quota_status(
            ctx,
            year,
            as_of,
            Counter(e.draft.grade for e in roster if e.left_on is None and e.draft.grade),
        ),
        publicities=tuple(
            sorted(
                # A notice prepared ahead is printed before it is posted: by its days.
                (r for r in publicity.publicities(ctx) if period.contains(r.starts_on)),
                key=lambda r: (r.starts_on, r.id),
            )
        ),
        plan=tuple(plan.plan_between(ctx, period.start, period.end)),
        minutes=tuple(views),
        meetings=tuple(minutes.archive_section(ctx, period.start, as_of)),
        member_names=names,
        compliance=tuple(compliance(ctx, year, as_of=as_of, since=period.start)),
        rating=Rating(scheme, tuple(rated)) if scheme is not None else None,
        evaluations=_evaluations(ctx, period, as_of),
        registrations=_registrations(ctx, period, as_of),
        terms=tuple(elections),
        received=tuple(received),
        received_rows=tuple(summary(ctx, period.code)),
        dues=dues_book.figures(ctx, period.start, as_of),
        money=dues_money.account(ctx, period.start, as_of),
        transfers=tuple(transfer_book.transfers_between(ctx, period.start, as_of)),
        recommendations=tuple(recommend.recommendations_between(ctx, period.start, as_of)),
        **_committee_year(ctx, period),
        not_reported=tuple(
            sorted(
                {
                    r.org_name
                    for r in registry.registrations(ctx)
                    if r.ended_on is None or r.ended_on >= period.start
                }
                - {r["org"] for r in received}
            )
        ),
    )


def _evaluations(ctx: Context, period: Period, as_of: date) -> tuple[EvaluationView, ...]:
    """The year's 评议 held by `as_of`, and the year before's approved in the period (a
    December 评议 is approved in January): an approval after the day is not known yet."""
    year = period.end.year
    found = [
        *evaluation.evaluations_of_year(ctx, year - 1),
        *evaluation.evaluations_of_year(ctx, year),
    ]
    return tuple(
        replace(v, approved_on=_known(v.approved_on, as_of))
        for v in found
        if v.held_on <= as_of
        and (v.year == year or (v.approved_on and period.start <= v.approved_on <= as_of))
    )


def _registrations(ctx: Context, period: Period, as_of: date) -> tuple[RegistrationRow, ...]:
    """The year's 团籍注册 done by `as_of`, and the year before's done in the period (a
    deferral's 复查 day is set when it is recorded: known with it)."""
    year = period.end.year
    found = [
        *evaluation.registrations_of_year(ctx, year - 1),
        *evaluation.registrations_of_year(ctx, year),
    ]
    return tuple(r for r in found if r.on <= as_of and (r.year == year or period.start <= r.on))


def _committee_year(ctx: Context, period: Period) -> dict[str, Any]:
    """A committee's register, its cadres' analysis and (a year's archive) the 考评 of
    the year: only where it keeps them."""
    found: dict[str, Any] = {}
    if ctx.session.scalar(select(func.count()).select_from(Unit)):
        found["coverage"] = coverage(ctx, period)
    analysed = cadre_analysis(ctx, period)
    if analysed.rows or analysed.falls:
        found["cadres"] = analysed
    if period.code.isdigit():
        found["appraisals"] = tuple(r for r in appraisal.results(ctx, period.end.year) if r.parts)
    return found
