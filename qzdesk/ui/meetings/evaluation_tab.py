"""评议与注册: the year's 团员教育评议 of one branch (grades under the cap, approval) and
the 团籍注册 that follows it."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qzdesk.services import evaluation
from qzdesk.services.errors import ValidationError
from qzdesk.services.evaluation import EvaluationView, Grade
from qzdesk.ui.context import AppContext
from qzdesk.ui.forms import combo, date_edit, message_reporter

HEADERS = ["团员", "优秀票", "合格票", "基本合格票", "不合格票", "等次", "自我评价"]


class EvaluationTab(QWidget):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.year = date.today().year
        self.view: EvaluationView | None = None
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.branch = combo("evaluation_branch", [])
        self.branch.currentIndexChanged.connect(self.refresh)
        self.on = date_edit("evaluation_on")
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
            ("register", "为所选团员注册", self.register),
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
        if self.branch.currentData() is None:
            return
        self.context.worker.submit(
            evaluation.evaluation_of,
            self.context.store,
            self.context.profiles,
            self.branch.currentData(),
            self.year,
            on_done=self.show_view,
        )

    def show_view(self, view: EvaluationView | None) -> None:
        self.view = view
        approved = view is not None and view.approved_on is not None
        self.buttons["open"].setEnabled(view is None)
        self.buttons["propose"].setEnabled(view is not None and not approved)
        self.buttons["approve"].setEnabled(
            view is not None and view.proposed_on is not None and not approved
        )
        self.buttons["register"].setEnabled(approved)
        if view is None:
            self.summary.setText(f"{self.year} 年尚未评议。党员团员不参加评议，但仍须注册。")
            self.table.setRowCount(0)
            return
        state = f"上级团委 {view.approved_on:%Y-%m-%d} 已批准" if approved else "待批准"
        self.summary.setText(
            f"{view.held_on:%Y-%m-%d} 评议：参评 {view.expected} 人，到会 {view.present} 人；"
            f"“优秀”最多 {view.excellent_cap} 人；{state}。"
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

    def _run(self, fn: Any, *args: Any, done: str) -> None:
        self.message.setStyleSheet("")
        self.context.worker.submit(
            fn,
            *args,
            on_done=lambda _: (self.message.setText(done), self.refresh()),
            on_error=self._failed,
        )

    def open_session(self) -> None:
        present, ok = QInputDialog.getInt(self, "开始评议", "到会人数：", 0, 0, 10000)
        if ok:
            self._run(
                evaluation.open_evaluation,
                self.context.store,
                self.context.profiles,
                self.branch.currentData(),
                self.year,
                self.on.date().toPython(),
                present,
                done="评议已登记，请填写票数、等次和自我评价。",
            )

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
                self.context.store,
                self.context.profiles,
                self.view.id,
                self.proposals(),
                self.on.date().toPython(),
                done="等次已提出，报上级团委批准。",
            )

    def approve(self) -> None:
        if self.view is not None:
            self._run(
                evaluation.approve,
                self.context.store,
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
        follow_up = None
        if self.table.cellWidget(row, 5).currentData() == Grade.UNQUALIFIED.value:  # type: ignore[union-attr]
            text, ok = QInputDialog.getText(self, "暂缓注册", "复查日期（如 2026-09-01）：")
            if not ok:
                return
            try:
                follow_up = date.fromisoformat(text.strip())
            except ValueError:
                self._failed(ValidationError("复查日期请按 2026-09-01 的格式填写。"))
                return
        self._run(
            evaluation.register,
            self.context.store,
            self.context.profiles,
            entry.member_id,
            self.year,
            on,
            follow_up,
            done=f"{entry.name} 已办理 {self.year} 年团籍注册。",
        )
