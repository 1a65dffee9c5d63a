"""年度组织生活计划 (the plan made before the meetings), 会议记录本 (the period's minutes
in order, with attendance and votes) and the 组织生活落实情况 table (required by the
profile versus held)."""

from __future__ import annotations

from collections import Counter

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

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
from qzdesk.services.archive.snapshot import (
    PRESENCE,
    ComplianceCell,
    MinutesView,
    PlanRow,
    Rating,
    Snapshot,
    WindowState,
    describe,
    observer_label,
)


def _one(view: MinutesView, names: dict[int, str], branch: str) -> list[Flowable]:
    d = view.draft
    absent = [
        f"{names.get(m, m)}（{PRESENCE[s]}{'：' + r if r else ''}）"
        for m, (s, r) in d.attendance.items()
        if s != "present"
    ]
    when = f"{d.held_on:%Y年%m月%d日} {d.starts_at}–{d.ends_at}".rstrip("– ")
    story: list[Flowable] = [
        paragraph(f"{branch}　{view.title}", HEADING),
        paragraph(
            f"时间：{when}　地点：{d.place or '—'}\n主题：{d.topic}\n"
            f"主持人：{d.chair or '—'}　记录人：{d.recorder or '—'}\n{view.quorum.text}"
            + (f"\n未出席：{'、'.join(absent)}" if absent else "")
            + (
                f"\n列席：{'、'.join(observer_label(n, r) for n, r in d.observers)}"
                if d.observers
                else ""
            ),
            BODY,
        ),
    ]
    if d.agenda:
        story.append(
            paragraph("议程：" + "；".join(f"{i}. {a}" for i, a in enumerate(d.agenda, 1)), BODY)
        )
    if d.speeches:
        story.append(
            data_table(["发言人", "主要内容"], [[s, p] for s, p in d.speeches], [28 * mm, 146 * mm])
        )
    if d.resolutions:
        story.append(
            data_table(
                ["决议", "赞成", "反对", "弃权", "效力"],
                [
                    [
                        r.text,
                        "" if r.votes_for is None else str(r.votes_for),
                        "" if r.against is None else str(r.against),
                        "" if r.abstain is None else str(r.abstain),
                        {True: "有效", False: "无效（未达法定人数）", None: "待签字确认"}[r.valid],
                    ]
                    for r in d.resolutions
                ],
                [94 * mm, 14 * mm, 14 * mm, 14 * mm, 38 * mm],
            )
        )
    if view.attachments:
        listed = "；".join(
            f"{describe(f, caption)}，SHA-256 {f.sha256[:16]}…" for f, caption in view.attachments
        )
        story.append(paragraph(f"附件：{listed}", SMALL))
    for at, by, text in view.addenda:
        story.append(paragraph(f"补充说明（{at[:10]}，{by}）：{text}", BODY))
    signed = (
        f"主持人、记录人已于 {view.signed_at[:10]} 签字确认；内容指纹 {view.content_hash}"
        if view.status == "signed" and view.signed_at
        else "草稿：尚未签字确认"
    )
    story += [paragraph(signed, SMALL), Spacer(1, 4 * mm)]
    return story


def build_minutes_book(snap: Snapshot) -> list[Flowable]:
    views = snap.minutes
    story: list[Flowable] = [paragraph("会议记录本", TITLE)]
    if not views:
        return [*story, empty_note("本期没有会议记录。")]
    signed = sum(1 for v in views if v.status == "signed")
    story.append(paragraph(f"本期会议 {len(views)} 次，其中已签字确认 {signed} 次。", BODY))
    for view in views:
        story += _one(view, snap.member_names, snap.branch_name(view.branch_id))
    return story


def build_plan(snap: Snapshot) -> list[Flowable]:
    rows, as_of = snap.plan, snap.as_of
    story: list[Flowable] = [paragraph("年度组织生活计划", TITLE)]
    if not rows:
        return [*story, empty_note("本期没有制定会议计划。")]
    states = Counter(r.state(as_of).label for r in rows)
    story.append(
        paragraph(
            f"本期计划 {len(rows)} 项（状态截至 {as_of:%Y年%m月%d日}）："
            + "，".join(f"{state} {n} 项" for state, n in sorted(states.items())),
            BODY,
        )
    )
    by_branch: dict[str, list[PlanRow]] = {}
    for row in rows:
        by_branch.setdefault(row.branch, []).append(row)
    # One table per branch, so the branch column is left out.
    headers = [h for i, h in enumerate(PlanRow.HEADERS) if i != 1]
    for branch, items in by_branch.items():
        story += [
            paragraph(branch, HEADING),
            data_table(
                headers,
                [[c for i, c in enumerate(r.cells(as_of)) if i != 1] for r in items],
                [22 * mm, 18 * mm, 52 * mm, 18 * mm, 30 * mm, 34 * mm],
            ),
        ]
    return story


