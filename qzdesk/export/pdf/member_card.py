"""团员信息卡: one member's record and history as of today (a print of its own, not a
page of the archive)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from qzdesk.export.pdf.layout import HEADING, TITLE, PageInfo, data_table, paragraph, render
from qzdesk.services.context import Context
from qzdesk.services.members import records
from qzdesk.services.members.records import EVENT_LABELS, MemberRecord, audit_view
from qzdesk.services.members.validation import FIELD_LABELS, MONTH_FIELDS
from qzdesk.services.organisation.orgs import organisation_name


def render_member_card(ctx: Context, member_id: int) -> bytes:
    record = records.member_record(ctx, member_id)
    info = PageInfo(
        organisation_name(ctx) or "",
        "团员信息卡",
        f"{ctx.today:%Y年%m月%d日}",
        "（单页）",
        ctx.now,
    )
    return render(member_card(record), info)


def member_card(record: MemberRecord) -> list[Flowable]:
    values = audit_view(record.draft)
    shown = {k: v[:7] if k in MONTH_FIELDS else v for k, v in values.items() if k != "id_type"}
    labels = {
        "status": record.draft.status.label,
        "political_status": record.draft.political_status.label,
    }
    pairs = [[FIELD_LABELS.get(k, k), str(labels.get(k, v))] for k, v in shown.items()]
    rows = [
        pairs[i] + (pairs[i + 1] if i + 1 < len(pairs) else ["", ""])
        for i in range(0, len(pairs), 2)
    ]
    history = [
        [f"{e.on:%Y-%m-%d}", EVENT_LABELS.get(e.kind, e.kind), e.reason or "", e.recorded_by]
        for e in record.events
    ]
    return [
        paragraph("团员信息卡", TITLE),
        data_table(["项目", "内容", "项目", "内容"], rows, [28 * mm, 59 * mm, 28 * mm, 59 * mm]),
        paragraph("历史记录", HEADING),
        data_table(
            ["日期", "事项", "原因", "记录人"], history, [26 * mm, 30 * mm, 88 * mm, 30 * mm]
        ),
    ]
