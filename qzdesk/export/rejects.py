"""The rows an import rejected or warned about, back to Excel: each sheet as it was read
(its header, its cells), a 问题说明 column, and the cell at fault filled, so the secretary
corrects them in Excel and imports that file again."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Protocol

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter

from qzdesk.export.xlsx import data_cell, save_atomically
from qzdesk.services.members.layout import PROBLEM_HEADER, Layout
from qzdesk.services.members.spreadsheet import Cell

ERROR_FILL = PatternFill("solid", fgColor="F4B6B6")
WARNING_FILL = PatternFill("solid", fgColor="FFF2B3")
HEADER_FILL = PatternFill("solid", fgColor="FCE4D6")
AT_COLUMN = re.compile(r"^([A-Z]{1,3}) 列（")


class ReadRow(Protocol):
    """A row as the file had it (members' and applicants' imports both read these)."""

    sheet: str
    layout: Layout
    cells: list[Cell]


class Verdict(Protocol):
    errors: list[str]
    warnings: list[str]

    @property
    def level(self) -> str: ...


class Preview(Protocol):
    @property
    def parsed(self) -> Sequence[ReadRow]: ...

    @property
    def rows(self) -> Sequence[Verdict]: ...

    @property
    def sheet(self) -> str: ...


def _columns_at_fault(messages: list[str]) -> dict[int, str]:
    """0-based column index → the messages that name it ("F 列（出生日期）：…")."""
    found: dict[int, str] = {}
    for message in messages:
        match = AT_COLUMN.match(message)
        if match:
            index = column_index_from_string(match[1]) - 1
            found[index] = "；".join(filter(None, [found.get(index), message]))
    return found


def write_rejects(path: Path, preview: Preview) -> tuple[Path, int]:
    """Write the rejected and warned rows; returns the file written and how many rows."""
    book = Workbook(write_only=True)
    chosen = [
        (parsed, result)
        for parsed, result in zip(preview.parsed, preview.rows, strict=True)
        if result.level in ("error", "warning")
    ]
    by_sheet: dict[str, list[tuple[ReadRow, Verdict]]] = {}
    for parsed, result in chosen:
        by_sheet.setdefault(parsed.sheet, []).append((parsed, result))
    for name, rows in by_sheet.items():
        layout = rows[0][0].layout
        width = max(len(layout.titles), *(len(p.cells) for p, _ in rows))
        sheet = book.create_sheet(name)
        sheet.freeze_panes = "A2"
        for index in range(width + 1):
            sheet.column_dimensions[get_column_letter(index + 1)].width = 16
        sheet.column_dimensions[get_column_letter(width + 1)].width = 60
        titles = [*layout.titles, *[""] * (width - len(layout.titles)), PROBLEM_HEADER]
        header = []
        for title in titles:
            cell = data_cell(sheet, title or None)
            cell.font, cell.fill = Font(bold=True), HEADER_FILL
            header.append(cell)
        sheet.append(header)
        for parsed, result in rows:
            sheet.append(_row(sheet, parsed, result, width))
    if not by_sheet:
        book.create_sheet(preview.sheet).append([PROBLEM_HEADER])
    return save_atomically(book, path), len(chosen)


def _row(sheet: object, parsed: ReadRow, result: Verdict, width: int) -> list[WriteOnlyCell]:
    messages = result.errors or result.warnings
    fill = ERROR_FILL if result.errors else WARNING_FILL
    at_fault = _columns_at_fault(messages)
    cells = []
    for index in range(width):
        value = parsed.cells[index] if index < len(parsed.cells) else None
        if isinstance(value, date):  # a date cell stays a date cell (年月 headers rely on it)
            cell = data_cell(sheet, value, text_format=False)  # type: ignore[arg-type]
            cell.number_format = "yyyy-mm-dd"
        else:
            cell = data_cell(sheet, value)  # type: ignore[arg-type]
        if index in at_fault:
            cell.fill = fill
            cell.comment = Comment(at_fault[index], "qzdesk")
        cells.append(cell)
    cells.append(data_cell(sheet, "；".join(messages)))  # type: ignore[arg-type]
    return cells
