"""团员教育评议和团籍注册: the year's ratings per branch (quorum, grades, approval) and the
registrations (registered, deferred with the follow-up date)."""

from __future__ import annotations

from collections import Counter

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from qzdesk.export.pdf.layout import BODY, HEADING, TITLE, data_table, empty_note, paragraph
from qzdesk.export.pdf.spec import DocumentSpec
from qzdesk.services.archive.snapshot import Grade, Snapshot


def build(snap: Snapshot) -> list[Flowable]:
    year = snap.period.end.year
    views, registrations = snap.evaluations, snap.registrations
    story: list[Flowable] = [paragraph("团员教育评议和团籍注册", TITLE)]
    if not views and not registrations:
        return [*story, empty_note("本期没有团员教育评议和团籍注册记录。")]
    if not views:
        story.append(
            paragraph(f"截至 {snap.as_of:%Y-%m-%d} {year} 年度尚未登记团员教育评议。", BODY)
        )
    for view in views:
        grades = Counter(r.grade for r in view.rows)
        story += [
            paragraph(
                f"{view.year} 年度　{snap.branch_name(view.branch_id)}（{view.held_on:%Y-%m-%d}）",
                HEADING,
            ),
            paragraph(
                f"参评 {view.expected} 人，到会 {view.present} 人"
                f"（{'已超过三分之二' if view.quorate else '未超过三分之二'}）；"
                + "、".join(f"{g.label} {grades.get(g, 0)} 人" for g in Grade)
                + f"（优秀上限 {view.excellent_cap} 人）；"
                + (
                    f"上级团委 {view.approved_on:%Y-%m-%d} 批准。"
                    if view.approved_on
                    else "尚待上级团委批准。"
                ),
                BODY,
            ),
            data_table(
                ["团员", "优秀票", "合格票", "基本合格票", "不合格票", "等次", "自我评价"],
                [
                    [
                        r.name,
                        *map(str, r.votes),
                        r.grade.label if r.grade else "",
                        r.self_assessment or "",
                    ]
                    for r in view.rows
                ],
                [22 * mm, 15 * mm, 15 * mm, 20 * mm, 17 * mm, 20 * mm, 65 * mm],
            ),
        ]
    story.append(paragraph("团籍注册", HEADING))
    deferred = [r for r in registrations if r.status == "deferred"]
    story.append(
        paragraph(
            f"已注册 {len(registrations) - len(deferred)} 人，暂缓注册 {len(deferred)} 人。", BODY
        )
    )
    if deferred:
        story.append(
            data_table(
                ["团员", "暂缓注册日期", "复查日期"],
                [
                    [
                        r.name,
                        f"{r.on:%Y-%m-%d}",
                        f"{r.follow_up_on:%Y-%m-%d}" if r.follow_up_on else "",
                    ]
                    for r in deferred
                ],
                [40 * mm, 40 * mm, 40 * mm],
            )
        )
    return story


EVALUATION = DocumentSpec("evaluation", "团员教育评议和团籍注册", build)
