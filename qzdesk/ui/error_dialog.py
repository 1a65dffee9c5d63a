"""What the secretary sees when something unexpected happens."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qzdesk import __version__
from qzdesk.services import clock
from qzdesk.services.errors import QzdeskError
from qzdesk.services.storage.integrity import is_damage
from qzdesk.ui.screen import fit

log = logging.getLogger(__name__)


def error_report(error: BaseException) -> str:
    import platform  # only needed when something went wrong; keeps start-up lean

    lines = [
        f"qzdesk {__version__}",
        f"时间：{clock.now().isoformat(timespec='seconds')}",
        f"Python {platform.python_version()}，PySide6 {pyside_version}，{platform.platform()}",
        "",
        *traceback.format_exception(type(error), error, error.__traceback__),
    ]
    return "\n".join(line.rstrip("\n") for line in lines)


class ErrorDialog(QDialog):
    def __init__(self, error: BaseException, log_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("qzdesk 遇到意外错误")
        self.report = error_report(error)
        layout = QVBoxLayout(self)
        if is_damage(error):
            # Never "your data is safe" for a file SQLite finds damaged.
            state = (
                "<b>数据文件已损坏，读不出其中的部分记录。</b><br>"
                "请不要继续录入：在“文件”菜单选“从备份恢复…”，选择最近的备份"
                "（当前文件会先留存）。<br>"
            )
        else:
            state = (
                f"<b>操作没有完成：{type(error).__name__}: {str(error)[:200]}</b><br>"
                "您的数据是安全的：未完成的操作已整体撤回，不会留下写了一半的记录。<br>"
            )
        summary = QLabel(
            state + f"详细日志在：{log_path}<br>如需帮助，请点“复制报告”，把报告发给技术支持。"
        )
        summary.setObjectName("summary")
        summary.setWordWrap(True)
        summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(summary)
        self.details = QPlainTextEdit(self.report)
        self.details.setReadOnly(True)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("复制报告")
        self.copy_button.clicked.connect(self.copy_report)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        open_logs = QPushButton("打开日志文件夹")
        open_logs.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_path.parent)))
        )
        buttons.addButton(open_logs, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit(self, 640, 420)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report)
        self.copy_button.setText("已复制")


class ErrorHandler:
    """Shows expected errors as a plain message and unexpected ones with a report."""

    def __init__(self, log_path: Path) -> None:
        self.log_path = log_path
        self.parent: QWidget | None = None

    def __call__(self, error: BaseException) -> None:
        if isinstance(error, QzdeskError):
            QMessageBox.warning(self.parent, "无法完成", str(error))
            return
        log.error("unexpected error", exc_info=(type(error), error, error.__traceback__))
        ErrorDialog(error, self.log_path, self.parent).exec()

    def excepthook(
        self, kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> None:
        if QApplication.instance() is None or issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        self(error.with_traceback(tb))
