"""The committee's tables to .xlsx for its own reports: the 汇总表, the 互查互评互比 and the
团干部 list with its analysis."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from qzdesk.export.xlsx import data_cell, save_atomically
from qzdesk.services.receiving.cadres import Cadre, CadreProfile
from qzdesk.services.receiving.comparison import MEASURES, Comparison
from qzdesk.services.receiving.summary import SummaryRow

HEADER_FILL = PatternFill("solid", fgColor="FCE4D6")


def _sheet(
    book: Workbook, title: str, headers: Sequence[str], rows: Iterable[Sequence[object]]
) -> WriteOnlyWorksheet:
    sheet = book.create_sheet(title)
    sheet.freeze_panes = "B2"
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, len(header) * 2 + 2)
    header_cells = []
    for title_text in headers:
        cell = data_cell(sheet, title_text)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([data_cell(sheet, value, text_format=isinstance(value, str)) for value in row])
    return sheet


def write_summary(path: Path, period: str, rows: list[SummaryRow]) -> Path:
    book = Workbook(write_only=True)
    _sheet(book, f"汇总表 {period}", SummaryRow.HEADERS, (row.cells() for row in rows))
    return save_atomically(book, path)


def write_comparison(path: Path, compared: Comparison) -> Path:
    """Measures with their ranks, then the month × organisation grid of meetings held."""
    book = Workbook(write_only=True)
    headers = ["组织"] + [h for m in MEASURES for h in (m.label, "名次")]
    _sheet(
        book,
        f"互查互评互比 {compared.period}",
        headers,
        (
            [c.org_name] + [v for m in MEASURES for v in (c.text(m.key), c.ranks[m.key] or "—")]
            for c in compared.compared
        ),
    )
    grid = compared.grid
    _sheet(
        book,
        "每月组织生活",
        ["组织", *grid.months, "合计"],
        ([name, *counts, sum(counts)] for name, counts in grid.rows),
    )
    return save_atomically(book, path)


def write_cadres(path: Path, period: str, found: list[Cadre], analysis: CadreProfile) -> Path:
    book = Workbook(write_only=True)
    _sheet(book, f"团干部 {period}", Cadre.HEADERS, (c.cells() for c in found))
    parts = (
        ("年龄结构", analysis.ages),
        ("性别", analysis.genders),
        ("学历", analysis.education),
        ("任职年限", analysis.years),
    )
    _sheet(
        book,
        "结构分析",
        ["项目", "类别", "人数", "占比"],
        (
            [part, label, count, f"{count / analysis.total:.0%}" if analysis.total else "—"]
            for part, counts in parts
            for label, count in counts
        ),
    )
    return save_atomically(book, path)
