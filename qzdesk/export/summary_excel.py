"""The committee's tables to .xlsx for its own reports: the 汇总表, the 互查互评互比, the
团干部 list with its analysis, and the register's coverage."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from qzdesk.export.xlsx import data_cell, save_atomically
from qzdesk.services.committee.cadres import Analysis, CadreRow
from qzdesk.services.committee.coverage import Coverage, UnitLine
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


def write_cadres(path: Path, found: Analysis) -> Path:
    """The 团干部信息库 as of the period's end and its analysis, as the page shows them."""
    book = Workbook(write_only=True)
    _sheet(book, f"团干部 {found.period.code}", CadreRow.HEADERS, (r.cells() for r in found.rows))
    parts = (
        ("层级", found.by_level),
        ("职务", found.by_post),
        ("年龄", found.ages),
        ("性别", found.genders),
        ("民族", found.ethnicities),
        ("学历", found.education),
        ("政治面貌", found.political),
        ("专兼挂", found.natures),
        ("任职年限", found.years),
    )
    total = len(found.rows)
    _sheet(
        book,
        "结构分析",
        ["项目", "类别", "人数", "占比"],
        (
            [part, label, count, f"{count / total:.0%}" if total else "—"]
            for part, counts in parts
            for label, count in counts
        ),
    )
    _sheet(
        book,
        "较上期变化",
        ["指标", "上期", "本期", "说明"],
        ([f.label, f.before, f.now, f.explanation or "尚未说明"] for f in found.falls),
    )
    return save_atomically(book, path)


def write_coverage(path: Path, cov: Coverage) -> Path:
    """The register as of the period's end and the coverage figures, as the page has them."""
    book = Workbook(write_only=True)
    _sheet(
        book,
        f"名录 {cov.period.code}",
        UnitLine.HEADERS,
        (x.cells() for x in cov.lines),
    )
    _sheet(
        book,
        "覆盖指标",
        ["指标", "数值", "目标"],
        [
            ["村（农村）", cov.villages, ""],
            ["已建团组织的村", cov.villages_with_org, ""],
            [
                "村级团组织设置率",
                "" if cov.village_rate is None else f"{cov.village_rate:.1%}",
                f"{cov.village_target:.0%}",
            ],
            ["尚未建立团组织的村", "、".join(cov.villages_without), ""],
            ["三新领域团组织（一年前）", cov.new_fields_year_before, ""],
            ["三新领域团组织（期末）", cov.new_fields_now, ""],
            [
                "三新领域年增幅",
                "" if cov.growth is None else f"{cov.growth:.1%}",
                f"{cov.growth_target:.0%}",
            ],
            ["空心团支部", "、".join(f"{n}（{m}人）" for n, m in cov.hollow), ""],
            ["本期新建", "、".join(n for n, _ in cov.set_up), ""],
            ["本期撤销", "、".join(n for n, _ in cov.dissolved), ""],
        ],
    )
    return save_atomically(book, path)
