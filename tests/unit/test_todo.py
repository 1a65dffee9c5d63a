"""The 工作台 to-do list, computed for a fixed day."""

from __future__ import annotations

from datetime import date

from qzdesk.services.admission import publicity
from qzdesk.services.clock import FixedClock
from qzdesk.services.desk import Desk
from qzdesk.services.meetings import plan
from qzdesk.services.members import records
from qzdesk.services.todo import Target, todo
from tests.desks import desk_of


def todo_on(store, profiles, day):
    """The list as the desk reads it on that day."""
    return Desk(store, profiles, FixedClock.on(day)).read(todo)


def test_the_list_for_a_fixed_day(store, profiles):
    day = date(2026, 11, 10)
    desk_of(store, profiles).write(plan.lay_out_year, 2026)
    items = todo_on(store, profiles, day)
    texts = [i.text for i in items]
    # Planned meetings: January's 支部大会 is overdue; November's 支委会 is due this month.
    late = next(t for t in texts if t.startswith("初三（3）班团支部：计划的会议逾期未开"))
    # Up to October: 4 支部大会, 10 支委会, 4 团课, 10 主题团日 (one line per branch).
    assert "逾期未开 28 次（支部大会 4 次、支委会 10 次、团课 4 次、主题团日 10 次）" in late
    # Planned mid-month on a working day: 2026-11-15 is a Sunday.
    assert "初三（3）班团支部：本月应开支委会——第11次支委会（主题待定）（计划 11-16）" in texts
    by_text = {i.text: i for i in items}
    assert by_text[late].target is Target.PLAN and by_text[late].urgent
    draft = next(t for t in texts if "尚未签字确认" in t)
    assert by_text[draft].target is Target.MINUTES
    # The demo's draft 主题团日 is waiting for signatures.
    assert any("“主题团日：走进社区志愿服务”的记录尚未签字确认" in t for t in texts)
    # Urgent first, then by due date.
    assert items[0].urgent and [i.urgent for i in items] == sorted(
        (i.urgent for i in items), reverse=True
    )


def test_publicity_ending_soon_and_objections_waiting(store, profiles):
    notices = desk_of(store).read(publicity.publicities)
    running = next(n for n in notices if n.kind == "candidate")
    items = [i.text for i in todo_on(store, profiles, running.starts_on)]
    assert f"发展对象公示将于 {running.ends_on:%m-%d} 期满（1 人）" in items
    desk_of(store).write(
        publicity.add_objection,
        running.id,
        running.people[0].applicant_id,
        running.starts_on,
        "反映其曾旷课",
        today=running.starts_on,
    )
    items = todo_on(store, profiles, running.starts_on)
    assert items[0].text == "发展对象公示有 1 条反映待处理" and items[0].urgent


def test_evaluation_and_registration_season_from_the_profile(store, profiles):
    from qzdesk.services.meetings import evaluation
    from tests.admission_helpers import branch_id

    branches = len(desk_of(store).read(records.open_branches))
    october = [i.text for i in todo_on(store, profiles, date(2026, 10, 20))]
    assert not any(t.startswith("评议季") for t in october)
    # A school registers within a month of the autumn term, not at the year's end.
    unregistered = len(
        desk_of(store, profiles).read(evaluation.overdue_registrations, date(2026, 10, 20))
    )
    assert f"注册季：2026 年尚未注册的团员 {unregistered} 人" in october
    november = todo_on(store, profiles, date(2026, 11, 20))
    season = next(i for i in november if i.text.startswith("评议季"))
    assert f"{branches} 个团支部尚未开展 2026 年团员教育评议" in season.text
    assert season.target is Target.EVALUATION
    desk_of(store, profiles).write(
        evaluation.open_evaluation,
        branch_id(store, "初三（3）班团支部"),
        2026,
        date(2026, 11, 18),
        9,
        date(2026, 11, 20),
    )
    texts = [i.text for i in todo_on(store, profiles, date(2026, 11, 20))]
    assert f"评议季：{branches - 1} 个团支部尚未开展" in " ".join(texts)
    assert "1 个团支部的评议结果待上级团委批准后登记批准日期" in texts
    december = [i.text for i in todo_on(store, profiles, date(2026, 12, 1))]
    assert not any(t.startswith("注册季") for t in december)
    # The same organisation as a village registers at the year's end.
    from qzdesk.services.organisation import orgs
    from qzdesk.services.organisation.overview import overview
    from qzdesk.vocabulary import Sector

    root = desk_of(store, profiles).read(overview).root
    desk_of(store).write(
        orgs.update_root, root.name, root.kind, Sector.VILLAGE, "共青团天水市秦州区委员会"
    )
    december = [i.text for i in todo_on(store, profiles, date(2026, 12, 1))]
    waiting = len(
        desk_of(store, profiles).read(evaluation.overdue_registrations, date(2026, 12, 1))
    )
    assert waiting > 30 and f"注册季：2026 年尚未注册的团员 {waiting} 人" in december


def test_terms_ending_and_unrecorded(store, profiles):
    from qzdesk.services.meetings import terms
    from tests.admission_helpers import branch_id

    branches = len(desk_of(store).read(records.open_branches))
    day = date(2026, 7, 1)
    texts = [i.text for i in todo_on(store, profiles, day)]
    # The demo records two elections: 初三（1）班's and the teachers'.
    assert f"{branches - 2} 个团支部尚未登记上次换届（无法提醒任期届满）" in texts
    desk_of(store, profiles).write(
        terms.record_election,
        branch_id(store, "初三（3）班团支部"),
        date(2025, 8, 20),
        "李文静",
        ["王芳", "张强"],
        None,
        day,
    )
    items = todo_on(store, profiles, day)
    ending = next(i for i in items if "任期" in i.text and "届满，" in i.text)
    assert ending.text == "初三（3）班团支部：支部委员会任期将于 08-20 届满，请筹备换届选举"
    assert not ending.urgent and ending.target is Target.TERMS
    late = todo_on(store, profiles, date(2026, 9, 1))
    assert any(i.urgent and "已于 2026-08-20 届满" in i.text for i in late)
