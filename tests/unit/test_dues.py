"""团费: the amount rule at its edges, the book's months, arrears at exactly 3 and 6
months, paying ahead or behind, corrections, and the period's figures."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from qzdesk.services.clock import FixedClock
from qzdesk.services.desk import Desk
from qzdesk.services.dues import book, money
from qzdesk.services.dues.amounts import fen, monthly_fen
from qzdesk.services.errors import ValidationError
from qzdesk.services.members import records
from qzdesk.services.todo import todo
from qzdesk.vocabulary import DuesCategory, DuesPurpose, MemberStatus
from tests.desks import desk_of

SALARIED = DuesCategory.SALARIED


@pytest.fixture
def rules(profiles):
    return profiles["qinzhou-2024"].dues


@pytest.mark.parametrize(
    ("income", "owed"),
    [
        ("0", "3"),
        ("1999.99", "3"),  # under 2000 元: 3 元
        ("2000", "4"),  # 2 ‰ of 2000 元
        ("2499.99", "4"),  # 4.99… truncated to the yuan
        ("9999", "19"),
        ("10000", "20"),
        ("30000", "20"),  # at most 20 元
    ],
)
def test_salaried_dues_by_the_2_permille_rule(rules, income, owed):
    assert monthly_fen(rules, SALARIED, fen(income)) == fen(owed)


def test_the_brackets_mode_and_the_categories(rules):
    brackets = rules.model_copy(
        update={"income_mode": rules.income_mode.model_copy(update={"value": "brackets"})}
    )
    assert [monthly_fen(brackets, SALARIED, fen(y)) for y in ("2999.99", "3000", "15000")] == [
        fen("3"),
        fen("5"),
        fen("20"),
    ]
    assert monthly_fen(rules, DuesCategory.STUDENT, None) == fen("0.2")
    assert monthly_fen(rules, DuesCategory.FARMER, None) == fen("0.2")
    assert monthly_fen(rules, DuesCategory.PARTY_PROBATIONARY, fen("8000")) == 0
    assert monthly_fen(rules, SALARIED, None) is None  # the income is not known: 未填


def desk_on(store, profiles, day: date) -> Desk:
    desk = Desk(store, profiles, FixedClock.on(day))
    desk.actor = "李文静"
    return desk


def member_joined_before(store) -> int:
    return next(
        r.id
        for r in desk_of(store).read(records.roster)
        if r.joined_on and r.joined_on.year < 2026 and r.status is MemberStatus.ACTIVE
    )


def test_arrears_at_three_and_six_months_and_the_figures(village, profiles):
    store = village
    someone = member_joined_before(store)
    march = desk_on(store, profiles, date(2026, 3, 10))
    march.write(book.set_basis, someone, DuesCategory.STUDENT, date(2026, 1, 1))
    march.write(book.pay, someone, date(2026, 1, 1), date(2026, 3, 1), 0.6, date(2026, 3, 10))
    july = desk_on(store, profiles, date(2026, 7, 15))
    mine = {a.member_id: a for a in july.read(book.arrears)}[someone]
    assert (mine.months, mine.since, mine.owed_fen) == (3, date(2026, 4, 1), fen("0.6"))
    assert any("连续 3 个月" in i.text for i in july.read(todo))
    october = desk_on(store, profiles, date(2026, 10, 2))
    assert {a.member_id: a.months for a in october.read(book.arrears)}[someone] == 6
    name = next(r.name for r in desk_of(store).read(records.roster) if r.id == someone)
    year = october.read(book.figures, date(2026, 1, 1), date(2026, 9, 30))
    assert name in year.lapsing
    assert (year.due_members, year.paid_members) == (1, 0)
    assert (year.due_fen, year.paid_fen) == (fen("1.8"), fen("0.6"))
    first = october.read(book.figures, date(2026, 1, 1), date(2026, 3, 31))
    assert first.rate == 1.0 and first.lapsing == ()


def test_a_category_change_mid_year_and_a_probationary_party_member(village, profiles):
    store = village
    someone = member_joined_before(store)
    desk = desk_on(store, profiles, date(2026, 8, 20))
    desk.write(book.set_basis, someone, SALARIED, date(2026, 1, 1), income_yuan=5000)
    desk.write(book.set_basis, someone, DuesCategory.PARTY_PROBATIONARY, date(2026, 6, 1))
    months = {m.month.month: m for m in desk.read(book.statement, someone) if m.month.year == 2026}
    assert months[5].due_fen == fen("10") and months[6].due_fen == 0
    assert not months[7].owing  # nothing owed once a 预备党员
    assert [m.months for m in desk.read(book.arrears) if m.member_id == someone] == [5]


def test_paying_ahead_behind_twice_and_a_correction(village, profiles):
    store = village
    someone = member_joined_before(store)
    desk = desk_on(store, profiles, date(2026, 1, 15))
    desk.write(book.set_basis, someone, DuesCategory.STUDENT, date(2025, 1, 1))
    with pytest.raises(ValidationError, match="须经支委会同意"):
        desk.write(book.pay, someone, date(2026, 1, 1), date(2026, 12, 1), 2.4, date(2026, 1, 15))
    paid = desk.write(
        book.pay,
        someone,
        date(2026, 1, 1),
        date(2026, 12, 1),
        2.4,
        date(2026, 1, 15),
        consent="支委会 2026-01-10 同意预交全年",
    ).value
    with pytest.raises(ValidationError, match="2026-03 已经交过"):
        desk.write(book.pay, someone, date(2026, 3, 1), date(2026, 3, 1), 0.2, date(2026, 1, 15))
    desk.write(book.reverse, paid, "金额登记错误")
    assert all(m.owing for m in desk.read(book.statement, someone, date(2026, 12, 1))[-12:])
    with pytest.raises(ValidationError, match="已冲销过"):
        desk.write(book.reverse, paid, "再冲一次")
    desk.write(
        book.exempt,
        someone,
        date(2025, 1, 1),
        date(2025, 12, 1),
        "支委会同意减免",
        date(2026, 1, 15),
    )
    assert not [m for m in desk.read(book.statement, someone) if m.month.year == 2025 and m.owing]


@pytest.mark.parametrize(
    "statement", ["UPDATE dues_entry SET amount_fen = 0", "DELETE FROM dues_basis"]
)
def test_the_book_is_append_only(village, profiles, statement):
    store = village
    someone = member_joined_before(store)
    desk = desk_on(store, profiles, date(2026, 3, 10))
    desk.write(book.set_basis, someone, DuesCategory.STUDENT, date(2026, 1, 1))
    desk.write(book.pay, someone, date(2026, 1, 1), date(2026, 3, 1), 0.6, date(2026, 3, 10))
    with pytest.raises(IntegrityError, match="只能追加"), store.transaction() as session:
        session.execute(text(statement))


def test_the_command_line_keeps_the_book(village):
    import json

    from tests.unit.test_member_import import run_cli

    someone = next(
        r for r in desk_of(village).read(records.roster) if r.status is MemberStatus.ACTIVE
    )
    village.close()  # the command opens the folder itself
    data = ["--data", str(village.paths.root)]
    person = ["--id-number", someone.id_number]
    basis = [*person, "--category", "student", "--from", "2026-01"]
    assert run_cli("dues", "basis", *basis, *data).returncode == 0
    paid = run_cli(
        "dues",
        "pay",
        *person,
        "--months",
        "2026-01:2026-03",
        "--amount",
        "0.6",
        "--on",
        "2026-03-10",
        *data,
    )
    assert paid.returncode == 0 and "已登记第 1 号交纳" in paid.stdout
    again = run_cli(
        "dues",
        "pay",
        *person,
        "--months",
        "2026-02",
        "--amount",
        "0.2",
        "--on",
        "2026-03-10",
        *data,
    )
    assert again.returncode != 0 and "2026-02 已经交过" in again.stderr
    status = json.loads(run_cli("dues", "status", "--json", *data).stdout)
    assert status["paid_yuan"] == "0.60" and status["arrears"][0]["name"] == someone.name
    wrong = run_cli("dues", "basis", *person, "--category", "salaried", "--from", "2026-01", *data)
    assert wrong.returncode != 0 and "须填写月收入" in wrong.stderr


def test_the_archive_carries_the_period_s_dues_as_its_page_shows_them(village, profiles, tmp_path):
    store = village
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader

    from qzdesk.export.archive import build_archive, read_data
    from qzdesk.services.periods import parse_period
    from tests.export.test_documents import pdf_text

    someone = member_joined_before(store)
    march = desk_on(store, profiles, date(2026, 3, 10))
    march.write(book.set_basis, someone, DuesCategory.STUDENT, date(2026, 1, 1))
    march.write(book.pay, someone, date(2026, 1, 1), date(2026, 2, 1), 0.4, date(2026, 3, 10))
    march.write(money.hand_up, 0.2, date(2026, 3, 10), "R-1")
    march.write(money.spend, 0.1, date(2026, 3, 10), DuesPurpose.STUDY, decision="支委会研究")
    april = desk_on(store, profiles, date(2026, 4, 10))
    _id, pdf = april.read(build_archive, parse_period("2026Q1"), "qzdemo")
    dues = read_data(PdfFileReader(BytesIO(pdf)))["dues"]
    assert dues == {
        "due_members": 1,
        "paid_members": 0,  # March is owed and not paid
        "due_fen": fen("0.6"),
        "paid_fen": fen("0.4"),
        "lapsing": [],
        "money": {
            "opening_fen": 0,
            "received_fen": fen("0.4"),
            "handed_up_fen": fen("0.2"),
            "spent": [{"purpose": "study", "amount_fen": fen("0.1")}],
            "closing_fen": fen("0.1"),
            "to_hand_up_fen": 0,  # half of 0.40 kept, half passed up
        },
    }
    text = " ".join(" ".join(pdf_text(pdf, tmp_path)).split())
    assert "团费收缴情况" in text and "1 0 0.0% 0.60 0.40" in text
    assert "0.00 0.40 0.20 0.10 0.10 0.00" in text and "购买团员学习资料 0.10 元" in text
