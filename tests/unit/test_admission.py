"""A whole admission walked through by the services, from application to member, with
each rule's boundary."""

from __future__ import annotations

from datetime import date

import pytest

from qzdesk.services.admission import applicants, ledger, number_blocks, publicity
from qzdesk.services.admission.applicants import StepBlocked
from qzdesk.services.admission.stages import Stage, Step
from qzdesk.services.errors import ValidationError
from qzdesk.services.meetings import minutes
from qzdesk.services.meetings.minutes import MeetingKind, MinutesDraft
from qzdesk.services.members import discipline, records
from tests.admission_helpers import (
    TODAY,
    active_member_ids,
    approved_points,
    binding,
    new_applicant,
)
from tests.desks import desk_of

STAGE1 = [("ideology_course", "A"), ("academic", "A"), ("conduct", "B"), ("class_post", None)]
STAGE2 = [
    ("lecture_exam", None),
    ("volunteer_year", None),
    ("observation", "A"),
    ("democratic_review", "A"),
]


def blocked(call) -> list[str]:
    with pytest.raises(StepBlocked) as caught:
        call()
    return [f.text for f in caught.value.findings if f.blocking]


def step(store, profiles, applicant_id, which, on, **details):
    return desk_of(store, profiles).write(
        applicants.record_step, applicant_id, which, on, details, today=TODAY
    )


def test_age_on_the_day_of_application(store, profiles):
    too_young = blocked(lambda: new_applicant(store, profiles, born="20110304"))
    assert too_young == ["申请时未满 14 周岁（13 岁）"]
    new_applicant(store, profiles, born="20110303")  # 14 on the day: accepted


