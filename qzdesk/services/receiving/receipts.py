"""收件记录: every file received with its verdict and reasons. An accepted archive's data
is kept as it came; a second archive for the same organisation and period supersedes the
first (both kept); the same file twice is one receipt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from qzdesk.models import Receipt
from qzdesk.services import audit, clock
from qzdesk.services.changes import Outcome, Topic
from qzdesk.services.context import Context
from qzdesk.services.organisation.settings import submission_days
from qzdesk.services.periods import BEIJING, parse_period

CHANGED = frozenset({Topic.RECEIVING, Topic.AUDIT})


@dataclass(frozen=True)
class ReceiptRow:
    id: int
    file_name: str
    file_sha256: str
    received_at: datetime
    received_by: str
    accepted: bool
    reasons: list[str]
    archive_id: str | None
    org_name: str | None
    period_code: str | None
    stored_as: str | None
    superseded_by: int | None

    @property
    def verdict(self) -> str:
        if not self.accepted:
            return "拒收"
        return "已被新件替代" if self.superseded_by else "已收"


def _row(r: Receipt) -> ReceiptRow:
    return ReceiptRow(
        r.id,
        r.file_name,
        r.file_sha256,
        r.received_at,
        r.received_by,
        r.accepted,
        list(r.reasons),
        r.archive_id,
        r.org_name,
        r.period_code,
        r.stored_as,
        r.superseded_by,
    )


def already_received(ctx: Context, sha256: str) -> ReceiptRow | None:
    session = ctx.session
    found = session.scalar(select(Receipt).where(Receipt.file_sha256 == sha256))
    return _row(found) if found else None


def accepted_archive(ctx: Context, archive_id: str) -> ReceiptRow | None:
    """The accepted receipt of an archive (its id is drawn at random and signed inside it,
    so a second accepted file with it is the same signed archive)."""
    session = ctx.session
    found = session.scalar(
        select(Receipt)
        .where(Receipt.archive_id == archive_id, Receipt.accepted.is_(True))
        .order_by(Receipt.id)
        .limit(1)
    )
    return _row(found) if found else None


def latest_before(ctx: Context, org_name: str, period_code: str) -> dict[str, Any] | None:
    """The data of the organisation's accepted archive for the latest period that ended
    before this one began (the chain continues from it)."""
    start = parse_period(period_code).start
    session = ctx.session
    rows = session.scalars(
        select(Receipt).where(
            Receipt.org_name == org_name,
            Receipt.accepted.is_(True),
            Receipt.superseded_by.is_(None),
        )
    ).all()
    earlier = [r for r in rows if parse_period(r.period_code or "").end < start]
    if not earlier:
        return None
    return max(earlier, key=lambda r: (parse_period(r.period_code or "").end, r.id)).data


def continuity(
    previous: dict[str, Any] | None, data: dict[str, Any]
) -> tuple[list[str], list[str]]:
    """(problems, notes) of the points chain between the previous archive and this one:
    adjacent periods must join exactly; a gap is noted, a chain going back refused."""
    if previous is None or "anchors" not in data.get("admission", {}):
        return [], []
    before = previous.get("admission", {}).get("anchors", {}).get("end")
    after = data["admission"]["anchors"]["start"]
    if before is None:
        return [], []
    adjacent = (
        parse_period(previous["period"]["code"]).end.toordinal() + 1
        == parse_period(data["period"]["code"]).start.toordinal()
    )
    code = previous["period"]["code"]
    if any(after[chain]["count"] < before[chain]["count"] for chain in after):
        return [f"积分记录比上一份台账（{code}）还少：记录被删除或从头重建"], []
    if adjacent and after != before:
        return [f"积分记录与上一期台账（{code}）的期末校验码不衔接：两期之间的记录被改动过"], []
    if not adjacent:
        return [], [f"与上一份台账（{code}）之间缺少期间：请催报中间期间的台账"]
    return [], []


def record(
    ctx: Context,
    file_name: str,
    sha256: str,
    accepted: bool,
    reasons: list[str],
    data: dict[str, Any] | None = None,
    stored_as: str | None = None,
) -> Outcome[ReceiptRow]:
    """Log one file. An accepted archive supersedes an earlier accepted one of the same
    organisation and period, which is kept."""
    session = ctx.session
    receipt = Receipt(
        file_sha256=sha256,
        file_name=file_name,
        received_at=clock.now_utc(),
        received_by=ctx.actor,
        accepted=accepted,
        reasons=reasons,
        archive_id=data["archive_id"] if data else None,
        org_name=data["branch"]["name"] if data else None,
        period_code=data["period"]["code"] if data else None,
        stored_as=stored_as,
        data=data if accepted else None,
    )
    session.add(receipt)
    session.flush()
    if accepted and data:
        earlier = session.scalars(
            select(Receipt).where(
                Receipt.org_name == receipt.org_name,
                Receipt.period_code == receipt.period_code,
                Receipt.accepted.is_(True),
                Receipt.superseded_by.is_(None),
                Receipt.id != receipt.id,
            )
        ).all()
        for old in earlier:
            old.superseded_by = receipt.id
    audit.record(
        session,
        ctx.actor,
        "receipt",
        receipt.id,
        "accept" if accepted else "reject",
        after={"file": file_name, "sha256": sha256, "reasons": reasons},
    )
    return Outcome(_row(receipt), CHANGED)


def receipts(ctx: Context) -> list[ReceiptRow]:
    session = ctx.session
    return [_row(r) for r in session.scalars(select(Receipt).order_by(Receipt.id))]


def received_in(ctx: Context, period_code: str) -> list[dict[str, Any]]:
    """The archives of the period accepted and current, with the day each came (Beijing)
    and whether after the committee's deadline: what a committee's own archive vouches
    for."""
    due = deadline(ctx, period_code)
    return [
        {
            "org": r.org_name or "",
            "period": r.period_code or "",
            "archive_id": r.archive_id or "",
            "sha256": r.file_sha256,
            "received_on": _aware(r.received_at).astimezone(BEIJING).date().isoformat(),
            "late": _aware(r.received_at) >= due,
        }
        for r in receipts(ctx)
        if r.accepted and r.superseded_by is None and r.period_code == period_code
    ]


@dataclass(frozen=True)
class Submission:
    """报送情况 of one organisation for a period."""

    org_name: str
    archive_id: str | None
    received_at: datetime | None
    superseded: int  # earlier archives of the period it replaced
    notes: list[str]
    late: bool = False  # received after the committee's deadline

    @property
    def state(self) -> str:
        if self.archive_id:
            return "逾期报送" if self.late else "已报送"
        return "未报送"  # a refused file names nobody: nothing from it is kept


def deadline(ctx: Context, period_code: str) -> datetime:
    """The end of the last day the committee allows after the period (Beijing time)."""
    period = parse_period(period_code)
    days = submission_days(ctx)
    return datetime.combine(period.end + timedelta(days=days + 1), time(0), BEIJING)


def submissions(ctx: Context, period_code: str, registered: list[str]) -> list[Submission]:
    """For each registered organisation (and any other that sent one), whether its archive
    of the period was received in time, and what it replaced."""
    code = parse_period(period_code).code
    due = deadline(ctx, code)
    session = ctx.session
    rows = session.scalars(
        select(Receipt)
        .where(Receipt.period_code == code, Receipt.accepted.is_(True))
        .order_by(Receipt.id)
    ).all()
    names = sorted({*registered, *(r.org_name for r in rows if r.org_name)})
    found = []
    for name in names:
        mine = [r for r in rows if r.org_name == name]
        current = next((r for r in mine if r.superseded_by is None), None)
        notes = list(current.reasons) if current else []
        late = current is not None and _aware(current.received_at) >= due
        if late:
            notes.append(f"截止 {due - timedelta(days=1):%Y-%m-%d}")
        found.append(
            Submission(
                name,
                current.archive_id if current else None,
                current.received_at if current else None,
                len(mine) - (1 if current else 0),
                notes,
                late,
            )
        )
    return found


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
