"""What the members' and the applicants' import previews share: rows coloured by their
verdict, the rows with problems written back to Excel for correcting, and the 列对应 table
where a column is read as another field by hand."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QFileDialog,
    QLabel,
    QTableWidget,
    QWidget,
)

from qzdesk.export.rejects import write_rejects
from qzdesk.services.members.columns import Column
from qzdesk.ui.context import AppContext
from qzdesk.ui.tables import fill_table, make_table

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


class ColumnMapping:
    """列对应 for a preview dialog with `preview` (its `titles`, `mapping`, `mapped_to`) and
    `run_preview`: each header with what it is read as; choosing another checks the file
    again, and the choice is remembered for files with the same headers once imported."""

    preview: Any
    run_preview: Callable[[], None]
    mapping: dict[str, str] | None = None  # None: as remembered for these headers
    columns: QTableWidget

    def add_column_table(self, layout: QBoxLayout) -> None:
        layout.addWidget(QLabel("列对应（认错或没认出的列，可在此指定读作哪一项）："))
        self.columns = make_table(["文件中的列", "读作"], "column_map", widths=[260, 260])
        self.columns.setMaximumHeight(150)
        layout.addWidget(self.columns)

    def show_columns(self, fields: tuple[Column, ...]) -> None:
        preview = self.preview
        titles = [t for t in preview.titles if t]
        fill_table(self.columns, [[t, ""] for t in titles])
        for row, title in enumerate(titles):
            chooser = QComboBox()
            chooser.setObjectName(f"map_{row}")
            chooser.addItem("不读取（忽略）", "")
            for column in fields:
                chooser.addItem(column.header, column.field)
            chooser.setCurrentIndex(max(chooser.findData(preview.mapped_to(title) or ""), 0))
            chooser.currentIndexChanged.connect(
                lambda _i, t=title, c=chooser: self.map_column(t, c.currentData())
            )
            self.columns.setCellWidget(row, 1, chooser)

    def map_column(self, title: str, field: str) -> None:
        """Read the column `title` as `field` ("" to ignore it), and check the file again."""
        base = self.preview.mapping if self.preview is not None else {}
        self.mapping = {**base, **(self.mapping or {}), title: field}
        self.run_preview()
