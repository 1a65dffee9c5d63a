"""对标定级: the 一票否决 items noted against a branch for a year; any one makes its rating
软弱涣散 whatever the score."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from qzdesk.models.base import Base


class RatingVeto(Base):
    __tablename__ = "rating_veto"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("org.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    item_key: Mapped[str] = mapped_column(String(40))  # the rule profile's veto item
    noted_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # A mistaken entry is voided with a reason, never deleted or rewritten.
    void_reason: Mapped[str | None] = mapped_column(String(200))
