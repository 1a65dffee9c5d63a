"""The roster services: add, change, move, leave, restore; history kept, never deleted."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from qzdesk.services import audit, clock
from qzdesk.services.errors import ValidationError
from qzdesk.services.members import records
from qzdesk.services.members.idcard import check_char
from qzdesk.services.members.records import MemberInvalid
from qzdesk.services.members.validation import MemberDraft
from qzdesk.vocabulary import MemberStatus
from tests.desks import desk_of

# The demo template is built with today's date; judge its members on the same day.
TODAY = clock.today()


def rid(born: str, order: int = 11) -> str:
    first17 = f"620502{born}{order:03d}"
    return first17 + check_char(first17)


def branch(store, name="初三（1）班团支部"):
    return dict((n, i) for i, n in desk_of(store).read(records.open_branches))[name]


def new_draft(**changes) -> MemberDraft:
    values = dict(
        name="张三丰",
        id_number=rid("20110305", 901),
        joined_on=date(2025, 5, 1),
        member_no="202562059999",
    )
    values.update(changes)
    return MemberDraft(**values)


def test_the_demo_roster_lists_everyone_including_those_who_left(store):
    rows = desk_of(store).read(records.roster)
    assert len(rows) == 43
    statuses = {r.status for r in rows}
    assert {MemberStatus.ACTIVE, MemberStatus.AGED_OUT, MemberStatus.TRANSFERRED_OUT} <= statuses
    assert all(r.search_key for r in rows)


def test_add_member_records_history_and_audit(store, profiles):
    row = desk_of(store).write(records.add_member, new_draft(), branch(store), TODAY).value
    assert (row.name, row.gender, row.branch_name) == ("张三丰", "男", "初三（1）班团支部")
    assert "zhangsanfeng" in row.search_key and " zsf" in row.search_key
    record = desk_of(store).read(records.member_record, row.id)
    assert [e.kind for e in record.events] == ["added"]
    assert desk_of(store).read(audit.recent, 1)[0].action == "create"


def test_the_same_id_twice_names_the_existing_member_and_branch(store, profiles):
    existing = desk_of(store).read(records.roster)[3]
    with pytest.raises(MemberInvalid) as refused:
        desk_of(store).write(
            records.add_member, new_draft(id_number=existing.id_number), branch(store), TODAY
        )
    assert f"已登记为“{existing.name}”（{existing.branch_name}）" in str(refused.value)
    assert refused.value.field == "id_number"


def test_invalid_records_report_every_problem(store, profiles):
    with pytest.raises(MemberInvalid) as refused:
        desk_of(store).write(
            records.add_member, new_draft(name="", member_no="123"), branch(store), TODAY
        )
    assert {p.field for p in refused.value.problems} >= {"name", "member_no"}


def test_update_records_what_changed(store, profiles):
    row = desk_of(store).read(records.roster)[5]
    record = desk_of(store).read(records.member_record, row.id)
    record.draft.mobile = "13912345678"
    desk_of(store).write(records.update_member, row.id, record.draft, TODAY)
    events = desk_of(store).read(records.member_record, row.id).events
    assert events[-1].kind == "updated" and events[-1].details == {"mobile": [None, "13912345678"]}


def test_leaving_keeps_the_member_and_can_be_undone(store, profiles):
    row = desk_of(store).read(records.roster)[6]
    with pytest.raises(ValidationError, match="须经支部大会决定"):
        desk_of(store).write(
            records.leave, row.id, MemberStatus.WITHDRAWN, TODAY, "本人申请", today=TODAY
        )
    desk_of(store).write(
        records.leave,
        row.id,
        MemberStatus.WITHDRAWN,
        TODAY,
        "本人申请",
        decided_by="2026年第4次支部大会",
        today=TODAY,
    )
    left = next(r for r in desk_of(store).read(records.roster) if r.id == row.id)
    assert left.status is MemberStatus.WITHDRAWN
    with pytest.raises(ValidationError, match="已是“自愿退团”"):
        desk_of(store).write(records.leave, row.id, MemberStatus.AGED_OUT, TODAY, "x", today=TODAY)
    desk_of(store).write(records.restore, row.id, "误操作", today=TODAY)
    record = desk_of(store).read(records.member_record, row.id)
    assert [e.kind for e in record.events][-2:] == ["left", "restored"]
    assert record.draft.status is MemberStatus.ACTIVE


def test_moving_between_branches(store):
    row = desk_of(store).read(records.roster)[1]
    target = branch(store, "初三（2）班团支部")
    moved = desk_of(store).write(records.move_member, row.id, target, TODAY, "分班调整").value
    assert moved.branch_name == "初三（2）班团支部"
    with pytest.raises(ValidationError, match="已在"):
        desk_of(store).write(records.move_member, row.id, target, TODAY, "再调")


def test_a_member_is_in_the_branch_of_the_day_asked(store):
    """Moved twice: each day's roster places them where they were that day."""
    from datetime import timedelta

    row = desk_of(store).read(records.roster)[1]
    first = row.branch_name
    middle, last = "初三（2）班团支部", "初三（3）班团支部"
    ten, twenty = TODAY - timedelta(days=20), TODAY - timedelta(days=10)
    desk_of(store).write(records.move_member, row.id, branch(store, middle), ten, "分班调整")
    desk_of(store).write(records.move_member, row.id, branch(store, last), twenty, "再次分班")

    def where(day):
        return next(
            e.branch_name
            for e in desk_of(store).read(records.roster_on, day)
            if e.member_id == row.id
        )

    assert [where(ten - timedelta(days=1)), where(ten), where(twenty)] == [first, middle, last]


