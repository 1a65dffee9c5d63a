"""团员教育评议 (a yearly rating session per branch) and 团籍注册 (yearly registration)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from qzdesk.models.base import Base


class EvaluationSession(Base):
    __tablename__ = "evaluation_session"
    __table_args__ = (UniqueConstraint("branch_id", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("org.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    held_on: Mapped[date] = mapped_column(Date)
    expected: Mapped[int] = mapped_column(Integer)
    present: Mapped[int] = mapped_column(Integer)
    proposed_on: Mapped[date | None] = mapped_column(Date)  # 支委会 proposes the grades
    approved_on: Mapped[date | None] = mapped_column(Date)  # 上级团委 approves
    recorded_by: Mapped[str] = mapped_column(String(80))


class EvaluationEntry(Base):
    __tablename__ = "evaluation_entry"
    __table_args__ = (UniqueConstraint("session_id", "member_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("evaluation_session.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    self_assessment: Mapped[str | None] = mapped_column(Text)
    votes_excellent: Mapped[int] = mapped_column(Integer, default=0)
    votes_qualified: Mapped[int] = mapped_column(Integer, default=0)
    votes_basic: Mapped[int] = mapped_column(Integer, default=0)
    votes_unqualified: Mapped[int] = mapped_column(Integer, default=0)
    grade: Mapped[str | None] = mapped_column(String(20))  # excellent|qualified|basic|unqualified


class Registration(Base):
    __tablename__ = "registration"
    __table_args__ = (UniqueConstraint("member_id", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))  # registered | deferred
    on: Mapped[date] = mapped_column(Date)
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(200))
    recorded_by: Mapped[str] = mapped_column(String(80))
