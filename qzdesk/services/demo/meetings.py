"""The demo school's recent organisational life: signed minutes and a draft, the class
committee elected at that assembly, and the teachers' committee near the end of its term."""

from __future__ import annotations

from datetime import date, timedelta

from qzdesk.services.dates import add_months
from qzdesk.services.desk import Desk
from qzdesk.services.meetings import minutes, terms
from qzdesk.services.meetings.minutes import MeetingKind, MinutesDraft, Resolution
from qzdesk.services.members import records


def build_meetings_demo(desk: Desk, today: date) -> None:
    branch = dict((name, i) for i, name in desk.read(records.open_branches))["初三（1）班团支部"]
    people = desk.read(minutes.branch_members_on, branch)
    chair, recorder = people[0][1], people[1][1]
    attendance = {m: ("present", "") for m, _ in people}
    attendance[people[-1][0]] = ("leave", "病假")
    present = len(people) - 1
    signed = MinutesDraft(
        MeetingKind.ASSEMBLY,
        today - timedelta(days=40),
        "学习团章，评议本季度团支部工作",
        "15:00",
        "16:10",
        "初三（1）班教室",
        chair,
        recorder,
        ["学习《中国共产主义青年团章程》总则", "评议本季度团支部工作"],
        [(chair, "领学团章总则，结合班级实际谈体会"), (recorder, "汇报本季度团支部工作")],
        [Resolution("通过本季度团支部工作小结", present, 0, 0)],
        attendance,
        [],
    )
    meeting_id = desk.write(minutes.create_minutes, branch, signed, today).value
    desk.write(minutes.sign_off, meeting_id, chair, recorder)
    others = [name for _, name in people[1:3]]
    desk.write(terms.record_election, branch, signed.held_on, chair, others, meeting_id, today)
    draft = MinutesDraft(
        MeetingKind.LEAGUE_DAY,
        today - timedelta(days=5),
        "主题团日：走进社区志愿服务",
        place="东关社区",
        chair=chair,
        recorder=recorder,
        agenda=["社区环境整治志愿服务"],
        attendance={m: ("present", "") for m, _ in people},
    )
    desk.write(minutes.create_minutes, branch, draft, today)
    teachers = dict((name, i) for i, name in desk.read(records.open_branches))["教职工团支部"]
    staff = [m for m in desk.read(records.roster) if m.branch_id == teachers]
    # The one the roster names 书记 is the one elected: one fact, one source.
    secretary = next((m.name for m in staff if m.league_post == "书记"), staff[-1].name)
    others = [m.name for m in staff if m.name != secretary][:2]
    elected = add_months(today, -35)  # a three-year term, a month from its end
    desk.write(terms.record_election, teachers, elected, secretary, others, None, today)
