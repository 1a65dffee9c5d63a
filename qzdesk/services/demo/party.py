"""推优入党 in the demo's teachers' branch: last year's round (a young teacher recommended,
approved by the committee, listed by the Party as 入党积极分子) and this year's under way
(proposed, the committee agreed). Each step recorded on its day."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from qzdesk.models import Member, Org
from qzdesk.services.clock import FixedClock
from qzdesk.services.context import Context
from qzdesk.services.desk import Desk
from qzdesk.services.party import recommend
from qzdesk.services.party.steps import PartyAnswer, PartyStep
from qzdesk.vocabulary import MemberStatus, PoliticalStatus


def _on_books(ctx: Context, branch: str) -> int:
    return sum(1 for e in recommend.eligibility(ctx) if e.branch == branch)


def build_party_demo(desk: Desk, today: date, branch: str) -> None:
    """Two teachers of `branch` who applied to the Party two autumns ago; one through the
    whole round last spring, the other proposed this year (when this year has room)."""

    def on(day: date) -> Desk:
        return Desk(desk.store, dict(desk.profiles), FixedClock.on(day))

    applied = date(today.year - 2, 10, 8)
    people = on(applied).read(_people_of, branch)
    if len(people) < 2:
        return
    for person in people:
        on(applied).write(recommend.record_application, person, applied)
    last = today.year - 1
    first = on(date(last, 4, 8)).write(recommend.propose, people[0], date(last, 4, 8)).value
    size = on(date(last, 4, 8)).read(_on_books, branch)
    present = max(size - 1, size // 2 + 1)
    votes = {"expected": size, "present": present, "for": present, "against": 0, "abstain": 0}
    steps = [
        (PartyStep.AGREED, date(last, 4, 10), {}),
        (PartyStep.VOTE, date(last, 4, 17), votes),
        (PartyStep.REVIEWED, date(last, 4, 20), {}),
        (PartyStep.PUBLICITY, date(last, 4, 22), {}),
        (PartyStep.APPROVED, date(last, 5, 15), {}),
        (PartyStep.SENT, date(last, 5, 20), {}),
        (PartyStep.ANSWER, date(last, 9, 1), {"answer": PartyAnswer.ACTIVIST.value}),
    ]
    for step, day, details in steps:
        on(day).write(recommend.record_step, first, step, day, details)
    proposed = today - timedelta(days=20)
    if proposed.year == today.year:
        second = on(proposed).write(recommend.propose, people[1], proposed).value
        agreed = today - timedelta(days=10)
        on(agreed).write(recommend.record_step, second, PartyStep.AGREED, agreed, {})


def _people_of(ctx: Context, branch: str) -> list[int]:
    """The branch's two youngest League members (under 28 for years to come)."""
    query = (
        select(Member.id)
        .join(Org, Org.id == Member.branch_id)
        .where(
            Org.name == branch,
            Member.status == MemberStatus.ACTIVE.value,
            Member.political_status == PoliticalStatus.LEAGUE.value,
        )
        .order_by(Member.birth_date.desc())
        .limit(2)
    )
    return list(ctx.session.scalars(query))
