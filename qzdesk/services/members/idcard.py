"""公民身份号码 (GB 11643-1999): normalise, check, and read birth date and sex from it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from qzdesk.services import clock

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


class IdNumberError(ValueError):
    """The number is not a valid resident ID; the message says why, in Chinese."""


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: date
    male: bool

    @property
    def gender(self) -> str:
        return "男" if self.male else "女"


def normalise(raw: str) -> str:
    """Full-width digits and X become ASCII, spaces and dashes go, a lowercase x is raised."""
    text = unicodedata.normalize("NFKC", raw)
    return re.sub(r"[\s\-]", "", text).upper()


def check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def _birth(text: str) -> date:
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise IdNumberError(f"身份证号中的出生日期 {text} 不存在。") from None


def parse(raw: str, today: date | None = None) -> ResidentId:
    number = normalise(raw)
    if len(number) == 15 and number.isdigit():
        raise IdNumberError("这是 15 位旧身份证号，请用“升级为 18 位”操作转换后再保存。")
    if len(number) != 18:
        raise IdNumberError(f"身份证号应为 18 位（现为 {len(number)} 位）。")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdNumberError("身份证号前 17 位应为数字，最后一位为数字或 X。")
    born = _birth(number[6:14])
    if born > (today or clock.today()):
        raise IdNumberError(f"身份证号中的出生日期 {born.isoformat()} 不合理。")
    expected = check_char(number[:17])
    if number[17] != expected:
        raise IdNumberError("身份证号校验位不符，可能有数字输错，请核对。")
    return ResidentId(number, born, int(number[16]) % 2 == 1)


def upgrade_legacy(raw: str) -> str:
    """A 15-digit number (YYMMDD, century 19, no check digit) as its 18-digit form."""
    number = normalise(raw)
    if len(number) != 15 or not number.isdigit():
        raise IdNumberError("只有 15 位的旧身份证号才能升级。")
    _birth("19" + number[6:12])
    first17 = number[:6] + "19" + number[6:]
    return first17 + check_char(first17)
