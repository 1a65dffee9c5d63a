"""The year's evaluation and registrations, read back from the PDF."""

from __future__ import annotations

from datetime import date, datetime

from qzdesk.export.pdf.registry import render_document
from qzdesk.services.meetings import evaluation
from qzdesk.services.meetings.evaluation import Grade
from qzdesk.services.periods import parse_period
from tests.admission_helpers import branch_id
from tests.export.test_documents import pdf_text


def test_grades_quorum_and_deferred_registrations_are_printed(store, profiles, tmp_path):
    branch = branch_id(store, "初三（3）班团支部")
    today = date(2026, 6, 30)
    evaluation_id = evaluation.open_evaluation(
        store, profiles, branch, 2025, date(2025, 12, 20), 9, today
    ).value
    view = evaluation.evaluation(store, profiles, evaluation_id)
    ids = [r.member_id for r in view.rows]
    grades = {m: (Grade.QUALIFIED, (0, 9, 0, 0), "") for m in ids}
    grades[ids[0]] = (Grade.EXCELLENT, (8, 1, 0, 0), "担任学习委员，成绩优秀")
    grades[ids[-1]] = (Grade.UNQUALIFIED, (0, 1, 2, 6), "")
    evaluation.propose_grades(store, profiles, evaluation_id, grades, date(2025, 12, 22))
    evaluation.approve(store, evaluation_id, date(2026, 1, 5))
    evaluation.register(store, profiles, ids[-1], 2025, date(2026, 1, 10), date(2026, 5, 10))
    pdf = render_document(
        store, "evaluation", parse_period("2025"), "QZ-2025-0001", datetime(2026, 1, 11)
    )
    text = " ".join(" ".join(pdf_text(pdf, tmp_path)).split())
    assert "参评 10 人，到会 9 人（已超过三分之二）" in text
    assert "优秀 1 人、合格 8 人、基本合格 0 人、不合格 1 人（优秀上限 3 人）" in text
    assert "上级团委 2026-01-05 批准" in text and "担任学习委员" in text
    assert "已注册 0 人，暂缓注册 1 人" in text and "2026-05-10" in text
