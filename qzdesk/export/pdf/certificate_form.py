"""证书登记表: the one page a secretary hands to the district so it can trust this branch's
signing certificate (its SHA-256 fingerprint, signed by the secretary, stamped above)."""

from __future__ import annotations

from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from qzdesk.export.pdf.layout import BODY, FONT, TITLE, PageInfo, data_table, paragraph, render
from qzdesk.services import clock
from qzdesk.services.context import Context
from qzdesk.services.errors import NotFound
from qzdesk.services.organisation.overview import overview
from qzdesk.services.security import branch_key


def certificate_form(ctx: Context, now: datetime | None = None) -> bytes:
    info = branch_key.key_info(ctx.store)
    if info is None:
        raise NotFound("本支部还没有签名密钥：请先在“设置 → 签名密钥”中创建。")
    now = now or clock.now()
    data = overview(ctx)
    groups = info.fingerprint.split(":")
    fingerprint = "\n".join(":".join(groups[i : i + 8]) for i in range(0, 32, 8))
    rows = [
        ["组织名称", data.root.name],
        ["上级团组织", data.parent_org],
        ["书记", data.secretary],
        ["证书主体", f"{info.subject}（{info.organisation}）"],
        ["SHA-256 指纹", fingerprint],
        ["有效期", f"{info.not_before:%Y-%m-%d} 至 {info.not_after:%Y-%m-%d}"],
        ["登记表生成时间", f"{now:%Y-%m-%d %H:%M}"],
    ]
    stamp = Table(
        [
            [
                paragraph("书记签字：\n\n\n日期：", BODY),
                paragraph("上级团委审核意见（盖章）：\n\n\n\n日期：", BODY),
            ]
        ],
        colWidths=[80 * mm, 94 * mm],
        rowHeights=[55 * mm],
    )
    stamp.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),  # ReportLab's default is Helvetica
                ("BOX", (0, 0), (-1, -1), 0.6, "#555555"),
                ("INNERGRID", (0, 0), (-1, -1), 0.6, "#555555"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story: list[Flowable] = [
        paragraph("团组织电子签名证书登记表", TITLE),
        paragraph(
            "本支部用以下证书对报送的台账 PDF 进行电子签名。请上级团委核对指纹后登记，"
            "今后收到的台账可据此验证确由本支部报送、未被改动。",
            BODY,
        ),
        Spacer(1, 5 * mm),
        data_table(["项目", "内容"], rows, [40 * mm, 134 * mm]),
        Spacer(1, 8 * mm),
        stamp,
    ]
    page = PageInfo(data.root.name, "证书登记表", f"{now:%Y年%m月%d日}", "—", now)
    return render(story, page)
