"""Calendar arithmetic the League rules need (months counted as the calendar counts them)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day if it has no such day
    (31 January + 1 month = 28/29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def month_end(day: date) -> date:
    """The last day of `day`'s month (safe up to December 9999)."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@dataclass(frozen=True)
class PartialDate:
    """A date as precise as it was written: a year, a year and month, or a whole day.
    Compared at that precision, never completed with a made-up month or day."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.month is None and self.day is not None:
            raise ValueError("a day without a month")
        date(self.year, self.month or 1, self.day or 1)  # raises ValueError if impossible

    @property
    def precision(self) -> str:
        return "year" if self.month is None else "month" if self.day is None else "day"

    @classmethod
    def of(cls, day: date) -> PartialDate:
        return cls(day.year, day.month, day.day)

    def matches(self, day: date) -> bool:
        """Whether `day` falls in what was written (2006-03 matches 2006-03-14)."""
        written = (self.year, self.month, self.day)
        actual = (day.year, day.month, day.day)
        return all(w is None or w == a for w, a in zip(written, actual, strict=True))

    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        if self.day is not None:
            return self.first_day()
        return month_end(date(self.year, self.month or 12, 1))

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year}"
        if self.day is None:
            return f"{self.year}-{self.month:02d}"
        return f"{self.year}-{self.month:02d}-{self.day:02d}"
