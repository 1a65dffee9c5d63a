"""The 团员档案's papers: for each, whether it is in the file, and its scan (kept once by
SHA-256 among the attachments). Each finding is a new row; the latest one holds."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from qzdesk.models import Attachment, Member, MemberPaper
from qzdesk.services import audit
from qzdesk.services.attachments import add_attachment, keep
from qzdesk.services.changes import Outcome, Topic
from qzdesk.services.context import Context
from qzdesk.services.errors import ValidationError
from qzdesk.services.lookup import get_row
from qzdesk.services.periods import instant_text
from qzdesk.vocabulary import UNKNOWN, Paper

CHANGED = frozenset({Topic.MEMBERS, Topic.AUDIT})
SCAN_MAX_MB = 20


@dataclass(frozen=True)
class PaperState:
    paper: Paper
    required: bool  # the 团员登记表 only for those admitted from the profile's year
    present: bool | None  # None: not looked at yet (未填)
    sha256: str | None  # its scan
    kind: str | None  # the scan's file kind (pdf, jpeg, png)
    on: date | None
    source: str = ""  # "" found here; else the organisation it came from

    @property
    def state_text(self) -> str:
        if self.present is None:
            return UNKNOWN if self.required else "不需要"
        text = "有" if self.present else "缺"
        return text + ("（已扫描）" if self.sha256 else "")

    def as_dict(self) -> dict[str, Any]:
        return {
            "paper": self.paper.value,
            "required": self.required,
            "present": self.present,
            "sha256": self.sha256,
            "kind": self.kind,
            "on": self.on.isoformat() if self.on else None,
            "source": self.source,
        }


def _required(ctx: Context, member: Member, paper: Paper) -> bool:
    if paper is not Paper.REGISTER_FORM:
        return True
    since = ctx.profile.transfer.register_form_from_year.value
    return member.joined_on is None or member.joined_on.year >= since


def papers(ctx: Context, member_id: int, as_of: date | None = None) -> tuple[PaperState, ...]:
    """Every paper of the checklist as of `as_of` (today), in the checklist's order."""
    member = get_row(ctx.session, Member, member_id, f"找不到编号为 {member_id} 的团员。")
    day = as_of or ctx.today
    latest: dict[str, MemberPaper] = {}
    for row in ctx.session.scalars(
        select(MemberPaper)
        .where(MemberPaper.member_id == member_id, MemberPaper.on <= day)
        .order_by(MemberPaper.on, MemberPaper.id)
    ):
        latest[row.paper] = row
    scans = [r.attachment_sha256 for r in latest.values()]
    kinds = {
        sha: kind
        for sha, kind in ctx.session.execute(
            select(Attachment.sha256, Attachment.kind).where(Attachment.sha256.in_(scans))
        )
    }
    states = []
    for paper in Paper:
        row = latest.get(paper.value)
        states.append(
            PaperState(
                paper,
                _required(ctx, member, paper),
                row.present if row else None,
                row.attachment_sha256 if row else None,
                kinds.get(row.attachment_sha256) if row and row.attachment_sha256 else None,
                row.on if row else None,
                (row.source or "") if row else "",
            )
        )
    return tuple(states)


def _add(
    ctx: Context, member_id: int, paper: Paper, present: bool, sha256: str | None, source: str = ""
) -> MemberPaper:
    row = MemberPaper(
        member_id=member_id,
        paper=paper.value,
        present=present,
        attachment_sha256=sha256,
        on=ctx.today,
        source=source or None,
        recorded_by=ctx.actor,
        recorded_at=instant_text(ctx.now),
    )
    ctx.session.add(row)
    return row


def record_paper(
    ctx: Context, member_id: int, paper: Paper, present: bool, scan: Path | None = None
) -> Outcome[PaperState]:
    """The paper is in the file (with its scan, if given) or missing, as found today."""
    member = get_row(ctx.session, Member, member_id, f"找不到编号为 {member_id} 的团员。")
    if scan is not None and not present:
        raise ValidationError("缺少的材料没有扫描件：请先确认材料在档。", "scan")
    sha256 = add_attachment(ctx, scan, SCAN_MAX_MB).value.sha256 if scan else None
    _add(ctx, member.id, paper, present, sha256)
    ctx.session.flush()
    audit.record(
        ctx.session,
        ctx.actor,
        "member_paper",
        member.id,
        "record",
        after={"paper": paper.value, "present": present, "scan": sha256},
    )
    state = next(s for s in papers(ctx, member.id) if s.paper is paper)
    return Outcome(state, CHANGED)


def record_kept(
    ctx: Context, member_id: int, state: PaperState, source: str, scan: bytes | None
) -> None:
    """A paper as a transfer package lists it, with its scan when the package held it;
    the scan is stored only when its content matches the digest the package states."""
    sha256 = None
    if scan is not None and hashlib.sha256(scan).hexdigest() == state.sha256:
        sha256 = keep(ctx, f"{state.paper.label}.{state.kind or 'pdf'}", scan).value.sha256
    _add(ctx, member_id, state.paper, bool(state.present), sha256, state.source or source)


def record_paper_bytes(
    ctx: Context, member_id: int, paper: Paper, file_name: str, content: bytes
) -> None:
    """A paper in the file whose scan is content already read (the 介绍信 that came)."""
    _add(ctx, member_id, paper, True, keep(ctx, file_name, content).value.sha256)
