"""A committee's receiving side: the certificates it registered for the organisations
below (证书登记) and the log of every archive file it received (收件记录)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from qzdesk.models.base import Base


class TrustedCert(Base):
    """A registration: this organisation signs with this certificate from `registered_on`
    until `ended_on` (换届 with a new key, a lost PC); archives signed before the end
    stay valid."""

    __tablename__ = "trusted_cert"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(100), unique=True)
    org_name: Mapped[str] = mapped_column(String(80), index=True)
    parent: Mapped[str] = mapped_column(String(80))
    certificate_pem: Mapped[str] = mapped_column(Text)
    registered_on: Mapped[date] = mapped_column(Date)
    registered_by: Mapped[str] = mapped_column(String(80))
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(200))
    end_kind: Mapped[str | None] = mapped_column(String(20))  # KeyEnd; NULL: ended before 0011


class Receipt(Base):
    """One file received, whatever its verdict; the data of an accepted archive as it
    came (read-only: the signed original is the PDF kept beside it)."""

    __tablename__ = "receipt"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    file_name: Mapped[str] = mapped_column(String(260))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_by: Mapped[str] = mapped_column(String(80))
    accepted: Mapped[bool] = mapped_column()
    reasons: Mapped[list[str]] = mapped_column(JSON)
    archive_id: Mapped[str | None] = mapped_column(String(40), index=True)
    org_name: Mapped[str | None] = mapped_column(String(80), index=True)
    period_code: Mapped[str | None] = mapped_column(String(10), index=True)
    stored_as: Mapped[str | None] = mapped_column(String(300))
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    superseded_by: Mapped[int | None] = mapped_column(ForeignKey("receipt.id"))
