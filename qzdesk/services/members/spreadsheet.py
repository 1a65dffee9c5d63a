"""Reading .xlsx (openpyxl), .xls (xlrd) and .csv (UTF-8 with or without BOM, GB18030)
into plain rows, judging the format by the file's content, not its name."""

from __future__ import annotations

import codecs
import csv
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from qzdesk.services.errors import QzdeskError

Cell = str | int | float | date | datetime | None

XLSX_MAGIC = b"PK\x03\x04"
# Limits far above any roster (a district of 50,000 members is ~10 MB of .xlsx) and far
# below what would exhaust an office PC.
MAX_FILE_BYTES = 64 * 2**20
MAX_UNPACKED_BYTES = 200 * 2**20
MAX_SHARED_STRINGS_BYTES = 32 * 2**20  # openpyxl holds this table whole in memory
MAX_PART_BYTES = 16 * 2**20  # any other part read whole (styles, the workbook, its rels)
MAX_RATIO = 200
MAX_ROWS = 100_000
MAX_COLUMNS = 256  # a roster has dozens; Excel allows 16,384
MAX_CELLS = 2_000_000  # cells with content in one file: 50,000 members × 40 columns
MAX_CELL_CHARS = 2_000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
FORMAT_NAMES = {
    "xlsx": "Excel 工作簿（.xlsx）",
    "xls": "Excel 97-2003 工作簿（.xls）",
    "csv": "CSV 文本",
}
EXTENSIONS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".csv": "csv", ".txt": "csv"}


class SpreadsheetError(QzdeskError):
    """The file cannot be read as a table; nothing was imported."""


@dataclass
class Sheet:
    name: str
    rows: list[list[Cell]]
    hidden_rows: frozenset[int] = frozenset()  # 1-based
    hidden_columns: frozenset[int] = frozenset()  # 0-based


def sniff(head: bytes) -> str:
    if head.startswith(XLSX_MAGIC):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        return "xls"
    return "csv"


def _refuse_unbounded(path: Path) -> None:
    """Only a regular file of a roster's size: a FIFO would hang, a device or a link to
    one would be read for ever, a huge file would exhaust the office PC."""
    try:
        info = path.stat()  # follows a link: its target is what would be read
    except OSError as exc:
        raise SpreadsheetError(f"无法打开文件 {path}：{exc.strerror}。") from exc
    if not stat.S_ISREG(info.st_mode):
        raise SpreadsheetError(f"{path.name} 不是普通文件（可能是设备或管道），不能导入。")
    if info.st_size > MAX_FILE_BYTES:
        raise SpreadsheetError(
            f"文件 {path.name} 有 {info.st_size // 2**20} MB，超过导入上限 "
            f"{MAX_FILE_BYTES // 2**20} MB：请把名册分成几个文件再导入。"
        )


