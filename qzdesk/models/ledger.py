"""The points ledger (积分): entries and their reviews, both append-only and hash-chained.

Each row stores the hash of the row before it and its own hash over its content, so a
row changed outside qzdesk (triggers dropped) breaks the chain at that row.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from qzdesk.models.base import Base


class PointsEntry(Base):
    __tablename__ = "points_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicant.id"), index=True)
    stage: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(40))
    item: Mapped[str] = mapped_column(String(40))
    grade: Mapped[str | None] = mapped_column(String(1))  # A-D for degree items
    points10: Mapped[int] = mapped_column(Integer)  # tenths of a point
    occurred_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[list[str]] = mapped_column(JSON)
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("points_entry.id"), index=True)
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[str] = mapped_column(String(40))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class PointsReview(Base):
    """The 积分入团领导小组's decision on one entry: approved, or returned with a reason."""

    __tablename__ = "points_review"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("points_entry.id"), unique=True)
    decision: Mapped[str] = mapped_column(String(10))  # approved | returned
    reason: Mapped[str | None] = mapped_column(Text)
    session_no: Mapped[int] = mapped_column(Integer)
    reviewed_on: Mapped[date] = mapped_column(Date)
    reviewers: Mapped[str] = mapped_column(String(200))
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[str] = mapped_column(String(40))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
