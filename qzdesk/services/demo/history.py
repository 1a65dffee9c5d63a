"""Two years of organisational life up to the demo's day, each record made on its own
day (the clock set to it), with branches of different quality as a district really has:
the teachers' branch exemplary, most class branches ordinary, 初三（3）班 weak."""

from __future__ import annotations

import random
from datetime import date

from qzdesk.services.admission import applicants
from qzdesk.services.admission.applicants import ApplicantDraft
from qzdesk.services.admission.stages import Step
from qzdesk.services.clock import FixedClock, running_on
from qzdesk.services.demo.people import PeopleMaker, stream
from qzdesk.services.desk import Desk
from qzdesk.services.meetings import evaluation, minutes, plan
from qzdesk.services.meetings.evaluation import Grade
from qzdesk.services.meetings.minutes import MeetingKind, MinutesDraft, Resolution
from qzdesk.services.members import records
from qzdesk.services.organisation import orgs
from qzdesk.vocabulary import MemberStatus, PoliticalStatus

# The share of required meetings each branch holds (the exemplary one holds them all).
QUALITY = {
    "教职工团支部": 1.0,
    "初三（1）班团支部": 0.85,
    "初三（2）班团支部": 0.85,
    "初三（3）班团支部": 0.3,
    "初二（1）班团支部": 0.8,
}
# Which meeting falls on which day of its month (quarterly ones in the quarter's last month).
SCHEDULE = (
    (MeetingKind.COMMITTEE, range(1, 13), 6),
    (MeetingKind.LEAGUE_DAY, range(1, 13), 14),
    (MeetingKind.LECTURE, (2, 5, 8, 11), 22),
    (MeetingKind.ASSEMBLY, (3, 6, 9, 12), 26),
)
TOPICS = {
    MeetingKind.COMMITTEE: "研究本月团支部工作",
    MeetingKind.LEAGUE_DAY: "主题团日：学习身边的榜样",
    MeetingKind.LECTURE: "团课：团的光辉历史",
    MeetingKind.ASSEMBLY: "支部大会：通报本季度工作，评议团员",
}


def _on_books(desk: Desk, branch_id: int, day: date) -> list[tuple[int, str]]:
    return [
        (e.member_id, e.draft.name)
        for e in desk.read(records.roster_on, day)
        if e.branch_id == branch_id and e.left_on is None
    ]


def _meeting(
    desk: Desk,
    branch_id: int,
    kind: MeetingKind,
    day: date,
    people: list[tuple[int, str]],
) -> int:
    chair, recorder = people[0][1], people[1][1]
    attendance = {m: ("present", "") for m, _ in people}
    if len(people) > 4:
        attendance[people[-1][0]] = ("leave", "外出学习")
    present = sum(1 for s, _ in attendance.values() if s == "present")
    resolutions = (
        [Resolution("通过本季度团支部工作小结", present, 0, 0)]
        if kind is MeetingKind.ASSEMBLY
        else []
    )
    draft = MinutesDraft(
        kind,
        day,
        TOPICS[kind],
        "15:00",
        "16:00",
        "团员活动室",
        chair,
        recorder,
        [TOPICS[kind]],
        [(chair, "传达上级团组织的工作要求"), (recorder, "结合实际谈体会")],
        resolutions,
        attendance,
        [],
    )
    meeting_id = desk.write(minutes.create_minutes, branch_id, draft, day).value
    desk.write(minutes.sign_off, meeting_id, chair, recorder)
    return meeting_id


def build_history(
    desk: Desk,
    today: date,
    quality: dict[str, float] | None = None,
    seed: int = 0,
    demo_seed: int = 1,
) -> None:
    """Last year whole and this year up to `today`: plans, and the meetings each branch
    held and signed (or missed) at its `quality` (the school's by default); the people it
    adds are the demo's own (`demo_seed`, see people.stream)."""
    meetings_held(desk, today, QUALITY if quality is None else quality, seed)
    teachers = {name: i for i, name in desk.read(records.open_branches)}["教职工团支部"]
    evaluated(desk, teachers, today.year - 1, today)
    _young_colleague(desk, teachers, today, demo_seed)


