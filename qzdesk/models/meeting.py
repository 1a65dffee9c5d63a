"""Organisational life (三会两制一课): meetings with their minutes, attendance, observers,
attachments and addenda. Signed minutes are append-only: triggers refuse any change to a
signed meeting or its attendance, and a correction is an addendum."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from qzdesk.models.base import Base


class Meeting(Base):
    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("org.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    number: Mapped[int] = mapped_column(Integer)  # within the branch, kind and year
    held_on: Mapped[date] = mapped_column(Date, index=True)
    starts_at: Mapped[str | None] = mapped_column(String(5))
    ends_at: Mapped[str | None] = mapped_column(String(5))
    place: Mapped[str | None] = mapped_column(String(100))
    topic: Mapped[str] = mapped_column(String(200))
    chair: Mapped[str | None] = mapped_column(String(40))
    recorder: Mapped[str | None] = mapped_column(String(40))
    agenda: Mapped[list[str]] = mapped_column(JSON)
    speeches: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # speaker, points
    resolutions: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # text, votes
    status: Mapped[str] = mapped_column(String(10))  # draft | signed
    signed_at: Mapped[str | None] = mapped_column(String(40))
    content_hash: Mapped[str | None] = mapped_column(String(64))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_plan.id"))
    recorded_by: Mapped[str] = mapped_column(String(80))


class Attendance(Base):
    __tablename__ = "meeting_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    status: Mapped[str] = mapped_column(String(10))  # present | leave | absent
    reason: Mapped[str | None] = mapped_column(String(200))


class Observer(Base):
    """列席: may speak, not vote (e.g. activists)."""

    __tablename__ = "meeting_observer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    role: Mapped[str | None] = mapped_column(String(40))
    applicant_id: Mapped[int | None] = mapped_column(ForeignKey("applicant.id"))


class MeetingAttachment(Base):
    __tablename__ = "meeting_attachment"
    __table_args__ = (UniqueConstraint("meeting_id", "sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("attachment.sha256"))
    caption: Mapped[str | None] = mapped_column(String(100))


class Addendum(Base):
    """A correction to signed minutes; the minutes themselves never change."""

    __tablename__ = "meeting_addendum"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[str] = mapped_column(String(40))


class MeetingPlan(Base):
    """One planned meeting of the yearly plan (会前有计划)."""

    __tablename__ = "meeting_plan"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("org.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    planned_on: Mapped[date] = mapped_column(Date)
    topic: Mapped[str] = mapped_column(String(200))
    leader: Mapped[str | None] = mapped_column(String(40))
    cancelled_reason: Mapped[str | None] = mapped_column(String(200))
    moved_reason: Mapped[str | None] = mapped_column(String(200))
