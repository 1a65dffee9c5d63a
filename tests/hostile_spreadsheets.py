"""Small files made to exhaust an importer: each ≤ 10 MB, each once cost gigabytes or
minutes. `python tests/hostile_spreadsheets.py DIR` writes them all to look at."""

from __future__ import annotations

import random
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

SPREADSHEETML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{SPREADSHEETML}.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    f'ContentType="{SPREADSHEETML}.worksheet+xml"/>'
    "{strings}"
    "</Types>"
)
STRINGS_TYPE = (
    '<Override PartName="/{part}" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.sharedStrings+xml"/>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="花名册" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>{strings}</Relationships>'
)
STRINGS_REL = (
    '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="{target}"/>'
)
SHEET_OPEN = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
HEADER = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>身份证号</t></is></c></row>'
)


def _xlsx(path: Path, sheet: str, strings_part: str | None = None, strings: str = "") -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        override = STRINGS_TYPE.format(part=strings_part) if strings_part else ""
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.replace("{strings}", override))
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        target = strings_part.removeprefix("xl/") if strings_part else ""
        rel = STRINGS_REL.format(target=target) if strings_part else ""
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.format(strings=rel))
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        if strings_part:
            archive.writestr(strings_part, strings)


def declared_everything(path: Path) -> None:
    """A few KB that declare the whole grid: a reader that pads to the dimension makes
    16,384 cells of every row."""
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>张{n}</t></is></c></row>'
        for n in range(2, 60)
    )
    sheet = (
        SHEET_OPEN
        + '<dimension ref="A1:XFD1048576"/><sheetData>'
        + HEADER
        + rows
        + "</sheetData></worksheet>"
    )
    _xlsx(path, sheet)


def far_right_cells(path: Path) -> None:
    """One cell in column XFD on every row."""
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>李{n}</t></is></c>'
        f'<c r="XFD{n}"><v>1</v></c></row>'
        for n in range(2, 20_000)
    )
    _xlsx(path, SHEET_OPEN + "<sheetData>" + HEADER + rows + "</sheetData></worksheet>")


def renamed_shared_strings(path: Path) -> None:
    """1.7 million shared strings of random digits (about 40 MB unpacked from 5 MB: no
    zip-bomb ratio) in a part not called sharedStrings.xml, found, as Excel and openpyxl
    find it, through [Content_Types].xml and the workbook's rels."""
    rng = random.Random(33)
    count = 1_700_000
    strings = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{count}">'
        + "".join(f"<si><t>{rng.randrange(10**6):06d}</t></si>" for _ in range(count))
        + "</sst>"
    )
    sheet = SHEET_OPEN + "<sheetData>" + HEADER + "</sheetData></worksheet>"
    _xlsx(path, sheet, "xl/text/names.xml", strings)


def backtracking_bait(path: Path) -> None:
    """A comment a regular expression over the raw XML took for thousands of `<row`
    starts, each trying every later `r="…"` before failing (cubic)."""
    bait = "<!--" + '<row r="1" ' * 4_000 + "-->"
    sheet = SHEET_OPEN + bait + "<sheetData>" + HEADER + "</sheetData></worksheet>"
    _xlsx(path, sheet)


def endless_csv(path: Path) -> None:
    """10 MB of short lines: far more rows than any roster."""
    line = "王五,620502200801011234\n"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("姓名,身份证号\n")
        handle.write(line * (10 * 2**20 // len(line.encode())))


def one_line_csv(path: Path) -> None:
    """10 MB in one line of separators."""
    path.write_bytes("姓名,身份证号\n".encode() + b"," * (10 * 2**20))


HOSTILE: dict[str, tuple[str, Callable[[Path], None]]] = {
    "declared-everything": (".xlsx", declared_everything),
    "far-right-cells": (".xlsx", far_right_cells),
    "renamed-shared-strings": (".xlsx", renamed_shared_strings),
    "backtracking-bait": (".xlsx", backtracking_bait),
    "endless": (".csv", endless_csv),
    "one-line": (".csv", one_line_csv),
}


def write_all(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    made = {}
    for name, (suffix, make) in HOSTILE.items():
        made[name] = folder / f"{name}{suffix}"
        make(made[name])
    return made


if __name__ == "__main__":
    for name, path in write_all(Path(sys.argv[1])).items():
        print(f"{name}: {path} ({path.stat().st_size:,} B)")
