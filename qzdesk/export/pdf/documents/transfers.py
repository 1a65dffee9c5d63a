"""组织关系转接情况: the period's transfers out and in, each with its state at the period's
end (a 回执 that came later is not known then: still 转出中)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from qzdesk.export.pdf.layout import BODY, TITLE, data_table, empty_note, paragraph
from qzdesk.export.pdf.spec import DocumentSpec
from qzdesk.services.archive.snapshot import Snapshot


def build(snap: Snapshot) -> list[Flowable]:
    story: list[Flowable] = [paragraph("组织关系转接情况", TITLE)]
    if not snap.transfers:
        return [*story, empty_note("本期没有组织关系转接。")]
    figures = snap.transfer_figures
    story += [
        paragraph(
            f"{snap.period.label}，截至 {snap.as_of:%Y年%m月%d日}：转出 {figures.out} 人"
            f"（其中尚未收到回执 {figures.pending} 人），转入 {figures.came} 人。",
            BODY,
        ),
        data_table(
            ["转出日期", "方向", "团员", "对方单位", "原因", "状态", "团费交至", "介绍信编号"],
            [
                [
                    t.out_on.isoformat(),
                    "转出" if t.direction == "out" else "转入",
                    t.name,
                    t.other_side,
                    t.cause.label,
                    t.state.label + (f" {t.closed_on:%m-%d}" if t.closed_on else ""),
                    f"{t.dues_paid_to:%Y-%m}" if t.dues_paid_to else "未交",
                    t.code,
                ]
                for t in snap.transfers
            ],
            [20 * mm, 10 * mm, 16 * mm, 30 * mm, 20 * mm, 27 * mm, 18 * mm, 33 * mm],
        ),
    ]
    return story


TRANSFERS = DocumentSpec("transfers", "组织关系转接情况", build)
