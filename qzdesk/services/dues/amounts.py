"""应交: one month's dues of a member, in fen, by the profile's rule for the member's
category (中青发〔2016〕13号 and the profile's local values). One function: the book, the
to-do list and the archive all ask it."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_DOWN, Decimal

from qzdesk.services.organisation.rules import DuesRules
from qzdesk.vocabulary import DuesCategory


def fen(yuan: float | str) -> int:
    return int((Decimal(str(yuan)) * 100).to_integral_value())


def yuan_text(amount_fen: int) -> str:
    return f"{Decimal(amount_fen) / 100:.2f}"


def monthly_fen(rules: DuesRules, category: DuesCategory, income_fen: int | None) -> int | None:
    """The month's 应交; None when the income the rule needs is not known (未填)."""
    if category is DuesCategory.PARTY_PROBATIONARY:
        return 0  # a member who has become a 预备党员 may stop paying
    if category is DuesCategory.FARMER:
        return fen(rules.farmer_monthly_yuan.value)
    if not category.by_income:  # students, no income, relief
        return fen(rules.student_monthly_yuan.value)
    if income_fen is None:
        return None
    if rules.income_mode.value == "brackets":
        steps = [(fen(low), fen(amount)) for low, amount in rules.brackets_yuan.value]
        return next(amount for low, amount in reversed(steps) if income_fen >= low)
    if income_fen < fen(rules.low_income_threshold_yuan.value):
        return fen(rules.low_income_monthly_yuan.value)
    # 2 ‰ of the month's pay, truncated to the yuan, at most the cap.
    share = (Decimal(income_fen) / 100 * Decimal(str(rules.income_ratio.value))).quantize(
        Decimal(1), rounding=ROUND_DOWN
    )
    return min(int(share) * 100, fen(rules.monthly_cap_yuan.value))


def month_of(day: date) -> date:
    return day.replace(day=1)


def months_between(first: date, last: date) -> list[date]:
    """The first days of the months from `first`'s to `last`'s, both included."""
    found, month = [], month_of(first)
    while month <= last:
        found.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return found
