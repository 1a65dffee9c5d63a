"""The organisation tree: 团委 / 团总支 / 团支部."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from qzdesk.models.base import Base


class OrgKind(StrEnum):
    COMMITTEE = "committee"
    GENERAL_BRANCH = "general_branch"
    BRANCH = "branch"

    @property
    def label(self) -> str:
        return {"committee": "团委", "general_branch": "团总支", "branch": "团支部"}[self.value]


class Sector(StrEnum):
    """Where the organisation stands; the last three are the "三新" fields."""

    MIDDLE_SCHOOL = "middle_school"
    HIGH_SCHOOL = "high_school"
    VOCATIONAL_SCHOOL = "vocational_school"
    VILLAGE = "village"
    COMMUNITY = "community"
    PUBLIC_INSTITUTION = "public_institution"
    STATE_ENTERPRISE = "state_enterprise"
    NEW_ECONOMIC = "new_economic"
    NEW_SOCIAL = "new_social"
    NEW_EMPLOYMENT = "new_employment"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _SECTOR_LABELS[self]

    @property
    def is_school(self) -> bool:
        return self in (Sector.MIDDLE_SCHOOL, Sector.HIGH_SCHOOL, Sector.VOCATIONAL_SCHOOL)


_SECTOR_LABELS = {
    Sector.MIDDLE_SCHOOL: "初级中学",
    Sector.HIGH_SCHOOL: "普通高中",
    Sector.VOCATIONAL_SCHOOL: "中等职业学校",
    Sector.VILLAGE: "村（农村）",
    Sector.COMMUNITY: "社区（街道）",
    Sector.PUBLIC_INSTITUTION: "机关事业单位",
    Sector.STATE_ENTERPRISE: "国有企业",
    Sector.NEW_ECONOMIC: "新经济组织（非公企业）",
    Sector.NEW_SOCIAL: "新社会组织（社会组织）",
    Sector.NEW_EMPLOYMENT: "新就业群体（快递、外卖、网约车等）",
    Sector.OTHER: "其他",
}


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
