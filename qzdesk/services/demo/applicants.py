"""The demo school's admission work in progress: applicants at every stage, points
waiting for the leadership group, a publicity running, this year's quota and numbers."""

from __future__ import annotations

from datetime import date, timedelta

from qzdesk.services.admission import applicants, ledger, number_blocks, publicity, quotas
from qzdesk.services.admission.applicants import ApplicantDraft
from qzdesk.services.admission.stages import Step
from qzdesk.services.clock import FixedClock, running_on
from qzdesk.services.demo.people import PeopleMaker, stream
from qzdesk.services.desk import Desk
from qzdesk.services.members import records

REVIEWERS = "王建国（校长）、李文静、赵敏"
STAGE1 = [("ideology_course", "A"), ("academic", "B"), ("conduct", "A"), ("class_post", None)]
STAGE2 = [
    ("lecture_exam", None),
    ("volunteer_year", None),
    ("observation", "A"),
    ("democratic_review", "B"),
]


def build_admission_demo(desk: Desk, today: date, seed: int = 1) -> None:
    maker = PeopleMaker(seed=stream(7, seed))
    branch = dict((name, i) for i, name in desk.read(records.open_branches))["初三（2）班团支部"]
    mentors = [r.id for r in desk.read(records.roster) if r.status.value == "active"][:3]
    profile = dict(desk.profiles)["qinzhou-2024"]

    def ago(days: int) -> date:
        return today - timedelta(days=days)

    def applicant(index: int) -> int:
        person = maker.student(today, 15, "初三", "2班", "秦州区示范中学")
        draft = ApplicantDraft(
            name=person.name,
            id_number=person.id_number,
            ethnicity=person.ethnicity,
            school="秦州区示范中学",
            grade="初三",
            class_name="2班",
            recommended_by="pioneer" if index == 1 else "member",
        )
        return desk.write(applicants.add_applicant, draft, branch, ago(200), today).value.id

    # Recorded on the day they happened, as a secretary keeps the book: each quarter's
    # archive then carries its own stretch of the chains.
    def points(applicant_id: int, items: list[tuple[str, str | None]], on: date) -> list[int]:
        with running_on(FixedClock.on(on)):
            return [
                desk.write(ledger.post_entry, applicant_id, item, on, grade, today=today).value.id
                for item, grade in items
            ]

    def review(entries: list[int], on: date) -> None:
        with running_on(FixedClock.on(on)):
            desk.write(ledger.review_entries, entries, "approved", on, REVIEWERS, today=today)

    def step(applicant_id: int, which: Step, on: date, **details: object) -> None:
        desk.write(applicants.record_step, applicant_id, which, on, details, today=today)

    people = [applicant(i) for i in range(7)]
    reviewed: list[int] = []
    for a in people[:4]:
        step(a, Step.TALK, ago(195), by="李文静")
        reviewed += points(a, STAGE1, ago(192))
    review(reviewed, ago(190))
    for a in people[:3]:
        step(a, Step.ACTIVIST, ago(180), meeting="支委会讨论通过")
    desk.write(
        publicity.create_publicity, "activist", people[:3], ago(178), "团委 李文静 0938-8211234"
    )
    second: list[int] = []
    for number, a in enumerate(people[:3]):
        step(a, Step.MENTOR, ago(175), member_id=mentors[number])
        step(a, Step.TRAINING, ago(150), hours=4.0, topic="团的基本知识")
        step(a, Step.TRAINING, ago(120), hours=4.0, topic="团史与团章")
        step(a, Step.OBSERVATION_REPORT, ago(12), summary="学习认真，积极参加志愿服务，表现良好。")
        for _, gate in profile.points.gates():
            step(a, Step.GATE, ago(11), gate=gate, confirmed_by="王建国")
        second += points(a, STAGE2, ago(10))
    review(second, ago(8))
    step(people[0], Step.CANDIDATE, ago(5), meeting="支委会讨论通过")
    desk.write(publicity.create_publicity, "candidate", [people[0]], ago(2), "团委 李文静")
    # Waiting for the leadership group's next sitting.
    for a in people[4:]:
        step(a, Step.TALK, ago(30), by="李文静")
        points(a, STAGE1[:3], ago(3))
    desk.write(quotas.set_quota, today.year, 12)
    desk.write(quotas.set_grade_students, today.year, "初三", 260)
    desk.write(
        number_blocks.add_block, today.year, f"{today.year}62050001", f"{today.year}62050050"
    )