MONTH_COLOURS = {
    WindowState.MET: colors.HexColor("#dcefdc"),
    WindowState.MISSED: colors.HexColor("#f6d5d3"),
    WindowState.OPEN: colors.HexColor("#fff4d6"),
}


def _month_grid(cells: list[ComplianceCell]) -> Flowable:
    table = data_table(
        [*ComplianceCell.HEADERS[:2], *(str(m) for m in range(1, 13))],
        [[c.branch, c.kind.label, *c.month_cells()] for c in cells],
        [34 * mm, 18 * mm, *[10.2 * mm] * 12],
    )
    table.setStyle(
        [
            ("BACKGROUND", (2 + m, 1 + r), (2 + m, 1 + r), MONTH_COLOURS[state])
            for r, cell in enumerate(cells)
            for m, state in enumerate(cell.month_states())
            if state in MONTH_COLOURS
        ]
    )
    return table


def _rating(rating: Rating) -> list[Flowable]:
    """对标定级 is a year's (done in its fourth quarter): in the archives that end a year."""
    scheme, found = rating.scheme, rating.branches
    unconfirmed = "该细则未经证实，仅供参考；" if scheme.confidence == "X" else ""
    story: list[Flowable] = [
        paragraph("对标定级（按记录自评）", HEADING),
        paragraph(f"{scheme.label}。{unconfirmed}最终等级以上级团委复核为准。", BODY),
        data_table(
            ["团支部", *(f"{d.name}（{d.points:g}）" for d in scheme.dimensions), "总分", "等级"],
            [
                [r.branch, *(f"{d.scored:g}" for d in r.dimensions), f"{r.total:g}", r.band]
                for r in found
            ],
            [40 * mm, *[20 * mm] * len(scheme.dimensions), 16 * mm, 18 * mm],
        ),
        paragraph("每项得分的依据", HEADING),
    ]
    for index, r in enumerate(found):
        if index:  # between tables only: a trailing spacer can spill onto an empty page
            story.append(Spacer(1, 3 * mm))
        story.append(
            data_table(
                [f"{r.branch}（{r.total:g} 分，{r.band}）", "得分", "依据"],
                [
                    [f"{d.name}：{line.name}", f"{line.scored:g}/{line.points:g}", line.evidence]
                    for d in r.dimensions
                    for line in d.lines
                ],
                [84 * mm, 20 * mm, 70 * mm],
            )
        )
    return story


def build_compliance(snap: Snapshot) -> list[Flowable]:
    """As the records stood at the period's end (or the build day, for a current period):
    nothing held or signed later counts, and the rating is in the archive that ends a year."""
    as_of, cells = snap.as_of, list(snap.compliance)
    return [
        paragraph("组织生活落实情况", TITLE),
        paragraph(
            f"{snap.period.label}，截至 {as_of:%Y年%m月%d日}：“应开”按规则配置的频次，计本期内"
            "已开始、且在团支部成立之后的月份或季度（半年、全年一次的会议计其所在的时段）；"
            "“已开”只计本期内主持人和记录人已签字确认的会议记录；出勤率、会议次数均以已签字"
            "的记录为准。每月一次的会议按月、每季度一次的按季度评判。",
            BODY,
        ),
        data_table(
            ComplianceCell.HEADERS,
            [c.cells() for c in cells],
            [48 * mm, 20 * mm, 16 * mm, 16 * mm, 18 * mm, 56 * mm],
        ),
        paragraph("逐月情况（数字为当月已签字的会议记录数，× 为该月或该季度未开）", HEADING),
        _month_grid(cells),
        *(_rating(snap.rating) if snap.rating else []),
    ]


PLAN = DocumentSpec("meeting_plan", "年度组织生活计划", build_plan)
MINUTES_BOOK = DocumentSpec("minutes_book", "会议记录本", build_minutes_book)
COMPLIANCE = DocumentSpec("compliance", "组织生活落实情况", build_compliance)
