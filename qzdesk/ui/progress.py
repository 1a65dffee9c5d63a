"""Progress from the worker thread to a dialog, with a cancel that the work checks."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget


class ProgressBridge(QObject):
    """`callback(done, total)` runs on the worker; it moves the dialog (via a queued signal)
    and answers False once the secretary pressed 取消."""

    progressed = Signal(int, int)

    def __init__(self, parent: QWidget, label: str) -> None:
        super().__init__(parent)
        self._cancelled = threading.Event()
        self.dialog = QProgressDialog(label, "取消", 0, 100, parent)
        self.dialog.setWindowTitle("请稍候")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(400)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self._cancelled.set)
        self.progressed.connect(self._show)

    def callback(self, done: int, total: int) -> bool:
        self.progressed.emit(done, total)
        return not self._cancelled.is_set()

    def _show(self, done: int, total: int) -> None:
        self.dialog.setMaximum(max(total, 1))
        self.dialog.setValue(min(done, max(total, 1)))

    def finish(self) -> None:
        self.dialog.reset()
        self.dialog.hide()
