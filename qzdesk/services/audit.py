"""Writing and reading the audit log; every service that changes data calls `record`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qzdesk.models import AuditEntry
from qzdesk.services import clock
from qzdesk.services.context import Context


def record(
    session: Session,
    actor: str,
    entity: str,
    entity_id: object,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEntry(
            at=clock.now_utc(),
            actor=actor,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            action=action,
            before=before,
            after=after,
        )
    )


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    actor: str
    entity: str
    entity_id: str | None
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def recent(ctx: Context, limit: int = 100) -> list[AuditRow]:
    session = ctx.session
    rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
    return [
        AuditRow(r.at, r.actor, r.entity, r.entity_id, r.action, r.before, r.after) for r in rows
    ]
