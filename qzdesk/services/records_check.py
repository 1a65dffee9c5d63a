"""`qzdesk check`'s second half: the records themselves. A file can be sound to SQLite and
still be forged: a trigger dropped, points changed and the whole chain recomputed. What
is already signed into archives, and what the schema must hold, catch that."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from qzdesk.models import Attachment, PointsEntry, PointsReview
from qzdesk.services.admission.chain import GENESIS
from qzdesk.services.admission.ledger import verify_ledger
from qzdesk.services.archive import register
from qzdesk.services.attachments import stored_path
from qzdesk.services.context import Context
from qzdesk.services.meetings.minutes import altered_minutes
from qzdesk.services.storage.schema import expected_triggers

CHAINS = {"entries": PointsEntry, "reviews": PointsReview}
RESTORE = "请用“从备份恢复”恢复到出问题之前的备份，并联系上级团委核对"


def check_records(ctx: Context) -> list[str]:
    """Each problem named, with what to do."""
    problems = []
    with ctx.store.engine.connect() as connection:
        present = set(
            connection.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
        )
    missing = sorted(expected_triggers() - present)
    if missing:
        problems.append(
            f"保护历史记录的触发器缺失：{'、'.join(missing)}"
            f"（数据文件在 qzdesk 之外被改动过）；{RESTORE}。"
        )
    ledger = verify_ledger(ctx)
    for chain in (ledger.entries, ledger.reviews):
        if not chain.ok:
            problems.append(
                f"积分账 {chain.table} 第 {chain.broken_id} 条：{chain.problem}；{RESTORE}。"
            )
    session = ctx.session
    for archive_id, chain, anchor in register.signed_anchors(ctx):
        problems += _against_anchor(session, f"已签发的台账 {archive_id}", chain, anchor)
    for meeting_id, number in altered_minutes(session):
        problems.append(
            f"已签字的会议记录（编号 {meeting_id}，第 {number} 次）内容与签字时的校验码不符；"
            f"{RESTORE}。"
        )
    for a in session.scalars(select(Attachment).order_by(Attachment.added_at)):
        path = stored_path(ctx.store.paths, a.sha256, a.kind)
        if not path.is_file():
            problems.append(f"证明材料“{a.file_name}”的文件缺失（{path}）；{RESTORE}。")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != a.sha256:
            problems.append(f"证明材料“{a.file_name}”的文件被改动过（{path}）；{RESTORE}。")
    return problems


def _against_anchor(session: Session, source: str, chain: str, anchor: dict[str, Any]) -> list[str]:
    """The chain still passes through the row `anchor` names (its count and hash)."""
    model = CHAINS[chain]
    count, head = int(anchor["count"]), str(anchor["head"])
    found = (
        session.scalar(select(model.hash).order_by(model.id).offset(count - 1).limit(1))
        if count
        else GENESIS
    )
    if found == head:
        return []
    return [
        f"积分账与{source}不符：其中记载的第 {count} 条记录的校验码是 {head[:16]}…，"
        f"现在是 {(found or '（缺失）')[:16]}…（签发后积分记录被改写过）；{RESTORE}。"
    ]


def check_against(ctx: Context, issued: list[tuple[str, dict[str, Any]]]) -> list[str]:
    """The chains compared with the anchors in archives verified as this installation's
    (`issued`: a name for each, and its data): copies outside this file, such as those
    handed upward, which someone who rewrote the file cannot rewrite too."""
    problems = []
    session = ctx.session
    for name, data in issued:
        for moment in ("start", "end"):
            for chain, anchor in data["admission"]["anchors"][moment].items():
                problems += _against_anchor(session, f"台账 {name}", chain, anchor)
    return problems
