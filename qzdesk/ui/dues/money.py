"""团费收支: the balance held, the year's money in and out, and the forms to record an
amount passed up, a spending (with the meeting that decided it), a correction, and a
handover between secretaries with its 交接表."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from qzdesk.services.context import Context
from qzdesk.services.dues import handover, money
from qzdesk.services.dues.amounts import yuan_text
from qzdesk.ui.context import AppContext
from qzdesk.ui.document_export import preview_pdf_and_save
from qzdesk.ui.forms import button_row, date_edit
from qzdesk.ui.tables import fill_table, make_table
from qzdesk.ui.write_dialog import WriteDialog, number_box
from qzdesk.vocabulary import DuesPurpose


@dataclass(frozen=True)
class MoneyData:
    account: money.Account  # the year up to today
    rows: list[money.MoneyRow]
    balance_fen: int
    meetings: list[tuple[int, str]]  # those a spending may name
    secretary: str


def load_money(ctx: Context, year: int) -> MoneyData:
    end = min(date(year, 12, 31), ctx.today)
    start = date(year, 1, 1)
    return MoneyData(
        money.account(ctx, start, end),
        money.rows(ctx, start, end),
        money.balance(ctx),
        money.deciding_meetings(ctx, ctx.today),
        ctx.overview.secretary,
    )


class MoneyTab(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.data: MoneyData | None = None
        layout = QVBoxLayout(self)
        layout.addLayout(
            button_row(
                (
                    ("上缴…", self.hand_up, "dues_hand_up"),
                    ("支出…", self.spend, "dues_spend"),
                    ("冲销所选…", self.reverse, "dues_money_reverse"),
                    ("交接…", self.hand_over, "dues_handover"),
                )
            )
        )
        self.summary = QLabel()
        self.summary.setObjectName("dues_money_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = make_table(
            ["日期", "类别", "金额（元）", "说明"], "dues_money", widths=[90, 90, 90, 420]
        )
        layout.addWidget(self.table, 1)

    def show_data(self, data: MoneyData) -> None:
        self.data = data
        acc = data.account
        spent = "；".join(f"{p.label} {yuan_text(a)} 元" for p, a in acc.spent) or "无"
        self.summary.setText(
            f"现有余额 {yuan_text(data.balance_fen)} 元。本年：上年结余 "
            f"{yuan_text(acc.opening_fen)} 元，收缴 {yuan_text(acc.received_fen)} 元，"
            f"上缴 {yuan_text(acc.handed_up_fen)} 元，支出 {yuan_text(acc.spent_fen)} 元"
            f"（{spent}）。按留用比例尚应上缴 {yuan_text(acc.to_hand_up_fen)} 元。"
        )
        fill_table(
            self.table,
            [
                [
                    f"{r.on:%Y-%m-%d}",
                    r.kind.label + ("（已冲销）" if r.reversed else ""),
                    yuan_text(r.amount_fen),
                    r.what,
                ]
                for r in data.rows
            ],
        )

    def hand_up(self) -> None:
        HandUpDialog(self.context, self).exec()

    def spend(self) -> None:
        SpendDialog(self.context, self.data.meetings if self.data else [], self).exec()

    def reverse(self) -> None:
        row = self.table.currentRow()
        if self.data is None or not 0 <= row < len(self.data.rows):
            QMessageBox.information(self, "冲销", "请先在表中选中要冲销的一行。")
            return
        chosen = self.data.rows[row]
        reason, ok = QInputDialog.getText(
            self,
            "冲销",
            f"冲销 {chosen.on:%Y-%m-%d} {chosen.kind.label} {yuan_text(chosen.amount_fen)} 元"
            "（原记录保留）。原因：",
        )
        if ok:
            self.context.write(
                money.reverse,
                chosen.id,
                reason,
                on_error=lambda error: QMessageBox.warning(self, "未能冲销", str(error)),
            )

    def hand_over(self) -> None:
        balance = self.data.balance_fen if self.data else 0
        dialog = HandoverDialog(
            self.context, self.data.secretary if self.data else "", balance, self
        )
        if dialog.exec():
            on = dialog.on.date().toPython()
            preview_pdf_and_save(
                self,
                self.context,
                lambda ctx: _handover_pdf(ctx, on),
                f"团费交接表-{on:%Y%m%d}.pdf",
            )


def _handover_pdf(ctx: Context, on: date) -> bytes:
    from qzdesk.export.pdf.dues_handover import handover_pdf

    return handover_pdf(handover.statement(ctx, on))


class HandUpDialog(WriteDialog):
    def __init__(self, context: AppContext, parent: QWidget) -> None:
        super().__init__(context, "上缴团费", parent)
        self.amount = number_box("hand_up_amount", 1_000_000)
        self.on = date_edit("hand_up_on", context.today())
        self.receipt = QLineEdit()
        self.receipt.setObjectName("hand_up_receipt")
        self.receipt.setPlaceholderText("上级团委开具的收据号（可稍后补登）")
        self.form.addRow("金额：", self.amount)
        self.form.addRow("上缴日期：", self.on)
        self.form.addRow("收据号：", self.receipt)
        self.finish()

    def submit(self) -> None:
        self.write(
            money.hand_up, self.amount.value(), self.on.date().toPython(), self.receipt.text()
        )


class SpendDialog(WriteDialog):
    def __init__(
        self, context: AppContext, meetings: list[tuple[int, str]], parent: QWidget
    ) -> None:
        super().__init__(context, "登记团费支出", parent)
        self.amount = number_box("spend_amount", 1_000_000)
        self.on = date_edit("spend_on", context.today())
        self.purpose = QComboBox()
        self.purpose.setObjectName("spend_purpose")
        for purpose in DuesPurpose:
            self.purpose.addItem(purpose.label, purpose.value)
        self.meeting = QComboBox()
        self.meeting.setObjectName("spend_meeting")
        self.meeting.addItem("（会议记录不在本软件中：在下面写明决定情况）", None)
        for meeting_id, label in meetings:
            self.meeting.addItem(label, meeting_id)
        self.decision = QLineEdit()
        self.decision.setObjectName("spend_decision")
        self.decision.setPlaceholderText("如：支委会 2026-03-02 研究决定")
        self.note = QLineEdit()
        self.note.setObjectName("spend_note")
        for label, widget in (
            ("金额：", self.amount),
            ("支出日期：", self.on),
            ("用途：", self.purpose),
            ("决定的会议：", self.meeting),
            ("决定情况：", self.decision),
            ("说明：", self.note),
        ):
            self.form.addRow(label, widget)
        self.finish()

    def submit(self) -> None:
        self.write(
            money.spend,
            self.amount.value(),
            self.on.date().toPython(),
            DuesPurpose(self.purpose.currentData()),
            self.meeting.currentData(),
            self.decision.text(),
            self.note.text(),
        )


class HandoverDialog(WriteDialog):
    """Both secretaries count the money; the count is recorded and the 交接表 printed."""

    def __init__(
        self, context: AppContext, secretary: str, balance_fen: int, parent: QWidget
    ) -> None:
        super().__init__(context, "团费交接", parent)
        self.on = date_edit("handover_on", context.today())
        self.handed_by = QLineEdit(secretary)
        self.handed_by.setObjectName("handover_from")
        self.taken_by = QLineEdit()
        self.taken_by.setObjectName("handover_to")
        self.counted = number_box("handover_counted", 1_000_000)
        self.counted.setValue(balance_fen / 100)
        self.note = QLineEdit()
        self.note.setObjectName("handover_note")
        self.note.setPlaceholderText("清点金额与账面余额不符时写明原因")
        self.form.addRow(QLabel(f"账面余额 {yuan_text(balance_fen)} 元。双方清点后登记："))
        for label, widget in (
            ("交接日期：", self.on),
            ("移交人：", self.handed_by),
            ("接交人：", self.taken_by),
            ("实点金额：", self.counted),
            ("差额原因：", self.note),
        ):
            self.form.addRow(label, widget)
        self.finish("登记并打印交接表")

    def submit(self) -> None:
        self.write(
            money.hand_over,
            self.on.date().toPython(),
            self.handed_by.text(),
            self.taken_by.text(),
            self.counted.value(),
            self.note.text(),
        )
