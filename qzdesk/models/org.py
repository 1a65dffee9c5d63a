"""The organisation tree: 团委 / 团总支 / 团支部."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from qzdesk.models.base import Base


class Org(Base):
    __tablename__ = "org"
    __table_args__ = (
        CheckConstraint("kind IN ('committee', 'general_branch', 'branch')", name="kind_known"),
        CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),
        CheckConstraint("(closed_on IS NULL) = (close_reason IS NULL)", name="closed_with_reason"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    sector: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    close_reason: Mapped[str | None] = mapped_column(String(200))
    nature: Mapped[str] = mapped_column(String(20), server_default="regular")
