"""换届: the term from the profile (students' shorter), the committee's size, warnings."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from qzdesk.services.errors import ValidationError
from qzdesk.services.meetings import terms
from tests.admission_helpers import branch_id
from tests.desks import desk_of
from tests.unit.test_meetings import assembly

TODAY = date(2026, 6, 30)
STUDENTS = "初三（3）班团支部"  # 10 students on the books
TEACHERS = "教职工团支部"


def by_name(store, profiles) -> dict[str, terms.BranchTerm]:
    return {t.branch: t for t in desk_of(store, profiles).read(terms.branch_terms)}


def test_a_student_branch_serves_one_year_and_a_teachers_branch_three(store, profiles):
    assert by_name(store, profiles)[STUDENTS].state(TODAY).label == "未登记"
    students = branch_id(store, STUDENTS)
    desk_of(store, profiles).write(
        terms.record_election, students, date(2025, 8, 20), "李文静", ["王芳", "张强"], None, TODAY
    )
    desk_of(store, profiles).write(
        terms.record_election,
        branch_id(store, TEACHERS),
        date(2025, 8, 20),
        "刘老师",
        [],
        None,
        TODAY,
    )
    found = by_name(store, profiles)
    assert found[STUDENTS].current.ends_on == date(2026, 8, 20)
    assert found[TEACHERS].current.ends_on == date(2028, 8, 20)
    # The profile warns 60 days ahead.
    assert found[STUDENTS].state(date(2026, 6, 20)).label == "任期内"
    assert found[STUDENTS].state(date(2026, 6, 21)).label == "即将届满"
    assert found[STUDENTS].state(date(2026, 8, 20)).label == "已届满"
    assert found[TEACHERS].state(TODAY).label == "任期内"


def test_the_committee_is_sized_by_the_profile(store, profiles):
    students = branch_id(store, STUDENTS)
    with pytest.raises(ValidationError, match="应设支部委员会（3–5 人，含书记）；现填写 2 人"):
        desk_of(store, profiles).write(
            terms.record_election, students, TODAY, "李文静", ["王芳"], None, TODAY
        )
    with pytest.raises(ValidationError, match="重复"):
        desk_of(store, profiles).write(
            terms.record_election, students, TODAY, "李文静", ["王芳", "王芳"], None, TODAY
        )
    with pytest.raises(ValidationError, match="不能晚于今天"):
        desk_of(store, profiles).write(
            terms.record_election,
            students,
            date(2026, 7, 1),
            "李文静",
            ["王芳", "张强"],
            None,
            TODAY,
        )


def test_an_election_names_its_assembly_and_is_voided_not_deleted(store, profiles):
    students = branch_id(store, STUDENTS)
    meeting_id, draft = assembly(store, 9)  # held 2026-03-20
    with pytest.raises(ValidationError, match="与换届日期不一致"):
        desk_of(store, profiles).write(
            terms.record_election,
            students,
            date(2026, 3, 21),
            "李文静",
            ["王芳", "张强"],
            meeting_id,
            TODAY,
        )
    first = (
        desk_of(store, profiles)
        .write(
            terms.record_election,
            students,
            draft.held_on,
            "李文静",
            ["王芳", "张强"],
            meeting_id,
            TODAY,
        )
        .value
    )
    with pytest.raises(ValidationError, match="写明原因"):
        desk_of(store).write(terms.void_term, first, "")
    desk_of(store).write(terms.void_term, first, "日期录错")
    assert by_name(store, profiles)[STUDENTS].current is None
    ((row, reason),) = desk_of(store).read(terms.history, students)
    assert row.id == first and reason == "日期录错"
    with store.engine.begin() as connection, pytest.raises(IntegrityError, match="不能删除"):
        connection.execute(text("DELETE FROM term WHERE id = :i"), {"i": first})
    with store.engine.begin() as connection, pytest.raises(IntegrityError, match="不能修改"):
        connection.execute(text("UPDATE term SET secretary = 'x' WHERE id = :i"), {"i": first})


@pytest.mark.parametrize(("present", "valid"), [(8, False), (9, True)])
def test_an_election_needs_more_than_four_fifths_present(store, profiles, present, valid):
    meeting, draft = assembly(store, present)
    branch = branch_id(store, STUDENTS)

    def elect():
        return desk_of(store, profiles).write(
            terms.record_election, branch, draft.held_on, "李文静", ["王芳", "张强"], meeting, TODAY
        )

    if valid:
        assert elect().value
    else:
        with pytest.raises(ValidationError) as refused:
            elect()
        assert str(refused.value) == (
            "选举无效：有选举权的团员到会 8/10 人，未超过应到会人数的五分之四"
            "（须至少 9 人），不能登记为换届。"
        )
