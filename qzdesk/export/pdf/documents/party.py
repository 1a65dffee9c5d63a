"""推优入党情况: the period's recommendations with each one's steps as of its end, and the
figures the committee sums (approved in the period; taken in by the Party in it)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from qzdesk.export.pdf.layout import BODY, TITLE, data_table, empty_note, paragraph
from qzdesk.export.pdf.spec import DocumentSpec
from qzdesk.services.archive.snapshot import PartyStep, Snapshot


def build(snap: Snapshot) -> list[Flowable]:
    story: list[Flowable] = [paragraph("推优入党情况", TITLE)]
    if not snap.recommendations:
        return [*story, empty_note("本期没有推优入党。")]
    figures = snap.party
    story.append(
        paragraph(
            f"{snap.period.label}，截至 {snap.as_of:%Y年%m月%d日}：经上级团委审查同意推荐 "
            f"{figures.recommended} 人，党组织吸收为入党积极分子及以上 {figures.converted} 人。",
            BODY,
        )
    )
    rows = []
    for r in snap.recommendations:
        vote = r.last(PartyStep.VOTE)
        counted = (
            f"应到 {vote.details['expected']}，实到 {vote.details['present']}，"
            f"赞成 {vote.details['for']}"
            if vote
            else ""
        )
        rows.append(
            [
                r.name,
                snap.branch_name(r.branch_id) or r.branch,
                str(r.year),
                counted,
                f"{r.approved_on:%Y-%m-%d}" if r.approved_on else "",
                r.state,
            ]
        )
    story.append(
        data_table(
            ["团员", "团支部", "年度", "推优大会表决", "审查同意", "进展"],
            rows,
            [18 * mm, 34 * mm, 12 * mm, 46 * mm, 22 * mm, 42 * mm],
        )
    )
    return story


PARTY = DocumentSpec("party", "推优入党情况", build)
