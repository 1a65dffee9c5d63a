"""Reporting periods: a year, a quarter or a month, as `2025`, `2025Q1` or `2025-03`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from qzdesk.services.errors import ValidationError


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    code: str
    label: str

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def _month_end(year: int, month: int) -> date:
    return (date(year, month, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def parse_period(text: str) -> Period:
    code = text.strip().upper()
    if match := re.fullmatch(r"(\d{4})", code):
        year = int(match[1])
        return Period(date(year, 1, 1), date(year, 12, 31), code, f"{year}年")
    if match := re.fullmatch(r"(\d{4})Q([1-4])", code):
        year, quarter = int(match[1]), int(match[2])
        first = 3 * quarter - 2
        return Period(
            date(year, first, 1), _month_end(year, first + 2), code, f"{year}年第{quarter}季度"
        )
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})", code):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12:
            return Period(
                date(year, month, 1),
                _month_end(year, month),
                f"{year}-{month:02d}",
                f"{year}年{month}月",
            )
    raise ValidationError(
        f"无法识别的期间“{text}”：年度写 2025，季度写 2025Q1，月份写 2025-03。", "period"
    )
