"""A realistic demo organisation, for trying qzdesk and for screenshots and benchmarks."""

from __future__ import annotations

from datetime import date, timedelta

from qzdesk.services.demo.applicants import build_admission_demo
from qzdesk.services.demo.dues import build_dues_demo
from qzdesk.services.demo.history import build_history
from qzdesk.services.demo.meetings import build_meetings_demo
from qzdesk.services.demo.party import build_party_demo
from qzdesk.services.demo.people import PeopleMaker, enrol
from qzdesk.services.desk import Desk
from qzdesk.services.members import records
from qzdesk.services.members.validation import MemberDraft
from qzdesk.services.organisation import orgs
from qzdesk.services.organisation.rules import DEFAULT_PROFILE_ID
from qzdesk.services.setup import SetupRequest, initialise
from qzdesk.vocabulary import DuesCategory, MemberStatus, OrgKind, PoliticalStatus, Sector

DEMO_PASSWORD = "qzdemo"
DEMO_ORG = "秦州区示范中学团委（演示）"
CLASS_BRANCHES = (  # (name, school years since it was set up)
    ("初三（1）班团支部", 1),
    ("初三（2）班团支部", 1),
    ("初三（3）班团支部", 1),
    ("初二（1）班团支部", 0),
)


def _school_year_start(today: date, years_ago: int) -> date:
    return date((today.year if today.month >= 9 else today.year - 1) - years_ago, 9, 1)


def demo_request(today: date, history: bool = True, org_name: str = DEMO_ORG) -> SetupRequest:
    return SetupRequest(
        org_name=org_name,
        org_kind=OrgKind.COMMITTEE,
        sector=Sector.MIDDLE_SCHOOL,
        secretary="李文静",
        password=DEMO_PASSWORD,
        profile_id=DEFAULT_PROFILE_ID,
        parent_org="共青团天水市秦州区委员会",
        branches=[name for name, _ in CLASS_BRANCHES] + ["教职工团支部"],
        founded_on=date(today.year - 3, 9, 1),
        # Class branches are set up when a class has members: this school year's for the
        # 初二 class, last school year's for the 初三 classes (the quiet baseline without
        # history has them all from the start).
        branches_founded=(
            {name: _school_year_start(today, ago) for name, ago in CLASS_BRANCHES}
            if history
            else {}
        ),
    )


def build_demo(
    desk: Desk,
    today: date,
    members: int | None = None,
    history: bool = True,
    org_name: str | None = None,
    seed: int = 1,
) -> orgs.OrgInfo:
    """The school's committee with its class branches and their members, plus a graduated
    class's branch that was closed, as every school has, and (with `history`) two years of
    its organisational life. With `members`, that many members spread over as many class
    branches as they need (about 40 each)."""
    root = desk.write(initialise, demo_request(today, history, org_name or DEMO_ORG)).value.org
    graduated = desk.write(
        orgs.add_branch,
        root.id,
        f"{today.year - 1}届初三（4）班团支部",
        date(today.year - 3, 9, 1),
    ).value
    desk.write(
        orgs.close_org, graduated.id, date(today.year - 1, 7, 5), "学生毕业，团员组织关系已全部转出"
    )
    _add_members(desk, root, today, members, seed)
    if members is None:
        if history:
            build_history(desk, today, demo_seed=seed)
        build_admission_demo(desk, today, seed)
        build_meetings_demo(desk, today)
        behind = {"初三（3）班团支部"}
        build_dues_demo(desk, today, DuesCategory.STUDENT, behind, seed)
        if history:
            build_party_demo(desk, today, "教职工团支部")
    return root


PER_CLASS = 40


def _add_members(
    desk: Desk,
    root: orgs.OrgInfo,
    today: date,
    total: int | None,
    seed: int = 1,
) -> None:
    maker = PeopleMaker(seed=2023 + seed)  # seed 1: the people the demo has always had
    school = root.name.removesuffix("（演示）").removesuffix("团委")
    branches = {b.name: b.id for b in desk.read(orgs.list_orgs) if b.is_open and b.parent_id}
    items: list[tuple[MemberDraft, int]] = []
    if total is None:
        plan = [
            ("初三（1）班团支部", "初三", "1班", 12),
            ("初三（2）班团支部", "初三", "2班", 11),
            ("初三（3）班团支部", "初三", "3班", 10),
            ("初二（1）班团支部", "初二", "1班", 4),
        ]
    else:
        plan = []
        for index in range(max(1, -(-total // PER_CLASS))):
            grade = ("初三", "初二")[index % 2]
            name = f"{grade}（{index // 2 + 1}）班团支部"
            if name not in branches:
                branches[name] = desk.write(
                    orgs.add_branch, root.id, name, date(today.year, 9, 1)
                ).value.id
            plan.append(
                (name, grade, f"{index // 2 + 1}班", min(PER_CLASS, total - index * PER_CLASS))
            )
    for branch, grade, class_name, count in plan:
        age = 14 if grade == "初二" else 15
        for _ in range(count):
            items.append((maker.student(today, age, grade, class_name, school), branches[branch]))
    if total is None:
        teachers = branches["教职工团支部"]
        for born_year in (1999, 2000, 2001, 2002, 2003, 1997):
            items.append((maker.teacher(today, school, born_year), teachers))
        items[-2][0].political_status = PoliticalStatus.PARTY
        items[-2][0].party_joined_on = date(today.year - 2, 7, 1)
        items[-3][0].league_post = "书记"
        items[-3][0].post_since = date(today.year - 1, 9, 1)
    ids, drafts = desk.write(enrol, items, today)
    if total is None:
        # Dated relative to today (never ahead of it, never before joining), so the demo
        # builds on any day of the year.
        def recently(index: int, days: int) -> date:
            return max(today - timedelta(days=days), drafts[index].joined_on or today)

        desk.write(
            records.leave,
            ids[-1],
            MemberStatus.AGED_OUT,
            recently(-1, 60),
            "年满 28 周岁，无团内职务",
            today=today,
        )
        desk.write(
            records.leave,
            ids[0],
            MemberStatus.TRANSFERRED_OUT,
            recently(0, 20),
            "随父母迁居兰州，组织关系转至兰州市第三十五中学团委",
            today=today,
        )
