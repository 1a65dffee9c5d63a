"""The 工作台 to-do list, computed for a fixed day."""

from __future__ import annotations

from datetime import date

from qzdesk.services import meeting_plan, publicity
from qzdesk.services.todo import todo


def test_the_list_for_a_fixed_day(store, profiles):
    day = date(2026, 11, 10)
    meeting_plan.lay_out_year(store, profiles, 2026)
    items = todo(store, profiles, day)
    texts = [i.text for i in items]
    # Planned meetings: January's 支部大会 is overdue; November's 支委会 is due this month.
    late = next(t for t in texts if t.startswith("初三（3）班团支部：计划的会议逾期未开"))
    # Up to October: 4 支部大会, 10 支委会, 4 团课, 10 主题团日 (one line per branch).
    assert "逾期未开 28 次（支部大会 4 次、支委会 10 次、团课 4 次、主题团日 10 次）" in late
    assert "初三（3）班团支部：本月应开支委会——第11次支委会（主题待定）（计划 11-15）" in texts
    # The demo's draft 主题团日 is waiting for signatures.
    assert any("“主题团日：走进社区志愿服务”的记录尚未签字确认" in t for t in texts)
    # Urgent first, then by due date.
    assert items[0].urgent and [i.urgent for i in items] == sorted(
        (i.urgent for i in items), reverse=True
    )
    assert all(i.page in ("roster", "admission", "meetings") for i in items)


def test_publicity_ending_soon_and_objections_waiting(store, profiles):
    notices = publicity.publicities(store)
    running = next(n for n in notices if n.kind == "candidate")
    items = [i.text for i in todo(store, profiles, running.starts_on)]
    assert f"发展对象公示将于 {running.ends_on:%m-%d} 期满（1 人）" in items
    publicity.add_objection(
        store,
        running.id,
        running.people[0].applicant_id,
        running.starts_on,
        "反映其曾旷课",
        today=running.starts_on,
    )
    items = todo(store, profiles, running.starts_on)
    assert items[0].text == "发展对象公示有 1 条反映待处理" and items[0].urgent
