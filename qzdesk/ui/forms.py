"""Small form helpers: inline Chinese messages under fields, and the widgets every dialog
builds the same way."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from qzdesk.services.errors import ValidationError

ERROR_STYLE = "color: #b3261e;"


class FieldErrors:
    """One hidden red label under each named field; `show` puts a ValidationError there."""

    def __init__(self) -> None:
        self._labels: dict[str, QLabel] = {}
        self.fallback: QLabel | None = None

    def add_row(self, form: QFormLayout, label: str, widget: QWidget, field: str) -> QLabel:
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        message = QLabel()
        message.setObjectName(f"error_{field}")
        message.setStyleSheet(ERROR_STYLE)
        message.setWordWrap(True)
        message.hide()
        column.addWidget(message)
        form.addRow(label, holder)
        self._labels[field] = message
        return message

    def make_fallback(self) -> QLabel:
        """The red line under a form for messages that belong to no single field."""
        self.fallback = QLabel()
        self.fallback.setWordWrap(True)
        self.fallback.setStyleSheet(ERROR_STYLE)
        return self.fallback

    def clear(self) -> None:
        for label in [*self._labels.values(), self.fallback]:
            if label is not None:
                label.clear()
                label.hide()

    def show(self, error: ValidationError) -> None:
        label = self._labels.get(error.field or "") or self.fallback
        if label is None:
            raise error
        label.setText(str(error))
        label.show()

    def text(self, field: str) -> str:
        return self._labels[field].text()

    def has(self, field: str) -> bool:
        return field in self._labels

    def reporter(
        self, unhandled: Callable[[BaseException], None]
    ) -> Callable[[BaseException], None]:
        """An `on_error` for the worker: rule violations under their field (or in the
        fallback line), anything else to the application's error handler."""

        def report(error: BaseException) -> None:
            if isinstance(error, ValidationError) and (
                self.has(error.field or "") or self.fallback is not None
            ):
                self.show(error)
            else:
                unhandled(error)

        return report


def combo(object_name: str, items: list[tuple[str, object]]) -> QComboBox:
    """A combo box of (label, value) items."""
    box = QComboBox()
    box.setObjectName(object_name)
    for label, value in items:
        box.addItem(label, value)
    return box


def year_box(object_name: str, today: date) -> QSpinBox:
    """A year, starting at the desk's."""
    box = QSpinBox()
    box.setObjectName(object_name)
    box.setRange(2000, 2100)
    box.setValue(today.year)
    return box


def date_edit(object_name: str, today: date, not_after_today: bool = True) -> QDateEdit:
    """A day, starting at `today`: the desk's day (Beijing), never the machine's own
    date, which is a day behind for eight hours of every day outside China's zone."""
    edit = QDateEdit(QDate(today.year, today.month, today.day))
    edit.setObjectName(object_name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    if not_after_today:
        edit.setMaximumDate(QDate(today.year, today.month, today.day))
    return edit


def confirm_buttons(
    ok_text: str, accepted: Callable[[], None], rejected: Callable[[], None]
) -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    buttons.accepted.connect(accepted)
    buttons.rejected.connect(rejected)
    return buttons


def error_label(name: str = "error") -> QLabel:
    """Where a dialog says, in red, why it cannot go on."""
    label = QLabel()
    label.setObjectName(name)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    return label


def message_reporter(
    label: QLabel, unhandled: Callable[[BaseException], None]
) -> Callable[[BaseException], None]:
    """An `on_error` for tabs with one message line: rule violations shown there in red,
    anything else to the application's error handler. (Success messages reset the style.)"""

    def report(error: BaseException) -> None:
        if not isinstance(error, ValidationError):
            unhandled(error)
            return
        label.setStyleSheet(ERROR_STYLE)
        label.setText(str(error))

    return report


def pick_evidence(parent: QWidget) -> Path | None:
    """Ask for a scan or photo to attach (the service checks its content and size)."""
    path, _ = QFileDialog.getOpenFileName(
        parent, "选择证明材料", "", "PDF 或图片 (*.pdf *.jpg *.jpeg *.png)"
    )
    return Path(path) if path else None


def button_row(buttons: Iterable[tuple[str, Callable[[], object], str]]) -> QHBoxLayout:
    """A left-aligned row of push buttons from (text, slot, object name)."""
    row = QHBoxLayout()
    for text, slot, name in buttons:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(slot)
        row.addWidget(button)
    row.addStretch(1)
    return row


def ask_date(
    parent: QWidget, title: str, label: str, first: date, last: date, start: date | None = None
) -> date | None:
    """A date between `first` and `last` (starting at `start`, else `first`), or None if
    cancelled."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    form = QFormLayout(dialog)
    edit = date_edit("ask_date", first, not_after_today=False)
    edit.setDateRange(QDate(first), QDate(last))
    edit.setDate(QDate(start or first))
    form.addRow(label, edit)
    form.addRow(confirm_buttons("确定", dialog.accept, dialog.reject))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return edit.date().toPython()
