"""A form that writes one desk operation: a refusal is shown in red in the form, nothing
typed is lost, and the dialog closes when the write lands. With the small inputs such
forms share (a month, an amount)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QWidget,
)

from qzdesk.ui.context import AppContext
from qzdesk.ui.forms import error_label


def month_edit(day: date) -> QDateEdit:
    edit = QDateEdit(day)
    edit.setDisplayFormat("yyyy-MM")
    edit.setCalendarPopup(True)
    return edit


def number_box(name: str, maximum: float = 10_000, suffix: str = " 元") -> QDoubleSpinBox:
    """An amount (yuan by default, or hours…) with two decimals, from 0."""
    box = QDoubleSpinBox()
    box.setObjectName(name)
    box.setRange(0, maximum)
    box.setDecimals(2)
    box.setSuffix(suffix)
    return box


class WriteDialog(QDialog):
    """A form whose 登记 writes one desk operation; the dialog closes when it lands."""

    def __init__(self, context: AppContext, title: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(title)
        self.form = QFormLayout(self)
        self.error = error_label()
        self.done_value: Any = None

    def finish(self, ok_text: str = "登记") -> None:
        self.form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        self.form.addRow(buttons)

    def submit(self) -> None:
        raise NotImplementedError

    def write(self, op: object, *args: object, **kwargs: object) -> None:
        self.error.clear()

        def landed(outcome: Any) -> None:
            self.done_value = getattr(outcome, "value", outcome)
            self.accept()

        self.context.write(
            op,  # type: ignore[arg-type]
            *args,
            on_done=landed,
            on_error=lambda error: self.error.setText(str(error)),
            **kwargs,
        )
