"""Minutes: quorum, sign-off, frozen after signing, addenda; compliance by the profile."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from qzdesk.cli import main
from qzdesk.services.errors import NotFound, ValidationError
from qzdesk.services.meetings import minutes
from qzdesk.services.meetings.compliance import WindowState, compliance
from qzdesk.services.meetings.minutes import MeetingKind, MinutesDraft, Resolution
from tests.admission_helpers import branch_id
from tests.desks import desk_of

TODAY = date(2026, 6, 30)


BRANCH = "初三（3）班团支部"  # the demo's own minutes are in 初三（1）班


def assembly(store, present: int, total: int = 10) -> tuple[int, MinutesDraft]:
    branch = branch_id(store, BRANCH)
    people = [m for m, _ in desk_of(store).read(minutes.branch_members_on, branch)][:total]
    assert len(people) == total
    draft = MinutesDraft(
        MeetingKind.ASSEMBLY,
        date(2026, 3, 20),
        "讨论接收新团员",
        "14:30",
        "15:40",
        "初三（1）班教室",
        chair="李文静",
        recorder="王芳",
        agenda=["讨论接收新团员", "布置主题团日"],
        speeches=[("李文静", "介绍发展对象情况")],
        resolutions=[Resolution("同意接收赵欣为团员", present, 0, 0)],
        attendance={
            m: ("present", "") if i < present else ("leave", "病假") for i, m in enumerate(people)
        },
        observers=[("赵欣", "发展对象")],
    )
    return desk_of(store).write(minutes.create_minutes, branch, draft, TODAY).value, draft


@pytest.mark.parametrize(("present", "quorate"), [(5, False), (6, True)])
def test_an_assembly_needs_more_than_half_present(store, profiles, present, quorate):
    meeting_id, _ = assembly(store, present)
    view = desk_of(store, profiles).read(minutes.minutes, meeting_id)
    assert view.quorum.ok is quorate
    assert view.quorum.text.startswith(f"应到 10 人，实到 {present} 人")
    desk_of(store, profiles).write(minutes.sign_off, meeting_id, "李文静", "王芳")
    signed = desk_of(store, profiles).read(minutes.minutes, meeting_id)
    assert signed.draft.resolutions[0].valid is quorate and signed.intact


def test_signed_minutes_are_frozen_and_corrected_by_addendum(store, profiles):
    meeting_id, draft = assembly(store, 9)
    with pytest.raises(ValidationError, match="主持人（李文静）"):
        desk_of(store, profiles).write(minutes.sign_off, meeting_id, "王芳", "王芳")
    digest = desk_of(store, profiles).write(minutes.sign_off, meeting_id, "李文静", "王芳").value
    draft.topic = "改过的主题"
    with pytest.raises(ValidationError, match="已签字确认，不能修改"):
        desk_of(store).write(minutes.save_minutes, meeting_id, draft, TODAY)
    with store.engine.begin() as connection, pytest.raises(IntegrityError, match="已签字确认"):
        connection.execute(text("UPDATE meeting SET topic = 'x' WHERE id = :i"), {"i": meeting_id})
    with store.engine.begin() as connection, pytest.raises(IntegrityError, match="已签字确认"):
        connection.execute(
            text("UPDATE meeting_attendance SET status = 'present' WHERE meeting_id = :i"),
            {"i": meeting_id},
        )
    desk_of(store).write(minutes.add_addendum, meeting_id, "第二项议程的发言人应为王芳。")
    view = desk_of(store, profiles).read(minutes.minutes, meeting_id)
    assert view.content_hash == digest and view.intact and view.draft.topic == "讨论接收新团员"
    assert view.addenda[0][2] == "第二项议程的发言人应为王芳。"


def test_drafts_can_be_edited_and_votes_must_fit_those_present(store, profiles):
    meeting_id, draft = assembly(store, 8)
    draft.resolutions = [Resolution("同意", 9, 0, 0)]
    with pytest.raises(ValidationError, match="多于出席的 8 人"):
        desk_of(store).write(minutes.save_minutes, meeting_id, draft, TODAY)
    draft.resolutions = [Resolution("同意", 7, 1, 0)]
    draft.attendance[next(iter(draft.attendance))] = ("leave", "")
    with pytest.raises(ValidationError, match="请假的团员请注明原因"):
        desk_of(store).write(minutes.save_minutes, meeting_id, draft, TODAY)


def test_compliance_counts_signed_minutes_against_the_profile(store, profiles, capsys, monkeypatch):
    monkeypatch.setenv("QZDESK_PASSWORD", "qzdemo")
    meeting_id, _ = assembly(store, 9)
    cells = {(c.branch, c.kind): c for c in desk_of(store, profiles).read(compliance, 2026, TODAY)}
    cell = cells[(BRANCH, MeetingKind.ASSEMBLY)]
    assert (cell.required, cell.held, cell.drafts) == (2, 0, 1)  # six months, every three
    desk_of(store, profiles).write(minutes.sign_off, meeting_id, "李文静", "王芳")
    root = store.paths.root
    store.close()
    assert main(["compliance", "--year", "2025", "--data", str(root), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    past = payload["cells"]
    monthly = next(c for c in past if c["kind"] == "league_day" and c["branch"] == BRANCH)
    assert monthly["required"] == 12 and monthly["held"] == 0 and not monthly["met"]
    assert [w["state"] for w in monthly["windows"]] == ["missed"] * 12
    assert next(c for c in past if c["kind"] == "group")["required"] is None
    rating = next(r for r in payload["ratings"] if r["branch"] == BRANCH)
    assert [d["name"] for d in rating["dimensions"]] == [
        "班子建设",
        "团员管理",
        "组织生活",
        "制度落实",
        "作用发挥",
    ]
    assert rating["total"] == pytest.approx(sum(d["scored"] for d in rating["dimensions"]))
    assert rating["total"] < 60
    assert rating["band"] == "软弱涣散"


def test_each_month_or_quarter_is_judged_once_it_has_ended(store, profiles):
    branch = branch_id(store, BRANCH)
    people = {m: ("present", "") for m, _ in desk_of(store).read(minutes.branch_members_on, branch)}
    for held_on in (date(2026, 1, 9), date(2026, 3, 9), date(2026, 3, 23), date(2026, 6, 2)):
        draft = MinutesDraft(
            MeetingKind.LEAGUE_DAY,
            held_on,
            "主题团日",
            chair="李文静",
            recorder="王芳",
            attendance=people,
        )
        meeting_id = desk_of(store).write(minutes.create_minutes, branch, draft, TODAY).value
        desk_of(store, profiles).write(minutes.sign_off, meeting_id, "李文静", "王芳")
    cells = {
        (c.branch, c.kind): c
        for c in desk_of(store, profiles).read(compliance, 2026, date(2026, 6, 15))
    }
    monthly = cells[(BRANCH, MeetingKind.LEAGUE_DAY)]
    assert monthly.by_month[:6] == (1, 0, 2, 0, 0, 1) and monthly.held == 4
    # February, April and May ended without one; June is held; July on has not begun.
    assert [w.label for w in monthly.missed] == ["2月", "4月", "5月"] and not monthly.met
    assert monthly.required == 6 and monthly.windows[6].state is WindowState.FUTURE
    quarterly = cells[(BRANCH, MeetingKind.ASSEMBLY)]
    assert [w.label for w in quarterly.missed] == ["第一季度"]
    assert quarterly.windows[1].state is WindowState.OPEN and quarterly.required == 2
    assert quarterly.cells()[-1] == "第一季度"
    assert cells[(BRANCH, MeetingKind.GROUP)].windows == ()


def test_attachments_are_checked_and_frozen_with_the_minutes(store, profiles, tmp_path):
    meeting_id, _ = assembly(store, 8)
    sheet = tmp_path / "签到表.jpg"
    sheet.write_bytes(b"\xff\xd8\xff\xe0" + b"0" * 100)
    note = tmp_path / "签到表.docx"
    note.write_bytes(b"PK\x03\x04")
    with pytest.raises(ValidationError, match="不是 PDF、JPEG 或 PNG 文件"):
        desk_of(store, profiles).write(minutes.attach, meeting_id, note)
    assert (
        desk_of(store, profiles).write(minutes.attach, meeting_id, sheet, "签到表").value.kind
        == "jpeg"
    )
    ((row, caption),) = desk_of(store, profiles).read(minutes.minutes, meeting_id).attachments
    assert (row.file_name, caption) == ("签到表.jpg", "签到表")
    desk_of(store, profiles).write(minutes.sign_off, meeting_id, "李文静", "王芳")
    with pytest.raises(ValidationError, match="不能再添加附件"):
        desk_of(store, profiles).write(minutes.attach, meeting_id, sheet)
    with store.engine.begin() as connection, pytest.raises(IntegrityError, match="已签字确认"):
        connection.execute(
            text("DELETE FROM meeting_attachment WHERE meeting_id = :i"), {"i": meeting_id}
        )


def test_observers_are_the_branchs_activists_and_candidates(store, profiles):
    from qzdesk.services.admission import applicants

    assert minutes.parse_observer(" 赵欣(发展对象) ") == ("赵欣", "发展对象")
    assert minutes.parse_observer("刘老师") == ("刘老师", "")
    people = desk_of(store, profiles).read(
        applicants.observers_for, branch_id(store, "初三（2）班团支部")
    )
    # The demo's 初三（2）班: one candidate and two activists, furthest along first.
    assert people[0] == ("赵欣", "发展对象")
    assert {role for _, role in people[1:]} == {"入团积极分子"} and len(people) == 3
    assert desk_of(store, profiles).read(applicants.observers_for, branch_id(store, BRANCH)) == []


def test_a_draft_written_by_mistake_is_discarded_and_later_drafts_move_up(store, profiles):
    from qzdesk.models import AuditEntry
    from qzdesk.services.meetings import terms

    first, _ = assembly(store, 9)
    second, draft = assembly(store, 8)
    third, _ = assembly(store, 9)  # an election needs more than four fifths present
    assert [
        desk_of(store, profiles).read(minutes.minutes, i).number for i in (first, second, third)
    ] == [
        1,
        2,
        3,
    ]
    desk_of(store).write(minutes.discard_draft, second)
    with pytest.raises(NotFound):
        desk_of(store, profiles).read(minutes.minutes, second)
    assert desk_of(store, profiles).read(minutes.minutes, third).number == 2
    with store.transaction() as session:
        kept = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "meeting", AuditEntry.action == "discard")
        ).one()
        assert kept.before["topic"] == draft.topic and len(kept.before["attendance"]) == 10
    # An election recorded at it, or a later signed meeting, keeps a draft.
    desk_of(store, profiles).write(
        terms.record_election,
        branch_id(store, BRANCH),
        draft.held_on,
        "李文静",
        ["王芳", "张强"],
        third,
        TODAY,
    )
    with pytest.raises(ValidationError, match="先作废该换届记录"):
        desk_of(store).write(minutes.discard_draft, third)
    desk_of(store, profiles).write(minutes.sign_off, third, "李文静", "王芳")
    with pytest.raises(ValidationError, match="之后的第2次支部大会已签字确认"):
        desk_of(store).write(minutes.discard_draft, first)
    with pytest.raises(ValidationError, match="已签字确认，不能删除"):
        desk_of(store).write(minutes.discard_draft, third)


def test_a_draft_changing_kind_is_renumbered_in_both_kinds(store, profiles):
    from dataclasses import replace

    first, draft = assembly(store, 9)
    second, _ = assembly(store, 8)
    desk_of(store).write(
        minutes.save_minutes, first, replace(draft, kind=MeetingKind.COMMITTEE), TODAY
    )
    assert (
        desk_of(store, profiles).read(minutes.minutes, first).number == 1
    )  # the year's first 支委会
    assert (
        desk_of(store, profiles).read(minutes.minutes, second).number == 1
    )  # now the first 支部大会
    third, _ = assembly(store, 9)  # an election needs more than four fifths present
    desk_of(store, profiles).write(minutes.sign_off, third, "李文静", "王芳")
    with pytest.raises(ValidationError, match="之后的第2次支部大会已签字确认，这份草稿不能再改"):
        desk_of(store).write(
            minutes.save_minutes, second, replace(draft, kind=MeetingKind.LECTURE), TODAY
        )


def test_a_branch_owes_nothing_before_it_was_set_up(store, profiles):
    """A branch set up in April is not in Q1's record, and owes no months before April."""
    from qzdesk.services.organisation import orgs

    root = desk_of(store).read(orgs.list_orgs)[0]
    desk_of(store).write(orgs.add_branch, root.id, "新成立团支部", created_on=date(2026, 4, 10))
    q1 = {
        c.branch
        for c in desk_of(store, profiles).read(compliance, 2026, TODAY, as_of=date(2026, 3, 31))
    }
    assert BRANCH in q1 and "新成立团支部" not in q1
    new = {
        c.kind: c
        for c in desk_of(store, profiles).read(compliance, 2026, date(2026, 7, 15))
        if c.branch == "新成立团支部"
    }
    monthly = new[MeetingKind.LEAGUE_DAY]
    assert [w.state for w in monthly.windows[:3]] == [WindowState.NOT_FORMED] * 3
    assert [w.label for w in monthly.missed] == ["4月", "5月", "6月"]
    assert monthly.required == 4  # April to July
    assert monthly.month_cells()[:4] == ["", "", "", "×"]
    # A quarter it joined halfway marks only the months it existed.
    quarterly = new[MeetingKind.LECTURE]
    assert quarterly.month_cells()[:6] == ["", "", "", "×", "×", "×"]
