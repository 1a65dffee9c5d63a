"""组织概况: the organisation, its branches and the rule profile in force."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from qzdesk.export.pdf.layout import BODY, HEADING, TITLE, data_table, paragraph
from qzdesk.export.pdf.spec import DocumentSpec
from qzdesk.services.archive.snapshot import Snapshot


def build(snap: Snapshot) -> list[Flowable]:
    org = snap.organisation
    counts = snap.members_by_branch()
    return [
        paragraph("组织概况", TITLE),
        paragraph(
            f"组织名称：{org.root.name}\n组织类型：{org.root.kind.label}　　"
            f"所在领域：{org.root.sector.label}\n"
            f"上级团组织：{org.parent}\n"
            f"书记：{org.secretary}\n"
            f"在用规则配置：{org.profile.title}\n"
            f"截至 {snap.as_of:%Y年%m月%d日}：团支部 {snap.branch_count} 个，在册团员 "
            f"{len(snap.on_books)} 人。",
            BODY,
        ),
        paragraph("团支部", HEADING),
        data_table(
            ["团支部", "成立日期", "状态", "在册团员"],
            [
                [
                    b.name,
                    b.created_on.isoformat(),
                    "正常"
                    if b.closed_on is None
                    else f"{b.closed_on:%Y-%m-%d} 撤销：{b.close_reason}",
                    str(counts.get(b.id, 0)),
                ]
                for b in snap.branches
                if b.parent_id is not None
            ],
            [62 * mm, 28 * mm, 60 * mm, 24 * mm],
        ),
    ]


OVERVIEW = DocumentSpec("overview", "组织概况", build)