@pytest.mark.parametrize(
    "statement",
    ["DELETE FROM member", "UPDATE member_event SET reason = 'x'", "DELETE FROM member_event"],
)
def test_members_and_their_history_cannot_be_deleted_or_rewritten(store, statement):
    with pytest.raises(IntegrityError, match="不能"), store.transaction() as session:
        session.execute(text(statement))


def test_a_member_transferred_in_says_where_from(store, profiles):
    with pytest.raises(ValidationError, match="转出单位") as refused:
        desk_of(store).write(
            records.add_member, new_draft(), branch(store), TODAY, "transferred_in"
        )
    assert refused.value.field == "reason"
    row = (
        desk_of(store)
        .write(
            records.add_member,
            new_draft(),
            branch(store),
            TODAY,
            "transferred_in",
            "天水市第五中学团委",
        )
        .value
    )
    event = desk_of(store).read(records.member_record, row.id).events[0]
    assert (event.label, event.reason) == ("组织关系转入", "天水市第五中学团委")


def test_roster_filters_for_age_bands_and_turning_28(store):
    from qzdesk.services.members.filtering import RosterIndex, RosterQuery

    index = RosterIndex(desk_of(store).read(records.roster), TODAY, 28)
    everyone = RosterQuery(status=None)
    assert len(index.select(everyone)) == 43
    turning = index.select(RosterQuery(status=None, turning_age_out=True))
    assert all(index.rows[i].birth_date.year == TODAY.year - 28 for i in turning)
    over = index.select(RosterQuery(status=None, age_band=4))
    assert over and all(index.ages[i] >= 28 for i in over)
    young = index.select(RosterQuery(age_band=0))
    assert young and all(14 <= index.ages[i] < 18 for i in young)


def test_a_search_mixing_syllables_and_initials_finds_the_name():
    from qzdesk.services.members.search import matches, name_key, pinyin_pattern

    key = name_key("牛俊明")
    assert key == "牛俊明 niujunming njm niu'jun'ming"
    for query in ("niujm", "njming", "niuj", "jm", "junming", "njm", "niujunming"):
        assert matches(query, key, pinyin_pattern(query)), query
    for query in ("niujn", "ium", "mj", "nx"):
        assert not matches(query, key, pinyin_pattern(query)), query
