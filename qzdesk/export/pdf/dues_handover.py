"""The 团费交接表: the book's balance and the money since the last handover, how far each
member has paid and who is behind, with lines for 移交人, 接交人 and 监交人 to sign."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from qzdesk.export.pdf.layout import BODY, TITLE, PageInfo, data_table, paragraph, render
from qzdesk.services.dues.amounts import yuan_text
from qzdesk.services.dues.handover import Handover


def handover_pdf(sheet: Handover) -> bytes:
    acc = sheet.account
    story: list[Flowable] = [
        paragraph("团费交接表", TITLE),
        paragraph(
            f"{sheet.organisation}　交接日期：{sheet.on:%Y年%m月%d日}　"
            f"本表账目自 {sheet.since:%Y年%m月%d日} 起（上次交接之后）。",
            BODY,
        ),
        data_table(
            ["上次结余", "本期收缴", "本期上缴", "本期支出", "账面余额", "应上缴未缴"],
            [
                [
                    yuan_text(acc.opening_fen),
                    yuan_text(acc.received_fen),
                    yuan_text(acc.handed_up_fen),
                    yuan_text(acc.spent_fen),
                    yuan_text(acc.closing_fen),
                    yuan_text(acc.to_hand_up_fen),
                ]
            ],
            [29 * mm] * 6,
        ),
        paragraph("（金额单位：元。应上缴未缴按规则配置中基层留用比例计算。）", BODY),
    ]
    if sheet.counted:
        story.append(
            paragraph(
                "清点情况："
                + "；".join(f"{r.what}，实点 {yuan_text(r.amount_fen)} 元" for r in sheet.counted),
                BODY,
            )
        )
    else:
        story.append(paragraph("实点金额：______________ 元（与账面余额不符的，写明原因）", BODY))
    if sheet.rows:
        story += [
            Spacer(1, 3 * mm),
            paragraph("上缴与支出明细", BODY),
            data_table(
                ["日期", "类别", "金额（元）", "说明"],
                [
                    [
                        f"{r.on:%Y-%m-%d}",
                        r.kind.label + ("（已冲销）" if r.reversed else ""),
                        yuan_text(r.amount_fen),
                        r.what,
                    ]
                    for r in sheet.rows
                ],
                [24 * mm, 22 * mm, 22 * mm, 106 * mm],
            ),
        ]
    story += [
        Spacer(1, 3 * mm),
        paragraph(f"团员交纳情况（{len(sheet.paid_to)} 人）", BODY),
        data_table(
            ["团支部", "姓名", "团费交至"],
            [list(row) for row in sheet.paid_to],
            [60 * mm, 30 * mm, 84 * mm],
        ),
    ]
    if sheet.arrears:
        story.append(
            paragraph(
                "欠交团费："
                + "；".join(
                    f"{a.name} 自 {a.since:%Y-%m} 起 {a.months} 个月 {yuan_text(a.owed_fen)} 元"
                    for a in sheet.arrears
                ),
                BODY,
            )
        )
    story += [
        Spacer(1, 8 * mm),
        paragraph("移交人（签字）：____________    接交人（签字）：____________", BODY),
        Spacer(1, 4 * mm),
        paragraph("监交人（签字）：____________    ______年____月____日", BODY),
    ]
    info = PageInfo(sheet.organisation, "团费交接表", f"{sheet.on:%Y-%m-%d}", "", sheet.taken_at)
    return render(story, info)
