"""落实情况: per branch and kind, the meetings signed off in each month, coloured by
whether the month or quarter the profile asks one for was met, with the year's totals;
below, the 对标定级 self-rating the records support, line by line for the chosen branch."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qzdesk.services.meetings.compliance import ComplianceCell, WindowState
from qzdesk.services.meetings.rating import BranchRating, VetoRow, record_veto, vetoes, void_veto
from qzdesk.services.organisation.rules import RatingScheme
from qzdesk.ui.context import AppContext
from qzdesk.ui.forms import ERROR_STYLE, FieldErrors, confirm_buttons, date_edit
from qzdesk.ui.tables import fill_table, make_table

STATE_COLOURS = {
    WindowState.MET: QColor("#dcefdc"),
    WindowState.MISSED: QColor("#f6d5d3"),
    WindowState.OPEN: QColor("#fff4d6"),
}
HEADERS = [*ComplianceCell.HEADERS[:2], *ComplianceCell.MONTHS, *ComplianceCell.HEADERS[2:]]


class ComplianceTab(QWidget):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.scheme: RatingScheme | None = None
        self.year = self.context.today().year
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
        title_row = QHBoxLayout()
        self.rating_title = QLabel()
        self.rating_title.setWordWrap(True)
        title_row.addWidget(self.rating_title, 1)
        self.veto_button = QPushButton("一票否决事项…")
        self.veto_button.setObjectName("veto")
        self.veto_button.setToolTip(
            "记入规则配置所列的一票否决事项：该团支部本年度定级即为软弱涣散"
        )
        self.veto_button.clicked.connect(self.note_veto)
        title_row.addWidget(self.veto_button)
        column.addLayout(title_row)
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

    def show_ratings(
        self, scheme: RatingScheme | None, ratings: list[BranchRating], year: int
    ) -> None:
        self.ratings, self.scheme, self.year = ratings, scheme, year
        self.veto_button.setEnabled(bool(scheme and scheme.vetoes and ratings))
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
        veto = (
            f"<br><b>一票否决</b>：{'；'.join(rating.vetoes)}（不论得分）" if rating.vetoes else ""
        )
        self.lines.setText(
            f"<b>{rating.branch}</b> {rating.total:g} 分（{rating.band}）{veto}<br>"
            + "<br>".join(
                f"{d.name}："
                + "；".join(
                    f"{line.name} {line.scored:g}/{line.points:g}（{line.evidence}）"
                    for line in d.lines
                )
                for d in rating.dimensions
            )
        )

    def note_veto(self) -> None:
        if self.scheme is None or not self.ratings:
            return
        row = max(0, self.rating.currentRow())
        VetoDialog(self.context, self.scheme, self.ratings, row, self.year, self).exec()


class VetoDialog(QDialog):
    """One 一票否决 item noted against a branch for the year, with the facts."""

    def __init__(
        self,
        context: AppContext,
        scheme: RatingScheme,
        ratings: list[BranchRating],
        row: int,
        year: int,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.context, self.year = context, year
        self.setWindowTitle(f"{year} 年一票否决事项")
        form = QFormLayout(self)
        self.errors = FieldErrors()
        self.branch = QComboBox()
        self.branch.setObjectName("branch")
        for one in ratings:
            self.branch.addItem(one.branch, one.branch_id)
        self.branch.setCurrentIndex(row)
        form.addRow("团支部：", self.branch)
        self.item = QComboBox()
        self.item.setObjectName("item")
        for veto in scheme.vetoes:
            self.item.addItem(veto.name, veto.key)
        self.errors.add_row(form, "事项：", self.item, "item")
        self.on = date_edit("noted_on", context.today())
        self.errors.add_row(form, "日期：", self.on, "noted_on")
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText("事实和依据，如：区团委通报（秦团通〔2026〕5号）")
        self.errors.add_row(form, "依据：", self.reason, "reason")
        note = QLabel(
            "记入后该团支部本年度定级为“软弱涣散”。记错了：在下表中选中，作废（记录保留）。"
        )
        note.setWordWrap(True)
        form.addRow(note)
        self.noted = make_table(["团支部", "事项", "日期", "依据", "状态"], "vetoes")
        self.noted.setMinimumHeight(120)
        form.addRow(self.noted)
        self.void_button = QPushButton("作废所选…")
        self.void_button.setObjectName("void")
        self.void_button.clicked.connect(self.void)
        form.addRow(self.void_button)
        self.rows: list[VetoRow] = []
        self.names = {one.branch_id: one.branch for one in ratings}
        self.errors.fallback = QLabel()
        self.errors.fallback.setStyleSheet(ERROR_STYLE)
        form.addRow(self.errors.fallback)
        form.addRow(confirm_buttons("记入", self.submit, self.reject))
        self._failed = self.errors.reporter(context.worker.unhandled)
        self.load()

    def load(self) -> None:
        self.context.read(vetoes, self.year, on_done=self._show)

    def _show(self, rows: list[VetoRow]) -> None:
        self.rows = rows
        fill_table(
            self.noted,
            [
                [
                    self.names.get(r.branch_id, ""),
                    r.item,
                    r.noted_on.isoformat(),
                    r.reason,
                    f"已作废：{r.void_reason}" if r.void_reason else "有效",
                ]
                for r in rows
            ],
        )

    def void(self) -> None:
        row = self.noted.currentRow()
        if not 0 <= row < len(self.rows) or self.rows[row].void_reason:
            return
        reason, ok = QInputDialog.getText(self, "作废", "作废原因（记录保留）：")
        if ok:
            self.context.write(
                void_veto,
                self.rows[row].id,
                reason,
                on_done=lambda _: self.load(),
                on_error=self._failed,
            )

    def submit(self) -> None:
        self.errors.clear()
        self.context.write(
            record_veto,
            self.branch.currentData(),
            self.year,
            self.item.currentData(),
            self.on.date().toPython(),
            self.reason.text(),
            on_done=lambda _: self.accept(),
            on_error=self._failed,
        )