def test_a_whole_admission_from_application_to_member(store, profiles):
    rules = binding(profiles)
    a = new_applicant(store, rules)
    assert a.stage is Stage.APPLICANT

    assert blocked(lambda: step(store, rules, a.id, Step.ACTIVIST, date(2025, 3, 20))) == [
        "尚未与申请人谈话",
        "第一阶段：确定入团积极分子积分 0/60 分（仅计已审核通过的积分）",
    ]
    step(store, rules, a.id, Step.TALK, date(2025, 3, 10), by="团支部书记")
    # Pending points do not count; approved ones do (20 + 20 + 12 + 10 = 62).
    pending = (
        desk_of(store, rules)
        .write(ledger.post_entry, a.id, "ideology_course", date(2025, 3, 12), "A", today=TODAY)
        .value
    )
    assert (
        "积分 0/60"
        in blocked(lambda: step(store, rules, a.id, Step.ACTIVIST, date(2025, 3, 20)))[0]
    )
    desk_of(store, rules).write(
        ledger.reverse_entry, pending.id, "录入重复", today=date(2025, 3, 13)
    )
    approved_points(store, rules, a.id, STAGE1, date(2025, 3, 14))
    assert desk_of(store, rules).read(ledger.balance_of, a.id).stage_points(1) == "62"
    step(store, rules, a.id, Step.ACTIVIST, date(2025, 3, 20), meeting="支委会")

    notice = (
        desk_of(store, rules)
        .write(
            publicity.create_publicity,
            "activist",
            [a.id],
            date(2025, 3, 24),
            "团委 王老师 0938-1234567",
        )
        .value
    )
    assert notice.ends_on == date(2025, 3, 28) and notice.calendar_warning is None

    mentor, sponsor_a, sponsor_b = active_member_ids(store, 3)
    step(store, rules, a.id, Step.TRAINING, date(2025, 4, 1), hours=4.0, topic="团的基本知识")
    step(store, rules, a.id, Step.TRAINING, date(2025, 5, 1), hours=3.5, topic="团史")
    step(store, rules, a.id, Step.MENTOR, date(2025, 4, 1), member_id=mentor)
    step(store, rules, a.id, Step.OBSERVATION_REPORT, date(2025, 6, 1), summary="表现良好")
    approved_points(store, rules, a.id, STAGE2, date(2025, 6, 5))

    # Observation: 2 months 29 days blocks, 3 months passes; 7.5 of 8 hours blocks.
    reasons = blocked(lambda: step(store, rules, a.id, Step.CANDIDATE, date(2025, 6, 18)))
    assert reasons[0] == "考察期不足 3 个月：还差 2 天（2025-06-20 可确定为发展对象）"
    assert "团课学时 7.5/8" in reasons
    assert any(r.startswith("尚未确认的入团标准 9 项") for r in reasons)
    step(store, rules, a.id, Step.TRAINING, date(2025, 6, 10), hours=0.5, topic="补课")
    for _, gate in rules["qinzhou-2024"].points.gates():
        step(store, rules, a.id, Step.GATE, date(2025, 6, 12), gate=gate, confirmed_by="王校长")
    step(store, rules, a.id, Step.CANDIDATE, date(2025, 6, 20), meeting="支委会")

    desk_of(store, rules).write(
        publicity.create_publicity, "candidate", [a.id], date(2025, 6, 23), "王老师"
    )
    assert (
        "发展对象公示至 2025-06-27 结束"
        in blocked(lambda: step(store, rules, a.id, Step.PRE_REVIEW, date(2025, 6, 27)))[0]
    )
    step(store, rules, a.id, Step.PRE_REVIEW, date(2025, 6, 30), form_filled=True)

    votes = dict(expected=20, present=15, against=2, abstain=1)
    assert "入团介绍人 0/2 人，表决前须确定" in blocked(
        lambda: step(store, rules, a.id, Step.VOTE, date(2025, 7, 4), **votes, **{"for": 12})
    )
    step(store, rules, a.id, Step.SPONSOR, date(2025, 7, 1), member_id=sponsor_a)
    assert blocked(
        lambda: step(store, rules, a.id, Step.SPONSOR, date(2025, 7, 1), member_id=sponsor_a)
    ) == ["此人已是该发展对象的入团介绍人"]
    # A member under 留团察看 on that day cannot sponsor; once it is lifted, they can.
    desk_of(store).write(
        discipline.record_discipline,
        sponsor_b,
        "留团察看",
        date(2025, 5, 1),
        date(2026, 5, 1),
        "违反纪律",
        "第2次支部大会",
    )
    assert blocked(
        lambda: step(store, rules, a.id, Step.SPONSOR, date(2025, 7, 1), member_id=sponsor_b)
    ) == ["此团员在留团察看期内，不能担任入团介绍人"]
    desk_of(store).write(
        discipline.lift_discipline, sponsor_b, date(2025, 6, 30), "表现良好，提前解除"
    )
    step(store, rules, a.id, Step.SPONSOR, date(2025, 7, 1), member_id=sponsor_b)

    # Exactly half of those who should attend: no quorum, the vote is invalid.
    warnings = step(
        store,
        rules,
        a.id,
        Step.VOTE,
        date(2025, 7, 4),
        expected=20,
        present=10,
        against=0,
        abstain=0,
        **{"for": 10},
    ).value
    assert warnings[0].text.startswith("到会 10/20 人，未超过有表决权团员的 50%")
    # 10 of 20 in favour is not more than half of those who should attend.
    step(store, rules, a.id, Step.VOTE, date(2025, 7, 4), **votes, **{"for": 10})
    assert (
        desk_of(store, rules).read(applicants.applicant_file, a.id, TODAY).row.stage
        is Stage.CANDIDATE
    )
    # The passing vote is taken at a 支部大会 whose minutes receive it, linked both ways.
    people = desk_of(store).read(minutes.branch_members_on, a.branch_id)[:2]
    draft = MinutesDraft(
        MeetingKind.ASSEMBLY,
        date(2025, 7, 4),
        "讨论接收新团员",
        chair="李文静",
        recorder="王芳",
        attendance={m: ("present", "") for m, _ in people},
    )
    meeting_id = desk_of(store).write(minutes.create_minutes, a.branch_id, draft, TODAY).value
    committee = (
        desk_of(store)
        .write(
            minutes.create_minutes,
            a.branch_id,
            MinutesDraft(MeetingKind.COMMITTEE, date(2025, 7, 4), "支委会"),
            TODAY,
        )
        .value
    )
    with pytest.raises(ValidationError, match="同一天召开的支部大会"):
        step(
            store,
            rules,
            a.id,
            Step.VOTE,
            date(2025, 7, 4),
            **votes,
            **{"for": 11},
            meeting_id=committee,
        )
    step(
        store,
        rules,
        a.id,
        Step.VOTE,
        date(2025, 7, 4),
        **votes,
        **{"for": 11},
        meeting_id=meeting_id,
    )
    assert (
        desk_of(store, rules).read(applicants.applicant_file, a.id, TODAY).row.stage is Stage.VOTED
    )
    resolution = desk_of(store, rules).read(minutes.minutes, meeting_id).draft.resolutions[0]
    assert resolution.applicant_id == a.id and resolution.votes_for == 11
    assert resolution.text == "接收李小红为中国共产主义青年团团员"
    vote = [
        e
        for e in desk_of(store, rules).read(applicants.applicant_file, a.id, TODAY).events
        if e.step is Step.VOTE
    ]
    assert vote[-1].details["meeting_id"] == meeting_id
    # The vote is in the applicant's file: its minutes can no longer be discarded.
    with pytest.raises(ValidationError, match="有入团表决"):
        desk_of(store).write(minutes.discard_draft, meeting_id)

    desk_of(store, rules).write(
        publicity.create_publicity, "new_member", [a.id], date(2025, 7, 7), "王老师"
    )
    desk_of(store).write(number_blocks.add_block, 2025, "202562050001", "202562050010")
    step(store, rules, a.id, Step.APPROVAL, date(2025, 7, 15))
    step(store, rules, a.id, Step.OATH, date(2025, 7, 20), place="学校报告厅")

    done = desk_of(store, rules).read(applicants.applicant_file, a.id, TODAY)
    assert done.row.stage is Stage.MEMBER and done.row.member_id is not None
    record = desk_of(store).read(records.member_record, done.row.member_id)
    assert record.draft.joined_on == date(2025, 7, 1)  # the month of the 支部大会
    assert record.draft.member_no == "202562050001"
    assert record.events[0].kind == "joined" and record.events[0].on == date(2025, 7, 4)
    assert [e.step for e in done.events][:3] == [Step.APPLICATION, Step.TALK, Step.ACTIVIST]


