"""Reporting periods: a year, a quarter or a month, as `2025`, `2025Q1` or `2025-03`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from qzdesk.services.clock import BEIJING
from qzdesk.services.errors import ValidationError

# The League's days are Beijing days: a row recorded at 00:30 on 1 April belongs to Q2
# wherever the PC's clock is set (services/clock.py).


def instant_text(moment: datetime) -> str:
    """A moment as the ledger writes `recorded_at` (UTC, six digits of microseconds), so
    that comparing the texts compares the times."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def day_start(day: date) -> str:
    """The first instant of a Beijing day, as `instant_text`."""
    return instant_text(datetime.combine(day, time(0), BEIJING))


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    code: str
    label: str

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def as_of(self, today: date) -> date:
        """The day the period's records are read for: its last day, or today while it runs."""
        return min(self.end, today)

    @property
    def previous(self) -> Period:
        """The period of the same kind just before (2026Q1 → 2025Q4, 2026 → 2025)."""
        day = self.start - timedelta(days=1)
        if re.fullmatch(r"\d{4}", self.code):
            return parse_period(f"{day.year}")
        if "Q" in self.code:
            return parse_period(f"{day.year}Q{(day.month + 2) // 3}")
        return parse_period(f"{day.year}-{day.month}")

    def bounds(self, now: datetime) -> tuple[str, str]:
        """[start, end) of the period as instants: Beijing midnights, the end no later
        than `now` (an archive of the running period stops at its build)."""
        end = min(day_start(self.end + timedelta(days=1)), instant_text(now))
        return day_start(self.start), end


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
