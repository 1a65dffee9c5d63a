"""组织关系转接: one row per transfer, out of this organisation or into it; and the papers
of a member's 团员档案 (the 成长档案's checklist), appended as they are found or scanned."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from qzdesk.models.base import Base


class Transfer(Base):
    __tablename__ = "transfer"
    # The same package may come in twice (resent, copied twice): once per direction.
    __table_args__ = (UniqueConstraint("code", "direction"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), index=True)  # the sender's 介绍信 number
    direction: Mapped[str] = mapped_column(String(3))  # out | in
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    cause: Mapped[str] = mapped_column(String(10))  # vocabulary.TransferCause
    from_org: Mapped[str] = mapped_column(String(100))
    from_parent: Mapped[str] = mapped_column(String(100))
    to_org: Mapped[str] = mapped_column(String(100))
    to_parent: Mapped[str] = mapped_column(String(100))
    out_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    dues_paid_to: Mapped[date | None] = mapped_column(Date)  # a month's first day; None 未交
    state: Mapped[str] = mapped_column(String(10))  # vocabulary.TransferState
    closed_on: Mapped[date | None] = mapped_column(Date)  # received, confirmed or withdrawn
    package_sha256: Mapped[str | None] = mapped_column(String(64))
    # The other side's signing certificate: the sender's (in), the receiver's (out, from
    # the receipt); `other_known` whether it was registered or its fingerprint checked.
    other_fingerprint: Mapped[str | None] = mapped_column(String(100))
    other_known: Mapped[bool | None] = mapped_column(Boolean)
    zhtj_on: Mapped[date | None] = mapped_column(Date)  # the 智慧团建 request, as typed
    zhtj_state: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[str] = mapped_column(String(40))


class MemberPaper(Base):
    """One paper's state as found on a day; the latest row per (member, paper) holds."""

    __tablename__ = "member_paper"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    paper: Mapped[str] = mapped_column(String(20))  # vocabulary.Paper
    present: Mapped[bool] = mapped_column(Boolean)
    attachment_sha256: Mapped[str | None] = mapped_column(String(64))  # the scan
    on: Mapped[date] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(String(100))  # came with a transfer from
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[str] = mapped_column(String(40))