def _refuse_zip_bomb(path: Path) -> None:
    """Judged from the zip's own directory before anything is unpacked: the whole, the
    shared strings (found as openpyxl finds them, through [Content_Types].xml, whatever
    the part is called) and every other part read whole. Worksheets are streamed."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            strings = _shared_strings_part(archive)
    except zipfile.BadZipFile as exc:
        raise SpreadsheetError(f"文件 {path.name} 已损坏（不是完整的 .xlsx 压缩包）。") from exc
    unpacked = sum(m.file_size for m in members)
    packed = max(1, sum(m.compress_size for m in members))
    too_big = unpacked > MAX_UNPACKED_BYTES or any(
        m.file_size > (MAX_SHARED_STRINGS_BYTES if m.filename == strings else MAX_PART_BYTES)
        for m in members
        if "worksheets/" not in m.filename or m.filename == strings
    )
    if too_big or unpacked / packed > MAX_RATIO:
        raise SpreadsheetError(
            f"文件 {path.name} 解压后有 {unpacked // 2**20} MB（压缩比 {unpacked // packed}:1），"
            "不像是一份名册，已拒绝导入。请用 Excel/WPS 打开检查后另存。"
        )


def _shared_strings_part(archive: zipfile.ZipFile) -> str | None:
    from openpyxl.packaging.manifest import Manifest
    from openpyxl.xml.constants import ARC_CONTENT_TYPES, SHARED_STRINGS
    from openpyxl.xml.functions import fromstring

    info = archive.getinfo(ARC_CONTENT_TYPES)
    if info.file_size > MAX_PART_BYTES:
        return None  # refused by size anyway
    found = Manifest.from_tree(fromstring(archive.read(info))).find(SHARED_STRINGS)
    return None if found is None else found.PartName.lstrip("/")


def read_sheets(path: Path) -> list[Sheet]:
    _refuse_unbounded(path)
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise SpreadsheetError(f"无法打开文件 {path}：{exc.strerror}。") from exc
    if not head:
        raise SpreadsheetError(f"文件 {path.name} 是空的。")
    expected = EXTENSIONS.get(path.suffix.lower())
    if expected is None:
        raise SpreadsheetError(
            f"不支持的文件类型 {path.suffix or '（无扩展名）'}：请使用 .xlsx、.xls 或 .csv。"
        )
    actual = sniff(head)
    if actual != expected:
        raise SpreadsheetError(
            f"文件 {path.name} 的扩展名是 {path.suffix}，但内容其实是 {FORMAT_NAMES[actual]}。"
            "请在 Excel/WPS 中“另存为”正确的格式，或改正扩展名后再导入。"
        )
    reader = {"xlsx": _read_xlsx, "xls": _read_xls, "csv": _read_csv}[actual]
    try:
        return reader(path)
    except SpreadsheetError:
        raise
    except Exception as exc:  # corrupt files fail in many library-specific ways
        raise SpreadsheetError(
            f"文件 {path.name} 已损坏或不是有效的{FORMAT_NAMES[actual]}（{type(exc).__name__}）。"
            "请用 Excel/WPS 打开检查后重新保存。"
        ) from exc


def _bounded(sheet: str, rows: Iterator[list[str]]) -> list[list[Cell]]:
    """A text sheet's rows, refusing one far longer or wider than any roster."""
    kept: list[list[Cell]] = []
    cells = 0
    for number, row in enumerate(rows, start=1):
        if len(kept) >= MAX_ROWS:
            raise SpreadsheetError(
                f"工作表“{sheet}”超过 {MAX_ROWS} 行：请把名册分成几个文件再导入。"
            )
        while row and not row[-1].strip():  # Excel pads short rows with separators
            row.pop()
        if len(row) > MAX_COLUMNS:
            raise SpreadsheetError(
                f"“{sheet}”第 {number} 行有 {len(row)} 列，超出名册可能的宽度"
                f"（最多 {MAX_COLUMNS} 列）：请检查分隔符或删除多余的列。"
            )
        cells += len(row)
        if cells > MAX_CELLS:
            raise SpreadsheetError(
                f"文件中的单元格超过 {MAX_CELLS} 个，不像是一份名册：请分成几个文件再导入。"
            )
        kept.append(list(row))
    return kept


