"""The year's evaluation and registrations, read back from the PDF."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from qzdesk.export.pdf.registry import render_document
from qzdesk.services.desk import Desk
from qzdesk.services.meetings import evaluation
from qzdesk.services.meetings.evaluation import Grade
from qzdesk.services.periods import parse_period
from tests.admission_helpers import branch_id
from tests.desks import desk_at, desk_of
from tests.export.test_documents import pdf_text


def test_grades_quorum_and_deferred_registrations_are_printed(store, profiles, tmp_path):
    branch = branch_id(store, "初三（3）班团支部")
    today = date(2026, 6, 30)
    evaluation_id = (
        desk_of(store, profiles)
        .write(evaluation.open_evaluation, branch, 2025, date(2025, 12, 20), 9, today)
        .value
    )
    view = desk_of(store, profiles).read(evaluation.evaluation, evaluation_id)
    ids = [r.member_id for r in view.rows]
    grades = {m: (Grade.QUALIFIED, (0, 9, 0, 0), "") for m in ids}
    grades[ids[0]] = (Grade.EXCELLENT, (8, 1, 0, 0), "担任学习委员，成绩优秀")
    grades[ids[-1]] = (Grade.UNQUALIFIED, (0, 1, 2, 6), "")
    desk_of(store, profiles).write(
        evaluation.propose_grades, evaluation_id, grades, date(2025, 12, 22)
    )
    desk_of(store).write(evaluation.approve, evaluation_id, date(2026, 1, 5))
    desk_of(store, profiles).write(
        evaluation.register, ids[-1], 2025, date(2026, 1, 10), date(2026, 5, 10)
    )
    # The year's archive holds the records as of 31 December: the approval and the
    # registration of January are not known yet; the first quarter's archive has them.
    clock_then = desk_at(store, datetime(2026, 4, 11))
    year_text = document_text(clock_then, "2025", tmp_path)
    assert "参评 10 人，到会 9 人（已超过三分之二）" in year_text
    assert "优秀 1 人、合格 8 人、基本合格 0 人、不合格 1 人（优秀上限 3 人）" in year_text
    assert "尚待上级团委批准" in year_text and "暂缓注册 0 人" in year_text
    quarter_text = document_text(clock_then, "2026Q1", tmp_path)
    assert "2025 年度" in quarter_text and "上级团委 2026-01-05 批准" in quarter_text
    assert "担任学习委员" in quarter_text
    assert "已注册 0 人，暂缓注册 1 人" in quarter_text and "2026-05-10" in quarter_text


def document_text(desk: Desk, period: str, folder: Path) -> str:
    pdf = desk.read(render_document, "evaluation", parse_period(period), "QZ-0001")
    return " ".join(" ".join(pdf_text(pdf, folder)).split())
