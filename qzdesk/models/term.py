"""换届: each election of a branch committee, kept as history; the latest one in force."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from qzdesk.models.base import Base


class Term(Base):
    __tablename__ = "term"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("org.id"), index=True)
    elected_on: Mapped[date] = mapped_column(Date)
    years: Mapped[int] = mapped_column(Integer)  # from the profile when elected
    secretary: Mapped[str] = mapped_column(String(40))
    committee: Mapped[str | None] = mapped_column(String(200))  # the others, 、-separated
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id"))  # the 支部大会
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # A mistaken entry is voided with a reason, never deleted or rewritten.
    void_reason: Mapped[str | None] = mapped_column(String(200))
