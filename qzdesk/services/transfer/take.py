"""Taking a transfer package's snapshot, and a member's 成长档案 alone: the one place that
reads the records for them, as of the context's day (Beijing), once."""

from __future__ import annotations

from qzdesk.models import Member, Transfer
from qzdesk.services.context import Context
from qzdesk.services.dossier.papers import papers
from qzdesk.services.dossier.timeline import timeline
from qzdesk.services.dues.book import paid_to
from qzdesk.services.lookup import get_row
from qzdesk.services.members import records
from qzdesk.services.security import branch_key
from qzdesk.services.transfer.snapshot import Dossier, Package, Side
from qzdesk.vocabulary import TransferCause, TransferState


def take_package(ctx: Context, transfer_id: int) -> Package:
    """The package of one transfer out still under way, as the records stand today."""
    row = get_row(ctx.session, Transfer, transfer_id, f"找不到编号为 {transfer_id} 的转接记录。")
    if row.direction != "out" or row.state != TransferState.PENDING.value:
        raise ValueError(f"transfer {row.code} is not an open transfer out")
    member = ctx.session.get_one(Member, row.member_id)
    info = branch_key.key_info(ctx.store)
    return Package(
        code=row.code,
        cause=TransferCause(row.cause),
        sender=Side(row.from_org, row.from_parent),
        receiver=Side(row.to_org, row.to_parent),
        out_on=row.out_on,
        valid_until=row.valid_until,
        dues_paid_to=row.dues_paid_to,
        dues_owing_months=paid_to(ctx, member.id).owing_months,
        member=records.audit_view(records.draft_of(member)),
        timeline=timeline(ctx, member.id),
        papers=papers(ctx, member.id),
        taken_at=ctx.now,
        fingerprint=info.fingerprint if info else "",
    )


def take_dossier(ctx: Context, member_id: int) -> Dossier:
    """A member's 成长档案 as of today, as this organisation holds it (to print for the
    团员档案)."""
    member = get_row(ctx.session, Member, member_id, f"找不到编号为 {member_id} 的团员。")
    return Dossier(
        ctx.overview.root.name,
        records.audit_view(records.draft_of(member)),
        timeline(ctx, member.id),
        papers(ctx, member.id),
        paid_to(ctx, member.id).text,
        ctx.today,
        ctx.now,
    )
