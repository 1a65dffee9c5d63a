"""换届: each branch's committee term in force, when it ends, and recording an election
(at a 支部大会, with the secretary and committee members) or voiding a mistaken one."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from qzdesk.services.meetings import minutes, terms
from qzdesk.services.meetings.terms import BranchTerm
from qzdesk.ui.context import AppContext
from qzdesk.ui.forms import (
    FieldErrors,
    button_row,
    combo,
    confirm_buttons,
    date_edit,
    message_reporter,
)
from qzdesk.ui.tables import fill_table, make_table

HEADERS = ["团支部", "在册团员", "书记", "其他支委", "换届日期", "任期", "届满日期", "状态"]


class TermsTab(QWidget):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.rows: list[BranchTerm] = []
        layout = QVBoxLayout(self)
        layout.addLayout(
            button_row(
                (
                    ("登记换届…", self.record, "terms_record"),
                    ("作废所选支部的现任记录…", self.void, "terms_void"),
                )
            )
        )
        self.table = make_table(HEADERS, "terms_table")
        self.table.activated.connect(lambda _: self.record())
        layout.addWidget(self.table, 1)
        self.message = QLabel()
        self.message.setObjectName("terms_message")
        self.message.setWordWrap(True)
        self._failed = message_reporter(self.message, context.worker.unhandled)
        layout.addWidget(self.message)

    def show_terms(self, rows: list[BranchTerm]) -> None:
        self.rows = rows
        today = self.context.today()
        cells = []
        for r in rows:
            t = r.current
            cells.append(
                [
                    r.branch,
                    str(r.members),
                    t.secretary if t else "",
                    "、".join(t.committee) if t else "",
                    f"{t.elected_on:%Y-%m-%d}" if t else "",
                    f"{t.years} 年" if t else "",
                    f"{t.ends_on:%Y-%m-%d}" if t else "",
                    r.state(today).label,
                ]
            )
        fill_table(self.table, cells, [r.state(today).needs_election for r in rows])

    def _selected(self) -> BranchTerm | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def record(self) -> TermDialog | None:
        if not self.rows:
            return None
        selected = self._selected()
        dialog = TermDialog(self.context, self.rows, selected.branch_id if selected else None, self)
        dialog.open()
        return dialog

    def void(self) -> None:
        selected = self._selected()
        if selected is None or selected.current is None:
            QMessageBox.information(self, "换届", "请先选择一个已登记换届的团支部。")
            return
        reason, ok = QInputDialog.getText(
            self,
            "作废换届记录",
            f"作废 {selected.branch} {selected.current.elected_on:%Y-%m-%d} 的换届记录，原因：",
        )
        if ok:
            self.context.write(
                terms.void_term,
                selected.current.id,
                reason,
                on_done=lambda _: self._done("已作废，记录仍保留在历史中。"),
                on_error=self._failed,
            )

    def _done(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)


class TermDialog(QDialog):
    """登记换届: the election's date and assembly, the secretary and the other members."""

    def __init__(
        self,
        context: AppContext,
        branches: list[BranchTerm],
        branch_id: int | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("登记换届")
        self.errors = FieldErrors()
        form = QFormLayout(self)
        self.branch = combo("term_branch", [(b.branch, b.branch_id) for b in branches])
        self.branch.setCurrentIndex(max(0, self.branch.findData(branch_id)))
        self.branch.currentIndexChanged.connect(lambda _: self._load_assemblies())
        self.errors.add_row(form, "团支部", self.branch, "branch")
        self.meeting = combo("term_meeting", [])
        self.meeting.currentIndexChanged.connect(self._meeting_chosen)
        self.errors.add_row(form, "选举所在的支部大会", self.meeting, "meeting")
        self.elected_on = date_edit("term_elected_on", context.today())
        self.errors.add_row(form, "换届日期", self.elected_on, "elected_on")
        self.secretary = QLineEdit()
        self.secretary.setObjectName("term_secretary")
        self.errors.add_row(form, "书记", self.secretary, "secretary")
        self.committee = QLineEdit()
        self.committee.setObjectName("term_committee")
        self.committee.setPlaceholderText("副书记、组织委员、宣传委员等，用顿号分隔")
        self.errors.add_row(form, "其他支委", self.committee, "committee")
        form.addRow(self.errors.make_fallback())
        form.addRow(confirm_buttons("登记", self.submit, self.reject))
        self._load_assemblies()

    def _load_assemblies(self) -> None:
        self.context.read(
            minutes.assemblies,
            self.branch.currentData(),
            on_done=self._show_assemblies,
        )

    def _show_assemblies(self, rows: list[tuple[int, date, str]]) -> None:
        self.meeting.blockSignals(True)
        self.meeting.clear()
        self.meeting.addItem("（不关联会议记录）", None)
        for meeting_id, held_on, topic in rows:
            self.meeting.addItem(f"{held_on:%Y-%m-%d} {topic}", (meeting_id, held_on))
        self.meeting.blockSignals(False)

    def _meeting_chosen(self) -> None:
        chosen = self.meeting.currentData()
        if chosen is not None:
            held_on: date = chosen[1]
            self.elected_on.setDate(QDate(held_on.year, held_on.month, held_on.day))

    def submit(self) -> None:
        self.errors.clear()
        chosen = self.meeting.currentData()
        self.context.write(
            terms.record_election,
            self.branch.currentData(),
            self.elected_on.date().toPython(),
            self.secretary.text(),
            self.committee.text().split("、"),
            chosen[0] if chosen else None,
            self.context.today(),
            on_done=lambda _: self.accept(),
            on_error=self.errors.reporter(self.context.worker.unhandled),
        )
