"""Writing the roster to .xlsx: IDs and numbers as text, frozen header, sensible widths."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from qzdesk.export.xlsx import data_cell, save_atomically
from qzdesk.services.members.columns import COLUMNS, Column
from qzdesk.services.members.validation import MONTH_FIELDS, MemberDraft, joined_text

HEADER_FILL = PatternFill("solid", fgColor="FCE4D6")


def _cell(column: Column, draft: MemberDraft, branch: str) -> object:
    if column.field == "branch":
        return branch
    if column.field == "joined_on" and draft.joined_on is None and draft.joined_year:
        return joined_text(None, draft.joined_year)  # read back as the year alone
    value = getattr(draft, column.field)
    if hasattr(value, "label"):
        return value.label
    if isinstance(value, date):
        return value.strftime("%Y-%m" if column.field in MONTH_FIELDS else "%Y-%m-%d")
    return value or None


def write_roster(
    path: Path, rows: Iterable[tuple[MemberDraft, str]], title: str = "团员名册"
) -> int:
    """Write (draft, branch name) rows atomically; returns how many were written."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width + 2

    def styled(value: object, header: bool = False) -> WriteOnlyCell:
        cell = data_cell(sheet, value)
        if header:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center")
        return cell

    sheet.append([styled(c.header, header=True) for c in COLUMNS])
    count = 0
    for draft, branch in rows:
        sheet.append([styled(_cell(c, draft, branch)) for c in COLUMNS])
        count += 1
    save_atomically(book, path)
    return count
