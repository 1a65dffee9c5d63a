"""The committee's year: the register of every unit in its area that should have a League
organisation, with dated changes and the 四有 checks (append-only: any period's coverage
is read from them); the 团干部信息管理库's fields the committee keeps (the archives
received give the rest); the explanations of falls in the cadre analysis; and the 年终考评.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from qzdesk.models.base import Base


class Unit(Base):
    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    township: Mapped[str | None] = mapped_column(String(40))  # 乡镇或街道
    sector: Mapped[str] = mapped_column(String(30))  # vocabulary.Sector
    youth_count: Mapped[int | None] = mapped_column(Integer)  # 青年人数, as the committee knows
    members_count: Mapped[int | None] = mapped_column(Integer)  # typed where no archive comes
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[str] = mapped_column(String(40))


class UnitEvent(Base):
    __tablename__ = "unit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    on: Mapped[date] = mapped_column(Date)
    change: Mapped[str] = mapped_column(String(20))  # vocabulary.UnitChange
    form: Mapped[str | None] = mapped_column(String(20))  # vocabulary.OrgForm
    org_name: Mapped[str | None] = mapped_column(String(80))  # its League organisation
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[str] = mapped_column(String(40))


class UnitCheck(Base):
    """One of the 四有, found met or not on a day."""

    __tablename__ = "unit_check"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    item: Mapped[str] = mapped_column(String(20))  # vocabulary.FourHas
    on: Mapped[date] = mapped_column(Date)
    met: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[str] = mapped_column(String(40))


class CadreFile(Base):
    """What the committee adds to a cadre the archives name (matched by ID number)."""

    __tablename__ = "cadre_file"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(40))
    nature: Mapped[str | None] = mapped_column(String(20))  # vocabulary.CadreNature
    in_post_since: Mapped[date | None] = mapped_column(Date)  # 任现职年月 (first of the month)
    party_committee: Mapped[bool | None] = mapped_column(Boolean)  # 同级党组织成员
    establishment: Mapped[str | None] = mapped_column(String(20))  # 编制
    phone: Mapped[str | None] = mapped_column(String(20))
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[str] = mapped_column(String(40))


class CadreTraining(Base):
    __tablename__ = "cadre_training"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cadre_id: Mapped[int] = mapped_column(ForeignKey("cadre_file.id"), index=True)
    on: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(80))  # 青马工程, 团干部培训班 …
    hours: Mapped[float | None] = mapped_column(Float)
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[str] = mapped_column(String(40))


class FallNote(Base):
    """Why a figure of the cadre analysis fell against the period before (append-only;
    the latest for a period and figure is the one that stands)."""

    __tablename__ = "fall_note"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_code: Mapped[str] = mapped_column(String(10), index=True)
    figure: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[str] = mapped_column(String(40))


class Appraisal(Base):
    """A cadre's 年终考评 for a year (append-only; the latest row for the pair stands)."""

    __tablename__ = "appraisal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cadre_id: Mapped[int] = mapped_column(ForeignKey("cadre_file.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    report_on: Mapped[date | None] = mapped_column(Date)  # 团内述职
    report: Mapped[str | None] = mapped_column(Text)
    party_grade: Mapped[str | None] = mapped_column(String(20))  # vocabulary.Grade
    votes: Mapped[dict[str, Any]] = mapped_column(JSON)  # 青年参评: grade → count
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[str] = mapped_column(String(40))