def _read_xlsx(path: Path) -> list[Sheet]:
    """Only the cells a sheet holds are read, with openpyxl's own streaming parser: a
    declared dimension (`A1:XFD1048576`) or a stray cell far to the right never pads a
    row, and rows and columns are hidden as the XML parser reads them."""
    import openpyxl

    _refuse_zip_bomb(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except zipfile.BadZipFile as exc:
        raise SpreadsheetError(f"文件 {path.name} 已损坏（不是完整的 .xlsx 压缩包）。") from exc
    budget = [MAX_CELLS]
    try:
        return [_read_worksheet(book, ws, budget) for ws in book.worksheets]
    finally:
        book.close()


def _read_worksheet(book: Any, ws: Any, budget: list[int]) -> Sheet:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet._reader import WorkSheetParser

    rows: list[list[Cell]] = []
    with ws._get_source() as source:
        parser = WorkSheetParser(
            source,
            ws._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for number, cells in parser.parse():
            present = [c for c in cells if c["value"] is not None]
            if number > MAX_ROWS:
                if present:
                    raise SpreadsheetError(
                        f"工作表“{ws.title}”超过 {MAX_ROWS} 行：请把名册分成几个文件再导入。"
                    )
                continue
            budget[0] -= len(present)
            if budget[0] < 0:
                raise SpreadsheetError(
                    f"文件中有内容的单元格超过 {MAX_CELLS} 个，不像是一份名册："
                    "请分成几个文件再导入。"
                )
            width = max((c["column"] for c in present), default=0)
            if width > MAX_COLUMNS:
                raise SpreadsheetError(
                    f"工作表“{ws.title}”第 {number} 行的 {get_column_letter(width)} 列有内容，"
                    f"超出名册可能的宽度（最多 {MAX_COLUMNS} 列）：请删除多余的列后另存再导入。"
                )
            while len(rows) < number - 1:
                rows.append([])
            row: list[Cell] = [None] * width
            for cell in present:
                row[cell["column"] - 1] = cell["value"]
            rows.append(row)
    return Sheet(ws.title, rows, *_hidden(parser))


def _hidden(parser: Any) -> tuple[frozenset[int], frozenset[int]]:
    """Rows (1-based) and columns (0-based) the sheet marks hidden."""

    def marked(attrs: dict[str, str]) -> bool:
        return attrs.get("hidden") in ("1", "true")

    rows = {int(n) for n, attrs in parser.row_dimensions.items() if marked(attrs)}
    columns: set[int] = set()
    for attrs in parser.column_dimensions.values():
        if marked(attrs) and attrs.get("max", "").isdigit():
            last = min(int(attrs["max"]), MAX_COLUMNS)
            columns.update(range(int(attrs["min"]) - 1, last))
    return frozenset(rows), frozenset(columns)


def _read_xls(path: Path) -> list[Sheet]:
    import xlrd

    book = xlrd.open_workbook(str(path))
    sheets = []
    for ws in book.sheets():
        rows = []
        if ws.nrows > MAX_ROWS:
            raise SpreadsheetError(
                f"工作表“{ws.name}”超过 {MAX_ROWS} 行：请把名册分成几个文件再导入。"
            )
        for r in range(ws.nrows):
            row: list[Cell] = []
            for cell in ws.row(r):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    row.append(None)
                else:
                    row.append(cell.value)
            rows.append(row)
        sheets.append(Sheet(ws.name, rows))
    return sheets


CHUNK = 2**20


def _text_encoding(path: Path) -> str:
    """Judged by streaming the file, never holding it whole: a BOM; UTF-16 without one
    (Excel's "Unicode 文本" saved by other tools: every other byte zero); else UTF-8 if
    the whole file decodes as such, else GB18030 (WPS and older Excel on Chinese
    Windows)."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    even, odd = head[0::2], head[1::2]
    if len(head) >= 4 and odd.count(0) > 0.4 * len(odd) and not even.count(0):
        return "utf-16-le"
    if len(head) >= 4 and even.count(0) > 0.4 * len(even) and not odd.count(0):
        return "utf-16-be"
    if 0 in head:
        raise SpreadsheetError(f"文件 {path.name} 不是文本文件，不能作为 CSV 导入。")
    for encoding in ("utf-8", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with open(path, "rb") as handle:
                while chunk := handle.read(CHUNK):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError(
        f"无法识别文件 {path.name} 的文字编码：请另存为 UTF-8 或 GBK 编码的 CSV。"
    )


def _delimiter(header: str) -> str:
    """The separator the header line uses most (Excel writes commas, its "Unicode 文本"
    tabs, some regional settings semicolons); judged on a whole line, so one long cell in
    the first rows cannot mislead it."""
    counts = {d: header.count(d) for d in (",", "\t", ";", "，")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(path: Path) -> list[Sheet]:
    encoding = _text_encoding(path)
    with open(path, encoding=encoding, newline="") as handle:
        header = ""
        while not header.strip():
            line = handle.readline(CHUNK)
            if not line:
                break
            header = line
        handle.seek(0)
        rows = _bounded(path.stem, csv.reader(handle, delimiter=_delimiter(header)))
    return [Sheet(path.stem, rows)]


def iter_nonblank(rows: list[list[Cell]]) -> Iterator[tuple[int, list[Cell]]]:
    """(1-based row number, cells) for rows with any content."""
    for number, row in enumerate(rows, start=1):
        if any(c is not None and str(c).strip() for c in row):
            yield number, row
