"""团内处分 on a member's history, and the 留团察看 periods the sponsor check reads."""

from __future__ import annotations

from datetime import date

import pytest

from qzdesk.services.errors import ValidationError
from qzdesk.services.members import discipline, records
from tests.admission_helpers import active_member_ids
from tests.desks import desk_of


def test_a_probation_is_recorded_with_its_end_and_cut_short_when_lifted(store):
    (member,) = active_member_ids(store, 1)

    def record(**kw: object) -> object:
        return desk_of(store).write(
            discipline.record_discipline,
            member,
            kw.get("level", "留团察看"),
            kw.get("on", date(2026, 3, 1)),
            kw.get("until", date(2027, 3, 1)),
            kw.get("reason", "旷课多次"),
            kw.get("decided_by", "2026年第1次支部大会"),
        )

    for wrong, field in (
        ({"level": "开除团籍"}, "level"),  # a way of leaving, recorded there
        ({"until": None}, "until"),
        ({"until": date(2026, 3, 1)}, "until"),
        ({"reason": " "}, "reason"),
        ({"decided_by": ""}, "decided_by"),
        ({"on": date(2099, 1, 1)}, "on"),
    ):
        with pytest.raises(ValidationError) as refused:
            record(**wrong)
        assert refused.value.field == field
    record()
    record(level="警告", until=None, on=date(2026, 1, 5))  # no period: not a probation
    with store.transaction() as session:
        periods = discipline.probations(session)
    assert periods == {member: [(date(2026, 3, 1), date(2027, 3, 1))]}
    assert not discipline.on_probation(periods, member, date(2026, 2, 28))
    assert discipline.on_probation(periods, member, date(2026, 3, 1))
    assert not discipline.on_probation(periods, member, date(2027, 3, 1))  # the day it ends
    desk_of(store).write(discipline.lift_discipline, member, date(2026, 9, 1), "表现良好")
    with store.transaction() as session:
        periods = discipline.probations(session)
    assert discipline.on_probation(periods, member, date(2026, 8, 31))
    assert not discipline.on_probation(periods, member, date(2026, 9, 1))
    history = desk_of(store).read(records.member_record, member).events
    assert [e.label for e in history if e.kind.startswith("discipline")] == [
        "团内处分",
        "团内处分",
        "解除处分",
    ]
