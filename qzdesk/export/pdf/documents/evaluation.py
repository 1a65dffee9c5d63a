"""团员教育评议和团籍注册: the year's ratings per branch (quorum, grades, approval) and the
registrations (registered, deferred with the follow-up date)."""

from __future__ import annotations

from collections import Counter

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from qzdesk.export.pdf.layout import BODY, HEADING, TITLE, data_table, paragraph
from qzdesk.export.pdf.spec import DocumentSpec
from qzdesk.services.meetings.evaluation import Grade, evaluations_of_year, registrations_of_year
from qzdesk.services.members.records import open_branches
from qzdesk.services.organisation.rules import installed_profiles
from qzdesk.services.periods import Period
from qzdesk.services.storage.store import Store


def build(store: Store, period: Period) -> list[Flowable]:
    profiles = installed_profiles(store.paths)
    year = period.end.year
    names = dict((i, n) for i, n in open_branches(store))
    story: list[Flowable] = [paragraph(f"{year} 年团员教育评议和团籍注册", TITLE)]
    views = evaluations_of_year(store, profiles, year)
    if not views:
        story.append(paragraph("本年度尚未登记团员教育评议。", BODY))
    for view in views:
        grades = Counter(r.grade for r in view.rows)
        story += [
            paragraph(f"{names.get(view.branch_id, '')}（{view.held_on:%Y-%m-%d}）", HEADING),
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
    registrations = registrations_of_year(store, year)
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
