"""The member form's 团费 tab: the category the dues are reckoned from, how far they are
paid (团费交至, as a 介绍信 would state it), and the member's 交纳记录 line by line."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from qzdesk.services.dues import book
from qzdesk.services.dues.amounts import yuan_text
from qzdesk.ui.context import AppContext
from qzdesk.ui.tables import fill_table, make_table


class DuesTab(QWidget):
    def __init__(self, context: AppContext, member_id: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.context, self.member_id = context, member_id
        self.dues: book.MemberDues | None = None
        layout = QVBoxLayout(self)
        self.state = QLabel("正在读取…")
        self.state.setObjectName("member_dues_state")
        self.state.setWordWrap(True)
        layout.addWidget(self.state)
        self.entries = make_table(
            ["日期", "类别", "月份", "金额（元）", "方式与说明"],
            "member_dues_entries",
            widths=[90, 70, 130, 80, 260],
        )
        layout.addWidget(self.entries, 1)
        self.reload()

    def reload(self) -> None:
        self.context.read(book.member_dues, self.member_id, on_done=self._show)

    def _show(self, dues: book.MemberDues) -> None:
        self.dues = dues
        basis = (
            f"交纳类别：{dues.basis.category.label}（自 {dues.basis.from_month:%Y-%m} 起"
            + (
                f"，月收入 {yuan_text(dues.basis.income_fen)} 元"
                if dues.basis.income_fen is not None
                else ""
            )
            + "）"
            if dues.basis
            else "交纳类别：尚未确定（在“团费”页登记）"
        )
        self.state.setText(f"{basis}；团费交至 {dues.paid_to.text}。")
        fill_table(
            self.entries,
            [
                [
                    f"{e.on:%Y-%m-%d}",
                    e.kind.label + ("（已冲销）" if e.reversed else ""),
                    e.months,
                    yuan_text(e.amount_fen),
                    e.how,
                ]
                for e in dues.entries
            ],
        )
