"""积分档案: each applicant's points entries (reversals and returned ones included), the
approved balance per stage and the ledger's chain head, so the paper matches the file."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from qzdesk.export.pdf.layout import (
    BODY,
    HEADING,
    SMALL,
    TITLE,
    data_table,
    empty_note,
    paragraph,
)
from qzdesk.export.pdf.spec import DocumentSpec
from qzdesk.services.archive.snapshot import Snapshot

HEADERS = ["序号", "日期", "阶段", "类别", "项目", "档次", "分值", "审核", "说明", "记录人"]
WIDTHS = [9, 22, 9, 18, 34, 9, 10, 18, 28, 17]


def build(snap: Snapshot, applicant_id: int | None = None) -> list[Flowable]:
    # The chains as they stood at the period's end; the full values are in the data.
    end = snap.anchors["end"]
    story: list[Flowable] = [
        paragraph("积分档案", TITLE),
        paragraph(
            "仅“已通过”的积分计入得分；更正以冲销记录表示，原记录保留。"
            f"\n防篡改校验码（本期末，用于核对积分记录未被改动）：积分记录 "
            f"{end['entries']['count']} 条，{end['entries']['head'][:16]}…；审核记录 "
            f"{end['reviews']['count']} 条，{end['reviews']['head'][:16]}…",
            SMALL,
        ),
    ]
    shown = 0
    for account in snap.points:
        if applicant_id is not None and account.applicant_id != applicant_id:
            continue
        if not account.entries and applicant_id is None:
            continue
        shown += 1
        balance = account.balance
        story += [
            paragraph(f"{account.name}（{account.place}，{account.stage.label}）", HEADING),
            paragraph(
                f"截至 {snap.as_of:%Y-%m-%d} 已通过积分：第一阶段 {balance.stage_points(1)} 分，"
                f"第二阶段 {balance.stage_points(2)} 分"
                + (f"；负面清单：{'、'.join(balance.vetoed_by)}" if balance.vetoed_by else ""),
                BODY,
            ),
            data_table(
                HEADERS,
                [
                    [
                        str(e.id),
                        f"{e.occurred_on:%Y-%m-%d}",
                        str(e.stage),
                        e.category_name,
                        e.item_name,
                        e.grade or "",
                        e.points,
                        e.status_label + (f"：{e.review_reason}" if e.review_reason else ""),
                        e.note or "",
                        e.recorded_by,
                    ]
                    for e in account.entries
                ],
                [w * mm for w in WIDTHS],
            ),
        ]
    if not shown:
        story.append(empty_note("本期没有积分记录。"))
    return story


POINTS_RECORD = DocumentSpec("points_record", "积分档案", build)
