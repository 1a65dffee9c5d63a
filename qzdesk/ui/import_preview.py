"""What the members' and the applicants' import previews share: rows coloured by their
verdict, and the rows with problems written back to Excel for correcting."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QFileDialog, QLabel, QTableWidget, QWidget

from qzdesk.export.rejects import write_rejects
from qzdesk.ui.context import AppContext

LEVEL_COLOURS = {
    "ok": "#e8f5e9",
    "warning": "#fff4d6",
    "error": "#fde7e7",
    "update": "#e3f2fd",
    "same": "#f2f2f2",
}


def colour_levels(table: QTableWidget, levels: Sequence[str]) -> None:
    for row, level in enumerate(levels):
        for column in range(table.columnCount()):
            table.item(row, column).setBackground(QBrush(QColor(LEVEL_COLOURS[level])))


class RejectsExport:
    """ "导出有问题的行…" for a preview dialog with `path`, `preview`, `summary`, `context`
    and `_failed`; `rejects_saved` names the file once written."""

    path: Path
    preview: Any
    summary: QLabel
    context: AppContext
    _failed: Callable[[BaseException], None]
    rejects_saved: Path | None = None

    def export_rejects(self) -> None:
        if self.preview is None:
            return
        suggested = self.path.with_name(f"{self.path.stem}-有问题的行.xlsx")
        parent = self if isinstance(self, QWidget) else None
        chosen, _ = QFileDialog.getSaveFileName(
            parent, "导出有问题的行", str(suggested), "Excel 工作簿 (*.xlsx)"
        )
        if chosen:
            self.save_rejects(Path(chosen))

    def save_rejects(self, target: Path) -> None:
        self.context.worker.submit(
            write_rejects,
            target,
            self.preview,
            on_done=self._rejects_saved,
            on_error=self._failed,
        )

    def _rejects_saved(self, saved: tuple[Path, int]) -> None:
        path, count = saved
        self.rejects_saved = path
        self.summary.setText(
            f"有问题的 {count} 行已写入 {path}：在 Excel 中按“问题说明”改正后，可再次导入该文件。"
        )
