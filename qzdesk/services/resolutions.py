"""A vote taken at a 支部大会 (an applicant admitted, a member recommended to the Party)
also goes into that meeting's draft minutes as a resolution pointing back at whom it
decided: one rule for every domain that votes."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from qzdesk.models import Meeting
from qzdesk.services.errors import ValidationError


def into_minutes(
    session: Session,
    meeting_id: int,
    branch_id: int,
    on: date,
    text: str,
    votes: dict[str, Any],
    **pointing: int,
) -> None:
    """The resolution in the 支部大会 of the same branch held that day, while its minutes
    are a draft (signed minutes never change)."""
    meeting = session.get(Meeting, meeting_id)
    if (
        meeting is None
        or meeting.kind != "assembly"
        or meeting.branch_id != branch_id
        or meeting.held_on != on
    ):
        raise ValidationError("请选择同一团支部、同一天召开的支部大会会议记录。", "meeting_id")
    if meeting.status == "signed":
        raise ValidationError("该支部大会的会议记录已签字确认，不能再写入表决结果。", "meeting_id")
    meeting.resolutions = [
        *meeting.resolutions,
        {
            "text": text,
            "votes_for": votes["for"],
            "against": votes["against"],
            "abstain": votes["abstain"],
            "valid": None,
            **pointing,
        },
    ]
