"""团员花名册: the members on the books at the period's end, branch by branch, and who left
during the period."""

from __future__ import annotations

from itertools import groupby

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from qzdesk.export.pdf.layout import BODY, HEADING, TITLE, data_table, fitted_widths, paragraph
from qzdesk.export.pdf.spec import DocumentSpec
from qzdesk.services.archive.snapshot import UNKNOWN, Snapshot

HEADERS = [
    "序号",
    "姓名",
    "性别",
    "出生年月",
    "民族",
    "入团年月",
    "团员编号",
    "政治面貌",
    "团内职务",
    "手机号码",
]


def build(snap: Snapshot) -> list[Flowable]:
    as_of = snap.as_of
    on_books, left = snap.on_books, snap.left_in_period
    story: list[Flowable] = [
        paragraph("团员花名册", TITLE),
        paragraph(
            f"截至 {as_of:%Y年%m月%d日}，在册团员 {len(on_books)} 人；本期离团 {len(left)} 人。",
            BODY,
        ),
    ]
    # What the roster does not know, counted, so no reader takes a blank for a fact.
    if gaps := snap.data_gaps({"ethnicity": "民族"}):
        missing = "、".join(f"{what}未填 {n} 人" for what, n in gaps.items())
        story.append(paragraph(f"资料不全：{missing}（表中显示为“{UNKNOWN}”）。", BODY))
    rows = [
        [
            "",
            e.draft.name,
            e.draft.gender,
            e.draft.birth_date.strftime("%Y-%m") if e.draft.birth_date else "",
            e.draft.ethnicity or UNKNOWN,
            e.joined,
            e.draft.member_no or "",
            e.draft.political_status.label,
            e.draft.league_post or "",
            e.draft.mobile or "",
        ]
        for e in on_books
    ]
    # One set of widths for every branch's table, so the columns line up down the pages.
    widths = fitted_widths(HEADERS, [[str(len(rows)), *r[1:]] for r in rows])
    start = 0
    for branch, group in groupby(on_books, key=lambda e: e.branch_name):
        count = len(list(group))
        mine = [[str(i), *r[1:]] for i, r in enumerate(rows[start : start + count], start=1)]
        start += count
        story += [
            paragraph(f"{branch}（{count} 人）", HEADING),
            data_table(HEADERS, mine, widths),
        ]
    if left:
        story += [
            Spacer(1, 4 * mm),
            paragraph("本期离团", HEADING),
            data_table(
                ["序号", "姓名", "所在团支部", "离团日期", "方式与原因"],
                [
                    [
                        str(i),
                        e.draft.name,
                        e.branch_name,
                        f"{e.left_on:%Y-%m-%d}",
                        f"{e.draft.status.label}：{e.left_reason or ''}",
                    ]
                    for i, e in enumerate(left, 1)
                ],
                [10 * mm, 20 * mm, 40 * mm, 24 * mm, 80 * mm],
            ),
        ]
    return story


ROSTER = DocumentSpec("roster", "团员花名册", build)
