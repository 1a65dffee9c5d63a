"""The roster's spreadsheet columns: headers as exported, aliases accepted on import, and
how each cell is read."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from qzdesk.services.dates import PartialDate
from qzdesk.services.names import tidy
from qzdesk.vocabulary import ETHNIC_GROUPS, IdType, MemberStatus, PoliticalStatus


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


def header_key(text: object) -> str:
    """A header as written, with what varies without changing its meaning taken out:
    width (NFKC), spaces, brackets and what they hold when it is a mark (必填, 选填, a
    format hint like yyyy-mm), asterisks and colons, 的 and 为."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    text = re.sub(r"[(\[【]\s*(必填|选填|必填项|可选|[0-9a-zA-Z/\-.年月日位]*)\s*[)\]】]", "", text)
    return re.sub(r"[\s*:'\"“”()\[\]【】]|必填|的|为", "", text)


# Ways of writing one meaning: a date column's 时间 is its 日期 or 年月; "入团积极分子"
# is the 积极分子 of an admission list; a 本人 or 团员 in front says whose.
DATE_WORDS = re.compile(r"(年月日|年月|时间|日期|年份)$")
SAME_WORDS = (("入团积极分子", "积极分子"), ("号码", "号"), ("编码", "编号"))
PREFIXES = ("本人", "团员", "个人", "学生", "申请人")


def _canonical(key: str, dated: bool) -> str:
    for written, meant in SAME_WORDS:
        key = key.replace(written, meant)
    return DATE_WORDS.sub("日期", key) if dated else key


class HeaderMatcher:
    """Which field a header means: its names as written, then as normalised (`header_key`,
    the same words for dates and stages, a prefix saying whose), then a mapping the
    secretary made by hand (`manual`: written header → field, or "" to ignore it)."""

    IGNORE = ""

    def __init__(self, columns: tuple[Column, ...], manual: dict[str, str] | None = None) -> None:
        self.columns = columns
        self.by_field = {c.field: c for c in columns}
        self.manual = {header_key(k): v for k, v in (manual or {}).items()}
        self.exact = {header_key(n): c for c in columns for n in (c.header, *c.aliases)}
        self.loose = {
            _canonical(header_key(n), c.kind == "date"): c
            for c in columns
            for n in (c.header, *c.aliases)
        }

    def match(self, text: object) -> Column | None:
        key = header_key(text)
        if not key:
            return None
        if key in self.manual:
            return self.by_field.get(self.manual[key])
        if key in self.exact:
            return self.exact[key]
        for candidate in (key, *(key.removeprefix(p) for p in PREFIXES if key.startswith(p))):
            for dated in (True, False):
                found = self.loose.get(_canonical(candidate, dated))
                if found is not None and (found.kind == "date") == dated:
                    return found
        return None

    def ignored_by_hand(self, text: object) -> bool:
        return self.manual.get(header_key(text)) == self.IGNORE

    def suggest(self, text: object) -> list[Column]:
        """The fields a header that matched nothing most resembles (shown as 是否是…？)."""
        key = header_key(text)
        names = {header_key(n): c for c in self.columns for n in (c.header, *c.aliases)}
        close = difflib.get_close_matches(key, list(names), n=3, cutoff=0.5)
        return list(dict.fromkeys(names[n] for n in close))


IGNORE_WORDS = ("忽略", "不导入", "ignore")


def mapping_from(pairs: list[str], columns: tuple[Column, ...]) -> dict[str, str]:
    """ "原列名=字段" pairs (the field by its name in the template, e.g. 确定积极分子日期, or
    忽略) as a manual mapping; a field that does not exist is refused by name."""
    by_name = {header_key(n): c.field for c in columns for n in (c.header, *c.aliases, c.field)}
    mapping = {}
    for pair in pairs:
        written, sep, meant = pair.partition("=")
        if not sep or not written.strip():
            raise CellError(
                f"“{pair}”应写成“原列名=字段”，如“确定入团积极分子时间=确定积极分子日期”"
            )
        if meant.strip() in IGNORE_WORDS:
            mapping[written.strip()] = HeaderMatcher.IGNORE
            continue
        field = by_name.get(header_key(meant))
        if field is None:
            known = "、".join(c.header for c in columns)
            raise CellError(f"没有名为“{meant.strip()}”的字段（可选：{known}，或“忽略”）")
        mapping[written.strip()] = field
    return mapping


def lookup_of(columns: tuple[Column, ...], manual: dict[str, str] | None = None) -> HeaderMatcher:
    return HeaderMatcher(columns, manual)


HEADER_LOOKUP = lookup_of(COLUMNS)


# Values as the systems secretaries get their lists from write them (智慧团建, the 2013
# 基本信息 system, HR systems): each to the one spelling qzdesk keeps. A value not here
# and not a label is a row error naming the allowed ones (enums) or kept as written (text).
SPELLINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "id_type": {
        "居民身份证": (
            "身份证",
            "普通居民身份证",
            "第二代居民身份证",
            "二代身份证",
            "居民身份证号码",
            "中华人民共和国居民身份证",
            "大陆居民身份证",
        ),
        "境外证件": (
            "护照",
            "港澳居民来往内地通行证",
            "台湾居民来往大陆通行证",
            "港澳台居民居住证",
            "外国人永久居留身份证",
            "其他",
        ),
    },
    "gender": {"男": ("1", "M", "男性", "MALE"), "女": ("2", "F", "女性", "FEMALE")},
    "political_status": {
        "团员": ("共青团员", "中国共产主义青年团团员", "共青团团员"),
        "中共预备党员": ("预备党员", "中国共产党预备党员"),
        "中共党员": ("党员", "中国共产党党员", "正式党员"),
    },
    "education_highest": {
        "研究生": ("硕士研究生", "博士研究生", "硕士", "博士", "研究生及以上"),
        "大学本科": ("本科",),
        "大学专科": ("大专", "专科", "高职", "高职高专"),
        "中等专科": ("中专", "中职", "职高", "技校"),
        "高中": ("普通高中", "高中毕业"),
        "初中": ("初中毕业", "初级中学"),
    },
}
SPELLINGS["education_fulltime"] = SPELLINGS["education_highest"]
_SPELLED = {
    field: {header_key(v).upper(): meant for meant, vs in table.items() for v in (meant, *vs)}
    for field, table in SPELLINGS.items()
}


def spelled(field: str, text: str) -> str:
    """`text` in the spelling qzdesk keeps for the field (民族 with its 族), else as written."""
    if field == "ethnicity":
        return ethnic_group(text)
    return _SPELLED.get(field, {}).get(header_key(text).upper(), text)


def ethnic_group(text: str) -> str:
    """汉 → 汉族: a group named without its 族, as many lists write it."""
    name = header_key(text)
    return f"{name}族" if f"{name}族" in ETHNIC_GROUPS else text


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
    found = enum.from_label(spelled(field, text))
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
