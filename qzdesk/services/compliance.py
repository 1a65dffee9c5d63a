"""Required versus held: the meetings the rule profile asks of each branch in a year,
against the minutes signed off (drafts are counted apart: not yet an archive)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from qzdesk.models import Meeting, Org, OrgKind
from qzdesk.services.meetings import MeetingKind
from qzdesk.services.rules import RuleProfile
from qzdesk.services.settings import active_profile
from qzdesk.services.store import Store


@dataclass(frozen=True)
class ComplianceCell:
    branch: str
    kind: MeetingKind
    required: int | None  # None: as needed
    held: int
    drafts: int

    @property
    def met(self) -> bool:
        return self.required is None or self.held >= self.required

    HEADERS = ("团支部", "会议", "应开", "已开", "未签字", "是否达到")

    def cells(self) -> list[str]:
        """One row of the compliance table, as the screen and the PDF show it."""
        return [
            self.branch,
            self.kind.label,
            "按需" if self.required is None else str(self.required),
            str(self.held),
            str(self.drafts) if self.drafts else "",
            "是" if self.met else "否",
        ]


def required_in(profile: RuleProfile, kind: MeetingKind, months: int) -> int | None:
    every = kind.every_months(profile)
    return None if every == 0 else months // every


def compliance(
    store: Store, profiles: dict[str, RuleProfile], year: int, today: date | None = None
) -> list[ComplianceCell]:
    """Per open branch and meeting kind; the current year is judged up to today's month."""
    today = today or date.today()
    months = 12 if year < today.year else (today.month if year == today.year else 0)
    with store.transaction() as session:
        profile = active_profile(session, profiles)
        branches = list(
            session.execute(
                select(Org.id, Org.name)
                .where(Org.kind == OrgKind.BRANCH.value, Org.closed_on.is_(None))
                .order_by(Org.position, Org.id)
            )
        )
        counts = {
            (branch_id, kind, status): n
            for branch_id, kind, status, n in session.execute(
                select(Meeting.branch_id, Meeting.kind, Meeting.status, func.count())
                .where(Meeting.held_on >= date(year, 1, 1), Meeting.held_on <= date(year, 12, 31))
                .group_by(Meeting.branch_id, Meeting.kind, Meeting.status)
            )
        }
        return [
            ComplianceCell(
                name,
                kind,
                required_in(profile, kind, months),
                counts.get((branch_id, kind.value, "signed"), 0),
                counts.get((branch_id, kind.value, "draft"), 0),
            )
            for branch_id, name in branches
            for kind in MeetingKind
        ]
