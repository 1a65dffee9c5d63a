"""团内处分: recorded on the member's history (警告, 严重警告, 撤销团内职务, 留团察看 with its
end; 开除团籍 is a way of leaving, recorded there). A member under 留团察看 cannot be an
入团介绍人 (团章 第十条 on sponsors being members in good standing)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from qzdesk.models import Member, MemberEvent
from qzdesk.services.changes import Outcome, Topic
from qzdesk.services.context import Context
from qzdesk.services.errors import ValidationError
from qzdesk.services.lookup import get_row
from qzdesk.services.members.records import add_event

PROBATION = "留团察看"
LEVELS = ("警告", "严重警告", "撤销团内职务", PROBATION)
DISCIPLINE, LIFTED = "discipline", "discipline_lifted"
CHANGED = frozenset({Topic.MEMBERS, Topic.AUDIT})


def record_discipline(
    ctx: Context,
    member_id: int,
    level: str,
    on: date,
    until: date | None,
    reason: str,
    decided_by: str,
) -> Outcome[None]:
    """A discipline decided by a 支部大会 on `on`; 留团察看 names the day it ends."""
    if level not in LEVELS:
        raise ValidationError(f"处分种类应为：{'、'.join(LEVELS)}。", "level")
    if on > ctx.today:
        raise ValidationError("处分日期不能晚于今天。", "on")
    if level == PROBATION and (until is None or until <= on):
        raise ValidationError("留团察看须写明察看期满的日期（晚于处分日期）。", "until")
    if not reason.strip():
        raise ValidationError("请写明处分原因。", "reason")
    if not decided_by.strip():
        raise ValidationError("请填写作出处分决定的会议（如“2026年第3次支部大会”）。", "decided_by")
    session = ctx.session
    member = get_row(session, Member, member_id, "找不到这名团员。")
    details = {"level": level, "decided_by": decided_by.strip()}
    if level == PROBATION and until is not None:
        details["until"] = until.isoformat()
    add_event(session, ctx.actor, member, DISCIPLINE, on, reason.strip(), details)
    return Outcome(None, CHANGED)


def lift_discipline(ctx: Context, member_id: int, on: date, reason: str) -> Outcome[None]:
    """留团察看 ended early (or a discipline revoked): recorded, the original kept."""
    if not reason.strip():
        raise ValidationError("请写明解除的原因。", "reason")
    session = ctx.session
    member = get_row(session, Member, member_id, "找不到这名团员。")
    add_event(session, ctx.actor, member, LIFTED, on, reason.strip())
    return Outcome(None, CHANGED)


def probations(session: Session) -> dict[int, list[tuple[date, date]]]:
    """Each member's 留团察看 periods as (from, to) inclusive, cut short where lifted."""
    rows = session.execute(
        select(MemberEvent.member_id, MemberEvent.kind, MemberEvent.on, MemberEvent.details)
        .where(MemberEvent.kind.in_((DISCIPLINE, LIFTED)))
        .order_by(MemberEvent.on, MemberEvent.id)
    ).all()
    found: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for member_id, kind, on, details in rows:
        periods = found[member_id]
        if kind == DISCIPLINE and (details or {}).get("level") == PROBATION:
            periods.append((on, date.fromisoformat(details["until"])))
        elif kind == LIFTED:
            found[member_id] = [
                (start, min(end, on)) if start <= on else (start, end) for start, end in periods
            ]
    return dict(found)


def on_probation(periods: dict[int, list[tuple[date, date]]], member_id: int, day: date) -> bool:
    return any(start <= day < end for start, end in periods.get(member_id, []))
