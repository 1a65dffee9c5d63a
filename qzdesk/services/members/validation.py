"""Checking a member record against the rules: shared by the form, the importer and the CLI.

Pure functions over a draft; the checks that need the database (the same ID twice, the
same member number twice) are in `members`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date

from qzdesk.services.dates import PartialDate, month_end
from qzdesk.services.members import idcard
from qzdesk.services.names import FORMULA_MESSAGE, formula_like, invisible_characters, tidy
from qzdesk.services.organisation.rules import RuleProfile
from qzdesk.vocabulary import UNKNOWN, IdType, MemberStatus, PoliticalStatus

FIELD_LABELS = {
    "name": "姓名",
    "gender": "性别",
    "ethnicity": "民族",
    "id_type": "证件类型",
    "id_number": "身份证号",
    "birth_date": "出生日期",
    "household": "户籍所在地",
    "joined_on": "入团年月",
    "joined_year": "入团年份（据团员编号）",
    "joined_unit": "入团时所在单位",
    "member_no": "团员编号",
    "branch": "所在团支部",
    "political_status": "政治面貌",
    "party_joined_on": "入党年月",
    "education_fulltime": "全日制学历",
    "education_highest": "最高学历",
    "occupation": "职业",
    "work_unit": "学习工作单位",
    "grade": "年级",
    "class_name": "班级",
    "mobile": "手机号码",
    "email": "电子邮箱",
    "league_post": "团内职务",
    "post_since": "任职年月",
    "status": "团籍状态",
    "dues_tier": "交费档位",
    "awards": "奖励记录",
    "volunteer_since": "注册志愿者时间",
}

MISSING_MEMBER_NO = "缺团员编号，请在智慧团建核对后补录。"
BIRTH_LABELS = {"year": "出生年份", "month": "出生年月", "day": "出生日期"}

# Fields recorded to the month (入团年月, 入党年月, 任职年月), stored as the month's first day.
MONTH_FIELDS = frozenset({"joined_on", "party_joined_on", "post_since"})

TEXT_FIELDS = (
    "ethnicity",
    "household",
    "joined_unit",
    "education_fulltime",
    "education_highest",
    "occupation",
    "work_unit",
    "grade",
    "class_name",
    "email",
    "league_post",
    "dues_tier",
    "awards",
)


@dataclass
class MemberDraft:
    """What a form or a spreadsheet row says about a member, before checking."""

    name: str = ""
    id_number: str = ""
    id_type: IdType = IdType.RESIDENT
    gender: str = ""
    birth_date: date | None = None
    birth_written: PartialDate | None = None  # as a sheet wrote it: checked, never stored
    ethnicity: str = ""  # unknown stays unknown (shown as 未填), never assumed
    household: str = ""
    joined_on: date | None = None
    joined_year: int | None = None  # 据团员编号, accepted while the month is unknown
    joined_unit: str = ""
    member_no: str = ""
    political_status: PoliticalStatus = PoliticalStatus.LEAGUE
    party_joined_on: date | None = None
    education_fulltime: str = ""
    education_highest: str = ""
    occupation: str = ""
    work_unit: str = ""
    grade: str = ""
    class_name: str = ""
    mobile: str = ""
    email: str = ""
    league_post: str = ""
    post_since: date | None = None
    status: MemberStatus = MemberStatus.ACTIVE
    dues_tier: str = ""
    awards: str = ""
    volunteer_since: date | None = None


@dataclass(frozen=True)
class Problem:
    field: str
    message: str
    warning: bool = False

    @property
    def text(self) -> str:
        """Label and message, without the full stop, so several can be joined with "；"."""
        return f"{FIELD_LABELS.get(self.field, self.field)}：{self.message.rstrip('。')}"


@dataclass
class Checked:
    draft: MemberDraft
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]

    def error(self, name: str, message: str) -> None:
        self.problems.append(Problem(name, message))

    def warn(self, name: str, message: str) -> None:
        self.problems.append(Problem(name, message, warning=True))


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def normalise_mobile(raw: str) -> str:
    digits = re.sub(r"[\s\-()（）]", "", unicodedata.normalize("NFKC", raw))
    for prefix in ("+86", "0086"):
        digits = digits.removeprefix(prefix)
    return digits


def _check_identity(c: Checked, today: date) -> None:
    d = c.draft
    if d.id_type is IdType.RESIDENT:
        if not d.id_number:
            c.error("id_number", "缺公民身份号码，请补填。")
            return
        try:
            parsed = idcard.parse(d.id_number, today)
        except idcard.IdNumberError as error:
            c.error("id_number", str(error))
            return
        d.id_number = parsed.number
        written = d.birth_written or (PartialDate.of(d.birth_date) if d.birth_date else None)
        if written and not written.matches(parsed.birth_date):
            c.error(
                "birth_date",
                f"{BIRTH_LABELS[written.precision]} {written} 与身份证号"
                f"（{parsed.birth_date.isoformat()}）不符。",
            )
        if d.gender and d.gender != parsed.gender:
            c.error("gender", f"与身份证号不符（身份证号为{parsed.gender}性）。")
        d.birth_date, d.gender = parsed.birth_date, parsed.gender
        return
    d.id_number = re.sub(r"\s", "", unicodedata.normalize("NFKC", d.id_number)).upper()
    if not d.id_number:
        c.error("id_number", "请填写证件号码。")
    elif len(d.id_number) > 30:
        c.error("id_number", "证件号码最多 30 位。")
    if d.birth_date is None and d.birth_written is not None:
        if d.birth_written.precision == "day":
            d.birth_date = d.birth_written.first_day()
        else:
            c.error("birth_date", f"境外证件须填写完整的出生日期（现为 {d.birth_written}）。")
            return
    if d.birth_date is None:
        c.error("birth_date", "境外证件须手工填写出生日期。")
    if d.gender not in ("男", "女"):
        c.error("gender", "境外证件须选择性别（男或女）。")


def _check_joining(c: Checked, profile: RuleProfile, today: date) -> None:
    d = c.draft
    if d.joined_on is None:
        _unknown_joining(c, profile)
        return
    d.joined_year = None  # the month known: the year from the number has served
    if d.joined_on > today:
        c.error("joined_on", f"入团年月 {d.joined_on:%Y-%m} 晚于今天。")
    min_age = profile.admission.min_age.value
    legacy_age = profile.membership.legacy_min_join_age.value
    # 入团年月 has month precision (stored as day 1): judge the age at the month's end.
    age = age_on(d.birth_date, month_end(d.joined_on)) if d.birth_date else None
    if age is not None and age < legacy_age:
        c.error("joined_on", f"入团时未满 {min_age} 周岁（出生于 {d.birth_date.isoformat()}）。")
    elif age is not None and age < min_age:
        # A record of a past admission, accepted as 智慧团建 accepts it; new ones need 14.
        c.warn("joined_on", f"入团时 {age} 周岁：按现行团章须年满 {min_age} 周岁，请核对。")
    number = re.sub(r"\s", "", unicodedata.normalize("NFKC", d.member_no))
    d.member_no = number
    required_from = profile.membership.member_no_required_from_year.value
    if not number:
        # Village rosters seldom carry it: a gap to follow up, not a reason to refuse.
        if d.joined_on.year >= required_from:
            c.warn("member_no", MISSING_MEMBER_NO)
        return
    if not (len(number) == 12 and number.isdigit()):
        c.error("member_no", f"团员编号应为 12 位数字（现为“{number}”）。")
        return
    prefix_from = profile.membership.member_no_prefix_from_year.value
    year = d.joined_on.year
    if year >= prefix_from and number[:4] != str(year):
        c.error("member_no", f"团员编号前 4 位应为入团年份 {year}（现为 {number[:4]}）。")
    elif required_from <= year < prefix_from and not required_from <= int(number[:4]) < prefix_from:
        # Numbers of the system's first years carry either of those years.
        allowed = "或".join(str(y) for y in range(required_from, prefix_from))
        c.error("member_no", f"{year} 年入团的团员编号前 4 位应为 {allowed}（现为 {number[:4]}）。")


MISSING_JOINED_ON = "缺入团年月，请核对后补录"


def year_from_member_no(member_no: str, profile: RuleProfile) -> int | None:
    """The 入团年份 a 团员编号 shows: numbers given from the profile's
    `member_no_prefix_from_year` begin with the year of joining."""
    number = re.sub(r"\s", "", unicodedata.normalize("NFKC", member_no))
    if not (len(number) == 12 and number.isdigit()):
        return None
    year = int(number[:4])
    return year if profile.membership.member_no_prefix_from_year.value <= year else None


def _unknown_joining(c: Checked, profile: RuleProfile) -> None:
    """入团年月 not known (lists from 智慧团建 or an HR system seldom carry it): the member
    comes in with the gap noted, never a guessed date. A 团员编号 of a year whose numbers
    begin with it suggests the year, which the secretary may accept for the year only
    (据团员编号); the month stays to be filled in."""
    d = c.draft
    number = re.sub(r"\s", "", unicodedata.normalize("NFKC", d.member_no))
    d.member_no = number
    if number and not (len(number) == 12 and number.isdigit()):
        c.error("member_no", f"团员编号应为 12 位数字（现为“{number}”）。")
        return
    shown = year_from_member_no(number, profile)
    if d.joined_year is not None and d.joined_year != shown:
        c.error(
            "joined_year",
            f"入团年份只能据团员编号记入（{d.joined_year} 年与团员编号"
            f"“{number or '（空）'}”不符），请填写入团年月。",
        )
    elif d.joined_year is not None:
        c.warn("joined_on", f"缺入团月份（已据团员编号记为 {shown} 年），请核对后补录入团年月")
    else:
        hint = f"（据团员编号，入团年份应为 {shown} 年）" if shown else ""
        c.warn("joined_on", MISSING_JOINED_ON + hint)


def joined_text(joined_on: date | None, joined_year: int | None) -> str:
    """入团年月 as every view prints it: the month, or the year 据团员编号, or 未填."""
    if joined_on is not None:
        return f"{joined_on:%Y-%m}"
    return f"{joined_year} 年（据团员编号）" if joined_year else UNKNOWN


def _check_contact(c: Checked) -> None:
    d = c.draft
    if d.mobile:
        d.mobile = normalise_mobile(d.mobile)
        if not re.fullmatch(r"1\d{10}", d.mobile):
            c.error("mobile", f"手机号码应为 11 位、以 1 开头（现为“{d.mobile}”）。")
    if d.email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", d.email):
        c.error("email", f"电子邮箱格式不对（现为“{d.email}”）。")


def _check_age_rules(c: Checked, profile: RuleProfile, today: date) -> None:
    d = c.draft
    if d.birth_date is None or d.status is not MemberStatus.ACTIVE:
        return
    age_out = profile.membership.age_out.value
    age = age_on(d.birth_date, today)
    if age >= age_out and not d.league_post:
        c.warn("birth_date", f"已满 {age_out} 周岁且无团内职务，应办理超龄离团。")
    elif today.year - d.birth_date.year == age_out and age < age_out:
        c.warn("birth_date", f"今年 {d.birth_date:%m月%d日} 满 {age_out} 周岁，请提前安排离团。")
    if d.political_status is not PoliticalStatus.LEAGUE:
        c.warn(
            "political_status",
            f"{d.political_status.label}保留团籍：参加团籍注册，不参加团员教育评议。",
        )
        if d.party_joined_on is None:
            c.warn("party_joined_on", "党员请填写入党年月。")


def check_member(draft: MemberDraft, profile: RuleProfile, today: date) -> Checked:
    """Normalise a copy of the draft and list what is wrong (errors) or worth a look (warnings)."""
    d = replace(draft)
    c = Checked(d)
    d.name = re.sub(r"\s+", "", unicodedata.normalize("NFKC", d.name))
    if not d.name:
        c.error("name", "请填写姓名。")
    elif len(d.name) > 40:
        c.error("name", "姓名最多 40 个字。")
    elif hidden := invisible_characters(d.name):
        c.error("name", f"姓名中有看不见的控制字符（{'、'.join(hidden)}），请删去后重新输入。")
    elif formula_like(d.name):
        c.error("name", FORMULA_MESSAGE.format(what="姓名"))
    for name in TEXT_FIELDS:
        setattr(d, name, tidy(getattr(d, name)))
    d.gender = d.gender.strip()
    _check_identity(c, today)
    _check_joining(c, profile, today)
    _check_contact(c)
    if d.post_since and not d.league_post:
        c.error("post_since", "填写了任职年月，但没有团内职务。")
    _check_age_rules(c, profile, today)
    return c
