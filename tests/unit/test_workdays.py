"""Publicity periods counted in working days with the holiday calendar."""

from __future__ import annotations

from datetime import date

from qzdesk.services.dates import add_months
from qzdesk.services.workdays import working_days_from


def test_golden_week_is_skipped_and_the_makeup_saturday_counts():
    # 2025: 1–8 October off; Saturday 11 October worked in exchange.
    span = working_days_from(date(2025, 9, 29), 5)
    assert span.ends_on == date(2025, 10, 11) and span.warning is None


def test_a_period_starting_in_the_holiday_starts_counting_after_it():
    assert working_days_from(date(2025, 10, 3), 1).ends_on == date(2025, 10, 9)


def test_a_weekend_worked_before_golden_week_counts():
    # Sunday 28 September 2025 was a working day.
    assert working_days_from(date(2025, 9, 28), 1).ends_on == date(2025, 9, 28)


def test_a_year_the_calendar_does_not_cover_falls_back_with_a_warning():
    span = working_days_from(date(2026, 12, 28), 5)
    assert span.ends_on == date(2027, 1, 1)  # Monday to Friday, 1 January not known as a holiday
    assert span.warning is not None and "2027 年" in span.warning


def test_months_are_counted_as_the_calendar_counts_them():
    assert add_months(date(2025, 3, 20), 3) == date(2025, 6, 20)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
