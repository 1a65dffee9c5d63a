"""The free-text 交费档位 that rosters carried before the book ("学生 0.2 元/月"), read
into a category where the words say it plainly. What cannot be read (an income bracket
with no figure, "其他") stays as typed and is asked about on the 工作台: never guessed."""

from __future__ import annotations

from qzdesk.vocabulary import DuesCategory

# Checked in this order: a 预备党员 student is reckoned as a 预备党员.
_WORDS: tuple[tuple[DuesCategory, tuple[str, ...]], ...] = (
    (DuesCategory.PARTY_PROBATIONARY, ("预备党员",)),
    (DuesCategory.RELIEF, ("低保", "救济", "最低生活保障", "特困")),
    (DuesCategory.NO_INCOME, ("失业", "无业", "待业", "无收入", "无固定收入")),
    (DuesCategory.STUDENT, ("学生", "在校", "在读")),
    (DuesCategory.FARMER, ("农民", "务农", "农村团员")),
)


def read_tier(text: str | None) -> DuesCategory | None:
    """The category the text plainly names; None for what needs an income or a person's
    judgment (工资、个体、其他 …)."""
    words = (text or "").strip()
    for category, marks in _WORDS:
        if any(mark in words for mark in marks):
            return category
    return None
