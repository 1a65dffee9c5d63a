"""Filling read-only tables from plain rows."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

HIGHLIGHT = QColor("#fff4d6")


def make_table(
    headers: Sequence[str], object_name: str, widths: Sequence[int] | None = None
) -> QTableWidget:
    """A read-only table; with `widths`, columns start at those widths and long text wraps."""
    table = QTableWidget(0, len(headers))
    table.setObjectName(object_name)
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    if widths is None:
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    else:
        for column, width in enumerate(widths):
            table.setColumnWidth(column, width)
        table.setWordWrap(True)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.setProperty("rows_fit", True)
    table.setAlternatingRowColors(True)
    return table


@contextmanager
def filling(table: QTableWidget) -> Iterator[None]:
    """Many cells set at once: the rows and columns that fit their contents are measured
    once at the end, not after every cell (2,000 rows: a fifth of a second, not minutes)."""
    vertical, horizontal = table.verticalHeader(), table.horizontalHeader()
    if table.property("rows_fit"):
        rows = QHeaderView.ResizeMode.ResizeToContents
    elif vertical.count():
        rows = vertical.sectionResizeMode(0)
    else:
        rows = QHeaderView.ResizeMode.Interactive
    columns = [horizontal.sectionResizeMode(c) for c in range(horizontal.count())]
    table.setUpdatesEnabled(False)
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    horizontal.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    try:
        yield
    finally:
        for column, mode in enumerate(columns):
            horizontal.setSectionResizeMode(column, mode)
        vertical.setSectionResizeMode(rows)
        table.setUpdatesEnabled(True)


def fill_table(
    table: QTableWidget,
    rows: Sequence[Sequence[str]],
    highlighted: Sequence[bool] | None = None,
    tooltips: Sequence[str] | None = None,
) -> None:
    with filling(table):
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if highlighted and highlighted[r]:
                    item.setBackground(QBrush(HIGHLIGHT))
                if tooltips and tooltips[r]:
                    item.setToolTip(tooltips[r])
                table.setItem(r, c, item)


class _SortItem(QTableWidgetItem):
    """Sorts figures as numbers ("9" before "10", "92%" as 92), empty ones last."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        return _sort_key(self.text()) < _sort_key(other.text())


def _sort_key(text: str) -> tuple[int, float, str]:
    bare = text.strip().removesuffix("%")
    try:
        return (0, float(bare), "")
    except ValueError:
        return (2, 0.0, "") if text.strip() in ("", "—") else (1, 0.0, text)


def fill_sortable(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    """Rows in the order given (the service's: best first, by name); the secretary can
    then sort by any column, figures as numbers."""
    table.setSortingEnabled(False)
    with filling(table):
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.setItem(r, c, _SortItem(text))
    table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    table.setSortingEnabled(True)
