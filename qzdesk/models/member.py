"""League members (团员), their history events, and the import batches that brought them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
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


class Labeled(StrEnum):
    """An enum whose Chinese label is looked up in the subclass's `_labels`."""

    @property
    def label(self) -> str:
        return type(self)._labels()[self.value]

    @classmethod
    def _labels(cls) -> dict[str, str]:
        raise NotImplementedError

    @classmethod
    def from_label(cls, text: str) -> Labeled | None:
        for value, label in cls._labels().items():
            if text in (label, value):
                return cls(value)
        return None


class MemberStatus(Labeled):
    ACTIVE = "active"
    AGED_OUT = "aged_out"
    LAPSED = "lapsed"
    WITHDRAWN = "withdrawn"
    EXPELLED = "expelled"
    TRANSFERRED_OUT = "transferred_out"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "active": "正常",
            "aged_out": "满28周岁离团",
            "lapsed": "自行脱团",
            "withdrawn": "自愿退团",
            "expelled": "开除团籍",
            "transferred_out": "已转出",
        }


class PoliticalStatus(Labeled):
    LEAGUE = "league"
    PARTY_PROBATIONARY = "party_probationary"
    PARTY = "party"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"league": "团员", "party_probationary": "中共预备党员", "party": "中共党员"}


class IdType(Labeled):
    RESIDENT = "resident"
    OTHER = "other"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"resident": "居民身份证", "other": "境外证件"}


EDUCATION_LEVELS = (
    "小学",
    "初中",
    "高中",
    "中专",
    "大专",
    "大学本科",
    "硕士研究生",
    "博士研究生",
    "初中在读",
    "高中在读",
    "中专在读",
    "大专在读",
    "大学本科在读",
    "硕士研究生在读",
    "博士研究生在读",
)
OCCUPATIONS = (
    "学生",
    "农民",
    "国有企业职工",
    "非公有制企业职工",
    "机关事业单位职工",
    "社会组织员工",
    "自由职业者",
    "教职工",
    "其他",
)
LEAGUE_POSTS = ("书记", "副书记", "组织委员", "宣传委员", "文体委员", "其他")


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
    joined_on: Mapped[date] = mapped_column(Date)
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