def test_unconfirmed_points_rules_warn_instead_of_blocking(store, profiles):
    a = new_applicant(store, profiles)
    step(store, profiles, a.id, Step.TALK, date(2025, 3, 10))
    warnings = step(
        store, profiles, a.id, Step.ACTIVIST, date(2025, 3, 20), approved_by="3月25日校团委同意"
    ).value
    assert [w.text for w in warnings] == [
        "第一阶段：确定入团积极分子积分 0/60 分（仅计已审核通过的积分）（该规则未经证实，仅作提醒）"
    ]


def test_an_activist_without_the_committees_consent_is_a_reminder_not_a_refusal(store, profiles):
    a = new_applicant(store, profiles)
    step(store, profiles, a.id, Step.TALK, date(2025, 3, 10))
    warnings = step(store, profiles, a.id, Step.ACTIVIST, date(2025, 3, 20)).value
    assert "确定入团积极分子须报基层团（工）委同意：尚未写明（可先办理，收到后补登）" in [
        w.text for w in warnings
    ]


def test_an_objection_blocks_until_resolved(store, profiles):
    a = new_applicant(store, profiles)
    step(store, profiles, a.id, Step.TALK, date(2025, 3, 10))
    step(store, profiles, a.id, Step.ACTIVIST, date(2025, 3, 20))
    notice = (
        desk_of(store, profiles)
        .write(publicity.create_publicity, "activist", [a.id], date(2025, 3, 24), "王老师")
        .value
    )
    objection = (
        desk_of(store)
        .write(
            publicity.add_objection,
            notice.id,
            a.id,
            date(2025, 3, 25),
            "有同学反映其考试作弊",
            today=TODAY,
        )
        .value
    )
    reasons = desk_of(store, profiles).read(
        applicants.check_step, a.id, Step.CANDIDATE, date(2025, 7, 1)
    )
    assert "公示期间收到的反映尚未处理完毕" in [f.text for f in reasons]
    desk_of(store).write(
        publicity.resolve_objection,
        objection.id,
        date(2025, 3, 27),
        "经核实不属实",
        upheld=False,
        today=TODAY,
    )
    reasons = desk_of(store, profiles).read(
        applicants.check_step, a.id, Step.CANDIDATE, date(2025, 7, 1)
    )
    assert not any("反映" in f.text for f in reasons)
    with pytest.raises(ValidationError, match="已处理"):
        desk_of(store).write(
            publicity.resolve_objection, objection.id, date(2025, 3, 28), "改", True, today=TODAY
        )


