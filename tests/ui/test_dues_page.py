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


def test_a_collection_then_money_passed_up_spent_corrected_and_handed_over(
    signed_in, qtbot, tmp_path, monkeypatch
):
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from qzdesk.services.dues.amounts import yuan_text
    from qzdesk.ui.dues.collection import CollectionDialog
    from qzdesk.ui.dues.money import HandoverDialog, HandUpDialog, SpendDialog
    from qzdesk.ui.pdf_preview import PdfPreview
    from tests.export.test_documents import pdf_text

    window = signed_in
    page = window.dues
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.data is not None and bool(page.data.owing))
    settle(qtbot, window)
    before = page.data.money.balance_fen
    # 收缴 at a meeting: two members ticked, one paying a different amount than owed.
    collecting = CollectionDialog(window.context, page.data.owing, page)
    qtbot.addWidget(collecting)
    first, second = page.data.owing[:2]
    collecting.table.item(0, 0).setCheckState(Qt.CheckState.Checked)
    collecting.table.item(1, 0).setCheckState(Qt.CheckState.Checked)
    collecting.table.item(1, 4).setText("一元")
    collecting.submit()
    assert "金额“一元”不是数字" in collecting.error.text()
    collecting.table.item(1, 4).setText(yuan_text(second.due_fen))
    collecting.consent.setText("支委会同意补交")
    collecting.submit()
    qtbot.waitUntil(lambda: collecting.result() == 1, timeout=10_000)
    settle(qtbot, window)
    paid = first.due_fen + second.due_fen
    qtbot.waitUntil(lambda: page.data.money.balance_fen == before + paid)
    assert {first.member_id, second.member_id}.isdisjoint(o.member_id for o in page.data.owing)
    # The member's own form shows the payment in their 交纳记录 and how far they have paid.
    from qzdesk.ui.members.form import MemberForm

    form = MemberForm(window.context, first.member_id, window)
    qtbot.addWidget(form)
    qtbot.waitUntil(lambda: form.dues_tab.dues is not None, timeout=10_000)
    state = form.dues_tab.state.text()
    assert f"团费交至 {first.last_month:%Y年%m月}" in state and "交纳类别：" in state
    last = form.dues_tab.entries.rowCount() - 1
    assert form.dues_tab.entries.item(last, 3).text() == yuan_text(first.due_fen)
    assert "现金" in form.dues_tab.entries.item(last, 4).text()
    # Passing up more than is held is refused with the balance; the right amount lands.
    page.tabs.setCurrentWidget(page.money)
    up = HandUpDialog(window.context, page.money)
    qtbot.addWidget(up)
    up.amount.setValue((before + paid) / 100 + 100)
    up.submit()
    qtbot.waitUntil(lambda: "账面余额只有" in up.error.text(), timeout=10_000)
    up.amount.setValue(1.0)
    up.receipt.setText("QZTW-2026-0031")
    up.submit()
    qtbot.waitUntil(lambda: up.result() == 1, timeout=10_000)
    spending = SpendDialog(window.context, page.data.money.meetings, page.money)
    qtbot.addWidget(spending)
    spending.amount.setValue(0.5)
    spending.submit()  # no meeting chosen and no decision written
    qtbot.waitUntil(lambda: "集体研究决定" in spending.error.text(), timeout=10_000)
    assert page.data.money.meetings, "the demo has signed minutes to name"
    spending.meeting.setCurrentIndex(1)
    spending.submit()
    qtbot.waitUntil(lambda: spending.result() == 1, timeout=10_000)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: page.money.table.rowCount() == len(page.data.money.rows) >= 2)
    held = page.data.money.balance_fen
    assert held == before + paid - 150
    assert "决定" in page.money.table.item(page.money.table.rowCount() - 1, 3).text()
    # A correction: the spending reversed, its row kept and marked.
    page.money.table.selectRow(page.money.table.rowCount() - 1)
    monkeypatch.setattr(
        "qzdesk.ui.dues.money.QInputDialog.getText", lambda *a, **k: ("金额记错", True)
    )
    page.money.reverse()
    settle(qtbot, window)
    qtbot.waitUntil(lambda: page.data.money.balance_fen == held + 50)
    assert any(
        "已冲销" in page.money.table.item(r, 1).text() for r in range(page.money.table.rowCount())
    )
    # The handover: counted, recorded, and the 交接表 previewed and saved.
    target = tmp_path / "交接表.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))

    def count(dialog):
        dialog.taken_by.setText("王海")
        dialog.submit()

    answer_modal(count, kind=HandoverDialog)
    answer_modal(lambda preview: preview.accept(), kind=PdfPreview)
    answer_modal(lambda box: box.accept(), kind=QMessageBox)
    page.money.hand_over()
    qtbot.waitUntil(target.exists, timeout=20_000)
    text = " ".join(" ".join(pdf_text(target.read_bytes(), tmp_path)).split())
    assert "团费交接表" in text and "王海" in text and f"实点 {yuan_text(held + 50)} 元" in text
