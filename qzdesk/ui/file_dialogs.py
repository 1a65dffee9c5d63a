"""Qt's own file dialog (what Linux desktops without a platform theme get) in Chinese where
Qt's shipped translation leaves it English ("Look in:", "Files of type:")."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QFileDialog

LABELS = {
    QFileDialog.DialogLabel.LookIn: "查找范围：",
    QFileDialog.DialogLabel.FileType: "文件类型：",
}


class FileDialogLabels(QObject):
    """An application-wide event filter: every file dialog is given the labels as it opens,
    the static QFileDialog.get…() ones included."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Show and isinstance(watched, QFileDialog):
            for label, text in LABELS.items():
                watched.setLabelText(label, text)
        return False
