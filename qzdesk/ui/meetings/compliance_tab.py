"""落实情况: per branch and kind, the meetings signed off in each month, coloured by
whether the month or quarter the profile asks one for was met, with the year's totals;
below, the 对标定级 self-rating the records support, line by line for the chosen branch."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QSplitter, QTableWidgetItem, QVBoxLayout, QWidget

from qzdesk.services.meetings.compliance import ComplianceCell, WindowState
from qzdesk.services.meetings.rating import BranchRating
from qzdesk.services.organisation.rules import RatingScheme
from qzdesk.ui.tables import fill_table, make_table

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
        self.ratings: list[BranchRating] = []
        self.rating = make_table(["团支部"], "meetings_rating")
        self.rating.itemSelectionChanged.connect(self._show_lines)
        self.lines = QLabel()
        self.lines.setObjectName("meetings_rating_lines")
        self.lines.setWordWrap(True)
        self.lines.setAlignment(Qt.AlignmentFlag.AlignTop)
        lower = QWidget()
        column = QVBoxLayout(lower)
        column.setContentsMargins(0, 0, 0, 0)
        self.rating_title = QLabel()
        self.rating_title.setWordWrap(True)
        column.addWidget(self.rating_title)
        column.addWidget(self.rating, 1)
        column.addWidget(self.lines)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        layout.addWidget(split, 1)

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

    def show_ratings(self, scheme: RatingScheme | None, ratings: list[BranchRating]) -> None:
        self.ratings = ratings
        if scheme is None:
            self.rating_title.setText("对标定级：规则配置中没有自评细则（branch.rating_scheme）。")
            self.rating.setRowCount(0)
            return
        unconfirmed = "（该细则未经证实，仅供参考）" if scheme.confidence == "X" else ""
        self.rating_title.setText(
            f"<b>对标定级（按记录自评）</b>：{scheme.label}{unconfirmed}。选中一行可看每项得分的依据。"
        )
        headers = ["团支部", *(f"{d.name}（{d.points:g}）" for d in scheme.dimensions)]
        self.rating.setColumnCount(len(headers) + 2)
        self.rating.setHorizontalHeaderLabels([*headers, "总分", "等级"])
        fill_table(
            self.rating,
            [
                [r.branch, *(f"{d.scored:g}" for d in r.dimensions), f"{r.total:g}", r.band]
                for r in ratings
            ],
            [r.band in ("后进", "软弱涣散") for r in ratings],
        )
        self._show_lines()

    def _show_lines(self) -> None:
        row = self.rating.currentRow()
        if not 0 <= row < len(self.ratings):
            self.lines.setText("")
            return
        rating = self.ratings[row]
        self.lines.setText(
            f"<b>{rating.branch}</b> {rating.total:g} 分（{rating.band}）<br>"
            + "<br>".join(
                f"{d.name}："
                + "；".join(
                    f"{line.name} {line.scored:g}/{line.points:g}（{line.evidence}）"
                    for line in d.lines
                )
                for d in rating.dimensions
            )
        )
