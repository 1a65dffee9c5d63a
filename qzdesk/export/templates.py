"""The import templates under resources/templates, written from the importers' own
columns so that a template can never ask for a column the importer does not read.

    python -m qzdesk.export.templates     (rewrites both; a test checks they are current)
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from qzdesk.config import resources_dir
from qzdesk.export.xlsx import data_cell, save_atomically
from qzdesk.services.admission import importer as applicants
from qzdesk.services.members.columns import COLUMNS as MEMBER_COLUMNS
from qzdesk.services.members.columns import Column

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
APPLICANT_HELP = (
    "填写说明",
    "每行一名入团申请人；“姓名”“身份证号”“申请日期”必填，其余按已办理的步骤填写。",
    "日期写到日，如 2025-09-15；没有办理的步骤留空。按名单日期补录，违反规定的只提示、不拒绝。",
    "推荐方式填“团员推荐”或“少先队推优”，不填按团员推荐登记。",
    "培养联系人、入团介绍人填团员姓名，多人用顿号分隔，如“张三、李四”。",
    "团课学时填导入前累计的学时；积分不补录，导入后在积分台账中登记。",
    "所在团支部不填时，按工作表名或第一个团支部。每个班可以单独一个工作表。",
)
TEMPLATES: dict[str, tuple[tuple[Column, ...], tuple[str, ...]]] = {
    "团员导入模板.xlsx": (MEMBER_COLUMNS, ()),
    "入团申请人导入模板.xlsx": (applicants.COLUMNS, APPLICANT_HELP),
}


def write_template(path: Path, columns: tuple[Column, ...], help_lines: tuple[str, ...]) -> Path:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("名单")
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width + 2
    header = []
    for column in columns:
        cell = data_cell(sheet, column.header)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        header.append(cell)
    sheet.append(header)
    if help_lines:
        notes = book.create_sheet(help_lines[0])
        notes.column_dimensions["A"].width = 100
        for line in help_lines:
            notes.append([data_cell(notes, line)])
    return save_atomically(book, path)


def main() -> None:
    for name, (columns, help_lines) in TEMPLATES.items():
        print(write_template(resources_dir() / "templates" / name, columns, help_lines))


if __name__ == "__main__":
    main()
