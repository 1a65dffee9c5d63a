"""The roster's spreadsheet columns: headers as exported, aliases accepted on import, and
how each cell is read."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from qzdesk.services.dates import PartialDate
from qzdesk.services.names import tidy
from qzdesk.vocabulary import IdType, MemberStatus, PoliticalStatus


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    aliases: tuple[str, ...] = ()
    kind: str = "text"  # text, date, id, enum
    width: int = 12


COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", ("团员姓名",), width=10),
    Column("gender", "性别", width=6),
    Column("ethnicity", "民族", width=8),
    Column("id_type", "证件类型", kind="enum", width=12),
    Column(
        "id_number",
        "身份证号",
        ("公民身份号码", "身份证号码", "证件号码", "身份证", "身份证件号码"),
        "id",
        22,
    ),
    Column("birth_date", "出生日期", ("出生年月", "出生年月日"), "date", 12),
    Column("household", "户籍所在地", ("户籍", "户籍地", "户口所在地"), width=20),
    Column("joined_on", "入团年月", ("入团时间", "入团日期", "加入共青团时间"), "date", 10),
    Column("joined_unit", "入团时所在单位", ("入团单位", "入团所在单位"), width=20),
    Column("member_no", "团员编号", ("发展团员编号", "团员证号", "团员证编号"), "id", 15),
    Column(
        "branch",
        "所在团支部",
        ("团支部", "所在支部", "所属团支部", "所在团组织", "所属团组织", "所在组织"),
        width=20,
    ),
    Column("political_status", "政治面貌", kind="enum", width=12),
    Column("party_joined_on", "入党年月", ("入党时间",), "date", 10),
    Column("education_fulltime", "全日制学历", width=12),
    Column("education_highest", "最高学历", ("学历", "文化程度"), width=12),
    Column("occupation", "职业", width=14),
    Column(
        "work_unit",
        "学习工作单位",
        ("工作单位", "学校", "单位", "工作单位及职务", "就读学校"),
        width=20,
    ),
    Column("grade", "年级", width=8),
    Column("class_name", "班级", width=8),
    Column(
        "mobile",
        "手机号码",
        ("联系电话", "手机号", "电话", "手机", "联系方式", "移动电话"),
        "id",
        14,
    ),
    Column("email", "电子邮箱", ("邮箱", "电子邮件"), width=20),
    Column("league_post", "团内职务", ("职务",), width=10),
    Column("post_since", "任职年月", ("任职时间",), "date", 10),
    Column("status", "团籍状态", ("状态",), "enum", 12),
    Column("dues_tier", "交费档位", ("团费档位",), width=10),
    Column("awards", "奖励记录", ("奖励情况",), width=20),
    Column("volunteer_since", "注册志愿者时间", ("志愿者注册时间",), "date", 12),
)

BY_FIELD = {c.field: c for c in COLUMNS}
ENUMS = {"id_type": IdType, "political_status": PoliticalStatus, "status": MemberStatus}
ENUM_ALIASES = {
    "共青团员": "团员",
    "预备党员": "中共预备党员",
    "党员": "中共党员",
    "身份证": "居民身份证",
}


def header_key(text: object) -> str:
    return re.sub(r"[\s*＊:：()（）']", "", unicodedata.normalize("NFKC", str(text or "")))


def lookup_of(columns: tuple[Column, ...]) -> dict[str, Column]:
    """Each header and alias, as `header_key` writes it, to its column."""
    return {
        header_key(name): column for column in columns for name in (column.header, *column.aliases)
    }


HEADER_LOOKUP = lookup_of(COLUMNS)


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class CellError(ValueError):
    pass


_DATE_PATTERNS = (
    re.compile(r"(\d{4})(?:[-./年](\d{1,2})(?:[-./月](\d{1,2})日?|月)?|年)?$"),
    re.compile(r"(\d{4})(\d{2})(\d{2})?$"),
)
EXCEL_EPOCH = date(1899, 12, 30)
YEARS = range(1900, 2101)  # a bare number in this range is a year, not an Excel serial
DATE_HELP = "可写作 2006、2006-03、2006.3、2006年3月、200603 或 2006-03-14"


def parse_written_date(value: object) -> PartialDate | None:
    """A date at the precision it was written: Excel date cells and serials are whole days;
    text and numbers such as 2006, 2006-03, 2006.3, 2006年3月, 200603, 2006/3/14 keep
    theirs."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return PartialDate.of(value.date())
    if isinstance(value, date):
        return PartialDate.of(value)
    if isinstance(value, float) and not value.is_integer():
        text = repr(value)  # 2006.3 typed into a number cell: year and month
    elif isinstance(value, (int, float)):
        number = int(value)
        if number in YEARS or 190001 <= number <= 210012 or 19000101 <= number <= 21001231:
            text = str(number)
        elif 1 <= number < 80000:  # an Excel serial day number that lost its date format
            return PartialDate.of(EXCEL_EPOCH + timedelta(days=number))
        else:
            raise CellError(f"“{value}”不是日期")
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip().lstrip("'")
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            parts = [int(p) if p else None for p in match.groups()]
            try:
                return PartialDate(parts[0], parts[1], parts[2])  # type: ignore[arg-type]
            except ValueError:
                raise CellError(f"“{text}”不是有效日期") from None
    raise CellError(f"“{text}”不是可识别的日期（{DATE_HELP}）")


def parse_date(value: object) -> date | None:
    """A field the League records to the month (入团年月, 入党年月, 任职年月) or to the
    day: a month is kept as its first day; a year alone is not enough."""
    written = parse_written_date(value)
    if written is None:
        return None
    if written.precision == "year":
        raise CellError(f"只写了年份“{written}”：请写到月（如 {written}-05）")
    return written.first_day()


def truncated_to_month(written: PartialDate) -> PartialDate:
    """A date cell under a 年月 header: Excel keeps a day that nobody wrote."""
    return PartialDate(written.year, written.month) if written.month else written


def parse_id_text(value: object, what: str) -> str:
    """Numbers kept as text; a long number Excel stored as a float has lost digits."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value >= 1e15:
            raise CellError(
                f"{what}被 Excel 存成了数字（{value:.6g}），末几位已经丢失；"
                "请把该列设为“文本”格式后重新录入"
            )
        if value.is_integer():
            return str(int(value))
    return unicodedata.normalize("NFKC", str(value)).strip().removeprefix("'")


def parse_enum(field: str, value: object) -> object:
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    enum = ENUMS[field]
    if not text:
        return None
    found = enum.from_label(ENUM_ALIASES.get(text, text))
    if found is None:
        allowed = "、".join(enum._labels().values())
        raise CellError(f"“{text}”不是可选值（可选：{allowed}）")
    return found


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (date, datetime)):
        return value.strftime("%Y-%m-%d")
    return tidy(str(value)).removeprefix("'")  # Excel's "keep as text" mark, typed by hand
