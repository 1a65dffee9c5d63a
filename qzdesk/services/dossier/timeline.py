"""The 成长档案 timeline: one ordered list of a member's League life as of a day, from the
records already held (admission steps, 入团, 注册 and 评议, posts, 奖惩, branch moves,
transfers, 入党, 离团) and the history that arrived with a transfer, each entry marked
with where it came from. The member form, the transfer package and the 成长档案 PDF all
show this one list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from qzdesk.models import (
    Applicant,
    EvaluationEntry,
    EvaluationSession,
    Member,
    MemberEvent,
    Org,
    Recommendation,
    RecommendationStep,
    Registration,
    StageEvent,
)
from qzdesk.services.admission.stages import Step
from qzdesk.services.context import Context
from qzdesk.services.lookup import get_row
from qzdesk.services.meetings.evaluation import Grade
from qzdesk.services.party.steps import PartyAnswer, PartyStep
from qzdesk.vocabulary import UNKNOWN, MemberStatus, PoliticalStatus

HISTORY = "history"  # an entry that arrived with a transfer, kept as it was written
KIND_LABELS = {
    "pioneer": "少先队推优",
    "admission": "入团程序",
    "joined": "入团",
    "registration": "团籍注册",
    "evaluation": "教育评议",
    "post": "团内职务",
    "award": "奖励",
    "discipline": "团内处分",
    "discipline_lifted": "解除处分",
    "moved": "调整团支部",
    "transfer_out": "组织关系转出",
    "transfer_in": "组织关系转入",
    "party": "入党",
    "left": "离团",
    "restored": "恢复团籍",
    "party_applied": "递交入党申请书",
    "party_recommended": "推优入党",
    "party_answer": "党组织反馈",
}
# Member events that are the person's history (the others record data entry).
EVENT_KINDS = (
    "party_applied",
    "discipline",
    "discipline_lifted",
    "moved",
    "transfer_out",
    "transfer_in",
    "left",
    "restored",
)


@dataclass(frozen=True)
class Entry:
    """One dated fact; `on` None when the day is not known (未填), `source` the
    organisation that recorded it ("" for this one's own records)."""

    on: date | None
    kind: str
    text: str
    source: str = ""

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def day_text(self) -> str:
        """As the 成长档案 prints it: 入团 is known to the month (入团年月)."""
        if self.on is None:
            return UNKNOWN
        return f"{self.on:%Y-%m}" if self.kind == "joined" else self.on.isoformat()

    def as_dict(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat() if self.on else None,
            "kind": self.kind,
            "text": self.text,
            "source": self.source,
        }

    @staticmethod
    def from_dict(data: dict[str, Any], source: str) -> Entry:
        """As written in a transfer package; the sender's own entries take its name."""
        return Entry(
            date.fromisoformat(data["on"]) if data["on"] else None,
            data["kind"],
            data["text"],
            data["source"] or source,
        )


def _event_text(kind: str, on_row: MemberEvent, orgs: dict[int, str]) -> str:
    details = on_row.details or {}
    reason = f"（{on_row.reason}）" if on_row.reason else ""
    if kind == "moved":
        return (
            f"由{orgs.get(details.get('from'), '')}调整到{orgs.get(details.get('to'), '')}{reason}"
        )
    if kind == "discipline":
        until = f"，至 {details['until']}" if details.get("until") else ""
        return f"{details.get('level', '')}{until}{reason}（{details.get('decided_by', '')}决定）"
    if kind == "left":
        return f"{MemberStatus(details.get('status', 'active')).label}{reason}"
    if kind in ("transfer_out", "transfer_in"):
        return str(details.get("text", "")) or (on_row.reason or "")
    return on_row.reason or ""


def _own(ctx: Context, member: Member, as_of: date) -> list[Entry]:
    session = ctx.session
    orgs = {i: n for i, n in session.execute(select(Org.id, Org.name))}
    found: list[Entry] = []
    applicant = session.scalar(select(Applicant).where(Applicant.member_id == member.id))
    if applicant is not None:
        steps = session.scalars(
            select(StageEvent)
            .where(StageEvent.applicant_id == applicant.id, StageEvent.on <= as_of)
            .order_by(StageEvent.on, StageEvent.id)
        ).all()
        if applicant.recommended_by == "pioneer" and steps:
            found.append(Entry(steps[0].on, "pioneer", "经少先队组织推荐（推优入团）"))
        found += [
            Entry(s.on, "admission", Step(s.step).label)
            for s in steps
            if s.step in Step._value2member_map_
        ]
    if member.joined_on is None:
        found.append(Entry(None, "joined", "入团（入团年月未填）"))
    elif member.joined_on <= as_of:
        unit = f"，于{member.joined_unit}" if member.joined_unit else ""
        number = f"，团员编号 {member.member_no}" if member.member_no else ""
        found.append(Entry(member.joined_on, "joined", f"加入中国共产主义青年团{unit}{number}"))
    for year, status, on in session.execute(
        select(Registration.year, Registration.status, Registration.on)
        .where(Registration.member_id == member.id, Registration.on <= as_of)
        .order_by(Registration.year)
    ):
        found.append(
            Entry(
                on,
                "registration",
                f"{year}年度" + ("已注册" if status == "registered" else "暂缓注册"),
            )
        )
    for year, held_on, approved_on, grade in session.execute(
        select(
            EvaluationSession.year,
            EvaluationSession.held_on,
            EvaluationSession.approved_on,
            EvaluationEntry.grade,
        )
        .join(EvaluationEntry, EvaluationEntry.session_id == EvaluationSession.id)
        .where(EvaluationEntry.member_id == member.id, EvaluationSession.held_on <= as_of)
        .order_by(EvaluationSession.year)
    ):
        approved = grade is not None and approved_on is not None and approved_on <= as_of
        text = f"{year}年度评议：{Grade(grade).label}" if approved else f"{year}年度评议：待审批"
        found.append(Entry(approved_on if approved else held_on, "evaluation", text))
    if member.league_post and (member.post_since is None or member.post_since <= as_of):
        found.append(Entry(member.post_since, "post", f"担任{member.league_post}"))
    if member.awards:
        found.append(Entry(None, "award", member.awards))
    events = session.scalars(
        select(MemberEvent)
        .where(
            MemberEvent.member_id == member.id,
            MemberEvent.kind.in_(EVENT_KINDS),
            MemberEvent.on <= as_of,
        )
        .order_by(MemberEvent.on, MemberEvent.id)
    )
    found += [Entry(e.on, e.kind, _event_text(e.kind, e, orgs)) for e in events]
    found += _party(ctx, member.id, as_of)
    if member.party_joined_on is not None and member.party_joined_on <= as_of:
        status = PoliticalStatus(member.political_status).label
        found.append(Entry(member.party_joined_on, "party", f"加入中国共产党（{status}）"))
    return found


def _party(ctx: Context, member_id: int, as_of: date) -> list[Entry]:
    """推优入党 as the ladder shows it: the approval, and each answer of the Party."""
    steps = ctx.session.execute(
        select(RecommendationStep.step, RecommendationStep.on, RecommendationStep.details)
        .join(Recommendation, Recommendation.id == RecommendationStep.recommendation_id)
        .where(
            Recommendation.member_id == member_id,
            RecommendationStep.on <= as_of,
            RecommendationStep.step.in_((PartyStep.APPROVED.value, PartyStep.ANSWER.value)),
        )
        .order_by(RecommendationStep.on, RecommendationStep.id)
    )
    return [
        Entry(on, "party_recommended", "经团组织推荐，上级团委审查同意")
        if step == PartyStep.APPROVED.value
        else Entry(on, "party_answer", PartyAnswer(details["answer"]).label)
        for step, on, details in steps
    ]


def arrived(ctx: Context, member_id: int, as_of: date) -> list[Entry]:
    """The history that came with transfers into this organisation, as it was sent."""
    rows = ctx.session.scalars(
        select(MemberEvent)
        .where(
            MemberEvent.member_id == member_id,
            MemberEvent.kind == HISTORY,
            MemberEvent.on <= as_of,
        )
        .order_by(MemberEvent.id)
    )
    return [Entry.from_dict(row.details["entry"], row.details["from"]) for row in rows]


def _order(entry: Entry) -> tuple[bool, date]:
    # Undated entries (an award written without its day) last, each kind in its place.
    return (entry.on is None, entry.on or date.max)


def timeline(ctx: Context, member_id: int, as_of: date | None = None) -> tuple[Entry, ...]:
    """The member's history up to `as_of` (today), oldest first. A fact held both in the
    history that arrived and in this organisation's record (the 入团 day, written into
    the member's row on arrival) is listed once, as it arrived."""
    member = get_row(ctx.session, Member, member_id, f"找不到编号为 {member_id} 的团员。")
    day = as_of or ctx.today
    came = arrived(ctx, member.id, day)
    seen = {(e.on, e.kind, e.text) for e in came}
    own = [e for e in _own(ctx, member, day) if (e.on, e.kind, e.text) not in seen]
    return tuple(sorted([*came, *own], key=_order))
