"""Which archives (台账) this installation has issued, so that each new one can name the
one before it and a reader can follow the chain of periods."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from qzdesk.models import AuditEntry
from qzdesk.services import audit
from qzdesk.services.context import Context
from qzdesk.services.periods import Period

ENTITY = "archive"


def record_issued(ctx: Context, archive_id: str, period: Period, anchors: dict[str, Any]) -> None:
    """Noted once the signed archive has verified, before its file is written, with the
    chain anchors it carries (see `signed_anchors`)."""
    session = ctx.session
    audit.record(
        session,
        ctx.actor,
        ENTITY,
        archive_id,
        "issue",
        after={
            "period": period.code,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "anchors": anchors,
        },
    )


def previous_archive(ctx: Context, period: Period) -> str | None:
    """The last archive issued for a period that ended before this one begins (the latest
    such period; of several for it, the last issued)."""
    session = ctx.session
    issued = session.scalars(
        select(AuditEntry).where(AuditEntry.entity == ENTITY, AuditEntry.action == "issue")
    ).all()
    before = [
        (date.fromisoformat(e.after["end"]), e.id, e.entity_id)
        for e in issued
        if date.fromisoformat(e.after["end"]) < period.start
    ]
    return max(before)[2] if before else None


def signed_anchors(ctx: Context) -> list[tuple[str, str, dict[str, Any]]]:
    """(archive id, chain, {head, count}) for every anchor an issued archive signed."""
    session = ctx.session
    issued = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity == ENTITY, AuditEntry.action == "issue")
        .order_by(AuditEntry.id)
    ).all()
    return [
        (e.entity_id or "", chain, anchor)
        for e in issued
        for moment in ("start", "end")
        for chain, anchor in e.after.get("anchors", {}).get(moment, {}).items()
    ]
