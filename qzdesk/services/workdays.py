"""Counting working days with the Chinese holiday calendar (chinese-calendar), which
knows the 调休 weekends worked; for a year it does not cover, Monday to Friday with a
visible warning."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar


@dataclass(frozen=True)
class WorkdaySpan:
    ends_on: date
    warning: str | None


def _is_workday(day: date, uncovered: set[int]) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        uncovered.add(day.year)
        return day.weekday() < 5


def working_days_from(start: date, days: int) -> WorkdaySpan:
    """The day on which a period of `days` working days starting on `start` ends (`start`
    counts if it is a working day)."""
    if days < 1:
        raise ValueError("a period lasts at least one working day")
    uncovered: set[int] = set()
    day, counted = start, 0
    while True:
        if _is_workday(day, uncovered):
            counted += 1
            if counted == days:
                break
        day += timedelta(days=1)
    warning = None
    if uncovered:
        years = "、".join(f"{y} 年" for y in sorted(uncovered))
        warning = (
            f"节假日日历尚未收录 {years}的放假安排，已按周一至周五计算工作日，"
            "请对照国务院办公厅的放假通知核对截止日期。"
        )
    return WorkdaySpan(day, warning)
