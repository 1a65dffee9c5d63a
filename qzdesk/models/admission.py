"""Admission (发展团员): applicants, the dated events of their ten steps, publicity
notices with their objections, quotas and the member-number blocks from above."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from qzdesk.models.base import Base


class Applicant(Base):
    """A young person who applied. Personal fields may be corrected (audited); the steps
    live in `StageEvent`, never in columns of this row. An applicant whose import was
    undone stays, void, so that the same person can be imported again."""

    __tablename__ = "applicant"
    __table_args__ = (
        Index(
            "uq_applicant_id_number_live", "id_number", unique=True, sqlite_where=text("voided = 0")
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("org.id"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    gender: Mapped[str] = mapped_column(String(2))
    ethnicity: Mapped[str] = mapped_column(String(20))
    id_number: Mapped[str] = mapped_column(String(30))
    birth_date: Mapped[date] = mapped_column(Date)
    school: Mapped[str | None] = mapped_column(String(100))
    grade: Mapped[str | None] = mapped_column(String(20), index=True)
    class_name: Mapped[str | None] = mapped_column(String(20))
    mobile: Mapped[str | None] = mapped_column(String(20))
    recommended_by: Mapped[str] = mapped_column(String(20))  # member | pioneer
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"))
    search_key: Mapped[str] = mapped_column(String(200))
    voided: Mapped[bool] = mapped_column(Boolean, server_default=text("0"))


class StageEvent(Base):
    """One dated step or fact of an applicant's way in; append-only (triggers)."""

    __tablename__ = "stage_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicant.id"), index=True)
    step: Mapped[str] = mapped_column(String(30))
    on: Mapped[date] = mapped_column(Date)
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    evidence: Mapped[list[str]] = mapped_column(JSON)  # attachment sha256s
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[str] = mapped_column(String(40))
    # Set on steps brought in from a list (补录): they happened before qzdesk kept them.
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))


class Publicity(Base):
    """A 公示: a list of names shown for a number of working days."""

    __tablename__ = "publicity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # activist | candidate | new_member
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    working_days: Mapped[int] = mapped_column(Integer)
    contact: Mapped[str] = mapped_column(String(200))
    calendar_warning: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[str] = mapped_column(String(40))


class PublicityEntry(Base):
    __tablename__ = "publicity_entry"
    __table_args__ = (UniqueConstraint("publicity_id", "applicant_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    publicity_id: Mapped[int] = mapped_column(ForeignKey("publicity.id"), index=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicant.id"), index=True)


class Objection(Base):
    """An objection raised during a publicity; it blocks the applicant until resolved,
    and for good if upheld."""

    __tablename__ = "objection"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    publicity_id: Mapped[int] = mapped_column(ForeignKey("publicity.id"), index=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicant.id"), index=True)
    received_on: Mapped[date] = mapped_column(Date)
    content: Mapped[str] = mapped_column(Text)
    resolved_on: Mapped[date | None] = mapped_column(Date)
    resolution: Mapped[str | None] = mapped_column(Text)
    upheld: Mapped[bool | None] = mapped_column(Boolean)


class Quota(Base):
    """The school's yearly admission quota (grade NULL) or a grade's number of students
    (for the 团青比 ceiling)."""

    __tablename__ = "quota"
    __table_args__ = (UniqueConstraint("year", "grade"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    grade: Mapped[str | None] = mapped_column(String(20))
    quota: Mapped[int | None] = mapped_column(Integer)
    students: Mapped[int | None] = mapped_column(Integer)


class MemberNoBlock(Base):
    """A block of 发展团员编号 handed down from above for one year."""

    __tablename__ = "member_no_block"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    first: Mapped[str] = mapped_column(String(12))
    last: Mapped[str] = mapped_column(String(12))