def test_publicity_lists_only_people_at_that_stage(store, profiles):
    a = new_applicant(store, profiles)
    with pytest.raises(ValidationError, match="目前是“入团申请人”"):
        desk_of(store, profiles).write(
            publicity.create_publicity, "candidate", [a.id], date(2025, 3, 24), "王"
        )


def test_member_numbers_come_from_the_year_block(store, profiles):
    with pytest.raises(ValidationError, match="前四位应为入团年份 2025"):
        desk_of(store).write(number_blocks.add_block, 2025, "202462050001", "202462050010")
    desk_of(store).write(number_blocks.add_block, 2025, "202562050001", "202562050002")
    with pytest.raises(ValidationError, match="重叠"):
        desk_of(store).write(number_blocks.add_block, 2025, "202562050002", "202562050009")
    assert desk_of(store).read(number_blocks.blocks)[0].size == 2


def test_confirming_a_standard_without_choosing_one_says_so_in_words(store, profiles):
    from tests.admission_helpers import new_applicant

    applicant = new_applicant(store, profiles).id
    found = desk_of(store, profiles).read(applicants.check_step, applicant, Step.GATE, TODAY, {})
    texts = [f.text for f in found]
    assert "请选择要确认的入团标准" in texts and not any("None" in t for t in texts)


def test_a_party_member_may_be_a_mentor_but_not_a_sponsor(store, profiles):
    """培养联系人 may be a 党员 (not on the League's roster); 入团介绍人 must be a member."""
    rules = binding(profiles)
    a = new_applicant(store, rules)
    step(store, rules, a.id, Step.TALK, date(2025, 3, 10), by="李文静")
    approved_points(store, rules, a.id, STAGE1, date(2025, 3, 14))
    step(store, rules, a.id, Step.ACTIVIST, date(2025, 3, 20), meeting="支委会")
    findings = desk_of(store, rules).read(
        applicants.check_step, a.id, Step.MENTOR, date(2025, 4, 1), {"party_member": "王建国"}
    )
    assert not [f for f in findings if f.blocking]
    step(store, rules, a.id, Step.MENTOR, date(2025, 4, 1), party_member="王建国")
    recorded = desk_of(store, rules).read(applicants.applicant_file, a.id, today=TODAY).events[-1]
    assert recorded.details["name"] == "王建国" and recorded.details["party"] is True
    # The same Party member twice is refused; a member from the roster still works beside.
    assert "此人已是该积极分子的培养联系人" in blocked(
        lambda: step(store, rules, a.id, Step.MENTOR, date(2025, 4, 2), party_member="王建国")
    )
    (mentor,) = active_member_ids(store, 1)
    step(store, rules, a.id, Step.MENTOR, date(2025, 4, 2), member_id=mentor)
    # A sponsor must be a member of the roster: a Party member's name is not taken.
    with pytest.raises(ValidationError, match="请从团员名册中选择一名团员"):
        step(store, rules, a.id, Step.SPONSOR, date(2025, 4, 3), party_member="王建国")
