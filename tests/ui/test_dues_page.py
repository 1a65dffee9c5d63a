"""团费 as a secretary keeps it: the year's grid in colour, who is behind and the 催交
text copied for the group chat, a payment from the dialog (a wrong one refused with the
reason), and a member's category changed from a month."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QGuiApplication

from qzdesk.ui.dues.page import OWING, PAID, BasisDialog, PaymentDialog
from tests.ui.conftest import answer_modal


def settle(qtbot, window):
    qtbot.waitUntil(lambda: window.context.worker.pending == 0)


def test_catch_up_a_member_behind_and_change_a_category(signed_in, qtbot):
    window = signed_in
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    page = window.dues
    assert window.current_page is page
    qtbot.waitUntil(lambda: page.data is not None and bool(page.data.arrears))
    settle(qtbot, window)
    behind = page.data.arrears[0]  # the demo's branch that stopped paying
    row = next(i for i, r in enumerate(page.data.grid) if r.member_id == behind.member_id)
    since = 2 + behind.since.month - 1
    assert page.grid.item(row, since).background().color() == OWING
    assert page.grid.item(row, since - 1).background().color() == PAID
    # The 催交 notice for the group chat names who is behind and how much.
    answer_modal(lambda box: box.accept())
    qtbot.mouseClick(page.copy_button, Qt.MouseButton.LeftButton)
    notice = QGuiApplication.clipboard().text()
    assert "团费尚未交纳" in notice and f"{behind.name}：" in notice
    members = page._members()
    paying = PaymentDialog(window.context, members, page)
    qtbot.addWidget(paying)
    paying.member.setCurrentIndex(paying.member.findData(behind.member_id))
    paying.first.setDate(QDate(behind.since.year, behind.since.month, 1))
    paying.last.setDate(paying.first.date().addMonths(behind.months - 1))
    paying.submit()  # 0 元: refused, with the reason, nothing lost
    qtbot.waitUntil(lambda: "金额应大于 0" in paying.error.text(), timeout=10_000)
    paying.amount.setValue(behind.owed_fen / 100)
    paying.submit()
    qtbot.waitUntil(lambda: paying.result() == 1, timeout=10_000)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: page.grid.item(row, since).text() == "已交")
    assert behind.member_id not in {a.member_id for a in page.data.arrears}
    basis = BasisDialog(window.context, members, page)
    qtbot.addWidget(basis)
    basis.member.setCurrentIndex(basis.member.findData(behind.member_id))
    basis.category.setCurrentIndex(basis.category.findData("salaried"))
    basis.income.setValue(5000)
    basis.submit()
    qtbot.waitUntil(lambda: basis.result() == 1, timeout=10_000)
    settle(qtbot, window)
    this_month = 2 + page.data.today.month - 1
    qtbot.waitUntil(lambda: page.grid.item(row, this_month).text() == "10.00")
