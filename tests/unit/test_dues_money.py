"""团费, the money side: passing up and spending against the balance held, a decision
behind every spending, corrections by reversal, a period's account, the handover's count
equal to the book (or explained), the 交接表 as printed, and the old 交费档位 read into
a basis by the migration where it names a category."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from qzdesk.services.dues import book, handover, money
from qzdesk.services.dues.amounts import fen
from qzdesk.services.dues.tiers import read_tier
from qzdesk.services.errors import ValidationError
from qzdesk.services.members import records
from qzdesk.vocabulary import DuesCategory, DuesPurpose, MemberStatus
from tests.desks import desk_of
from tests.unit.test_dues import desk_on

STUDENT = DuesCategory.STUDENT


def collected(store, profiles) -> tuple[int, int]:
    """Two members paying a year each in January: 2.40 元 each, 4.80 元 held."""
    active = [r.id for r in desk_of(store).read(records.roster) if r.status is MemberStatus.ACTIVE][
        :2
    ]
    desk = desk_on(store, profiles, date(2026, 1, 20))
    for member_id in active:
        desk.write(book.set_basis, member_id, STUDENT, date(2026, 1, 1))
        desk.write(
            book.pay,
            member_id,
            date(2026, 1, 1),
            date(2026, 12, 1),
            2.4,
            date(2026, 1, 20),
            consent="支委会 2026-01-10 同意预交全年",
        )
    return active[0], active[1]


def test_passing_up_and_spending_come_out_of_the_balance_held(village, profiles):
    store = village
    collected(store, profiles)
    desk = desk_on(store, profiles, date(2026, 3, 1))
    assert desk.read(money.balance) == fen("4.8")
    with pytest.raises(ValidationError, match=r"账面余额只有 4\.80 元"):
        desk.write(money.hand_up, 5, date(2026, 2, 1), "QZ-001")
    with pytest.raises(ValidationError, match=r"账面余额只有 0\.00 元"):
        desk.write(money.hand_up, 1, date(2026, 1, 19))  # before anything was collected
    up = desk.write(money.hand_up, 2.4, date(2026, 2, 1), "QZ-001").value
    with pytest.raises(ValidationError, match="集体研究决定"):
        desk.write(money.spend, 1, date(2026, 2, 10), DuesPurpose.STUDY)
    desk.write(
        money.spend, 1.5, date(2026, 2, 10), DuesPurpose.STUDY, decision="支委会 2026-02-08 研究"
    )
    assert desk.read(money.balance) == fen("0.9")
    assert desk.read(money.balance, date(2026, 2, 5)) == fen("2.4")
    desk.write(money.reverse, up, "上缴金额登记错误")
    with pytest.raises(ValidationError, match="已冲销过"):
        desk.write(money.reverse, up, "又一次")
    assert desk.read(money.balance) == fen("3.3")
    february = desk.read(money.account, date(2026, 2, 1), date(2026, 2, 28))
    assert (february.handed_up_fen, february.closing_fen) == (fen("2.4"), fen("0.9"))
    acc = desk.read(money.account, date(2026, 2, 1), date(2026, 3, 1))
    assert (acc.opening_fen, acc.received_fen, acc.closing_fen) == (fen("4.8"), 0, fen("3.3"))
    assert acc.handed_up_fen == 0  # passed up, then reversed (on 1 March) within the days
    assert acc.spent == ((DuesPurpose.STUDY, fen("1.5")),)
    # Half is kept (the profile's share): the committee's half of 4.80 is still owed.
    assert acc.to_hand_up_fen == fen("2.4")
    listed = desk.read(money.rows, date(2026, 1, 1), date(2026, 3, 1))
    assert [(r.kind.value, r.reversed) for r in listed] == [
        ("handed_up", True),
        ("spent", False),
        ("reversal", False),
    ]
    assert "购买团员学习资料；支委会 2026-02-08 研究" in listed[1].what


def test_a_spending_decided_by_a_meeting_names_its_minutes(village, profiles):
    store = village
    from qzdesk.models import Meeting

    collected(store, profiles)
    with store.transaction() as session:
        meeting = session.query(Meeting).order_by(Meeting.held_on).first()
        meeting_id, held = meeting.id, meeting.held_on
    desk = desk_on(store, profiles, date(2026, 6, 1))
    with pytest.raises(ValidationError, match="会议应在支出之前"):
        desk.write(money.spend, 1, held - timedelta(days=1), DuesPurpose.ACTIVITIES, meeting_id)
    on = max(held, date(2026, 1, 20))
    row = desk.write(money.spend, 1, on, DuesPurpose.ACTIVITIES, meeting_id).value
    what = next(r.what for r in desk.read(money.rows, on, on) if r.id == row)
    assert f"{held:%Y-%m-%d}" in what and "决定" in what


@pytest.mark.parametrize(
    "statement", ["UPDATE dues_money SET amount_fen = 0", "DELETE FROM dues_money"]
)
def test_the_money_side_is_append_only(village, profiles, statement):
    store = village
    collected(store, profiles)
    desk_on(store, profiles, date(2026, 2, 1)).write(money.hand_up, 1, date(2026, 2, 1))
    with pytest.raises(IntegrityError, match="只能追加"), store.transaction() as session:
        session.execute(text(statement))


def test_a_handover_counts_the_book_s_balance_or_explains_the_difference(
    village, profiles, tmp_path
):
    store = village
    from qzdesk.export.pdf.dues_handover import handover_pdf
    from tests.export.test_documents import pdf_text

    first, _ = collected(store, profiles)
    desk = desk_on(store, profiles, date(2026, 4, 2))
    desk.write(money.hand_up, 2.4, date(2026, 3, 1), "QZ-007")
    with pytest.raises(ValidationError, match=r"与账面余额 2\.40 元不符"):
        desk.write(money.hand_over, date(2026, 4, 1), "李文静", "王海", 2.0)
    desk.write(money.hand_over, date(2026, 4, 1), "李文静", "王海", 2.4)
    sheet = desk.read(handover.statement, date(2026, 4, 1))
    assert sheet.account.closing_fen == desk.read(money.balance, date(2026, 4, 1)) == fen("2.4")
    assert sheet.account.received_fen == fen("4.8") and sheet.account.handed_up_fen == fen("2.4")
    assert [r.amount_fen for r in sheet.counted] == [fen("2.4")]
    name = next(r.name for r in desk_of(store).read(records.roster) if r.id == first)
    assert (sheet.paid_to[0][1], sheet.paid_to[0][2]) == (name, "2026年12月")
    page = " ".join(" ".join(pdf_text(handover_pdf(sheet), tmp_path)).split())
    for words in ("团费交接表", "4.80 2.40 0.00 2.40", "QZ-007", "实点 2.40 元", "监交人"):
        assert words in page
    # The next handover's sheet starts the day after this one.
    later = desk_on(store, profiles, date(2026, 9, 1)).read(handover.statement, date(2026, 9, 1))
    assert later.since == date(2026, 4, 2) and later.account.opening_fen == fen("2.4")


def test_the_command_line_passes_up_spends_and_prints_the_handover(village, tmp_path):
    from tests.unit.test_member_import import run_cli

    store = village
    someone = next(
        r for r in desk_of(store).read(records.roster) if r.status is MemberStatus.ACTIVE
    )
    store.close()
    data = ["--data", str(store.paths.root)]
    person = ["--id-number", someone.id_number]
    assert (
        run_cli(
            "dues", "basis", *person, "--category", "student", "--from", "2026-01", *data
        ).returncode
        == 0
    )
    months = ["--months", "2026-01:2026-06", "--amount", "1.2", "--on", "2026-01-05"]
    assert run_cli("dues", "pay", *person, *months, *data).returncode == 0
    up = run_cli(
        "dues", "handup", "--amount", "0.6", "--on", "2026-01-05", "--receipt", "R1", *data
    )
    assert up.returncode == 0 and "上缴" in up.stdout
    spent = run_cli(
        "dues", "spend", "--amount", "0.5", "--on", "2026-01-05", "--purpose", "emblems", *data
    )
    assert spent.returncode != 0 and "集体研究决定" in spent.stderr
    account = json.loads(run_cli("dues", "account", "--json", *data).stdout)
    assert (account["received_fen"], account["handed_up_fen"], account["closing_fen"]) == (
        120,
        60,
        60,
    )
    out = tmp_path / "交接表.pdf"
    over = [*data, "--out", str(out), "--from", "李文静", "--to", "王海", "--counted", "0.6"]
    done = run_cli("dues", "handover", *over)
    assert done.returncode == 0 and "已登记第" in done.stdout and out.read_bytes()[:5] == b"%PDF-"


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("学生 0.2 元/月", DuesCategory.STUDENT),
        ("农民", DuesCategory.FARMER),
        ("失业 0.2元", DuesCategory.NO_INCOME),
        ("低保户", DuesCategory.RELIEF),
        ("预备党员（学生）", DuesCategory.PARTY_PROBATIONARY),
        ("工资收入 2000 元以上", None),  # an income with no figure: asked, not guessed
        ("其他 0.2 元/月", None),
        ("", None),
    ],
)
def test_the_old_free_text_is_read_only_where_it_names_a_category(typed, read):
    assert read_tier(typed) is read


def test_the_committee_s_summary_reads_and_sums_the_money_the_archives_carry(village, profiles):
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader

    from qzdesk.export.archive import build_archive, read_data
    from qzdesk.services.periods import parse_period
    from qzdesk.services.receiving.summary import SummaryRow, rows_of, summed

    store = village
    collected(store, profiles)
    desk = desk_on(store, profiles, date(2026, 4, 10))
    desk.write(money.hand_up, 2.4, date(2026, 2, 1), "QZ-001")
    desk.write(money.spend, 0.8, date(2026, 3, 5), DuesPurpose.HARDSHIP, decision="支委会研究")
    _id, pdf = desk.read(build_archive, parse_period("2026Q1"), "qzdemo")
    data = read_data(PdfFileReader(BytesIO(pdf)))
    row = rows_of([data], profiles)[0]
    assert (row.handed_up_fen, row.spent_fen) == (fen("2.4"), fen("0.8"))
    assert row.dues_rate == 1.0  # both paid the year ahead
    cells = dict(zip(SummaryRow.HEADERS, row.cells(), strict=True))
    assert cells["团费上缴/支出（元）"] == "2.40/0.80"
    assert summed([row, row]).handed_up_fen == fen("4.8")
    older = {**data, "dues": {k: v for k, v in data["dues"].items() if k != "money"}}
    before = rows_of([older], profiles)[0]  # a format 5 archive: the money not reported
    assert before.handed_up_fen is None and summed([row, before]).handed_up_fen is None
    assert summed([row, before]).dues_rate == 1.0


def test_a_voluntary_extra_is_held_but_meets_no_month(village, profiles):
    store = village
    first, _ = collected(store, profiles)
    desk = desk_on(store, profiles, date(2026, 3, 1))
    before = desk.read(book.figures, date(2026, 1, 1), date(2026, 2, 28))
    entry = desk.write(book.give_extra, first, 10, date(2026, 2, 20), note="自愿多交").value
    assert desk.read(money.balance) == fen("14.8")  # held with the rest
    after = desk.read(book.figures, date(2026, 1, 1), date(2026, 2, 28))
    assert after.paid_fen == before.paid_fen  # not 实交 of what was owed
    statement = desk.read(book.statement, first, date(2026, 12, 1))
    assert [m.paid for m in statement if m.month.year == 2026] == [True] * 12  # as before
    desk.write(book.reverse, entry, "记错了人")
    assert desk.read(money.balance) == fen("4.8")
    with pytest.raises(ValidationError, match="金额应大于 0"):
        desk.write(book.give_extra, first, 0, date(2026, 2, 20))
