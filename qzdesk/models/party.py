"""推优入党: one recommendation per member and round, and its steps (append-only, as the
admission steps are): proposal, the committee's agreement, the 团员大会's vote, the
支委会's review, 公示, the 上级团委's approval, the 推荐表 sent, the Party's answer."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from qzdesk.models.base import Base


class Recommendation(Base):
    __tablename__ = "party_recommendation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("org.id"))  # the branch when proposed
    year: Mapped[int] = mapped_column(Integer)  # the round, for the quota
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[str] = mapped_column(String(40))


class RecommendationStep(Base):
    __tablename__ = "party_step"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("party_recommendation.id"), index=True
    )
    step: Mapped[str] = mapped_column(String(20))
    on: Mapped[date] = mapped_column(Date)
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[str] = mapped_column(String(40))
