"""落实情况: per branch and kind, the meetings signed off in each month, coloured by
whether the month or quarter the profile asks one for was met, with the year's totals."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QTableWidgetItem, QVBoxLayout, QWidget

from qzdesk.services.compliance import ComplianceCell, WindowState
from qzdesk.ui.tables import make_table

STATE_COLOURS = {
    WindowState.MET: QColor("#dcefdc"),
    WindowState.MISSED: QColor("#f6d5d3"),
    WindowState.OPEN: QColor("#fff4d6"),
}
HEADERS = [*ComplianceCell.HEADERS[:2], *ComplianceCell.MONTHS, *ComplianceCell.HEADERS[2:]]


class ComplianceTab(QWidget):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        legend = QLabel(
            "每格为当月已签字的会议记录数；绿色：该月（季度）已达到，红色“×”：已过去仍未开，"
            "黄色：本期进行中。“应开”按规则配置的频次计算到本月。"
        )
        legend.setWordWrap(True)
        layout.addWidget(legend)
        self.table = make_table(HEADERS, "meetings_compliance")
        layout.addWidget(self.table, 1)

    def show_cells(self, cells: list[ComplianceCell]) -> None:
        self.table.setRowCount(len(cells))
        for r, cell in enumerate(cells):
            texts = cell.cells()
            row = [*texts[:2], *cell.month_cells(), *texts[2:]]
            states = [None, None, *cell.month_states(), *[None] * (len(texts) - 2)]
            for c, (text, state) in enumerate(zip(row, states, strict=True)):
                item = QTableWidgetItem(text)
                if state in STATE_COLOURS:
                    item.setBackground(QBrush(STATE_COLOURS[state]))
                self.table.setItem(r, c, item)
