"""评议与注册: the year's 团员教育评议 of one branch (grades under the cap, approval) and
the 团籍注册 that follows it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qzdesk.services.changes import Outcome
from qzdesk.services.context import Context
from qzdesk.services.errors import ValidationError
from qzdesk.services.meetings import evaluation
from qzdesk.services.meetings.evaluation import EvaluationRow, EvaluationView, Grade, RollEntry
from qzdesk.ui.context import AppContext
from qzdesk.ui.forms import ask_date, combo, date_edit, message_reporter
from qzdesk.ui.meetings.evaluation_open import EvaluationOpenDialog

HEADERS = ["团员", "优秀票", "合格票", "基本合格票", "不合格票", "等次", "自我评价", "注册"]


class EvaluationTab(QWidget):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.year = self.context.today().year
        self.view: EvaluationView | None = None
        self.roll: list[RollEntry] = []
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.branch = combo("evaluation_branch", [])
        self.branch.currentIndexChanged.connect(self.refresh)
        self.on = date_edit("evaluation_on", context.today())
        row.addWidget(self.branch)
        row.addWidget(QLabel("日期"))
        row.addWidget(self.on)
        row.addStretch(1)
        layout.addLayout(row)
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (
            ("open", "开始评议…", self.open_session),
            ("propose", "支委会提出等次", self.propose),
            ("approve", "上级团委批准", self.approve),
            ("register_all", "统一注册", self.register_all),
            ("register", "为所选团员注册…", self.register),
        ):
            button = QPushButton(text)
            button.setObjectName(f"evaluation_{key}")
            button.clicked.connect(slot)
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.summary = QLabel()
        self.summary.setObjectName("evaluation_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("evaluation_table")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(6, 260)
        layout.addWidget(self.table, 1)
        self.message = QLabel()
        self.message.setObjectName("evaluation_message")
        self.message.setWordWrap(True)
        self._failed = message_reporter(self.message, context.worker.unhandled)
        layout.addWidget(self.message)

    def set_year(self, year: int, branches: list[tuple[int, str]]) -> None:
        self.year = year
        current = self.branch.currentData()
        self.branch.blockSignals(True)
        self.branch.clear()
        for branch_id, name in branches:
            self.branch.addItem(name, branch_id)
        self.branch.setCurrentIndex(max(0, self.branch.findData(current)))
        self.branch.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        branch_id = self.branch.currentData()
        if branch_id is None:
            return
        year = self.year

        def load(ctx: Context) -> tuple[EvaluationView | None, list[RollEntry]]:
            return (
                evaluation.evaluation_of(ctx, branch_id, year),
                evaluation.registration_roll(ctx, branch_id, year),
            )

        self.context.read(load, on_done=lambda found: self.show_view(*found))

    def show_view(self, view: EvaluationView | None, roll: list[RollEntry]) -> None:
        self.view, self.roll = view, roll
        by_member = {r.member_id: r for r in roll}
        party = [r for r in roll if r.party]
        registered = sum(1 for r in roll if r.status is not None)
        party_text = (
            f"党员团员 {len(party)} 人不参加评议，但仍须注册。" if party else ""
        ) + f"本年已办理注册 {registered}/{len(roll)} 人。"
        approved = view is not None and view.approved_on is not None
        self.buttons["open"].setEnabled(view is None)
        self.buttons["propose"].setEnabled(view is not None and not approved)
        self.buttons["approve"].setEnabled(
            view is not None and view.proposed_on is not None and not approved
        )
        self.buttons["register"].setEnabled(approved)
        self.buttons["register_all"].setEnabled(approved and registered < len(roll))
        self.table.setRowCount(0)  # drops the grade boxes of the branch shown before
        if view is None:
            self.summary.setText(f"{self.year} 年尚未评议。{party_text}")
            # The branch's members, to see who is to be evaluated and registered.
            self.table.setRowCount(len(roll))
            for r, member in enumerate(roll):
                for c, text in (
                    (0, member.name),
                    (5, "党员，不参加评议" if member.party else ""),
                    (7, member.status_text),
                ):
                    cell = QTableWidgetItem(text)
                    cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    self.table.setItem(r, c, cell)
            return
        state = f"上级团委 {view.approved_on:%Y-%m-%d} 已批准" if approved else "待批准"
        self.summary.setText(
            f"{view.held_on:%Y-%m-%d} 评议：参评 {view.expected} 人，到会 {view.present} 人；"
            f"“优秀”最多 {view.excellent_cap} 人；{state}。{party_text}"
        )
        self.table.setRowCount(len(view.rows))
        for r, entry in enumerate(view.rows):
            self.table.setItem(r, 0, QTableWidgetItem(entry.name))
            for c, votes in enumerate(entry.votes, start=1):
                self.table.setItem(r, c, QTableWidgetItem(str(votes)))
            grade = combo(f"grade_{entry.member_id}", [(g.label, g.value) for g in Grade])
            grade.setCurrentIndex(grade.findData((entry.grade or Grade.QUALIFIED).value))
            grade.setEnabled(not approved)
            self.table.setCellWidget(r, 5, grade)
            self.table.setItem(r, 6, QTableWidgetItem(entry.self_assessment or ""))
            found = by_member.get(entry.member_id)
            status = QTableWidgetItem(found.status_text if found else "")
            status.setFlags(status.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(r, 7, status)

    def _run(self, fn: Any, *args: Any, done: str | Callable[[Any], str]) -> None:
        self.message.setStyleSheet("")
        self.context.write(
            fn,
            *args,
            on_done=lambda outcome: self._done(done if isinstance(done, str) else done(outcome)),
            on_error=self._failed,
        )

    def open_session(self) -> EvaluationOpenDialog | None:
        if self.branch.currentData() is None:
            return None
        dialog = EvaluationOpenDialog(
            self.context,
            self.branch.currentData(),
            self.branch.currentText(),
            self.year,
            self.on.date().toPython(),
            self,
        )
        dialog.accepted.connect(
            lambda: self._done("评议已登记，请填写票数、等次和自我评价，再由支委会提出等次。")
        )
        dialog.open()
        return dialog

    def _done(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)
        self.refresh()

    def register_all(self) -> None:
        self._run(
            evaluation.register_branch,
            self.branch.currentData(),
            self.year,
            self.on.date().toPython(),
            done=self._registered,
        )

    @staticmethod
    def _registered(outcome: Outcome[tuple[int, list[str]]]) -> str:
        count, left = outcome.value
        text = f"已为 {count} 名团员办理注册。"
        if left:
            text += f"{'、'.join(left)} 评议为“不合格”，请选中后逐一办理暂缓注册。"
        return text

    def proposals(self) -> dict[int, tuple[Grade, tuple[int, int, int, int], str]]:
        assert self.view is not None
        found = {}
        for r, entry in enumerate(self.view.rows):
            votes = []
            for c in range(1, 5):
                text = self.table.item(r, c).text().strip() if self.table.item(r, c) else "0"
                votes.append(int(text) if text.isdigit() else -1)
            grade = Grade(self.table.cellWidget(r, 5).currentData())  # type: ignore[union-attr]
            note = self.table.item(r, 6).text() if self.table.item(r, 6) else ""
            found[entry.member_id] = (grade, (votes[0], votes[1], votes[2], votes[3]), note)
        return found

    def propose(self) -> None:
        if self.view is not None:
            self._run(
                evaluation.propose_grades,
                self.view.id,
                self.proposals(),
                self.on.date().toPython(),
                done="等次已提出，报上级团委批准。",
            )

    def approve(self) -> None:
        if self.view is not None:
            self._run(
                evaluation.approve,
                self.view.id,
                self.on.date().toPython(),
                done="已登记上级团委批准日期。",
            )

    def register(self) -> None:
        row = self.table.currentRow()
        if self.view is None or not 0 <= row < len(self.view.rows):
            self._failed(ValidationError("请先在表中选择一名团员。"))
            return
        entry = self.view.rows[row]
        on = self.on.date().toPython()
        if entry.grade is not Grade.UNQUALIFIED:
            self._register(entry, on, None)
            return
        self.context.read(
            evaluation.deferral_window,
            on,
            on_done=lambda window: self._defer(entry, on, *window),
        )

    def _defer(self, entry: EvaluationRow, on: date, first: date, last: date) -> None:
        follow_up = ask_date(
            self, "暂缓注册", f"{entry.name} 评议为“不合格”，复查日期：", first, last
        )
        if follow_up is not None:
            self._register(entry, on, follow_up)

    def _register(self, entry: EvaluationRow, on: date, follow_up: date | None) -> None:
        self._run(
            evaluation.register,
            entry.member_id,
            self.year,
            on,
            follow_up,
            done=lambda outcome: (
                f"{entry.name} 已办理 {self.year} 年团籍注册。"
                if outcome.value == "registered"
                else f"{entry.name} {self.year} 年暂缓注册，{follow_up:%Y-%m-%d} 复查。"
            ),
        )
