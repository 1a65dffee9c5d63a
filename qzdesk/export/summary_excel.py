"""The 汇总表 to .xlsx, for the committee's own reports."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from qzdesk.export.xlsx import data_cell, save_atomically
from qzdesk.services.receiving.summary import SummaryRow

HEADER_FILL = PatternFill("solid", fgColor="FCE4D6")


def write_summary(path: Path, period: str, rows: list[SummaryRow]) -> Path:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"汇总表 {period}")
    sheet.freeze_panes = "B2"
    for index, header in enumerate(SummaryRow.HEADERS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, len(header) * 2 + 2)
    header = []
    for title in SummaryRow.HEADERS:
        cell = data_cell(sheet, title)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append(
            [data_cell(sheet, value, text_format=isinstance(value, str)) for value in row.cells()]
        )
    return save_atomically(book, path)
