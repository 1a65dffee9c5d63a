"""Small form helpers: inline Chinese messages under fields."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

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
