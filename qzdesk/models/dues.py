"""团费: what each member's dues are reckoned from (from a month on), and the book of
payments, exemptions and corrections. Both are append-only: a basis changes by a new row
from a month, an entry is corrected by a reversing entry with its reason."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from qzdesk.models.base import Base


class DuesBasis(Base):
    __tablename__ = "dues_basis"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    from_month: Mapped[date] = mapped_column(Date)  # the first day of the month it applies from
    category: Mapped[str] = mapped_column(String(20))  # vocabulary.DuesCategory
    income_fen: Mapped[int | None] = mapped_column(Integer)  # monthly, where the rule needs it
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[str] = mapped_column(String(40))


class DuesEntry(Base):
    __tablename__ = "dues_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # vocabulary.DuesEntryKind
    first_month: Mapped[date] = mapped_column(Date)  # the months it covers, first days
    last_month: Mapped[date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(Integer)
    on: Mapped[date] = mapped_column(Date)  # paid, or approved (减免)
    method: Mapped[str | None] = mapped_column(String(12))  # 现金 / 转账 / 线上
    paid_by: Mapped[str | None] = mapped_column(String(40))  # 代交人
    receipt_no: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)  # 减免's approval, 支委会 consent, why
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("dues_entry.id"))
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[str] = mapped_column(String(40))


class DuesMoney(Base):
    """The money side: amounts passed up to the committee (with its receipt), spent on a
    purpose (with the meeting or decision behind it), and the balances counted at a
    handover between secretaries. Append-only; a correction is a reversing row."""

    __tablename__ = "dues_money"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # vocabulary.DuesMoneyKind
    on: Mapped[date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(Integer)  # a handover: the amount counted
    purpose: Mapped[str | None] = mapped_column(String(20))  # vocabulary.DuesPurpose
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id"))
    decision: Mapped[str | None] = mapped_column(String(200))  # where no minutes are kept here
    receipt_no: Mapped[str | None] = mapped_column(String(40))  # the committee's receipt
    handed_by: Mapped[str | None] = mapped_column(String(40))  # a handover's 移交人
    taken_by: Mapped[str | None] = mapped_column(String(40))  # a handover's 接交人
    note: Mapped[str | None] = mapped_column(Text)
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("dues_money.id"))
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[str] = mapped_column(String(40))
