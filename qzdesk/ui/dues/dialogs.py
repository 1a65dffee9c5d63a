"""The 团费 page's forms: each is written as one desk operation; a refusal is shown in red
in the form and nothing typed is lost."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
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


def yuan_box(name: str, maximum: float = 10_000, suffix: str = " 元") -> QDoubleSpinBox:
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


class MemberDialog(WriteDialog):
    """A form about one member, chosen from a list that can be typed in to find them."""

    def __init__(
        self, context: AppContext, members: list[tuple[int, str]], title: str, parent: QWidget
    ) -> None:
        super().__init__(context, title, parent)
        self.member = QComboBox()
        self.member.setObjectName("dues_member")
        self.member.setEditable(True)  # type a name to find it
        for member_id, label in members:
            self.member.addItem(label, member_id)
        self.form.addRow("团员：", self.member)