def meetings_held(
    desk: Desk,
    today: date,
    quality: dict[str, float],
    seed: int = 0,
) -> None:
    """Plans for both years, and each branch's meetings held at its quality."""
    chance = random.Random(today.year * 1000 + today.timetuple().tm_yday + seed)
    branches = {name: i for i, name in desk.read(records.open_branches)}
    formed = {o.id: o.created_on for o in desk.read(orgs.list_orgs)}
    first = date(today.year - 1, 1, 1)
    for year in (today.year - 1, today.year):
        with running_on(FixedClock.on(max(date(year, 1, 3), first))):
            if date(year, 1, 3) <= today:
                desk.write(plan.lay_out_year, year)
    for year in (today.year - 1, today.year):
        for kind, months, day_of_month in SCHEDULE:
            for month in months:
                day = date(year, month, day_of_month)
                if day >= today:
                    continue
                for name, share in quality.items():
                    branch_id = branches.get(name)
                    if branch_id is None or day < formed[branch_id]:
                        continue
                    if chance.random() >= share:
                        continue
                    people = _on_books(desk, branch_id, day)
                    if len(people) < 2:
                        continue
                    with running_on(FixedClock.on(day)):
                        _meeting(desk, branch_id, kind, day, people)


def _young_colleague(desk: Desk, branch_id: int, today: date, demo_seed: int) -> None:
    """A young teacher who applied last spring: talked to then, a standard confirmed this
    year (no points yet, so not an activist)."""
    maker = PeopleMaker(seed=stream(11, demo_seed))
    person = maker.teacher(today, "秦州区示范中学", today.year - 23)
    applied, talked = date(today.year - 1, 3, 10), date(today.year - 1, 3, 24)
    draft = ApplicantDraft(
        name=person.name,
        id_number=person.id_number,
        ethnicity=person.ethnicity,
        school="秦州区示范中学",
        recommended_by="member",
    )
    with running_on(FixedClock.on(applied)):
        applicant_id = desk.write(
            applicants.add_applicant, draft, branch_id, applied, applied
        ).value.id
    with running_on(FixedClock.on(talked)):
        desk.write(
            applicants.record_step, applicant_id, Step.TALK, talked, {"by": "李文静"}, today=talked
        )
    confirmed = date(today.year, 1, 20)
    if confirmed < today:
        gate = dict(desk.profiles)["qinzhou-2024"].points.gates()[0][1]
        with running_on(FixedClock.on(confirmed)):
            desk.write(
                applicants.record_step,
                applicant_id,
                Step.GATE,
                confirmed,
                {"gate": gate, "confirmed_by": "王建国"},
                today=confirmed,
            )


def evaluated(desk: Desk, branch_id: int, year: int, today: date) -> None:
    """The teachers' evaluation and registration at the end of `year`."""
    held, approved, registered = date(year, 12, 18), date(year, 12, 24), date(year, 12, 28)
    if registered >= today:
        return
    # Those on the books now (one who has left since has no record to grade), less the
    # Party members, who keep 团籍 without being evaluated.
    people = [
        (m.id, m.name)
        for m in desk.read(records.roster)
        if m.branch_id == branch_id
        and m.status is MemberStatus.ACTIVE
        and m.political_status is PoliticalStatus.LEAGUE
    ]
    if not people:
        return
    with running_on(FixedClock.on(held)):
        evaluation_id = desk.write(
            evaluation.open_evaluation, branch_id, year, held, len(people), held
        ).value
        grades = {
            m: (Grade.EXCELLENT if i == 0 else Grade.QUALIFIED, (len(people), 0, 0, 0), "")
            for i, (m, _) in enumerate(people)
        }
        desk.write(evaluation.propose_grades, evaluation_id, grades, held)
    with running_on(FixedClock.on(approved)):
        desk.write(evaluation.approve, evaluation_id, approved)
    with running_on(FixedClock.on(registered)):
        desk.write(evaluation.register_branch, branch_id, year, registered)
