"""The roster model and proxy without a window: filters, pinyin search, sorting, mapping."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, Qt

from qzdesk.services import clock
from qzdesk.services.members import records
from qzdesk.services.members.filtering import RosterQuery
from qzdesk.services.members.validation import MemberDraft
from qzdesk.ui.members.model import COLUMNS, RosterModel, RosterProxy
from qzdesk.vocabulary import MemberStatus, PoliticalStatus
from tests.desks import desk_of
from tests.unit.test_members import rid

# The demo template is built with today's date; judge its members on the same day.
TODAY = clock.today()
NAME = [c.key for c in COLUMNS].index("name")
AGE = [c.key for c in COLUMNS].index("age")


def loaded(store, profiles):
    first = desk_of(store).read(records.open_branches)[0][0]
    desk_of(store).write(
        records.add_member,
        MemberDraft(
            name="张三丰",
            id_number=rid("20110305", 777),
            joined_on=date(2025, 5, 1),
            member_no="202562099999",
        ),
        first,
        TODAY,
    )
    model = RosterModel()
    proxy = RosterProxy(model)
    model.set_rows(desk_of(store).read(records.roster), TODAY, 28)
    return model, proxy


def names(proxy):
    return [proxy.data(proxy.index(r, NAME)) for r in range(proxy.rowCount())]


def test_pinyin_initials_full_pinyin_id_tail_and_member_number(qapp, store, profiles):
    _model, proxy = loaded(store, profiles)
    for text in (
        "zsf",
        "zhangsanfeng",
        "ZhangSan Feng",
        "zhangsf",  # whole syllables and initials, mixed
        "zsfeng",
        "zhsanf",
        "张三",
        rid("20110305", 777)[-6:].lower(),
        "202562099999",
    ):
        proxy.set_query(RosterQuery(text=text, status=None))
        assert names(proxy) == ["张三丰"], text


def test_filters_combine(qapp, store, profiles):
    model, proxy = loaded(store, profiles)
    proxy.set_query(RosterQuery(status=None))
    assert proxy.rowCount() == model.rowCount() == 44
    proxy.set_query(RosterQuery())  # default: members on the books
    assert proxy.rowCount() == 42
    proxy.set_query(RosterQuery(status=MemberStatus.AGED_OUT))
    assert proxy.rowCount() == 1
    proxy.set_query(RosterQuery(political=PoliticalStatus.PARTY))
    assert proxy.rowCount() == 1
    branch_id = desk_of(store).read(records.open_branches)[1][0]
    proxy.set_query(RosterQuery(branch_id=branch_id))
    assert {proxy.member_at(r).branch_id for r in range(proxy.rowCount())} == {branch_id}
    proxy.set_query(RosterQuery(age_band=0))
    assert all(14 <= int(proxy.data(proxy.index(r, AGE))) < 18 for r in range(proxy.rowCount()))


def test_sorting_and_mapping_back_to_the_source(qapp, store, profiles):
    model, proxy = loaded(store, profiles)
    proxy.sort(AGE, Qt.SortOrder.DescendingOrder)
    ages = [int(proxy.data(proxy.index(r, AGE))) for r in range(proxy.rowCount())]
    assert ages == sorted(ages, reverse=True)
    top = proxy.index(0, NAME)
    source = proxy.mapToSource(top)
    assert model.data(source) == proxy.data(top)
    assert proxy.mapFromSource(source).row() == 0
    assert proxy.index(proxy.rowCount(), 0) == QModelIndex()
    assert proxy.member_ids()[0] == proxy.member_at(0).id


def test_left_members_are_greyed(qapp, store, profiles):
    _model, proxy = loaded(store, profiles)
    proxy.set_query(RosterQuery(status=MemberStatus.TRANSFERRED_OUT))
    brush = proxy.data(proxy.index(0, NAME), Qt.ItemDataRole.ForegroundRole)
    assert brush is not None and brush.color().name() == "#8a8a8a"


def test_names_sort_by_pinyin_and_minus_one_restores_roster_order(qapp, store, profiles):
    _model, proxy = loaded(store, profiles)
    original = proxy.member_ids()
    proxy.sort(NAME)
    keys = [proxy.member_at(r).search_key.split(" ")[1] for r in range(proxy.rowCount())]
    assert keys == sorted(keys)
    proxy.sort(-1)
    assert proxy.member_ids() == original
