"""League members (团员), their history events, and the import batches that brought them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from qzdesk.models.base import Base


class Member(Base):
    __tablename__ = "member"
    # Unique among live rows only: a rolled-back import leaves its rows (voided) behind,
    # and the same people must be importable again.
    __table_args__ = (
        Index(
            "uq_member_id_number_live", "id_number", unique=True, sqlite_where=text("voided = 0")
        ),
        Index(
            "uq_member_member_no_live", "member_no", unique=True, sqlite_where=text("voided = 0")
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("org.id"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    gender: Mapped[str] = mapped_column(String(2))
    ethnicity: Mapped[str] = mapped_column(String(20))
    id_type: Mapped[str] = mapped_column(String(10))
    id_number: Mapped[str] = mapped_column(String(30))
    birth_date: Mapped[date] = mapped_column(Date)
    household: Mapped[str | None] = mapped_column(String(100))
    joined_on: Mapped[date | None] = mapped_column(Date)  # None: not known (未填)
    # The year alone, read from the 团员编号 and accepted by the secretary while the month
    # is not known (据团员编号); None whenever joined_on is known.
    joined_year: Mapped[int | None] = mapped_column(Integer)
    joined_unit: Mapped[str | None] = mapped_column(String(100))
    member_no: Mapped[str | None] = mapped_column(String(12))
    political_status: Mapped[str] = mapped_column(String(20))
    party_joined_on: Mapped[date | None] = mapped_column(Date)
    education_fulltime: Mapped[str | None] = mapped_column(String(20))
    education_highest: Mapped[str | None] = mapped_column(String(20))
    occupation: Mapped[str | None] = mapped_column(String(20))
    work_unit: Mapped[str | None] = mapped_column(String(100))
    grade: Mapped[str | None] = mapped_column(String(20))
    class_name: Mapped[str | None] = mapped_column(String(20))
    mobile: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(100))
    league_post: Mapped[str | None] = mapped_column(String(20))
    post_since: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), index=True)
    status_pending: Mapped[bool] = mapped_column(Boolean, default=False)
    dues_tier: Mapped[str | None] = mapped_column(String(40))
    awards: Mapped[str | None] = mapped_column(Text)
    volunteer_since: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    left_reason: Mapped[str | None] = mapped_column(String(200))
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    search_key: Mapped[str] = mapped_column(String(200))


class MemberEvent(Base):
    """One dated fact of a member's history; append-only (triggers refuse UPDATE/DELETE)."""

    __tablename__ = "member_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[Any | None] = mapped_column(JSON)
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))


class ImportBatch(Base):
    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(260))
    file_sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(80))
    created_count: Mapped[int] = mapped_column(Integer)
    updated_count: Mapped[int] = mapped_column(Integer)
    rolled_back_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(String(20), server_default="members")  # | applicants
