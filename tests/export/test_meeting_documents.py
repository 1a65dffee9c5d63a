"""The yearly plan, the minutes book and the compliance table, read back from the PDF."""

from __future__ import annotations

from datetime import date, datetime

from qzdesk.export.pdf.registry import render_document
from qzdesk.services.meetings import minutes, plan
from qzdesk.services.meetings.minutes import MeetingKind
from qzdesk.services.periods import parse_period
from tests.admission_helpers import branch_id
from tests.desks import desk_at, desk_of
from tests.export.test_documents import pdf_text
from tests.unit.test_meetings import BRANCH, assembly

NOW = datetime(2027, 1, 5, 9, 0)


def flat(pdf: bytes, tmp_path) -> str:
    return " ".join(" ".join(pdf_text(pdf, tmp_path)).split())


def test_the_plan_shows_moves_cancellations_and_what_was_held(store, profiles, tmp_path):
    branch = branch_id(store, BRANCH)
    desk_of(store, profiles).write(plan.lay_out_year, 2026)
    rows = [r for r in desk_of(store).read(plan.year_plan, 2026) if r.branch_id == branch]
    march = next(r for r in rows if r.kind is MeetingKind.ASSEMBLY)  # the first quarter's
    desk_of(store).write(
        plan.update_item, march.id, "讨论接收新团员", "李文静", date(2026, 3, 20), "与月考冲突"
    )
    lecture = next(r for r in rows if r.kind is MeetingKind.LECTURE)
    desk_of(store).write(plan.cancel_item, lecture.id, "并入全校团课")
    meeting_id, _ = assembly(store, 9)
    desk_of(store, profiles).write(minutes.sign_off, meeting_id, "李文静", "王芳")
    pdf = desk_at(store, NOW).read(render_document, "meeting_plan", parse_period("2026Q1"), "P")
    text = flat(pdf, tmp_path)
    assert "年度组织生活计划" in text
    assert "2026-03-20" in text and "讨论接收新团员" in text and "已召开（03-20）" in text
    assert "改期：与月考冲突" in text and "取消：并入全校团课" in text
    # The first quarter of every open branch: 1 支部大会, 1 团课, 3 支委会, 3 主题团日.
    assert (
        f"本期计划 {8 * len({r.branch_id for r in desk_of(store).read(plan.year_plan, 2026)})} 项"
        in text
    )


def test_the_minutes_book_prints_attendance_votes_and_the_signature(store, profiles, tmp_path):
    meeting_id, _ = assembly(store, 9)
    scan = tmp_path / "sign-in.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 5000)
    sheet = desk_of(store, profiles).write(minutes.attach, meeting_id, scan, "签到表扫描件").value
    digest = desk_of(store, profiles).write(minutes.sign_off, meeting_id, "李文静", "王芳").value
    desk_of(store).write(minutes.add_addendum, meeting_id, "第二项议程的发言人应为王芳。")
    pdf = desk_at(store, NOW).read(render_document, "minutes_book", parse_period("2026Q1"), "P")
    text = flat(pdf, tmp_path)
    assert "第1次支部大会" in text and "应到 10 人，实到 9 人" in text
    assert "（请假：病假）" in text and "列席：赵欣（发展对象）" in text
    assert "同意接收赵欣为团员" in text and "有效" in text
    assert "补充说明" in text and "发言人应为王芳" in text
    assert digest[:16] in text.replace(" ", "")
    assert "附件：签到表扫描件：sign-in.png（PNG 图片，4 KB）" in text
    assert sheet.sha256[:16] in text.replace(" ", "")


def test_the_compliance_table_judges_quarters_and_rates_the_branch(store, profiles, tmp_path):
    branch = branch_id(store, BRANCH)
    people = {m: ("present", "") for m, _ in desk_of(store).read(minutes.branch_members_on, branch)}
    for held_on in (date(2025, 2, 10), date(2025, 8, 10)):
        draft = minutes.MinutesDraft(
            MeetingKind.ASSEMBLY,
            held_on,
            "支部大会",
            chair="李文静",
            recorder="王芳",
            attendance=people,
        )
        meeting_id = (
            desk_of(store).write(minutes.create_minutes, branch, draft, date(2025, 12, 1)).value
        )
        desk_of(store, profiles).write(minutes.sign_off, meeting_id, "李文静", "王芳")
    pdf = desk_at(store, NOW).read(render_document, "compliance", parse_period("2025"), "P")
    text = flat(pdf, tmp_path)
    assert "2025年，截至 2025年12月31日" in text
    assert f"{BRANCH} 支部大会 4 2 第二季度、第四季度" in text
    assert "逐月情况" in text and "×" in text
    assert "对标定级（按记录自评）" in text and "该细则未经证实" in text
    assert "支部大会按期召开 5/10 按期召开 2/4" in text
    assert "主题团日按期开展 0/7 按期召开 0/12" in text


def test_a_quarter_s_compliance_is_as_of_its_end(store, profiles, tmp_path):
    """A 2025Q1 archive built long after: an October 支部大会 does not appear, the months
    after March are not judged, and the year's 对标定级 is left to the archive ending it."""
    from qzdesk.services.meetings.compliance import compliance

    branch = branch_id(store, BRANCH)
    people = {m: ("present", "") for m, _ in desk_of(store).read(minutes.branch_members_on, branch)}
    for held_on in (date(2025, 2, 10), date(2025, 10, 10)):
        draft = minutes.MinutesDraft(
            MeetingKind.ASSEMBLY,
            held_on,
            "支部大会",
            chair="李文静",
            recorder="王芳",
            attendance=people,
        )
        meeting_id = (
            desk_of(store).write(minutes.create_minutes, branch, draft, date(2025, 12, 1)).value
        )
        desk_of(store, profiles).write(minutes.sign_off, meeting_id, "李文静", "王芳")
    cell = next(
        c
        for c in desk_of(store, profiles).read(compliance, 2025, as_of=date(2025, 3, 31))
        if c.branch == BRANCH and c.kind is MeetingKind.ASSEMBLY
    )
    assert cell.held == 1 and cell.by_month[9] == 0  # October's meeting: after the quarter
    assert cell.required == 1  # only the first quarter is judged
    text = flat(
        desk_at(store, NOW).read(render_document, "compliance", parse_period("2025Q1"), "P"),
        tmp_path,
    )
    assert "2025年第1季度，截至 2025年03月31日" in text
    assert "对标定级" not in text
