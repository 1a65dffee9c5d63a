"""Writing .xlsx cells that stay data: nothing a roster holds is ever written as a formula
(a name typed as =HYPERLINK(…) would send an ID number out when clicked), and the file
appears under its name whole or not at all. (openpyxl spools a write-only sheet's rows to a
temporary file until it is saved: see files.spool_in for where.)"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from qzdesk.services import crashpoints
from qzdesk.services.files import write_atomically


def data_cell(sheet: WriteOnlyWorksheet, value: object, text_format: bool = True) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if cell.data_type == "f":  # openpyxl reads a leading "=" as a formula: keep it text
        cell.data_type = "s"
    if text_format:
        # Text format ("@") so Excel keeps 18-digit IDs and leading zeros as typed.
        cell.number_format = "@"
    return cell


def save_atomically(book: Workbook, path: Path) -> Path:
    path = path.with_suffix(".xlsx") if path.suffix.lower() != ".xlsx" else path
    crashpoints.reached("export-spooled")
    buffer = BytesIO()
    book.save(buffer)
    write_atomically(path, buffer.getvalue())
    return path
