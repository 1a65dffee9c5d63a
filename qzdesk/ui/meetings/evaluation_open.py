"""开始评议: the evaluation's date and attendance, with the profile's quorum (more than two
thirds) shown as the secretary counts those present."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QSpinBox, QWidget

from qzdesk.services.changes import Outcome
from qzdesk.services.meetings import evaluation
from qzdesk.ui.context import AppContext
from qzdesk.ui.forms import ERROR_STYLE, FieldErrors, confirm_buttons, date_edit


class EvaluationOpenDialog(QDialog):
    def __init__(
        self,
        context: AppContext,
        branch_id: int,
        branch: str,
        year: int,
        held_on: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.branch_id, self.year = branch_id, year
        self.expected, self.quorum = 0, 1.0
        self.evaluation_id: int | None = None
        self.setWindowTitle(f"开始评议：{branch} {year} 年")
        self.setMinimumWidth(420)
        self.errors = FieldErrors()
        form = QFormLayout(self)
        self.held_on = date_edit("evaluation_held_on", context.today())
        self.held_on.setDate(QDate(held_on.year, held_on.month, held_on.day))
        self.errors.add_row(form, "评议日期", self.held_on, "held_on")
        self.present = QSpinBox()
        self.present.setObjectName("evaluation_present")
        self.present.valueChanged.connect(self._show_quorum)
        self.errors.add_row(form, "到会人数", self.present, "present")
        self.state = QLabel()
        self.state.setObjectName("evaluation_quorum")
        self.state.setWordWrap(True)
        form.addRow(self.state)
        form.addRow(self.errors.make_fallback())
        form.addRow(confirm_buttons("开始评议", self.submit, self.reject))
        context.read(
            evaluation.evaluation_roll,
            branch_id,
            on_done=self._roll,
        )

    def _roll(self, roll: tuple[int, float]) -> None:
        self.expected, self.quorum = roll
        self.present.setRange(0, self.expected)
        self.present.setValue(self.expected)
        self._show_quorum()

    def _show_quorum(self) -> None:
        present = self.present.value()
        text = f"参评 {self.expected} 人（党员团员不参加评议），到会 {present} 人"
        if present > self.expected * self.quorum:
            self.state.setStyleSheet("")
            self.state.setText(f"{text}，已超过 {self.quorum:.0%}，可以评议。")
        else:
            self.state.setStyleSheet(ERROR_STYLE)
            self.state.setText(f"{text}，未超过 {self.quorum:.0%}：评议不能进行。")

    def submit(self) -> None:
        self.errors.clear()
        self.context.write(
            evaluation.open_evaluation,
            self.branch_id,
            self.year,
            self.held_on.date().toPython(),
            self.present.value(),
            on_done=self._opened,
            on_error=self.errors.reporter(self.context.worker.unhandled),
        )

    def _opened(self, outcome: Outcome[int]) -> None:
        self.evaluation_id = outcome.value
        self.accept()
