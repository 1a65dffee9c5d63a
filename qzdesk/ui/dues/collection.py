"""收缴: a collection at a meeting. Every member owing something up to this month is
listed with the months and what they owe; the secretary ticks who paid (the amount can
be changed where someone paid differently) and all of it is recorded as one unit."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton, QTableWidgetItem

from qzdesk.services.dues import book
from qzdesk.services.dues.amounts import yuan_text
from qzdesk.ui.context import AppContext
from qzdesk.ui.forms import date_edit
from qzdesk.ui.screen import fit
from qzdesk.ui.tables import make_table
from qzdesk.ui.write_dialog import WriteDialog

AMOUNT = 4  # the column typed into


class CollectionDialog(WriteDialog):
    def __init__(self, context: AppContext, owing: list[book.Owing], parent: object) -> None:
        super().__init__(context, "收缴团费", parent)  # type: ignore[arg-type]
        self.owing = owing
        fit(self, 720, 520)
        self.on = date_edit("collect_on", context.today())
        self.method = QComboBox()
        self.method.setObjectName("collect_method")
        self.method.addItems(list(book.METHODS))
        self.consent = QLineEdit()
        self.consent.setObjectName("collect_consent")
        self.consent.setPlaceholderText("补交超过规定月数时：支委会同意的会议或日期")
        self.form.addRow("交纳日期：", self.on)
        self.form.addRow("方式：", self.method)
        self.form.addRow("支委会同意：", self.consent)
        self.table = make_table(["交纳", "团员", "团支部", "月份", "金额（元）"], "collect_lines")
        self.table.setRowCount(len(owing))
        for row, line in enumerate(owing):
            tick = QTableWidgetItem()
            tick.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            tick.setCheckState(Qt.CheckState.Unchecked)
            self.table.setItem(row, 0, tick)
            self.table.setItem(row, 1, QTableWidgetItem(line.name))
            self.table.setItem(row, 2, QTableWidgetItem(line.branch))
            months = f"{line.first_month:%Y-%m}" + (
                f"—{line.last_month:%Y-%m}" if line.last_month != line.first_month else ""
            )
            self.table.setItem(row, 3, QTableWidgetItem(months))
            amount = QTableWidgetItem(yuan_text(line.due_fen))
            amount.setFlags(amount.flags() | Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, AMOUNT, amount)
        self.table.resizeColumnsToContents()
        self.form.addRow(self.table)
        ticks = QHBoxLayout()
        for text, state in (
            ("全部勾选", Qt.CheckState.Checked),
            ("全不选", Qt.CheckState.Unchecked),
        ):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, s=state: self.tick_all(s))
            ticks.addWidget(button)
        ticks.addStretch(1)
        self.form.addRow(ticks)
        self.finish("登记收缴")

    def tick_all(self, state: Qt.CheckState) -> None:
        for row in range(self.table.rowCount()):
            self.table.item(row, 0).setCheckState(state)

    def lines(self) -> list[book.Collected] | str:
        """The ticked lines, or what is wrong with a typed amount."""
        found = []
        for row, line in enumerate(self.owing):
            if self.table.item(row, 0).checkState() != Qt.CheckState.Checked:
                continue
            text = self.table.item(row, AMOUNT).text().strip()
            try:
                amount = float(text)
            except ValueError:
                return f"{line.name} 的金额“{text}”不是数字。"
            found.append(book.Collected(line.member_id, line.first_month, line.last_month, amount))
        return found

    def submit(self) -> None:
        lines = self.lines()
        if isinstance(lines, str):
            self.error.setText(lines)
            return
        self.write(
            book.collect,
            self.on.date().toPython(),
            lines,
            self.method.currentText(),
            self.consent.text().strip(),
        )
