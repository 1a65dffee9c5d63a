"""What the home page (工作台) shows about the organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Integer, func, select
from sqlalchemy.orm import Session

from qzdesk.models import Member
from qzdesk.services.context import Context
from qzdesk.services.errors import NotInitialised
from qzdesk.services.organisation import orgs
from qzdesk.services.organisation.rules import RuleProfile
from qzdesk.services.organisation.settings import Key, profile_in_force, read
from qzdesk.vocabulary import MemberStatus, OrgKind


@dataclass(frozen=True)
class MemberCounts:
    active: int
    left: int
    by_branch: dict[int, int]
    turning_age_out: int
    over_age_out: int


def member_counts(session: Session, profile: RuleProfile, today: date) -> MemberCounts:
    age_out = profile.membership.age_out.value
    live = (Member.voided.is_(False), Member.status == MemberStatus.ACTIVE.value)
    active = session.scalar(select(func.count()).where(*live)) or 0
    total = session.scalar(select(func.count()).where(Member.voided.is_(False))) or 0
    grouped = select(Member.branch_id, func.count()).where(*live).group_by(Member.branch_id)
    by_branch = {branch_id: count for branch_id, count in session.execute(grouped)}
    born_year = func.cast(func.strftime("%Y", Member.birth_date), Integer)
    turning = session.scalar(select(func.count()).where(*live, born_year == today.year - age_out))
    cutoff = date(today.year - age_out, today.month, min(today.day, 28))
    over = session.scalar(
        select(func.count()).where(*live, Member.birth_date <= cutoff, Member.league_post.is_(None))
    )
    return MemberCounts(active, total - active, by_branch, turning or 0, over or 0)


@dataclass(frozen=True)
class Overview:
    root: orgs.OrgInfo
    branches: list[orgs.OrgInfo]  # every organisation under the root
    secretary: str
    parent_org: str
    profile: RuleProfile
    members: MemberCounts

    @property
    def branch_list(self) -> list[orgs.OrgInfo]:
        """The 团支部 the organisation keeps: itself when it is a single 团支部 (the commonest
        village case), else those under it (团总支 are not counted as 团支部)."""
        if self.root.kind is OrgKind.BRANCH:
            return [self.root]
        return [b for b in self.branches if b.kind is OrgKind.BRANCH]

    @property
    def open_branches(self) -> list[orgs.OrgInfo]:
        return [b for b in self.branch_list if b.is_open]

    @property
    def closed_branches(self) -> list[orgs.OrgInfo]:
        return [b for b in self.branch_list if not b.is_open]

    @property
    def unconfirmed_rules(self) -> int:
        return sum(entry.rule.unconfirmed for entry in self.profile.entries())


def overview(ctx: Context, today: date | None = None) -> Overview:
    all_orgs = orgs.list_orgs(ctx)
    roots = [o for o in all_orgs if o.parent_id is None]
    if not roots:
        raise NotInitialised("尚未设置组织，请先完成首次设置。")
    session = ctx.session
    secretary = read(session, Key.SECRETARY, "")
    parent = read(session, Key.PARENT_ORG, "")
    profile = profile_in_force(read(session, Key.PROFILE), dict(ctx.profiles))
    counts = member_counts(session, profile, today or ctx.today)
    return Overview(
        root=roots[0],
        branches=[o for o in all_orgs if o.parent_id is not None],
        secretary=secretary,
        parent_org=parent,
        profile=profile,
        members=counts,
    )
